"""Reading the BC5CDR corpus in either of its two official forms.

The archive ``CDR_Data.zip`` ships every split twice, as
``CDR_<Split>Set.PubTator.txt`` and as ``CDR_<Split>Set.BioC.xml``.  A split's
``data`` role lists whichever of the two were found; this reader hands them to
the core readers:

* PubTator files (preferred when both are present) go to the ``pubtator``
  reader with the ``pubtator`` options;
* otherwise BioC XML files go to the ``bioc_xml`` reader with the ``bioc_xml``
  options.

With the options the task manifests give (BioC: ``individual_mentions:
"fold"``, ``entity_ids: "position"``, ``passage_offsets: "joined"``) both
forms give the same records, so a task builds the same samples from either.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    KBRecord,
    SourceError,
    SourceFiles,
    core_reader,
)

PUBTATOR_SUFFIX = ".PubTator.txt"
BIOC_SUFFIX = ".BioC.xml"


def read_cdr(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    found = files.all("data")
    pubtator = tuple(p for p in found if p.name.endswith(PUBTATOR_SUFFIX))
    bioc = tuple(p for p in found if p.name.endswith(BIOC_SUFFIX))
    if pubtator:
        yield from core_reader("pubtator")(SourceFiles(files.root, {"data": pubtator}), options.get("pubtator", {}), diagnostics)
    elif bioc:
        yield from core_reader("bioc_xml")(SourceFiles(files.root, {"data": bioc}), options.get("bioc_xml", {}), diagnostics)
    else:
        names = ", ".join(sorted(p.name for p in found)) or "nothing"
        raise SourceError(
            files.root, None,
            f"expected a CDR_<Split>Set{PUBTATOR_SUFFIX} or CDR_<Split>Set{BIOC_SUFFIX} file, found {names}",
        )
