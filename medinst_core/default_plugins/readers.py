"""Built-in readers, one per native format family.

Every reader is registered by a lazy ``"module:function"`` reference so that
loading this module imports nothing heavy.  The options of each reader are
declared here, once: the JSON Schema registered with the reader gives each
option's ``default`` and ``description``.  ``medinst validate`` checks a
manifest's ``source.options`` against it, the pipeline fills in the defaults
before calling the reader, and ``medinst tasks show TASK`` prints them.  The
readers' module docstrings describe the formats, not the options.

This module is long because it declares, as plain data, the options of every core reader with
their defaults and descriptions.
"""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl

# ---------------------------------------------------------------------------
# Option schemas (plain data; kept here so no reader module is imported)
# ---------------------------------------------------------------------------

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}, "default": {}}

_OFFSET_CHECK: dict[str, Any] = {
    "enum": ["error", "warn"],
    "default": "error",
    "description": "a mention whose text differs from the document text at its offsets is an error "
    "(default) or a counted warning (the mention is kept as annotated)",
}

_DUPLICATE_IDS: dict[str, Any] = {
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
        "type_separator": {"type": "string", "default": "",
                           "description": "split a type column listing several types (T116,T123) on this "
                                          "separator: one entity per type"},
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
        "scheme": {"enum": ["iob1", "iob2", "iobes", "bilou"], "default": "iob2",
                   "description": "the tag scheme (B/I/O, or with E/S resp. L/U tags)"},
        "token_column": {"type": "integer", "default": 0, "description": "column of the token (negative: from the end)"},
        "tag_column": {"type": "integer", "default": -1, "description": "column of the tag (negative: from the end)"},
        "separator": {"enum": ["auto", "tab", "whitespace"], "default": "auto",
                      "description": "column separator; auto: tabs when the line has one, else white space"},
        "docstart": {"type": ["string", "null"], "default": "-DOCSTART-",
                     "description": "a line starting with this text starts a new (unnamed) document"},
        "comment_prefix": {"type": ["string", "null"], "default": None,
                           "description": "lines starting with this text are skipped"},
        "default_type": {"type": "string", "default": "Entity",
                         "description": "entity type of untyped tags (B, I...)"},
        "encoding": {"type": "string", "default": "utf-8",
                     "description": "the files' character encoding (e.g. mac_roman, latin-1)"},
        "document_prefix": {"type": ["string", "null"], "default": None,
                            "description": "a line starting with this text starts a document; the rest of the "
                            "line is its id (SCAI's '### 10024884')"},
        "unit": {"enum": ["sentence", "document"], "default": "sentence",
                 "description": "one record per sentence, or per document (its sentences in order)"},
        "offset_columns": {
            "anyOf": [{"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
                      {"type": "null"}],
            "default": None,
            "description": "columns of each token's start and end offsets in its document (unit 'document'): "
            "the text places every token at its start offset",
        },
        "tag_split": {"type": ["string", "null"], "default": None,
                      "description": "the tag is the part of the tag column after the last occurrence of this text"},
    },
}

SENTENCE_SPANS_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "offsets": {"enum": ["tokens", "nonspace"], "default": "tokens",
                    "description": "what a mention line's 'start end' count: token indices (GENETAG) or "
                    "non-white-space characters (BioCreative II GENE.eval), both 0-based and inclusive"},
        "token_tags": {"type": "boolean", "default": False,
                       "description": "tokens carry a '/TAG' suffix to drop (GENETAG's TOKENIZED_CORPUS)"},
        "entity_type": {"type": "string", "default": "Gene", "description": "the type of every mention"},
        "text_check": {"enum": ["error", "skip"], "default": "error",
                       "description": "a mention whose text differs from the sentence at its span: an error, "
                       "or left out and counted"},
    },
}

INLINE_XML_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entities"],
    "properties": {
        "document": {"type": "string", "default": "document", "description": "tag of the document elements"},
        "id_path": {"type": "string", "default": "",
                    "description": "ElementTree path (relative to the document) of the element holding the "
                                   "document id; empty: the document's position in its file"},
        "id_regex": {"type": "string", "default": "",
                     "description": "regex applied to the id; its first group (or whole match) is kept"},
        "passages": {
            "type": "array",
            "default": [],
            "description": "passage elements in text order (default: the document element, type 'text')",
            "items": {"type": "object", "additionalProperties": False, "required": ["path"],
                      "properties": {"path": {"type": "string"}, "type": {"type": "string"}}},
        },
        "passage_separator": {"type": "string", "default": " ", "description": "text placed between passages"},
        "segments": {"type": ["string", "null"], "default": None,
                     "description": "tag of the segments (e.g. sentence) whose texts make a passage; "
                                    "text between them is ignored"},
        "segment_separator": {"type": "string", "default": " ", "description": "text placed between segments"},
        "entities": {
            "type": "array",
            "minItems": 1,
            "description": "the mention elements: tag, type or type_attribute, normalisations",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["tag"],
                "properties": {
                    "tag": {"type": "string"},
                    "type": {"type": "string"},
                    "type_attribute": {"type": "string"},
                    "type_replace": _STR_MAP,
                    "normalize": {
                        "type": "array",
                        "items": {"type": "object", "additionalProperties": False, "required": ["attribute"],
                                  "properties": {"attribute": {"type": "string"}, "db_name": {"type": "string"},
                                                 "null_values": _STR_LIST}},
                    },
                    "normalize_mode": {"enum": ["all", "first"]},
                    "attributes": _STR_LIST,
                    "untyped": {"enum": ["warn", "skip"]},
                },
            },
        },
        "trim": {"type": "boolean", "default": True,
                 "description": "white space at the edges of a mention is left out of it"},
        "duplicates": {"enum": ["drop", "keep"], "default": "drop",
                       "description": "the same span marked twice with the same type and links: one mention, or two"},
    },
}

_LAYERS = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": _STR_MAP,
    "description": "layer role -> {label value -> entity type}; a run of tokens with one label is a mention",
}
_TOKEN_LABELS = {
    "layers": _LAYERS,
    "outside": {**_STR_LIST, "default": ["0"], "description": "labels outside every mention"},
    "passage_type": {"type": "string", "default": "text", "description": "type of the one passage (the tokens joined by spaces)"},
}
TOKEN_LABEL_FILES_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["layers"],
    "properties": {
        **_TOKEN_LABELS,
        "document_role": {"type": "string", "default": "",
                          "description": "the layer whose files list the documents (default: every layer's)"},
    },
}
TOKEN_LABEL_JSON_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["layers"],
    "properties": {
        **_TOKEN_LABELS,
        "annotations": {"type": "string", "default": "annotations",
                        "description": "key of the label vector(s) in each sentence's entry of a layer file"},
        "vote": {"enum": ["majority", "any", "all"], "default": "majority",
                 "description": "how the vectors of several annotators make one label per token"},
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
        "header": {"type": "boolean", "description": "csv/tsv join files: whether the first row names the columns"},
        "columns": {"type": "array", "items": {"type": "string"},
                    "description": "csv/tsv join files: column names (with header false, the rows are keyed by them)"},
        "delimiter": {"type": "string", "minLength": 1, "maxLength": 1,
                      "description": "csv/tsv join files: the field separator"},
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
            "roles": {**_STR_LIST, "default": ["data"],
                      "description": "the roles whose files are read, in this order (each is required)"},
            **extra,
        },
    }


JSON_OPTIONS = _tabular_schema({"items": {
    "type": "string", "default": "",
    "description": "the path of the collection of items; set, the document is parsed whole (unset, an array or "
    "object document is streamed item by item)",
}})
JSONL_OPTIONS = _tabular_schema({
    "non_finite": {"enum": ["error", "null"], "default": "error",
                   "description": "NaN, Infinity and -Infinity (written by Python's json, not JSON): an error, "
                   "or read as null"},
})
_CSV_EXTRA = {
    "header": {"type": "boolean", "default": True,
               "description": "the first row names the columns (items are objects keyed by the names)"},
    "columns": {"anyOf": [_STR_LIST, {"type": "null"}], "default": None,
                "description": "names for the columns (renaming the header's, or naming them when there is no "
                "header); without names and header an item is a list"},
    "delimiter": {"type": ["string", "null"], "minLength": 1, "maxLength": 1, "default": None,
                  "description": "the field delimiter (null: ',' for csv, a tab for tsv)"},
    "quoting": {"enum": ["minimal", "none", None], "default": None,
                "description": "'none' reads quote characters literally (null: 'minimal' for csv, 'none' for tsv)"},
    "encoding": {"type": "string", "default": "utf-8-sig",
                 "description": "text encoding of the file (utf-8-sig: UTF-8 with an optional BOM)"},
}


def _delimited(delimiter: str, quoting: str) -> dict:
    """The csv / tsv reader's own options, with the defaults of its format."""
    return {
        **_CSV_EXTRA,
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

XLSX_OPTIONS = _tabular_schema({
    "sheet": {"type": ["string", "integer"], "default": 0,
              "description": "the worksheet: its name, or its 0-based position in the workbook"},
    "header": {"type": "boolean", "default": True,
               "description": "the first non-empty row names the columns"},
    "columns": {"anyOf": [_STR_LIST, {"type": "null"}], "default": None,
                "description": "column names (renaming the header's, or naming the columns without one)"},
})

PHRASE_TABLE_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields"],
    "$defs": {"spec": _SPEC, "value": _VALUE},
    "properties": {
        "format": {"enum": ["tsv", "csv", "json", "jsonl"], "default": "tsv", "description": "how the rows are stored"},
        "fields": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text", "db_id"],
            "description": "field specs as for the tabular readers: the phrase, its concept id(s), their database, "
                           "the entity type, ids",
            "properties": {name: {"$ref": "#/$defs/value"}
                           for name in ("id", "document_id", "text", "db_id", "db_name", "type")},
        },
        "where": {
            "anyOf": [{"type": "object", "not": {"required": ["path"]}}, {"type": "array", "items": _CONDITION},
                      {"type": "null"}],
            "default": None,
            "description": "conditions a row must meet (tabular syntax)",
        },
        "unique_ids": {"type": "boolean", "default": True, "description": "a declared id seen twice is an error"},
        "passage_type": {"type": "string", "default": "phrase", "description": "type of the one passage"},
        "items": {"type": "string", "default": "", "description": "json only: path of the collection of rows"},
        **_CSV_EXTRA,
    },
}
XML_OPTIONS = _tabular_schema({
    "items": {"type": "string", "default": "",
              "description": "tags separated by '/' from the root element (pair, AnswerList/Answer), '/root/...' from "
                            "the root itself, '//tag' at any depth; default: the root's children"},
    "lists": {**_STR_LIST, "default": [],
              "description": "child tags always read as lists, however many times they occur"},
})

#: the options schema of each tabular format (a joined file's format may differ from the reader's)
TABULAR_OPTIONS = {"json": JSON_OPTIONS, "jsonl": JSONL_OPTIONS, "csv": CSV_OPTIONS, "tsv": TSV_OPTIONS,
                   "xlsx": XLSX_OPTIONS, "xml": XML_OPTIONS}

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
        "pair_by": {"enum": ["single", "stem"], "default": "single",
                    "description": "one file per role, or several per role paired by their name without its last "
                    "suffix (en_es.en with en_es.es)"},
        "languages_from_suffix": {"type": "boolean", "default": False,
                                  "description": "text_1_lang / text_2_lang from each file's last suffix"},
    },
}


PPI_XML_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "unit": {"enum": ["sentence", "document"], "default": "sentence",
                 "description": "one record per <sentence>, or per <document> (its sentences joined by a space)"},
        "offset_end": {"enum": ["exclusive", "inclusive"], "default": "exclusive",
                       "description": "whether the end of a charOffset piece is exclusive (the PPI benchmark "
                       "files, CPI) or inclusive (the miRNA corpus)"},
        "offset_check": {**_OFFSET_CHECK, "description": "a mention whose text differs from the sentence at its "
                         "offsets is an error (default) or a counted warning"},
        "interaction_type": {"type": "string", "minLength": 1, "default": "PPI",
                             "description": "relation type of an <interaction> or <pair> that has no type attribute"},
        "pair_attribute": {"type": "string", "minLength": 1, "default": "interaction",
                           "description": "the <pair> attribute whose true value marks a related pair (the DDI "
                           "corpus: ddi)"},
        "entity_type": {"type": ["string", "null"], "minLength": 1, "default": None,
                        "description": "the type of every entity (IEPA has no type attribute, HPRD50 holds ids "
                        "in it); null reads the type attribute"},
        "skip_entity_types": {**_STR_LIST, "default": [],
                              "description": "native entity types left out, with the relations naming them"},
        "id_attribute": {"type": ["string", "null"], "minLength": 1, "default": None,
                         "description": "entity attribute holding database identifiers (null: none)"},
        "id_separator": {"type": "string", "minLength": 1, "default": ",",
                         "description": "separator of several identifiers in id_attribute"},
        "db_name": {"type": "string", "default": "", "description": "db_name of the identifiers"},
        "db_names": {**_STR_MAP, "default": {}, "description": "db_name per native entity type (overrides db_name)"},
        "duplicate_ids": {**_DUPLICATE_IDS, "description": "a sentence or document id seen twice in one split: an "
                          "error, the later record skipped, or renamed <id>_2, <id>_3..."},
    },
}


CHEMPROT_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "relation_type": {"enum": ["group", "label"], "default": "group",
                          "description": "relation type in six-column relation files: the group (CPR:4) or the "
                          "fine-grained label (INHIBITOR)"},
        "groups": {**_STR_LIST, "default": [],
                   "description": "when not empty, only relations of these groups (column 2) are kept"},
        "evaluated_only": {"type": "boolean", "default": False,
                           "description": "keep only the relations flagged Y (evaluated) in six-column files"},
        "offset_check": _OFFSET_CHECK,
    },
}


LLL_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "offset_check": {**_OFFSET_CHECK, "description": "a word whose text differs from the sentence at its offsets "
                         "is an error (default) or a counted warning"},
        "relation_type": {"type": "string", "minLength": 1, "default": "genic_interaction",
                          "description": "the type of the genic_interaction relations"},
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
    register("sentence_spans", r + "spans:read_sentence_spans", record_kind="kb",
             options_schema=SENTENCE_SPANS_OPTIONS,
             description="sentence lines (id text) with 'id|start end|mention' span lines (GENETAG, BioCreative II GM)")
    register("json", r + "tabular:read_json", record_kind="any", options_schema=JSON_OPTIONS,
             description="JSON documents mapped declaratively to qa/te/pairs/text/t2t records")
    register("jsonl", r + "tabular:read_jsonl", record_kind="any", options_schema=JSONL_OPTIONS,
             description="JSON Lines mapped declaratively to qa/te/pairs/text/t2t records")
    register("csv", r + "tabular:read_csv", record_kind="any", options_schema=CSV_OPTIONS,
             description="CSV mapped declaratively to qa/te/pairs/text/t2t records")
    register("tsv", r + "tabular:read_tsv", record_kind="any", options_schema=TSV_OPTIONS,
             description="tab-separated values mapped declaratively to qa/te/pairs/text/t2t records")
    register("xml", r + "xml_items:read_xml", record_kind="any", options_schema=XML_OPTIONS,
             description="XML elements mapped declaratively to qa/te/pairs/text/t2t records (streamed)")
    register("xlsx", r + "spreadsheet:read_xlsx", record_kind="any", options_schema=XLSX_OPTIONS,
             description="Excel .xlsx worksheets (streamed; extra [xlsx]) mapped declaratively to qa/te/pairs/text/t2t records")
    register("parallel_text", r + "parallel:read_parallel", record_kind="t2t", options_schema=PARALLEL_OPTIONS,
             description="two line-aligned text files (one sentence per line), e.g. translation pairs")
    register("inline_xml", r + "inline_xml:read_inline_xml", record_kind="kb", options_schema=INLINE_XML_OPTIONS,
             description="XML with mentions marked up inline (<gene g_id=...>TGFB1</gene>), nested tags too")
    register("token_label_files", r + "token_labels:read_token_label_files", record_kind="kb",
             options_schema=TOKEN_LABEL_FILES_OPTIONS,
             description="one token per line files with per-layer label files paired by name (EBM-NLP)")
    register("token_label_json", r + "token_labels:read_token_label_json", record_kind="kb",
             options_schema=TOKEN_LABEL_JSON_OPTIONS,
             description="JSON sentence texts with per-layer JSON label vectors, annotators combined by vote")
    register("phrase_table", r + "phrases:read_phrase_table", record_kind="kb", options_schema=PHRASE_TABLE_OPTIONS,
             description="rows of phrases and their concept ids (phrase normalisation) as one-entity kb records")
    register("chemprot_tsv", r + "chemprot:read_chemprot_tsv", record_kind="kb", options_schema=CHEMPROT_OPTIONS,
             description="ChemProt / DrugProt abstracts, entities and relations TSV files joined on the PMID")
    register("lll", r + "lll:read_lll", record_kind="kb", options_schema=LLL_OPTIONS,
             description="LLL'05 genic interaction data (blocks of ID, sentence, words, agents, targets, interactions)")
    register("ppi_xml", r + "ppi_xml:read_ppi_xml", record_kind="kb", options_schema=PPI_XML_OPTIONS,
             description="unified PPI XML (corpus/document/sentence/entity/interaction|pair), per sentence or document")
