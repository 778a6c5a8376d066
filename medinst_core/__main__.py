"""``python -m medinst_core`` runs the ``medinst`` command."""

from .cli import main

main(prog_name="medinst")
