"""medinst plugin for Bio-ID (BioCreative VI track 1, Arighi et al. 2017): SourceData figure-panel captions in
BioC XML with their bioentity annotations, linked to NCBI Gene, UniProt, NCBI Taxonomy, Cellosaurus, ChEBI,
GO, Uberon, CL and others, in a CSV file beside them."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "bio_id",
        "medinst_bio_id.reader:read_bioid",
        description="Bio-ID: BioC XML figure-panel captions joined with the annotations of annotations.csv",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "offset_check": {"enum": ["error", "warn"], "default": "warn",
                                 "description": "an annotation whose text differs from the caption at its offsets: "
                                                "an error, or a counted warning (kept as annotated)"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
