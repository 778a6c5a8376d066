"""medinst plugin for the EU-ADR corpus (van Mulligen et al., 2012): 300 PubMed
abstracts annotated with drugs, disorders, genes/targets and variants and
the drug-disorder, drug-target and target-disorder relations between them.
The distribution carries annotations only; the abstracts' text is read from
a PubTator or PubMed XML export of the same PMIDs that the user makes."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "accepted_only": {
            "type": "boolean",
            "default": False,
            "description": "keep only annotation lines whose second column is True (BigBIO, and so MedINST, keeps all)",
        },
        "offset_check": {
            "enum": ["error", "warn"],
            "default": "warn",
            "description": "an annotation that cannot be placed on the exported text: an error or a counted warning",
        },
    },
}


@hookimpl
def register_readers(register):
    register("eu_adr", "medinst_eu_adr.reader:read_euadr", record_kind="kb", options_schema=OPTIONS_SCHEMA,
             description="EU-ADR annotation files (euadr_corpus/<PMID>.txt) with the text from a PubTator or PubMed XML export")


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
