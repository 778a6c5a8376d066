"""The core's formatters, registered like any plugin's (lazy references).

Behaviour is documented in :mod:`medinst_core.formatters.kb` (``ner_entities``,
``ner_bio``, ``ned``, ``abbreviation``, ``re``, ``ee``, ``coref``) and
:mod:`medinst_core.formatters.text` (``qa``, ``te``, ``sts``,
``text_classification``, ``text_to_text``, ``text_pair_classification``).  The
options are declared here, once: each property of the JSON Schemas below has
its ``default`` and ``description``; ``medinst validate`` checks a manifest's
``formatter.options`` against them (unknown option names are errors), the
pipeline fills in the defaults before calling the formatter, and ``medinst
tasks show TASK`` prints them.
"""

from __future__ import annotations

from ..hookspecs import hookimpl


def _str_map(description: str, default: dict | None = None) -> dict:
    """A string -> string table; ``default`` None (JSON null) means "not given"."""
    return {"type": ["object", "null"] if default is None else "object", "additionalProperties": {"type": "string"},
            "default": default, "description": description}


def _strs(description: str, default: tuple[str, ...] = ()) -> dict:
    return {"type": "array", "items": {"type": "string"}, "default": list(default), "description": description}


def _enum(description: str, *values) -> dict:
    return {"enum": list(values), "default": values[0], "description": description}


def _bool(description: str, default: bool) -> dict:
    return {"type": "boolean", "default": default, "description": description}


def _str(description: str, default: str | None = None) -> dict:
    schema = {"type": "string", "description": description}
    if default is not None:
        schema["default"] = default
    return schema


def _schema(**props) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props}


_TYPES = {
    "types": _str_map("native type -> name shown; when given, other types are left out"),
    "exclude_types": _strs("native types left out"),
}
_ANGLE = _bool("wrap each part of a bracket in <...> ([<a> <rel> <b>]); false writes [a rel b]", True)
_LABELS = _str_map("native label -> label written", {})

#: name -> (module:function under medinst_core.formatters, record kinds, description, options schema)
FORMATTERS = {
    "ner_entities": (
        "kb:ner_entities", ("kb",), "NER: [mention <Type>] per mention, in text order",
        _schema(**_TYPES,
                include=_enum("which mentions: all, or only those with a normalisation", "all", "normalized"),
                dedupe=_bool("one bracket per distinct (mention, type)", False)),
    ),
    "ner_bio": (
        "kb:ner_bio", ("kb",), "NER: every word followed by [B], [I] or [O]",
        _schema(**_TYPES,
                typed=_bool("write [B-Type]/[I-Type] instead of untyped tags", False),
                tokenizer=_enum("tokenisation when the record has no tokens: \\w+|[^\\w\\s] or \\S+",
                                "wordpunct", "whitespace")),
    ),
    "ned": (
        "kb:ned", ("kb",), "NED: [mention <db_name/db_id>] per normalised mention",
        _schema(**_TYPES,
                multi=_enum("several ids: one bracket each, or one bracket with joined ids", "separate", "join"),
                joiner=_str("separator of ids with multi: join", "|"),
                id_format=_enum("how an id is written", "db_name/db_id", "db_name:db_id", "db_id"),
                databases=_str_map("db_name -> name shown; when given, other databases are left out"),
                id_systems={"type": "object", "default": {},
                            "additionalProperties": {"enum": ["ncbi_gene", "ncbi_taxon", "mesh", "dbsnp", "uniprot",
                                                              "cellosaurus", "umls", "obo"]},
                            "description": "db_name (as read) -> identifier system whose canonical form its ids are "
                                           "written in (RSID:2075789 -> rs2075789, 11998(Tax:10090) -> 11998)"}),
    ),
    "abbreviation": (
        "kb:abbreviation", ("kb", "qa"), "Abbreviation disambiguation (MeDAL): answer = the expansion",
        _schema(abbreviation_prefix=_str("text before the abbreviation, after the text and a newline",
                                         "Abbreviation: ")),
    ),
    "re": (
        "kb:re_", ("kb",), "RE: [<arg1> <relation> <arg2>] per relation",
        _schema(level=_enum("mention (relations), concept (concept_relations), auto (concept when present)",
                            "auto", "mention", "concept"),
                relations=_str_map("native relation type -> words shown; when given, other types are left out"),
                symmetric=_strs("native relation types whose (a, b) and (b, a) are one relation"),
                angle_brackets=_ANGLE),
    ),
    "ee": (
        "kb:ee", ("kb",), "EE: [<event type> <trigger> <theme>] per event theme",
        _schema(theme_roles=_strs("argument roles treated as themes", ("Theme",)),
                event_themes=_enum("a theme that is an event: shown by its trigger, or skipped", "trigger", "skip"),
                no_theme=_enum("an event without theme: left out, or written [<type> <trigger>]", "skip", "trigger"),
                types=_str_map("native event type -> name shown; when given, other types are left out"),
                angle_brackets=_ANGLE),
    ),
    "coref": (
        "kb:coref", ("kb",), "COREF: given the text and one mention, its co-referring mentions",
        _schema(entity_prefix=_str("text between the document and the anchor mention", "\nEntity: "),
                anchors=_enum("every chain member is an anchor once, or only each chain's first mention",
                              "each", "first")),
    ),
    "qa": (
        "text:qa", ("qa",), "QA: yes/no(/maybe), multiple choice, factoid, list, summary",
        _schema(question_prefix=_str("text before the question", "Question: "),
                context_prefix=_str("text before the context", "Context: "),
                choices_prefix=_str("line before the lettered options", "Options:"),
                answer=_enum("multiple-choice answer: option text, letter, or 'A. text'",
                             "text", "letter", "letter_text"),
                list_format=_enum("list answers: [a] [b] or 'a, b'", "brackets", "comma")),
    ),
    "te": (
        "text:te", ("te",), "TE: Supports / Refutes / Neutral",
        _schema(labels=_LABELS,
                premise_prefix=_str("text before the premise", "Premise: "),
                hypothesis_prefix=_str("text before the hypothesis", "Hypothesis: ")),
    ),
    "sts": (
        "text:sts", ("pairs",), "STS: an integer similarity score",
        _schema(rounding=_enum("float -> integer", "half_up", "nearest_even", "floor"),
                min={"type": "integer", "default": 0, "description": "lowest score written"},
                max={"type": "integer", "default": 5, "description": "highest score written"},
                scale={"type": "number", "exclusiveMinimum": 0, "default": 1,
                       "description": "factor applied to the score before rounding"},
                range={"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2, "maxItems": 2, "default": None,
                       "description": "[low, high], the score's own scale, mapped linearly onto [min, max] "
                       "instead of scale; a score outside it is an error"},
                separator=_str("text between the two sentences", "\n"),
                text_1_prefix=_str("text before the first sentence (or term)", "Sentence 1: "),
                text_2_prefix=_str("text before the second sentence (or term)", "Sentence 2: "),
                input_template=_str("the whole input instead of the prefixes: {text_1}, {text_2}, {document_id}, "
                                    "{label}; {{ and }} for braces; empty: not used", "")),
    ),
    "text_classification": (
        "text:text_classification", ("text",), "TXTCLASS: the label, or labels joined by ', '",
        _schema(labels=_LABELS,
                drop_unmapped=_bool("leave out labels the labels map lacks (default: kept as they are)", False),
                order=_enum("order of several labels", "source", "alphabetical", "declared"),
                joiner=_str("separator of several labels", ", "),
                none_label=_str("answer when there is no label", ""),
                prefix=_str("text before the input text", "")),
    ),
    "text_to_text": (
        "text:text_to_text", ("t2t",), "SUM / TRANSL: the target text",
        _schema(direction=_enum("1to2: text_1 -> text_2; 2to1: text_2 -> text_1", "1to2", "2to1"),
                prefix=_str("text before the input text", ""),
                input_template=_str("the whole input instead of prefix + text: {text}, {source_lang}, "
                                    "{target_lang}, {source_name}, {target_name}; {{ and }} for braces; "
                                    "empty: not used", ""),
                language_names=_str_map("language code -> name written for {source_lang} / {target_lang}")),
    ),
    "text_pair_classification": (
        "text:text_pair_classification", ("pairs",), "TEXTPAIRCLASS: the pair's label",
        _schema(labels=_LABELS,
                text_1_prefix=_str("text before the first text", "Text 1: "),
                text_2_prefix=_str("text before the second text", "Text 2: ")),
    ),
}


@hookimpl
def register_formatters(register):
    for name, (ref, kinds, description, schema) in FORMATTERS.items():
        module, _, func = ref.partition(":")
        register(name, f"medinst_core.formatters.{module}:{func}", description=description,
                 record_kinds=kinds, options_schema=schema)
