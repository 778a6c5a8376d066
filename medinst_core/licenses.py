"""Licences as data: what a task's dataset allows, and the filters of
``tasks``, ``build``, ``mix`` and ``export``.

A manifest's ``dataset.license`` is a licence expression: an SPDX id
(``"CC-BY-4.0"``, ``"NCBI-PD"``), a ``LicenseRef-<Name>`` id for terms the
SPDX list does not have (SPDX's convention for custom licences), or an
``AND``/``OR`` expression of them; either alone or as ``{"id": EXPRESSION,
"name": ..., "url": ...}`` keeping the terms' own name and where to read them.
``dataset.access`` is ``public``, ``registration`` (an account or a sign-up
form) or ``data-use-agreement`` (a signed agreement, e.g. PhysioNet's
credentialed access).

- **commercial use** (:func:`commercial_use`): an explicit
  ``dataset.commercial_use`` wins (a manifest whose licence has a
  ``LicenseRef-`` part must state it, the schema checks); else it is derived
  from the SPDX ids: a NonCommercial term (``-NC``, e.g. ``CC-BY-NC-4.0``)
  is ``False``, an id of :data:`OPEN_LICENSES` is ``True``; ``A AND B``
  allows it when both do, ``A OR B`` when either does; anything else (an old
  ``{"name", "url"}`` licence without an id, an SPDX id this module cannot
  judge) is ``None``: unknown, and the filters say so;
- **open** (:func:`is_open`): public access (no registration or data use
  agreement) *and* an open licence (:data:`OPEN_LICENSES`: free reuse,
  modification and redistribution, commercial use included).

Filters (:class:`LicenseFilter`): ``--license ID`` (repeatable; shell-style
wildcards, case-insensitive: ``--license 'CC-BY-*'``) keeps datasets whose
licence expression matches one of these patterns; ``--exclude-noncommercial``
keeps only datasets whose commercial use is established (``True``): it leaves
out licences that do not allow it *and* the rare licences of unknown terms;
``--open-only`` keeps only open datasets.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: SPDX ids of licences that allow reuse, modification and redistribution,
#: commercial use included (Open Definition conformant)
OPEN_LICENSES = frozenset(s.lower() for s in (
    "CC0-1.0", "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0",
    "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
    "PDDL-1.0", "ODC-By-1.0", "ODbL-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0",
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Unlicense", "Artistic-2.0", "MPL-2.0",
    "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
    "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "AGPL-3.0-only", "AGPL-3.0-or-later", "EPL-2.0", "OGL-UK-3.0", "etalab-2.0",
    "CC-PDM-1.0", "CC-PDDC", "NCBI-PD",
))  # fmt: skip

#: the values of ``dataset.access``
ACCESS_LEVELS = ("public", "registration", "data-use-agreement")

_NONCOMMERCIAL = re.compile(r"(^|-)NC(-|$)", re.I)
_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def license_expression(license: Any) -> str | None:
    """The licence expression of ``dataset.license`` (``None``: an old
    ``{"name", "url"}`` licence without an id, or none)."""
    if isinstance(license, Mapping):
        lic = license.get("id")
        return lic if isinstance(lic, str) else None
    return license if isinstance(license, str) else None


def license_id(license: Any) -> str:
    """The licence expression, or an old custom licence's name (``"unknown"`` when absent)."""
    expr = license_expression(license)
    if expr is not None:
        return expr
    if isinstance(license, Mapping):
        return str(license.get("name") or license.get("url") or "custom")
    return "unknown"


def license_text(license: Any) -> str:
    """The licence for people: the expression, then the terms' own name (and
    URL) when the manifest gives them."""
    text = license_id(license)
    if isinstance(license, Mapping) and license_expression(license) is not None:
        extra = [str(license[k]) for k in ("name", "url") if license.get(k)]
        if extra:
            text += " (" + ", ".join(extra) + ")"
    return text


def _commercial(token: str) -> bool | None:
    if _NONCOMMERCIAL.search(token):
        return False
    if token.lower().removesuffix("+") in OPEN_LICENSES:
        return True
    return None  # LicenseRef-*, or an id not judged here


def _judge(expr: str, verdict: Callable[[str], bool | None] = _commercial) -> bool | None:
    """The verdict on an SPDX expression from the verdicts on its ids (``WITH``
    exceptions and parentheses read; ``AND`` binds tighter than ``OR``, as
    SPDX says): ``AND`` is true when all parts are, ``OR`` when one is."""
    tokens = _TOKEN.findall(expr)
    pos = 0

    def atom() -> bool | None:
        nonlocal pos
        token = tokens[pos] if pos < len(tokens) else ""
        pos += 1
        if token == "(":
            value = any_of()
            pos += 1  # ")"
        else:
            value = verdict(token)
        if pos < len(tokens) and tokens[pos].upper() == "WITH":
            pos += 2
        return value

    def all_of() -> bool | None:
        nonlocal pos
        values = [atom()]
        while pos < len(tokens) and tokens[pos].upper() == "AND":
            pos += 1
            values.append(atom())
        return False if False in values else None if None in values else True

    def any_of() -> bool | None:
        nonlocal pos
        values = [all_of()]
        while pos < len(tokens) and tokens[pos].upper() == "OR":
            pos += 1
            values.append(all_of())
        return True if True in values else None if None in values else False

    return any_of()


def commercial_use(dataset: Mapping[str, Any]) -> bool | None:
    """Whether the dataset's licence allows commercial use (``None``: unknown)."""
    explicit = dataset.get("commercial_use")
    if isinstance(explicit, bool):
        return explicit
    lic = dataset.get("license")
    expr = license_expression(lic)
    if expr is not None:
        return _judge(expr)
    if isinstance(lic, Mapping) and _NONCOMMERCIAL.search(str(lic.get("name", ""))):
        return False  # e.g. {"name": "CC-BY-NC-SA 4.0 (as stated by the authors)"}
    return None


def is_open(dataset: Mapping[str, Any]) -> bool:
    """Public access and an expression of :data:`OPEN_LICENSES` (every part of an ``AND``, one of an ``OR``)."""
    expr = license_expression(dataset.get("license"))
    if dataset.get("access") != "public" or expr is None:
        return False
    return _judge(expr, lambda token: token.lower().removesuffix("+") in OPEN_LICENSES) is True


def facts(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """What ``build.json``, ``tasks --json`` and dataset cards record of a dataset's terms."""
    return {
        "license": dataset.get("license"),
        "access": dataset.get("access"),
        "commercial_use": commercial_use(dataset),
        "open": is_open(dataset),
        "citation": dataset.get("citation"),
    }


class LicenseFilter:
    """Which datasets a command keeps by their terms (written out rather than
    an attrs class: ``medinst tasks`` makes one on every start)."""

    __slots__ = ("licenses", "exclude_noncommercial", "open_only")
    licenses: tuple[str, ...]
    exclude_noncommercial: bool
    open_only: bool

    def __init__(self, licenses: tuple[str, ...] = (), exclude_noncommercial: bool = False, open_only: bool = False) -> None:
        object.__setattr__(self, "licenses", licenses)
        object.__setattr__(self, "exclude_noncommercial", exclude_noncommercial)
        object.__setattr__(self, "open_only", open_only)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"LicenseFilter is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"LicenseFilter is immutable (cannot delete {name!r})")

    def _fields(self) -> tuple[tuple[str, ...], bool, bool]:
        return self.licenses, self.exclude_noncommercial, self.open_only

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy rebuild it through __init__
        return LicenseFilter, self._fields()

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if isinstance(other, LicenseFilter) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"LicenseFilter(licenses={self.licenses!r}, exclude_noncommercial={self.exclude_noncommercial!r}, "
                f"open_only={self.open_only!r})")

    @property
    def active(self) -> bool:
        return bool(self.licenses or self.exclude_noncommercial or self.open_only)

    def why_not(self, dataset: Mapping[str, Any]) -> str | None:
        """Why the filter leaves this dataset out (``None``: kept)."""
        lic = license_id(dataset.get("license"))
        if self.licenses and not any(fnmatch.fnmatchcase(lic.lower(), p.lower()) for p in self.licenses):
            return f"licence {lic} is not one of {', '.join(self.licenses)}"
        if self.exclude_noncommercial:
            use = commercial_use(dataset)
            if use is False:
                return f"licence {lic} does not allow commercial use"
            if use is None:
                return f"licence {lic} does not clearly allow commercial use (its terms leave it unknown)"
        if self.open_only and not is_open(dataset):
            if dataset.get("access") != "public":
                return f"access needs {dataset.get('access')}"
            return f"licence {lic} is not an open licence"
        return None

    def keep(self, dataset: Mapping[str, Any]) -> bool:
        return self.why_not(dataset) is None

    def split(self, tasks: Iterable[Any]) -> tuple[list[Any], list[tuple[Any, str]]]:
        """``(kept tasks, [(left-out task, why)])`` of :class:`TaskSpec` objects."""
        if not self.active:
            return list(tasks), []
        kept, dropped = [], []
        for task in tasks:
            why = self.why_not(task.dataset)
            if why is None:
                kept.append(task)
            else:
                dropped.append((task, why))
        return kept, dropped

    def describe(self) -> dict[str, Any]:
        return {"licenses": list(self.licenses), "exclude_noncommercial": self.exclude_noncommercial, "open_only": self.open_only}
