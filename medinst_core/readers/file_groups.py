"""Cutting a split made of many files (a folder of BRAT documents, a PubTator
or BioC collection spread over many files) into contiguous groups of files,
so that one split can be built by several processes (``medinst build --jobs N``).

A reader declares that it can be cut so with an attribute ``file_groups`` (a
:class:`FileGroups`) on its function.  By doing so it promises that the
records it makes from a file of its primary role (``data``) depend only on
that file and on the files it finds next to it by name, not on the files
listed before it: no record counter running over files, no option read from
another role.  The pipeline then calls the reader unchanged, with a
:class:`~medinst_core.sources.SourceFiles` whose primary role holds one group
(a slice of the split's files in their order), once per group, and joins the
groups' samples in order (see :mod:`medinst_core.shards`).

What a whole reading checks across files is kept by the join, not by the
reader: a record id or sample id made in two groups (a document given twice,
``duplicate_ids: skip`` or ``suffix`` renaming it, two text files of one name)
makes the split be built again by one process, which gives exactly the whole
reading's error or output.

:meth:`FileGroups.key` names the document a file belongs to: a group boundary
is never put between two files of one document (BRAT's ``.txt`` and the
``.a1``/``.a2`` listed beside it), nor inside a run of files whose documents
interleave.  By default every file is its own document.

A split is cut only when it has no file of another role than the primary one
(a document list, a text table, annotations kept apart: those are looked up
across the whole split), at least two files per process and at least
:attr:`FileGroups.min_bytes` bytes of them (16 MiB, BRAT's text files 4 MiB:
about a second and a half of building on one core, the most a second worker
can save being half of it; ``MEDINST_SHARD_FILE_BYTES`` sets it for all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..envvars import byte_size


def group_bytes(default: int) -> int:
    """The size of a split's files from which they are cut into groups:
    ``MEDINST_SHARD_FILE_BYTES``, else the reader's ``default``."""
    return byte_size("MEDINST_SHARD_FILE_BYTES", default)


class FileGroups:
    """A reader whose split can be cut into groups of whole files (its ``file_groups`` attribute)."""

    #: the role whose files are cut; the reader reads only this role
    role = "data"
    #: the bytes of the role's files from which a split is cut (see :func:`group_bytes`)
    min_bytes = 16 << 20

    def key(self, path: Path, options: Mapping[str, Any]) -> str:
        """The document ``path`` belongs to (files of one document stay in one group)."""
        return str(path)

    def usable(self, files: Any, options: Mapping[str, Any]) -> bool:
        """Whether the split can be cut at all: only files of :attr:`role`."""
        return all(role == self.role or not paths for role, paths in files.roles.items())

    def groups(
        self, files: Any, options: Mapping[str, Any], parts: int, threshold: int
    ) -> list[tuple[int, int, int]] | None:
        """Up to ``parts`` contiguous slices ``(start, end, bytes)`` of the
        role's files, of about equal bytes, or ``None`` (the split is read whole)."""
        if parts < 2 or not self.usable(files, options):
            return None
        paths = files.all(self.role)
        if len(paths) < 2 * parts:
            return None
        sizes = [p.stat().st_size for p in paths]
        total = sum(sizes)
        if total < threshold:
            return None
        cuts = _cuts(sizes, _boundaries([self.key(p, options) for p in paths]), parts, total)
        if not cuts:
            return None
        bounds = [0, *cuts, len(paths)]
        return [(a, b, sum(sizes[a:b])) for a, b in zip(bounds, bounds[1:])]


def _boundaries(keys: Sequence[str]) -> list[bool]:
    """``allowed[i]``: a group may start at file ``i`` (no document of the
    files before it has a file at ``i`` or after it)."""
    last: dict[str, int] = {}
    for i, key in enumerate(keys):
        last[key] = i
    allowed = [False] * len(keys)
    reach = -1  # the last index of any document started before i
    for i, key in enumerate(keys):
        allowed[i] = i > 0 and reach < i
        reach = max(reach, last[key])
    return allowed


def _cuts(sizes: Sequence[int], allowed: Sequence[bool], parts: int, total: int) -> list[int]:
    """Increasing cut indices, each the first allowed one at or after ``total * k / parts`` bytes."""
    cuts: list[int] = []
    done = 0
    k = 1
    for i, size in enumerate(sizes):
        if k >= parts:
            break
        if done >= total * k // parts and allowed[i] and (not cuts or i > cuts[-1]):
            cuts.append(i)
            k += 1
        done += size
    return cuts


class BratGroups(FileGroups):
    """BRAT: a document is a text file and the annotation files named after it;
    they are found next to the text file, and when listed among the split's
    files they keep to the text's group.  A document is named by its base
    name (and ``id_folders`` parent folders), as the reader names it.  A
    document costs more than its text's bytes say (two or more files opened,
    offsets checked), hence the lower threshold."""

    min_bytes = 4 << 20

    def key(self, path: Path, options: Mapping[str, Any]) -> str:
        name = path.name
        suffixes = [options.get("text_suffix", ".txt"), *(options.get("suffixes") or ()),
                    *(options.get("agreement_suffixes") or ())]
        for suffix in suffixes:
            if suffix and name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        folders = int(options.get("id_folders", 0) or 0)
        return "/".join([*path.parent.parts[-folders:], name]) if folders else name


def groups_of(reader: Any) -> FileGroups | None:
    """The reader's :class:`FileGroups`, or ``None`` when it cannot be cut by file."""
    return getattr(reader, "file_groups", None)
