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
    input ``Sentence 1: ...`` ``separator`` ``Sentence 2: ...``; output the
    score as an integer: ``rounding`` ``half_up``, ``nearest_even``
    or ``floor``, clamped to ``[min, max]``.  ``scale`` multiplies
    the score first.  Ties follow
    the decimal form of the score (2.5 is a tie, 2.4999999 is not).  The score
    is the record's ``score``, else its ``label`` read as a number (BigBIO
    pairs keep the BIOSSES mean as a string).
``text_classification`` (text records)
    input the text (after ``prefix``); output the labels mapped by ``labels``
    (unmapped labels are kept as they are unless ``drop_unmapped``), without
    duplicates, ordered by ``order``: ``source``, ``alphabetical``
    or ``declared`` (the order of the ``labels`` map), joined by ``joiner``
   ; no label gives ``none_label`` when set, else ``""``.
``text_to_text`` (t2t records)
    ``direction`` ``1to2`` (input text_1, output text_2) or ``2to1``;
    ``prefix`` is put before the input.
``text_pair_classification`` (pairs records)
    input ``Text 1: ...`` newline ``Text 2: ...``; output the label mapped by
    ``labels``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import SourceError
from ..records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord
from ..samples import Draft

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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
        labels = list(record.choice_labels) or list(LETTERS[: len(record.choices)])
        parts.append(options["choices_prefix"] + "\n"
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


def round_score(value: float, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    mode = ROUND_HALF_EVEN if rounding == "nearest_even" else ROUND_HALF_UP
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=mode))


def sts(record: PairsRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    sep = options["separator"]
    text = f"Sentence 1: {record.text_1}{sep}Sentence 2: {record.text_2}"
    value = record.score
    if value is None:
        try:
            value = float(record.label) if record.label is not None else None
        except ValueError:
            value = None
    if value is None or not math.isfinite(value):
        raise SourceError(record.source or None, None,
                          f"record {record.id}: a numeric similarity score is required (score {record.score!r}, label {record.label!r})")
    score = round_score(value * float(options["scale"]), options["rounding"])
    score = max(int(options["min"]), min(int(options["max"]), score))
    yield Draft(input=text, output=str(score))


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
    source, target = (record.text_2, record.text_1) if options["direction"] == "2to1" else (record.text_1, record.text_2)
    yield Draft(input=options["prefix"] + source, output=target)


def text_pair_classification(record: PairsRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    text = f"Text 1: {record.text_1}\nText 2: {record.text_2}"
    yield Draft(input=text, output=_mapped(record.label or "", options["labels"], record, "label"))
