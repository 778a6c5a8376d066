"""Formatters for question answering, entailment, similarity, classification
and text-to-text records.

The options' defaults and descriptions are declared once, in the formatters'
schemas (``medinst_core/default_plugins/formatters.py``); the pipeline fills
the defaults in, so the functions here find every option they read.

Every formatter yields one :class:`~medinst_core.samples.Draft` per record (no
key), deterministically.  An empty output (no answer, no label) is yielded as
``""``; the build pipeline then applies the task's ``empty_output`` policy
(``drop``, ``keep``, or ``{"emit": "<declared answer>"}``).  A label that a
``labels`` map does not cover, a multiple-choice answer that is not one of the
options, or a missing similarity score is a :class:`~medinst_core.errors.SourceError`
naming the record.

``qa`` (qa records)
    The input is ``question_prefix`` + question, then ``context_prefix`` +
    context when there is one; the output depends on the record's type:

    * ``yesno`` (also yes/no/maybe) -- the answer word, lower-cased, without
      surrounding spaces or a final full stop (``"Yes."`` -> ``yes``);
    * ``multiple_choice`` -- the input ends with ``choices_prefix`` (default
      ``"Options:"``) and one ``A. text`` line per option, in the record's
      order, lettered by the record's ``choice_labels`` when it has them, else
      A, B, C...; the gold answer may be an option's text or its letter; the
      output is, by ``answer``: ``text`` (the chosen option, as
      MedINST), ``letter``, or ``letter_text`` (``A. text``);
    * ``factoid`` and ``summary`` -- the first answer;
    * ``list`` -- every answer as ``[answer]`` (``list_format: "brackets"``,
      default, scored with entity F1) or joined by ``", "`` (``"comma"``).
``te`` (te records)
    input ``premise_prefix`` + premise, newline, ``hypothesis_prefix`` +
    hypothesis; output the label mapped by ``labels`` (e.g. ``SUPPORT`` ->
    ``Supports``); an unmapped label is an error naming the record.
``sts`` (pairs records)
    input ``text_1_prefix`` (``Sentence 1: ``) text_1, ``separator``,
    ``text_2_prefix`` (``Sentence 2: ``) text_2 (``Term 1: `` for the word and
    concept pairs of Bio-SimVerb or UMNSRS), or ``input_template`` with
    ``{text_1}``, ``{text_2}``, ``{document_id}`` and ``{label}`` (UMNSRS says
    in each input whether similarity or relatedness is asked); output the
    score as an integer: ``rounding`` ``half_up`` (default), ``nearest_even``
    or ``floor``, clamped to ``[min, max]`` (default 0-5).  ``scale`` multiplies
    the score first (default 1, i.e. the score is kept on its own scale: the
    BIOSSES mean of five 0-4 ratings becomes an integer 0-4, which MedINST's
    0-5 answer range contains; 1.25 would stretch 0-4 onto 0-5).  Ties follow
    the decimal form of the score (2.5 is a tie, 2.4999999 is not).  The score
    is the record's ``score``, else its ``label`` read as a number (BigBIO
    pairs keep the BIOSSES mean as a string).  ``range`` ``[low, high]``
    declares the score's own scale and maps it linearly onto ``[min, max]``
    instead of ``scale`` (Bio-SimVerb's 0-10 onto 0-5: ``[0, 10]``;
    MayoSRS's 1-10: ``[1, 10]``, 1 becoming 0); a score outside the declared
    range is an error naming the record, so a wrong range cannot pass
    unnoticed.  The mapping is computed in decimal arithmetic, so a score
    that lands on a half (EHR-Rel's 1.5 on 0-3 -> 2.5 on 0-5) is a tie.
``text_classification`` (text records)
    input the text (after ``prefix``); output the labels mapped by ``labels``
    (unmapped labels are kept as they are unless ``drop_unmapped``), without
    duplicates, ordered by ``order``: ``source``, ``alphabetical``
    or ``declared`` (the order of the ``labels`` map), joined by ``joiner``
   ; no label gives ``none_label`` when set, else ``""``.
``text_to_text`` (t2t records)
    ``direction`` ``1to2`` (default: input text_1, output text_2) or ``2to1``;
    ``prefix`` is put before the input.  ``input_template``, when set, is the
    whole input instead: ``{text}`` (the source text), ``{source_lang}`` /
    ``{target_lang}`` (the records' language codes, written as the
    ``language_names`` map names them, e.g. ``{"es": "Spanish"}``) and
    ``{source_name}`` / ``{target_name}``; ``{{``/``}}`` for braces.  A corpus
    of several language pairs in one task (SciELO en-es and en-pt) thus says
    in each input which language to translate into.
``text_pair_classification`` (pairs records)
    input ``text_1_prefix`` (``Text 1: ``) text_1, newline, ``text_2_prefix``
    (``Text 2: ``) text_2; output the label mapped by ``labels``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import ManifestError, SourceError
from ..records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord
from ..samples import Draft

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letters(n: int) -> list[str]:
    """A, B, ... Z, then AA, AB, ... (BIOMRC lists up to dozens of candidate entities)."""
    out = []
    for i in range(n):
        label = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            label = LETTERS[r] + label
        out.append(label)
    return out


def _mapped(value: str, table: Mapping[str, str] | None, record: Any, what: str) -> str:
    if not table:
        return value
    if value in table:
        return table[value]
    raise SourceError(record.source or None, None, f"record {record.id}: {what} {value!r} is not one of {sorted(table)}")


def qa(record: QARecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    parts = [options["question_prefix"] + record.question]
    if record.context:
        parts.append(options["context_prefix"] + record.context)
    answers = list(record.answers)
    if record.type == "multiple_choice":
        labels = list(record.choice_labels) or _letters(len(record.choices))
        parts.append(options.get("choices_prefix", "Options:") + "\n"
                     + "\n".join(f"{letter}. {c}" for letter, c in zip(labels, record.choices)))
        output = ""
        if answers:
            answer = answers[0]
            if answer in labels and answer not in record.choices:  # the gold is given as a letter
                index = labels.index(answer)
            elif answer in record.choices:
                index = record.choices.index(answer)
            else:
                raise SourceError(record.source or None, None, f"record {record.id}: answer {answer!r} is not one of the options")
            style = options["answer"]
            output = {"text": record.choices[index], "letter": labels[index],
                      "letter_text": f"{labels[index]}. {record.choices[index]}"}[style]
    elif record.type == "yesno":
        output = answers[0].strip().rstrip(".").strip().lower() if answers else ""
    elif record.type == "list":
        if options["list_format"] == "comma":
            output = ", ".join(answers)
        else:
            output = " ".join(f"[{a}]" for a in answers)
    else:  # factoid, summary
        output = answers[0] if answers else ""
    yield Draft(input="\n".join(parts), output=output)


def te(record: TERecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    text = (options["premise_prefix"] + record.premise + "\n"
            + options["hypothesis_prefix"] + record.hypothesis)
    yield Draft(input=text, output=_mapped(record.label, options["labels"], record, "label"))


def round_score(value: float | Decimal, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    mode = ROUND_HALF_EVEN if rounding == "nearest_even" else ROUND_HALF_UP
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return int(exact.quantize(Decimal(1), rounding=mode))


def sts(record: PairsRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    template = options.get("input_template")
    if template:
        fields = {"text_1": record.text_1, "text_2": record.text_2,
                  "document_id": record.document_id or "", "label": record.label or ""}
        text = _TEMPLATE_FIELD.sub(lambda m: _fill(m, fields, record), template)
    else:
        sep = options.get("separator", "\n")
        text = (options.get("text_1_prefix", "Sentence 1: ") + record.text_1 + sep
                + options.get("text_2_prefix", "Sentence 2: ") + record.text_2)
    value = record.score
    if value is None:
        try:
            value = float(record.label) if record.label is not None else None
        except ValueError:
            value = None
    if value is None or not math.isfinite(value):
        raise SourceError(record.source or None, None,
                          f"record {record.id}: a numeric similarity score is required (score {record.score!r}, label {record.label!r})")
    low_out, high_out = int(options.get("min", 0)), int(options.get("max", 5))
    declared = options.get("range")
    if declared:
        value = float(_rescaled(value, declared, low_out, high_out, record))
    else:
        value = value * float(options.get("scale", 1))
    score = round_score(value, options.get("rounding", "half_up"))
    score = max(low_out, min(high_out, score))
    yield Draft(input=text, output=str(score))


def _rescaled(value: float, declared: Any, low_out: int, high_out: int, record: PairsRecord) -> Decimal:
    """``value`` on the scale ``declared`` = [low, high] mapped linearly onto [low_out, high_out]."""
    low, high = (Decimal(repr(float(v))) for v in declared)
    exact = Decimal(repr(value))
    if not low <= exact <= high:
        raise SourceError(record.source or None, None,
                          f"record {record.id}: score {value!r} is outside the declared range [{low}, {high}]")
    return low_out + (exact - low) * (high_out - low_out) / (high - low)


def text_classification(record: TextRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    table = options["labels"] or {}
    labels = []
    for label in record.labels:
        if label in table:
            labels.append(table[label])
        elif not options["drop_unmapped"]:
            labels.append(label)
    labels = [lab for lab in dict.fromkeys(labels) if lab]
    order = options["order"]
    if order == "alphabetical":
        labels.sort(key=str.lower)
    elif order == "declared":
        rank = {v: i for i, v in enumerate(dict.fromkeys(table.values()))}
        labels.sort(key=lambda lab: (rank.get(lab, len(rank)), lab))
    output = options["joiner"].join(labels) or options["none_label"]
    yield Draft(input=options["prefix"] + record.text, output=output)


def text_to_text(record: T2TRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    reverse = options.get("direction", "1to2") == "2to1"
    source, target = (record.text_2, record.text_1) if reverse else (record.text_1, record.text_2)
    template = options.get("input_template")
    if template:
        names = options.get("language_names") or {}
        langs = (record.text_2_lang, record.text_1_lang) if reverse else (record.text_1_lang, record.text_2_lang)
        labels = (record.text_2_name, record.text_1_name) if reverse else (record.text_1_name, record.text_2_name)
        fields = {"text": source, "source_lang": names.get(langs[0], langs[0]), "target_lang": names.get(langs[1], langs[1]),
                  "source_name": labels[0], "target_name": labels[1]}
        yield Draft(input=_TEMPLATE_FIELD.sub(lambda m: _fill(m, fields, record), template), output=target)
        return
    yield Draft(input=options.get("prefix", "") + source, output=target)


_TEMPLATE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def _fill(match: re.Match, fields: Mapping[str, str], record: Any) -> str:
    token = match.group(0)
    if token in ("{{", "}}"):
        return token[0]
    name = match.group(1)
    if name not in fields:
        raise ManifestError(None, "/formatter/options/input_template",
                            f"names {{{name}}}; known: {', '.join('{' + f + '}' for f in fields)}")
    return fields[name]


def text_pair_classification(record: PairsRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    text = (options.get("text_1_prefix", "Text 1: ") + record.text_1 + "\n"
            + options.get("text_2_prefix", "Text 2: ") + record.text_2)
    yield Draft(input=text, output=_mapped(record.label or "", options.get("labels"), record, "label"))
