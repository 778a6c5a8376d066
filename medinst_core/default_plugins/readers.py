"""Built-in readers, one per native format family.

Every reader is registered by a lazy ``"module:function"`` reference so that
loading this module imports nothing heavy.  The options of each reader are
documented in its module docstring (``medinst_core/readers/<format>.py``) and
described by the JSON Schema registered with it, against which ``medinst
validate`` checks a manifest's ``source.options``.
"""

from __future__ import annotations

from ..hookspecs import hookimpl

# ---------------------------------------------------------------------------
# Option schemas (plain data; kept here so no reader module is imported)
# ---------------------------------------------------------------------------

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

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
_IDS = {
    "db_name": {"type": "string", "default": "", "description": "db_name of identifiers without a prefix"},
    "db_names": {**_STR_MAP, "description": "db_name per entity type (overrides db_name)"},
    "id_separators": {**_STR_LIST, "default": ["|", ",", ";", "+"],
                      "description": "separators between several identifiers of one mention"},
    "type_id_separators": {
        "type": "object",
        "additionalProperties": _STR_LIST,
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
                             "description": "attribute names of relation-line columns after the two ids"},
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
        "type_infon": {"type": "string", "default": "type"},
        "passage_type_infon": {"type": "string", "default": "type"},
        "passage_types": {**_STR_LIST, "default": [],
                          "description": "passage types by position, for passages without a type infon"},
        "entity_ids": {"enum": ["native", "position"], "default": "native"},
        "individual_mentions": {"enum": ["keep", "drop", "fold"], "default": "keep",
                                "description": "annotations with CompositeRole=IndividualMention"},
        "skip_annotations": {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, _STR_LIST]},
            "description": "skip annotations whose infon (key) has this value (or one of these values)",
        },
        "relation_type_infons": {**_STR_LIST, "default": ["type", "relation"]},
        "relation_arg_infons": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
            "default": [["entity1", "entity2"], ["Chemical", "Disease"]],
        },
        "infon_attributes": {"type": "boolean", "default": True,
                             "description": "keep the other infons as attributes"},
        "passage_offsets": {"enum": ["file", "joined"], "default": "file",
                            "description": "'joined' places each passage one character after the previous one"},
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
        "text_suffix": {"type": "string", "default": ".txt"},
        "passage_type": {"type": "string", "default": "abstract"},
        "role_digits": {"enum": ["strip", "keep"], "default": "strip",
                        "description": "Theme2 -> Theme (strip) or kept as written"},
        "role_map": {**_STR_MAP, "description": "rename event roles after role_digits"},
        "notes": {"enum": ["ignore", "attribute"], "default": "ignore",
                  "description": "'#' note lines dropped or kept as a 'note' attribute of what they annotate"},
        "require_annotations": {"type": "boolean", "default": False,
                                "description": "a text file with no annotation file is an error"},
        "offset_check": {
            "enum": ["error", "warn", "repair"],
            "default": "error",
            "description": _OFFSET_CHECK["description"] + "; 'repair' moves the mention to where its annotated "
            "text is found within repair_window characters (counted as brat.offset_repaired; one not found "
            "keeps its offsets and is counted as brat.offset_unrepaired)",
        },
        "repair_window": {"type": "integer", "minimum": 0, "default": 100,
                          "description": "with offset_check 'repair', the largest shift tried, left and right"},
        "normalizations": {"enum": ["auto", "reference", "roles"], "default": "auto",
                           "description": "N lines: 'Reference T1 DB:ID' (brat), 'Resource Annotation:T1 "
                           "Referent:ID' (Bacteria Biotope), or auto (roles when the second field has a colon)"},
        "events": {"enum": ["read", "ignore"], "default": "read",
                   "description": "E lines read as events, or ignored (their triggers then stay entities)"},
        "entity_types": {**_STR_LIST, "default": [],
                         "description": "when not empty, T annotations of other types are left out, with the "
                         "relations, event arguments and coreference members that refer to them"},
        "continued_lines": {"type": "boolean", "default": False,
                            "description": "a line without a tab continues the text of the T line before it "
                            "(joined by a newline)"},
        "equiv_relations": {"type": "string", "default": "",
                            "description": "when not empty, each pair of members of an Equiv line also becomes "
                            "a relation of this type"},
        "id_folders": {"type": "integer", "minimum": 0, "default": 0,
                       "description": "names of this many parent folders go before the base name in a document "
                       "id (documents of the same name in several folders of one split)"},
        "agreement_suffixes": {**_STR_LIST, "default": [],
                               "description": "a second annotator's files (e.g. ['.ann2']): only what the "
                               "annotations of suffixes and of these files agree on is kept"},
    },
}

CONLL_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scheme": {"enum": ["iob1", "iob2", "iobes", "bilou"], "default": "iob2"},
        "token_column": {"type": "integer", "default": 0},
        "tag_column": {"type": "integer", "default": -1},
        "separator": {"enum": ["auto", "tab", "whitespace"], "default": "auto"},
        "docstart": {"type": ["string", "null"], "default": "-DOCSTART-"},
        "comment_prefix": {"type": ["string", "null"], "default": None},
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
            "record": {"enum": ["qa", "te", "pairs", "text", "t2t"]},
            "fields": {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"}},
            "explode": {"anyOf": [_EXPLODE_LEVEL, {"type": "array", "items": _EXPLODE_LEVEL}]},
            "join": {"anyOf": [_JOIN, {"type": "array", "items": _JOIN}]},
            "where": {
                "anyOf": [
                    {"type": "object", "not": {"required": ["path"]}},
                    {"type": "array", "items": _CONDITION},
                ]
            },
            "unique_ids": {"type": "boolean", "default": True},
            **extra,
        },
    }


JSON_OPTIONS = _tabular_schema({"items": {"type": "string", "default": ""}})
JSONL_OPTIONS = _tabular_schema({})
_CSV_EXTRA = {
    "header": {"type": "boolean", "default": True},
    "columns": _STR_LIST,
    "delimiter": {"type": "string", "minLength": 1, "maxLength": 1},
    "quoting": {"enum": ["minimal", "none"]},
}
CSV_OPTIONS = _tabular_schema(_CSV_EXTRA)
TSV_OPTIONS = _tabular_schema(_CSV_EXTRA)

PARALLEL_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text_1_lang": {"type": "string", "default": ""},
        "text_2_lang": {"type": "string", "default": ""},
        "text_1_name": {"type": "string", "default": ""},
        "text_2_name": {"type": "string", "default": ""},
        "strip": {"type": "boolean", "default": True},
        "skip_blank": {"type": "boolean", "default": False},
    },
}


@hookimpl
def register_readers(register):
    r = "medinst_core.readers."
    register("pubtator", r + "pubtator:read_pubtator", record_kind="kb", options_schema=PUBTATOR_OPTIONS,
             description="PubTator title/abstract blocks with mention and relation lines")
    register("brat", r + "brat:read_brat", record_kind="kb", options_schema=BRAT_OPTIONS,
             description="BRAT / BioNLP shared-task standoff (.txt with .a1/.a2/.ann/.rel; texts apart or in an id-text table)")
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
