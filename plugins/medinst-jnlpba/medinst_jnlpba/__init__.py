"""medinst plugin for the JNLPBA 2004 bio-entity recognition corpus (Kim et al., 2004), from GENIA 3.02:
MEDLINE sentences with protein, DNA, RNA, cell type and cell line mentions in IOB2 tags. One task per
MedINST configuration (DNA, RNA, cell type, cell line), each keeping its own type."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
