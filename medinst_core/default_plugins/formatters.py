"""The core's formatters, registered like any plugin's (lazy references).

Options are documented in :mod:`medinst_core.formatters.kb` and
:mod:`medinst_core.formatters.text`; the schemas below are what
``medinst validate`` checks manifests against.
"""

from __future__ import annotations

from ..hookspecs import hookimpl

_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_STRS = {"type": "array", "items": {"type": "string"}}


def _schema(**props) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props}


_TYPES = {"types": _STR_MAP, "exclude_types": _STRS}

FORMATTERS = {
    "ner_entities": ("kb:ner_entities", ("kb",), "NER: [mention <Type>] in text order",
                     _schema(**_TYPES, dedupe={"type": "boolean"})),
    "ner_bio": ("kb:ner_bio", ("kb",), "NER: every word with [B]/[I]/[O]",
                _schema(**_TYPES, typed={"type": "boolean"}, tokenizer={"enum": ["whitespace", "wordpunct"]})),
    "ned": ("kb:ned", ("kb",), "NED: [mention <db_name/db_id>]",
            _schema(**_TYPES, multi={"enum": ["separate", "join"]}, id_format={"enum": ["db_name/db_id", "db_id"]},
                    databases=_STR_MAP)),
    "abbreviation": ("kb:abbreviation", ("kb", "qa"), "Abbreviation disambiguation: answer = the expansion",
                     _schema(abbreviation_prefix={"type": "string"})),
    "re": ("kb:re_", ("kb",), "RE: [<arg1> <relation> <arg2>]",
           _schema(level={"enum": ["auto", "mention", "concept"]}, relations=_STR_MAP, symmetric=_STRS)),
    "ee": ("kb:ee", ("kb",), "EE: [<event type> <trigger> <theme>]",
           _schema(theme_roles=_STRS, no_theme={"enum": ["skip", "trigger"]}, types=_STR_MAP,
                   event_themes={"enum": ["trigger", "skip"]})),
    "coref": ("kb:coref", ("kb",), "COREF: one sample per chain member, listing the other mentions",
              _schema(entity_prefix={"type": "string"}, anchors={"enum": ["each", "first"]})),
    "qa": ("text:qa", ("qa",), "QA: yes/no, multiple choice, factoid, list, summary",
           _schema(question_prefix={"type": "string"}, context_prefix={"type": "string"},
                   answer={"enum": ["text", "letter", "letter_text"]}, list_format={"enum": ["brackets", "comma"]})),
    "te": ("text:te", ("te",), "TE: Supports / Refutes / Neutral",
           _schema(labels=_STR_MAP, premise_prefix={"type": "string"}, hypothesis_prefix={"type": "string"})),
    "sts": ("text:sts", ("pairs",), "STS: an integer similarity score",
            _schema(rounding={"enum": ["half_up", "nearest_even", "floor"]}, min={"type": "integer"},
                    max={"type": "integer"}, scale={"type": "number", "exclusiveMinimum": 0},
                    separator={"type": "string"})),
    "text_classification": ("text:text_classification", ("text",), "TXTCLASS: the label(s), ', '-joined",
                            _schema(labels=_STR_MAP, drop_unmapped={"type": "boolean"},
                                    order={"enum": ["source", "alphabetical", "declared"]},
                                    joiner={"type": "string"}, none_label={"type": "string"}, prefix={"type": "string"})),
    "text_to_text": ("text:text_to_text", ("t2t",), "SUM / TRANSL: the target text",
                     _schema(direction={"enum": ["1to2", "2to1"]}, prefix={"type": "string"})),
    "text_pair_classification": ("text:text_pair_classification", ("pairs",), "TEXTPAIRCLASS: the pair's label",
                                 _schema(labels=_STR_MAP)),
}


@hookimpl
def register_formatters(register):
    for name, (ref, kinds, description, schema) in FORMATTERS.items():
        module, _, func = ref.partition(":")
        register(name, f"medinst_core.formatters.{module}:{func}", description=description,
                 record_kinds=kinds, options_schema=schema)
