"""medinst report: per-task, per-category and overall averages, coverage and
its warning, metric directions, --scale, the five output formats, the figure."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from medinst_core import hookimpl
from medinst_core.cli import main
from medinst_core.errors import UsageError
from medinst_core.report import build_report, latex_escape, render
from medinst_core.testing import registered

BASE = {
    "version": 1,
    "description": "A toy task for the report tests.",
    "dataset": {
        "name": "Toy", "homepage": "https://example.org/toy", "citation": "Nobody. Toy data. 2026.",
        "license": "CC0-1.0", "access": "public",
    },
    "source": {"reader": "jsonl", "splits": {"test": ["test.jsonl"]}},
    "formatter": {"name": "toyrep_echo"},
    "instructions": ["Answer, please."],
}  # fmt: skip

TASKS = {  # id -> (category, primary metric)
    "toyrep.ner_a": ("NER", "entity_f1"),
    "toyrep.ner_b": ("NER", "entity_f1"),
    "toyrep.qa_c": ("QA", "exact_match"),
    "toyrep.sts_d": ("STS", "mse"),
}
HIB = {"entity_f1": True, "exact_match": True, "mse": False}


class ReportPlugin:
    @hookimpl
    def register_formatters(self, register):
        register("toyrep_echo", lambda record, options, diagnostics: [], record_kinds=("text",))

    @hookimpl
    def register_tasks(self, register):
        for tid, (cat, metric) in TASKS.items():
            m = copy.deepcopy(BASE)
            m.update(id=tid, name=tid, category=cat, metrics=[metric])
            register(m)


@pytest.fixture
def reg():
    with registered(("toyrep", ReportPlugin())) as r:
        assert not r.problems, r.problems
        yield r


def results(path: Path, model: str, values: dict[str, float | None]) -> Path:
    """A results file as medinst evaluate writes it (the parts the report reads)."""
    data = {
        "model": model,
        "metrics": {m: {"higher_is_better": h, "aggregation": "mean", "plugin": "medinst-core"} for m, h in HIB.items()},
        "tasks": {
            t: {"n": 10, "scored_empty": 0, "metrics": {TASKS[t][1]: v}, "primary_metric": TASKS[t][1],
                "primary": v, "version": 1, "plugin": "toyrep"}
            for t, v in values.items()
        },
    }
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def two(tmp_path):
    """Model A has every task; model B lacks toyrep.ner_b."""
    a = results(tmp_path / "a.json", "model-A", {"toyrep.ner_a": 0.5, "toyrep.ner_b": 0.7, "toyrep.qa_c": 0.25, "toyrep.sts_d": 2.0})
    b = results(tmp_path / "b.json", "model_B&co", {"toyrep.ner_a": 0.6, "toyrep.qa_c": 0.5, "toyrep.sts_d": 1.5})
    return a, b


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


CATS = {t: c for t, (c, _) in TASKS.items()}


def test_averages_coverage_and_directions(two):
    rep = build_report(list(two), categories=CATS)
    by = {r.name: r for r in rep.rows}
    assert by["toyrep.ner_b"].values == [0.7, None]
    assert by["NER average"].values == pytest.approx([0.6, 0.6])
    assert by["NER average"].coverage == [(2, 2), (1, 2)]
    assert by["STS average"].higher_is_better is False and by["STS average"].values == [2.0, 1.5]
    # overall: lower-is-better STS left out
    assert by["overall (mean of categories)"].values == pytest.approx([(0.6 + 0.25) / 2, (0.6 + 0.5) / 2])
    assert by["overall (mean of tasks)"].values == pytest.approx([(0.5 + 0.7 + 0.25) / 3, (0.6 + 0.5) / 2])
    assert by["overall (mean of tasks)"].coverage == [(3, 3), (2, 3)]
    assert rep.coverage == [(4, 4), (3, 4)]
    assert len(rep.warnings) == 1 and "cover different tasks" in rep.warnings[0] and "--common-only" in rep.warnings[0]
    assert any("mse" in n for n in rep.notes)


def test_common_only_restricts_to_shared_tasks(two):
    rep = build_report(list(two), categories=CATS, common_only=True)
    assert [r.name for r in rep.task_rows] == ["toyrep.ner_a", "toyrep.qa_c", "toyrep.sts_d"]
    assert not rep.warnings
    assert rep.coverage == [(3, 3), (3, 3)]


def test_scale_applies_to_higher_is_better_only(two):
    rep = build_report(list(two), categories=CATS, scale=100)
    by = {r.name: r for r in rep.rows}
    assert by["toyrep.ner_a"].values == pytest.approx([50.0, 60.0])
    assert by["toyrep.sts_d"].values == [2.0, 1.5]
    assert "50.00" in render(rep, "table")


def test_suite_counts_its_missing_tasks(two):
    suite = {"id": "toysuite", "tasks": [{"task": t, "category": c} for t, c in CATS.items()]
             + [{"task": "toyrep.qa_missing", "category": "QA"}]}
    rep = build_report([two[0]], suite=suite)
    by = {r.name: r for r in rep.rows}
    assert by["QA average"].coverage == [(1, 2)]
    assert rep.coverage == [(4, 5)]
    assert rep.warnings and "4 of 5" in rep.warnings[0]


def test_cli_two_files_print_both_coverages_and_the_warning(reg, two):
    result = run("report", *two)
    assert result.exit_code == 0, result.output
    assert "warning: the models cover different tasks (model-A: 4 of 4, model_B&co: 3 of 4)" in result.stderr
    cov = result.stdout.split("\n\n")[1]
    assert re.search(r"\[NER average\]\s+2 of 2\s+1 of 2", cov)
    assert re.search(r"\[all tasks\]\s+4 of 4\s+3 of 4", cov)
    assert "entity_f1 ↑" in result.stdout and "mse ↓" in result.stdout
    common = run("report", *two, "--common-only")
    assert common.exit_code == 0 and "warning" not in common.stderr and "toyrep.ner_b" not in common.stdout


def test_json_output_parses(reg, two):
    result = run("report", *two, "--format", "json", "--scale", "100")
    data = json.loads(result.stdout)
    assert [m["name"] for m in data["models"]] == ["model-A", "model_B&co"]
    assert data["coverage"] == {"model-A": {"tasks": 4, "of": 4}, "model_B&co": {"tasks": 3, "of": 4}}
    ner = next(c for c in data["categories"] if c["category"] == "NER")
    assert ner["values"]["model-A"] == pytest.approx(60.0) and ner["higher_is_better"] is True
    assert data["warnings"] and data["scale"] == 100


def test_csv_output(reg, two):
    rows = list(csv.reader(io.StringIO(run("report", *two, "--format", "csv").stdout)))
    assert rows[0] == ["kind", "name", "category", "metric", "better", "model-A", "model_B&co"]
    assert ["task", "toyrep.sts_d", "STS", "mse", "lower", "2.0000", "1.5000"] in rows
    assert rows[-1] == ["coverage", "all tasks", "", "tasks with a value", "", "4/4", "3/4"]


def test_markdown_bolds_the_best_by_direction(reg, two):
    md = run("report", *two, "--format", "markdown").stdout
    assert "| toyrep.sts_d | STS | mse ↓ | 2.0000 | **1.5000** |" in md
    assert "| toyrep.ner_a | NER | entity_f1 ↑ | 0.5000 | **0.6000** |" in md
    assert "> **Warning:** the models cover different tasks" in md


def _latex_structure(tex: str) -> None:
    """Balanced environments, every row with the column count of its tabular,
    no unescaped special character in a cell."""
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+)\}", tex):
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, f"\\end{{{env}}} does not close the open environment"
    assert not stack, f"unclosed: {stack}"
    for spec, body in re.findall(r"\\begin\{tabular\}\{([lcr]+)\}(.*?)\\end\{tabular\}", tex, re.S):
        rows = [line for line in body.strip().splitlines() if line.endswith(r"\\")]
        assert rows
        for line in rows:
            cells = re.split(r"(?<!\\)&", line[:-2])
            assert len(cells) == len(spec), line
            for cell in cells:
                text = re.sub(r"\\[A-Za-z]+(\{[^{}]*\})?|\\[&%$#_{}]|\$\^?\\[a-z]+\$|\{|\}", "", cell)
                assert not re.search(r"[&%$#_^~\\]", text), f"unescaped special character in {cell!r}"


def test_latex_output_is_well_formed(reg, two):
    tex = run("report", *two, "--format", "latex", "--scale", "100").stdout
    _latex_structure(tex)
    assert tex.count(r"\begin{tabular}{llrr}") == 1 and tex.count(r"\begin{tabular}{lrr}") == 1
    assert r"model\_B\&co" in tex and r"toyrep.ner\_a" in tex and r"entity\_f1 $\uparrow$" in tex
    assert r"\textbf{60.00}" in tex
    assert "% WARNING: the models cover different tasks" in tex


LATEX_DOCUMENT = r"""\documentclass{article}
\IfFileExists{booktabs.sty}{\usepackage{booktabs}}{%
  \newcommand{\toprule}{\hline}\newcommand{\midrule}{\hline}\newcommand{\bottomrule}{\hline}}
\begin{document}
BODY
\end{document}
"""


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex is not installed (apt-get install texlive-latex-base)")
def test_latex_output_compiles_with_pdflatex(reg, two, tmp_path):
    """The tables compile in a plain article (booktabs when installed, else its
    three rules as \\hline), special characters in model names included."""
    odd = results(tmp_path / "c.json", r"m~x^y\z#1%_{2}$", {"toyrep.ner_a": 0.4, "toyrep.sts_d": 3.0})
    tex = run("report", *two, odd, "--format", "latex", "--scale", "100").stdout
    (tmp_path / "report.tex").write_text(LATEX_DOCUMENT.replace("BODY", tex))
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "report.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    log = (tmp_path / "report.log").read_text(errors="replace")
    assert done.returncode == 0, log[-3000:]
    assert (tmp_path / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "Missing character" not in log and "Undefined control sequence" not in log


def test_latex_escape_every_special():
    assert latex_escape(r"a_b&c%d$e#f{g}h~i^j\k") == (
        r"a\_b\&c\%d\$e\#f\{g\}h\textasciitilde{}i\textasciicircum{}j\textbackslash{}k"
    )


def test_the_figure_is_a_png(reg, two, tmp_path):
    pytest.importorskip("matplotlib", reason="the [plot] extra (matplotlib) is not installed")
    fig = tmp_path / "fig" / "categories.png"
    result = run("report", *two, "--plot", fig)
    assert result.exit_code == 0, result.output
    data = fig.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and data[-8:-4] == b"IEND"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 300 and height > 300
    svg = tmp_path / "categories.svg"
    assert run("report", *two, "--plot", svg).exit_code == 0
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_missing_matplotlib_names_the_pip_command(reg, two, tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_mpl(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_mpl)
    result = run("report", *two, "--plot", tmp_path / "f.png")
    assert result.exit_code == 1
    assert "pip install 'medinst-core[plot]'" in result.stderr


def test_bad_inputs(two, tmp_path):
    with pytest.raises(UsageError, match="--scale"):
        build_report(list(two), scale=0)
    only_a = results(tmp_path / "x.json", "X", {"toyrep.ner_b": 0.1})
    with pytest.raises(UsageError, match="no task has a value in every"):
        build_report([two[1], only_a], common_only=True)
