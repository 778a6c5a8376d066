"""Licences as data: what a task's dataset allows, and the filters of
``tasks``, ``build``, ``mix`` and ``export``.

A manifest's ``dataset.license`` is an SPDX id (``"CC-BY-4.0"``) or a custom
licence object ``{"name", "url"|"text"}``; ``dataset.access`` is ``public`` or
``registration``; an optional ``dataset.commercial_use`` (true/false) states
what the licence allows when its id does not say it.

- **commercial use** (:func:`commercial_use`): an explicit
  ``dataset.commercial_use`` wins; else an SPDX id with a NonCommercial term
  (``-NC``, e.g. ``CC-BY-NC-4.0``, ``CC-BY-NC-SA-3.0``) is ``False``, an id of
  :data:`OPEN_LICENSES` is ``True``, anything else (custom licences,
  ``LicenseRef-*``) is ``None``: unknown;
- **open** (:func:`is_open`): public access (no registration or data use
  agreement) *and* an open licence (:data:`OPEN_LICENSES`: free reuse,
  modification and redistribution, commercial use included).

Filters (:class:`LicenseFilter`): ``--license ID`` (repeatable; shell-style
wildcards, case-insensitive: ``--license 'CC-BY-*'``) keeps datasets with one
of these licence ids (or custom licence names); ``--exclude-noncommercial``
keeps only datasets whose commercial use is established (``True``): it leaves
out NC licences *and* licences of unknown terms, which a plugin can settle
with ``dataset.commercial_use``; ``--open-only`` keeps only open datasets.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

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
))  # fmt: skip

_NONCOMMERCIAL = re.compile(r"(^|-)NC(-|$)", re.I)


def license_id(license: Any) -> str:
    """The SPDX id, or a custom licence's name (``"unknown"`` when absent)."""
    if isinstance(license, Mapping):
        return str(license.get("name") or license.get("url") or "custom")
    return "unknown" if license is None else str(license)


def commercial_use(dataset: Mapping[str, Any]) -> bool | None:
    """Whether the dataset's licence allows commercial use (``None``: unknown)."""
    explicit = dataset.get("commercial_use")
    if isinstance(explicit, bool):
        return explicit
    lic = dataset.get("license")
    if isinstance(lic, str):
        if _NONCOMMERCIAL.search(lic):
            return False
        if lic.lower() in OPEN_LICENSES:
            return True
    elif isinstance(lic, Mapping) and _NONCOMMERCIAL.search(str(lic.get("name", ""))):
        return False  # e.g. {"name": "CC-BY-NC-SA 4.0 (as stated by the authors)"}
    return None


def is_open(dataset: Mapping[str, Any]) -> bool:
    lic = dataset.get("license")
    return dataset.get("access") == "public" and isinstance(lic, str) and lic.lower() in OPEN_LICENSES


def facts(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """What ``build.json``, ``tasks --json`` and dataset cards record of a dataset's terms."""
    return {
        "license": dataset.get("license"),
        "access": dataset.get("access"),
        "commercial_use": commercial_use(dataset),
        "open": is_open(dataset),
        "citation": dataset.get("citation"),
    }


@attrs.define(frozen=True)
class LicenseFilter:
    licenses: tuple[str, ...] = ()
    exclude_noncommercial: bool = False
    open_only: bool = False

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
                return f"licence {lic} does not clearly allow commercial use (no dataset.commercial_use)"
        if self.open_only and not is_open(dataset):
            if dataset.get("access") != "public":
                return f"access needs {dataset.get('access')}"
            return f"licence {lic} is not an open licence"
        return None

    def keep(self, dataset: Mapping[str, Any]) -> bool:
        return self.why_not(dataset) is None

    def split(self, tasks: Iterable[Any]) -> tuple[list[Any], list[tuple[Any, str]]]:
        """``(kept tasks, [(left-out task, why)])`` of :class:`TaskSpec` objects."""
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
