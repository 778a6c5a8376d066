"""Reading BioASQ Task B files (``bioasq_json``).

Files
-----
``training11b.json`` and the golden batches ``11B1_golden.json`` ...
``11B4_golden.json``, each one JSON document::

    {"questions": [{"id": "...", "type": "yesno" | "factoid" | "list" | "summary",
                    "body": "...", "snippets": [{"text": "...", "document": "..."}, ...],
                    "exact_answer": ..., "ideal_answer": ...}, ...]}

Records
-------
This is the core ``json`` reader with its declarative field mapping
(``record``, ``fields``, ``explode``, ``where``... as documented in
:mod:`medinst_core.readers.tabular`) applied to each element of
``questions``, plus one normalisation that the mapping cannot express: the
exact answer of a *list* question is read as a list of elements, each a list
of synonyms.  That is the format of every golden file and of the training
files since 6b (``[["dabigatran", "Pradaxa"], ["apixaban"]]``), but an
element written as a bare string (``["dabigatran", "apixaban"]``, as older
files have it) or a whole answer written as one string is accepted too, as a
one-synonym element, instead of being lost.  Exact answers of the other
types, and everything else, reach the mapping as they are.

``$index`` is the question's position in its file; the default record id is
the position over all files of the split.

Errors
------
Malformed JSON is a :class:`~medinst_core.errors.SourceError` naming the line;
a document without a ``questions`` list, or a mapping problem (a question
without ``body``, say), names the file and the question's position.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    FieldMapping,
    SourceError,
    SourceFiles,
    load_json,
)


def list_answer(exact: Any) -> Any:
    """A list question's exact answer as a list of synonym lists (other values unchanged)."""
    if isinstance(exact, str):
        return [[exact]]
    if isinstance(exact, list):
        return [element if isinstance(element, list) else [element] for element in exact if element is not None]
    return exact


def read_bioasq(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    mapping = FieldMapping(options, files)
    position = 0
    for path in files.all("data"):
        root = load_json(path)
        questions = root.get("questions") if isinstance(root, dict) else None
        if not isinstance(questions, list):
            found = "no 'questions'" if not isinstance(root, dict) or "questions" not in root else \
                f"'questions' is a {type(questions).__name__}"
            raise SourceError(path, None, f"{found} in the JSON document: expected {{\"questions\": [...]}}")
        for index, question in enumerate(questions):
            if isinstance(question, dict) and question.get("type") == "list" and "exact_answer" in question:
                question = {**question, "exact_answer": list_answer(question["exact_answer"])}
            ctx = {"$": question, "$index": index, "$root": root}
            yield from mapping.records(ctx, str(position), path, None, f"questions[{index}]")
            position += 1
