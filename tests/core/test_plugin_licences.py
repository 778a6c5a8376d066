"""Every bundled plugin states its dataset's licence as an SPDX expression (or a
LicenseRef- id with an explicit commercial_use), so the licence filters judge
every dataset; the few of unknown terms are listed here on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.licenses import ACCESS_LEVELS, commercial_use, license_expression
from medinst_core.manifest import schema_errors
from medinst_core.readme import plugin_manifests

REPO = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p for p in (REPO / "plugins").iterdir() if (p / "pyproject.toml").is_file())

#: plugins whose datasets' terms do not settle commercial use (the licence filters report them as unknown)
UNKNOWN_TERMS = {
    "medinst-bioasq-task-b",  # registration; NLM terms for the PubMed data, the BioASQ terms do not say
    "medinst-covert",  # the homepage's terms, not stated as a licence
}


def manifests():
    return [(plugin.name, m) for plugin in PLUGINS for m in plugin_manifests(plugin)]


@pytest.fixture(scope="module")
def all_manifests():
    return manifests()


def test_every_licence_is_an_expression(all_manifests):
    spdx = pytest.importorskip("packaging.licenses", reason="packaging>=24.2 (the SPDX list) is not installed")
    bad = []
    for plugin, m in all_manifests:
        d = m["dataset"]
        expr = license_expression(d["license"])
        if expr is None:
            bad.append(f"{plugin} {m['id']}: licence without an id: {d['license']}")
            continue
        ids = [t for t in expr.replace("(", " ").replace(")", " ").split() if t not in ("AND", "OR", "WITH")]
        for token in ids:
            if token.startswith("LicenseRef-"):
                if "commercial_use" not in d:
                    bad.append(f"{plugin} {m['id']}: {token} needs dataset.commercial_use")
                continue
            try:
                spdx.canonicalize_license_expression(token)
            except spdx.InvalidLicenseExpression:
                bad.append(f"{plugin} {m['id']}: {token} is not an SPDX licence id")
        if d.get("access") not in ACCESS_LEVELS:
            bad.append(f"{plugin} {m['id']}: access {d.get('access')!r}")
    assert not bad, "\n".join(bad)


def test_every_manifest_meets_the_schema(all_manifests):
    problems = [f"{plugin} {m['id']}: {e}" for plugin, m in all_manifests for e in schema_errors("task", m, None)]
    assert not problems, "\n".join(problems)


def test_commercial_use_is_known_except_for_the_listed_datasets(all_manifests):
    unknown = {plugin for plugin, m in all_manifests if commercial_use(m["dataset"]) is None}
    assert unknown == UNKNOWN_TERMS
