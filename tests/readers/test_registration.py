"""The built-in readers are registered lazily with option schemas that match their documentation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from medinst_core.plugins import load_registry
from medinst_core.readers import tabular

NAMES = {
    "pubtator": "kb", "brat": "kb", "bioc_xml": "kb", "bioc_json": "kb", "conll": "kb",
    "json": "any", "jsonl": "any", "csv": "any", "tsv": "any", "parallel_text": "t2t", "sentence_spans": "kb",
}


@pytest.fixture(scope="module")
def registry():
    return load_registry(entrypoints=False)


def test_every_reader_is_registered_with_kind_schema_and_description(registry):
    for name, kind in NAMES.items():
        spec = registry.reader(name)
        assert spec.record_kind == kind
        assert spec.description
        jsonschema.Draft202012Validator.check_schema(spec.options_schema)
        assert callable(spec.load())


def test_every_option_is_declared_once_with_default_and_description(registry):
    """The options of the core readers and formatters live in their schemas:
    each has a description, and a default unless it is required."""
    for component in [*registry.readers.values(), *registry.formatters.values()]:
        schema = component.options_schema or {}
        required = set(schema.get("required", ()))
        for option, prop in schema.get("properties", {}).items():
            where = f"{component.kind} {component.name}: option {option}"
            assert prop.get("description"), f"{where} has no description"
            assert option in required or "default" in prop, f"{where} has no default"


def test_registration_imports_no_reader_module():
    code = (
        "import sys, medinst_core.default_plugins.readers as r; "
        "print(sorted(m for m in sys.modules if m.startswith('medinst_core.readers.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


TABULAR_DOC = Path(__file__).parents[2] / "docs" / "readers" / "tabular.md"


def documented_mappings():
    """The example option objects of the tabular readers' documentation."""
    doc = TABULAR_DOC.read_text(encoding="utf-8")
    examples = doc[doc.index("## Examples") :]
    blocks = re.findall(r"```json\n(.*?)```", examples, re.S)
    return [json.loads(b) for b in blocks]


def test_documented_tabular_examples_are_valid_options(registry):
    examples = documented_mappings()
    assert len(examples) == 9
    schema = registry.reader("json").options_schema
    for options in examples:
        assert not list(jsonschema.Draft202012Validator(schema).iter_errors(options)), options
        compiled = tabular.FieldMapping.__new__(tabular.FieldMapping)
        # compile the fields (joins need files, so only fields/explode/where here)
        tabular.FieldMapping.__init__(compiled, {k: v for k, v in options.items() if k != "join"}, _NoFiles())


class _NoFiles:
    def all(self, role):
        return ()


def test_schemas_reject_typos(registry):
    schema = registry.reader("pubtator").options_schema
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"offset_chek": "warn"}))
    assert errors and "offset_chek" in errors[0].message
    schema = registry.reader("json").options_schema
    assert list(jsonschema.Draft202012Validator(schema).iter_errors({"record": "qa", "fields": {"question": {"pth": "x"}}}))
