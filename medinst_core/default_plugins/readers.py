"""Built-in readers, one per native format family.

Every reader is registered by a lazy ``"module:function"`` reference so that
loading this module imports nothing heavy.  The options of each reader are
declared here, once: the JSON Schema registered with the reader gives each
option's ``default`` and ``description``.  ``medinst validate`` checks a
manifest's ``source.options`` against it, the pipeline fills in the defaults
before calling the reader, and ``medinst tasks show TASK`` prints them.  The
readers' module docstrings describe the formats, not the options.
"""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl

# ---------------------------------------------------------------------------
# Option schemas (plain data; kept here so no reader module is imported)
# ---------------------------------------------------------------------------

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}, "default": {}}

_OFFSET_CHECK = {
    "enum": ["error", "warn"],
    "default": "error",
    "description": "a mention whose text differs from the document text at its offsets is an error "
    "(default) or a counted warning (the mention is kept as annotated)",
}

_DUPLICATE_IDS = {
    "enum": ["error", "skip", "suffix"],
    "default": "error",
    "description": "a document id seen twice in one split: an error, the later copy skipped, or "
    "renamed <id>_2, <id>_3...",
}

# identifier handling shared by the PubTator and BioC readers
_IDS: dict[str, dict[str, Any]] = {
    "db_name": {"type": "string", "default": "", "description": "db_name of identifiers without a prefix, e.g. 'MESH'"},
    "db_names": {**_STR_MAP, "description": "db_name per entity type (overrides db_name), e.g. "
                 "{\"GeneOrGeneProduct\": \"NCBIGene\"}"},
    "id_separators": {**_STR_LIST, "default": ["|", ",", ";", "+"],
                      "description": "separators between several identifiers of one mention"},
    "type_id_separators": {
        "type": "object",
        "additionalProperties": _STR_LIST,
        "default": {},
        "description": "id_separators per entity type (e.g. only ';' for tmVar variants)",
    },
    "null_ids": {**_STR_LIST, "default": ["-1", "-", ""], "description": "identifiers meaning 'none'"},
    "split_id_prefix": {"type": "boolean", "default": True,
                        "description": "'OMIM:123' -> db_name 'OMIM', db_id '123'"},
    "expand_relations": {"type": "boolean", "default": False,
                         "description": "also expand concept-level relations into mention-level relations"},
}

PUBTATOR_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_IDS,
        "relation_columns": {**_STR_LIST, "default": ["novel"],
                             "description": "attribute names of relation-line columns after the two ids; surplus "
                             "columns are named column_<n> (1-based column number)"},
        "extra_columns": {**_STR_LIST, "default": ["IndividualMentions"],
                          "description": "attribute names of mention-line columns after the id column"},
        "offset_check": _OFFSET_CHECK,
        "duplicate_ids": _DUPLICATE_IDS,
    },
}

BIOC_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_IDS,
        "id_infons": {**_STR_LIST, "default": ["identifier", "Identifier", "MESH"],
                      "description": "annotation infon keys holding identifiers; the first present is used"},
        "type_infon": {"type": "string", "default": "type", "description": "the annotation infon holding the entity type"},
        "passage_type_infon": {"type": "string", "default": "type",
                               "description": "the passage infon holding the passage type"},
        "passage_types": {**_STR_LIST, "default": [],
                          "description": "passage types by position, for passages without a type infon"},
        "entity_ids": {"enum": ["native", "position"], "default": "native",
                       "description": "entity ids as written in the file, or T0, T1... by position in the document"},
        "individual_mentions": {"enum": ["keep", "drop", "fold"], "default": "keep",
                                "description": "annotations with CompositeRole=IndividualMention"},
        "skip_annotations": {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, _STR_LIST]},
            "default": {},
            "description": "skip annotations whose infon (key) has this value (or one of these values), and "
            "relations between annotations that are skipped or dropped",
        },
        "relation_type_infons": {**_STR_LIST, "default": ["type", "relation"],
                                 "description": "relation infons holding the relation type; the first present is used"},
        "relation_arg_infons": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
            "default": [["entity1", "entity2"], ["Chemical", "Disease"]],
            "description": "pairs of infon keys naming a relation's two arguments (by annotation id) when its "
            "nodes do not; the first pair present is used",
        },
        "infon_attributes": {"type": "boolean", "default": True,
                             "description": "keep the other infons as attributes"},
        "passage_offsets": {"enum": ["file", "joined"], "default": "file",
                            "description": "'joined' ignores the offsets of the second and later passages and "
                            "places each one character after the end of the previous one (title + ' ' + abstract, "
                            "as PubTator does); the BC5CDR BioC files need it, their passage offsets counting XML "
                            "character references such as &apos; in the title as six characters"},
        "offset_check": _OFFSET_CHECK,
        "duplicate_ids": _DUPLICATE_IDS,
    },
}

BRAT_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "suffixes": {**_STR_LIST, "default": [".a1", ".a2", ".ann", ".rel"],
                     "description": "annotation files read (those that exist) next to each text file"},
        "text_suffix": {"type": "string", "default": ".txt", "description": "the suffix of the text files"},
        "passage_type": {"type": "string", "default": "abstract", "description": "the type of the one passage"},
        "role_digits": {"enum": ["strip", "keep"], "default": "strip",
                        "description": "Theme2 -> Theme (strip) or kept as written"},
        "role_map": {**_STR_MAP, "description": "rename event roles after role_digits"},
        "notes": {"enum": ["ignore", "attribute"], "default": "ignore",
                  "description": "'#' note lines dropped or kept as a 'note' attribute of what they annotate"},
        "require_annotations": {"type": "boolean", "default": False,
                                "description": "a text file with no annotation file is an error (otherwise it "
                                "gives a record with no annotations)"},
        "offset_check": _OFFSET_CHECK,
    },
}

CONLL_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scheme": {"enum": ["iob1", "iob2", "iobes", "bilou"], "default": "iob2",
                   "description": "the tagging scheme of the tag column"},
        "token_column": {"type": "integer", "default": 0, "description": "the column of the token"},
        "tag_column": {"type": "integer", "default": -1, "description": "the column of the tag (-1: the last)"},
        "separator": {"enum": ["auto", "tab", "whitespace"], "default": "auto",
                      "description": "column separator: 'auto' uses tabs when the line has one, else runs of white space"},
        "docstart": {"type": ["string", "null"], "default": "-DOCSTART-",
                     "description": "a line starting with this starts a new document and is not a token (null: none)"},
        "comment_prefix": {"type": ["string", "null"], "default": None,
                           "description": "lines starting with this are skipped (null: none)"},
        "default_type": {"type": "string", "default": "Entity",
                         "description": "entity type of untyped tags (B, I...)"},
    },
}

# ---- tabular -------------------------------------------------------------

_VALUE = {
    "anyOf": [
        {"type": "string", "description": "a path"},
        {"$ref": "#/$defs/spec"},
    ]
}

_SPEC = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "paths": {"type": "array", "items": {"type": "string"}},
        "const": {},
        "template": {"type": "string"},
        "keys": {"type": "boolean"},
        "values": {"type": "boolean"},
        "pick": {"type": "string"},
        "flatten": {"type": "boolean"},
        "split": {"type": "string"},
        "maxsplit": {"type": "integer"},
        "index": {"type": ["integer", "string"]},
        "regex": {"type": "string"},
        "regex_flags": {"type": "string", "pattern": "^[ims]*$"},
        "strip": {"type": "boolean"},
        "lower": {"type": "boolean"},
        "map": {"type": "object"},
        "map_missing": {"enum": ["error", "keep", "drop"]},
        "type": {"enum": ["str", "int", "float", "bool"]},
        "reduce": {"enum": ["mean", "sum", "min", "max", "first", "count"]},
        "join": {"type": "string"},
        "list": {"type": "boolean"},
        "default": {},
    },
}

_CONDITION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path"],
    "properties": {
        "path": {"type": "string"},
        "equals": {},
        "in": {"type": "array"},
        "not_in": {"type": "array"},
        "exists": {"type": "boolean"},
        "nonempty": {"type": "boolean"},
    },
}

_EXPLODE_LEVEL = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["path"],
            "properties": {"path": {"type": "string"}, "as": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}},
        },
    ]
}

_JOIN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role", "on"],
    "properties": {
        "role": {"type": "string"},
        "on": {"type": "string"},
        "key": {"type": "string"},
        "as": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        "how": {"enum": ["required", "inner", "left", "anti"], "default": "required"},
        "format": {"enum": ["json", "jsonl", "csv", "tsv"]},
        "items": {"type": "string"},
    },
}


def _tabular_schema(extra: dict) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["record", "fields"],
        "$defs": {"spec": _SPEC, "value": _VALUE},
        "properties": {
            "record": {"enum": ["qa", "te", "pairs", "text", "t2t"], "description": "the kind of record made"},
            "fields": {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"},
                       "description": "record field -> path or field spec (docs/readers/tabular.md)"},
            "explode": {"anyOf": [_EXPLODE_LEVEL, {"type": "array", "items": _EXPLODE_LEVEL}, {"type": "null"}],
                        "default": None,
                        "description": "one record per element of a list (or entry of an object): a path, "
                        "{path, as}, or a list of levels for nested lists"},
            "join": {"anyOf": [_JOIN, {"type": "array", "items": _JOIN}, {"type": "null"}], "default": None,
                     "description": "items of another role's files, looked up by key and bound to $<as>"},
            "where": {
                "anyOf": [
                    {"type": "object", "not": {"required": ["path"]}},
                    {"type": "array", "items": _CONDITION},
                    {"type": "null"},
                ],
                "default": None,
                "description": "conditions every record must meet: {path: value or [values]}, or a list of "
                "{path, equals | in | not_in | exists | nonempty}",
            },
            "unique_ids": {"type": "boolean", "default": True,
                           "description": "declared ids and object keys must be unique in a split (remembers every "
                           "id; switch off for very large files whose ids are known to be unique)"},
            **extra,
        },
    }


JSON_OPTIONS = _tabular_schema({"items": {
    "type": "string", "default": "",
    "description": "the path of the collection of items; set, the document is parsed whole (unset, an array or "
    "object document is streamed item by item)",
}})
JSONL_OPTIONS = _tabular_schema({})


def _delimited(delimiter: str, quoting: str) -> dict:
    return {
        "header": {"type": "boolean", "default": True,
                   "description": "the first row names the columns (items are objects keyed by the names)"},
        "columns": {"anyOf": [_STR_LIST, {"type": "null"}], "default": None,
                    "description": "names for the columns (renaming the header's, or naming them when there is "
                    "no header); without names and header an item is a list (paths '0', '1'...)"},
        "delimiter": {"type": "string", "minLength": 1, "maxLength": 1, "default": delimiter,
                      "description": "the field delimiter"},
        "quoting": {"enum": ["minimal", "none"], "default": quoting,
                    "description": "'minimal': the csv module's quoting; 'none' reads quote characters literally"},
    }


CSV_OPTIONS = _tabular_schema(_delimited(",", "minimal"))
TSV_OPTIONS = _tabular_schema(_delimited("\t", "none"))
#: the options schema of each tabular format (a joined file's format may differ from the reader's)
TABULAR_OPTIONS = {"json": JSON_OPTIONS, "jsonl": JSONL_OPTIONS, "csv": CSV_OPTIONS, "tsv": TSV_OPTIONS}

PARALLEL_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text_1_lang": {"type": "string", "default": "", "description": "language code of the first file's "
                        "texts, put on every record (e.g. 'zh')"},
        "text_2_lang": {"type": "string", "default": "", "description": "language code of the second file's texts"},
        "text_1_name": {"type": "string", "default": "", "description": "a name for the first file's texts"},
        "text_2_name": {"type": "string", "default": "", "description": "a name for the second file's texts"},
        "strip": {"type": "boolean", "default": True, "description": "strip white space at both ends of each line"},
        "skip_blank": {"type": "boolean", "default": False, "description": "skip pairs whose two lines are both "
                       "blank (they still count for the line-count check)"},
    },
}


@hookimpl
def register_readers(register):
    r = "medinst_core.readers."
    register("pubtator", r + "pubtator:read_pubtator", record_kind="kb", options_schema=PUBTATOR_OPTIONS,
             description="PubTator title/abstract blocks with mention and relation lines")
    register("brat", r + "brat:read_brat", record_kind="kb", options_schema=BRAT_OPTIONS,
             description="BRAT / BioNLP shared-task standoff (.txt with .a1/.a2/.ann/.rel)")
    register("bioc_xml", r + "bioc:read_bioc_xml", record_kind="kb", options_schema=BIOC_OPTIONS,
             description="BioC XML collections (streamed, entity declarations refused)")
    register("bioc_json", r + "bioc:read_bioc_json", record_kind="kb", options_schema=BIOC_OPTIONS,
             description="BioC JSON collections")
    register("conll", r + "conll:read_conll", record_kind="kb", options_schema=CONLL_OPTIONS,
             description="CoNLL / IOB token-per-line files (IOB1, IOB2, IOBES, BILOU)")
    register("json", r + "tabular:read_json", record_kind="any", options_schema=JSON_OPTIONS,
             description="JSON documents mapped declaratively to qa/te/pairs/text/t2t records")
    register("jsonl", r + "tabular:read_jsonl", record_kind="any", options_schema=JSONL_OPTIONS,
             description="JSON Lines mapped declaratively to qa/te/pairs/text/t2t records")
    register("csv", r + "tabular:read_csv", record_kind="any", options_schema=CSV_OPTIONS,
             description="CSV mapped declaratively to qa/te/pairs/text/t2t records")
    register("tsv", r + "tabular:read_tsv", record_kind="any", options_schema=TSV_OPTIONS,
             description="tab-separated values mapped declaratively to qa/te/pairs/text/t2t records")
    register("parallel_text", r + "parallel:read_parallel", record_kind="t2t", options_schema=PARALLEL_OPTIONS,
             description="two line-aligned text files (one sentence per line), e.g. translation pairs")
