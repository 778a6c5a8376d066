"""The original LINNAEUS release (``linnaeus_tags``): ``txt/<document>.txt``
and the standoff file ``tags.tsv``.

Format
------
``manual-corpus-species-1.0.tar.gz`` unpacks to ``manual-corpus-species-1.0/``
holding ``txt/`` (one UTF-8 text file per PMC article, named by the document
id, e.g. ``pmcA1064872.txt``) and ``tags.tsv`` (with ``filtered_tags.tsv``, a
variant without some mention classes).  ``tags.tsv`` starts with a header line
beginning with ``#``; every other line has six tab-separated fields::

    species:ncbi:9606<TAB>pmcA1064872<TAB>1034<TAB>1039<TAB>human<TAB>

the species identifier (``species:<database>:<id>``), the document id, the
start and end character offsets (end exclusive) into the document's text, the
mention text, and a code marking special mentions (misspellings...), mostly
empty.  Several identifiers of one mention are separated by ``|``.

Records
-------
One :class:`KBRecord` per document named in ``tags.tsv`` (documents without a
mention are not read), in the order of their first line; the passage is the
whole text file (type ``article``).  Entities ``T0``, ``T1``... in file order,
type ``species``, each normalised to ``(database, id)`` (``ncbi``, ``9606``);
the code, when given, is the attribute ``code``.

Roles: ``tags`` (the tags.tsv file) and ``text`` (the txt/ files).  Options:
``offset_check`` (``"error"`` | ``"warn"``): a mention whose text differs
from the document at its offsets.  A mention of a document with no text file,
a malformed line, or an identifier not of the form ``type:database:id`` is an
error naming the line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    Entity,
    KBRecord,
    Normalization,
    Passage,
    SourceError,
    SourceFiles,
    iter_lines,
    read_text,
)

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "offset_check": {
            "enum": ["error", "warn"],
            "default": "error",
            "description": "a mention whose text differs from the document at its offsets: an error, or "
            "counted as offset_mismatch and kept as annotated",
        },
    },
}


def _identifiers(value: str, path, lineno: int) -> tuple[str, tuple[Normalization, ...]]:
    """``species:ncbi:9606|species:ncbi:10090`` -> ("species", normalisations)."""
    etype = ""
    norms = []
    for part in value.split("|"):
        pieces = part.strip().split(":")
        if len(pieces) != 3 or not all(pieces):
            raise SourceError(path, lineno, f"identifier {part!r} is not of the form type:database:id")
        etype = etype or pieces[0]
        norms.append(Normalization(db_name=pieces[1], db_id=pieces[2]))
    return etype, tuple(dict.fromkeys(norms))


def read_linnaeus_tags(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read tags.tsv and the text files it names (see the module documentation)."""
    warn = options.get("offset_check", "error") == "warn"
    texts = {}
    for path in files.all("text"):
        stem = Path(path).name
        stem = stem[: -len(".txt")] if stem.endswith(".txt") else stem
        if stem in texts:
            raise SourceError(path, None, f"a second text file of document {stem!r} (the first: {texts[stem]})")
        texts[stem] = path
    mentions: dict[str, list] = {}
    for path in files.all("tags"):
        for lineno, line in iter_lines(path):
            if lineno == 1 and line.startswith("#"):
                continue
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                raise SourceError(path, lineno, f"expected 6 tab-separated fields (species, document, start, end, "
                                  f"text, code), found {len(fields)}: {line[:80]!r}")
            species, doc, start, end, text, code = fields
            try:
                start, end = int(start), int(end)
            except ValueError:
                raise SourceError(path, lineno, f"offsets {start!r} {end!r} are not integers") from None
            if not 0 <= start < end:
                raise SourceError(path, lineno, f"offsets {start} {end} do not make a span")
            if doc not in texts:
                raise SourceError(path, lineno, f"document {doc!r} has no text file {doc}.txt among the files found")
            etype, norms = _identifiers(species, path, lineno)
            mentions.setdefault(doc, []).append((start, end, text, code.strip(), etype, norms, path, lineno))
    for doc, items in mentions.items():
        text_path = texts[doc]
        document = read_text(text_path)
        entities = []
        for k, (start, end, written, code, etype, norms, path, lineno) in enumerate(items):
            found = document[start:end]
            if found != written:
                message = f"{written!r} at {start}-{end}, but {Path(text_path).name} has {found!r} there"
                if not warn:
                    raise SourceError(path, lineno, message)
                diagnostics.warn("offset_mismatch", f"{path}:{lineno}: {message}")
            entities.append(Entity(
                id=f"T{k}", type=etype, text=(written,), offsets=((start, end),), normalized=norms,
                attributes=(("code", code),) if code else (),
            ))
        yield KBRecord(
            id=doc,
            document_id=doc,
            passages=(Passage(id="P0", type="article", text=document, offsets=((0, len(document)),)),),
            entities=tuple(entities),
            source=str(text_path),
        )
