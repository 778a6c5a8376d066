"""The README's tour runs as shown.

Every ``console`` block of README.md that follows a ``<!-- tour -->`` line is
run in order, in one temporary folder, against the plugins' bundled samples:
``$ `` lines are commands, the lines below them what they print (stdout, then
stderr).  Each shown line must appear in the output, in order; a ``…`` line
stands for lines left out, a ``…`` inside a line for any text, and durations
(``0.04``, ``0.7s``) may differ.  A command ending in `` &`` is started in the
background (the tour's stand-in model server; its port 8000 is replaced by a
free one everywhere).  Every other ``medinst`` command the README shows is
checked against ``--help``: its verb and options exist.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
TOUR_PLUGINS = ["medinst_medqa", "medinst_scifact", "medinst_ncbi_disease", "medinst_bc5cdr"]
TIMED = ("build", "suite build", "predict")  # verbs whose output holds durations


def tour_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"<!-- tour -->\n```console\n(.*?)\n```", text, re.S)


def steps() -> list[tuple[str, list[str]]]:
    """(command, shown output lines) in README order."""
    out: list[tuple[str, list[str]]] = []
    for block in tour_blocks():
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            elif out:
                out[-1][1].append(line)
    return out


def _decimal(token: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?s?", token) is not None and "." in token


def line_matches(shown: str, actual: str, timed: bool) -> bool:
    if "…" in shown:
        pattern = ".*".join(re.escape(part) for part in shown.split("…"))
        return re.fullmatch(pattern, actual.rstrip()) is not None
    a, b = shown.split(), actual.split()
    if a == b:
        return True
    return timed and len(a) == len(b) and all(x == y or (_decimal(x) and _decimal(y)) for x, y in zip(a, b))


def check_output(command: str, shown: list[str], stdout: str, stderr: str) -> None:
    """Each shown line is the next non-blank line of stdout or of stderr (a
    terminal interleaves the two), or a later one after a ``…`` line."""
    timed = any(command.startswith(f"medinst {verb}") for verb in TIMED)
    streams = [stdout.splitlines(), stderr.splitlines()]
    pos = [0, 0]
    skipping = False
    for want in shown:
        if want.strip() == "…":
            skipping = True
            continue
        if not want.strip():
            continue
        for s, lines in enumerate(streams):
            i = pos[s]
            if skipping:
                while i < len(lines) and not line_matches(want, lines[i], timed):
                    i += 1
            else:
                while i < len(lines) and not lines[i].strip():
                    i += 1
            if i < len(lines) and line_matches(want, lines[i], timed):
                pos[s] = i + 1
                break
        else:
            raise AssertionError(f"README tour: `{command}` should print\n  {want}\nbut printed:\n{stdout}{stderr}")
        skipping = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_has_a_tour():
    commands = [c for c, _ in steps()]
    verbs = ["tasks", "data status", "data download", "build", "suite build", "predict", "evaluate", "report", "mix",
             "export"]
    for verb in verbs:
        assert any(c.startswith(f"medinst {verb}") for c in commands), f"the tour does not show `medinst {verb}`"


@pytest.mark.slow
def test_the_tour_runs_as_shown(tmp_path):
    for plugin in TOUR_PLUGINS:
        pytest.importorskip(plugin, reason=f"the tour uses {plugin} (bash .ci/install installs every plugin)")
    medinst = shutil.which("medinst", path=str(Path(sys.executable).parent)) or shutil.which("medinst")
    assert medinst, "the medinst command is not installed"
    port = str(free_port())
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "MEDINST_DATA", "OPENAI_API_KEY")}
    env["PATH"] = str(Path(medinst).parent) + os.pathsep + env.get("PATH", "")
    background: list[subprocess.Popen] = []
    try:
        for command, shown in steps():
            command = command.replace("8000", port)
            argv = shlex.split(command.removesuffix("&").strip())
            if argv[0] == "python":
                argv[0] = sys.executable
            if argv[0] == "mkdir":
                (tmp_path / argv[-1]).mkdir(parents=True, exist_ok=True)
                continue
            if command.endswith("&"):
                background.append(subprocess.Popen(argv, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True))
                _wait_for(int(port))
                continue
            done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
            expected_status = 1 if "data download" in command and "medqa" in command else 0
            assert done.returncode == expected_status, f"`{command}` exited {done.returncode}:\n{done.stdout}{done.stderr}"
            check_output(command, shown, done.stdout, done.stderr)
    finally:
        for proc in background:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the tour's model server did not start on port {port}")


def readme_commands() -> list[str]:
    """Every `medinst ...` command line the README shows (tour or not)."""
    text = re.sub(r"\\\n\s*", " ", README.read_text(encoding="utf-8"))  # continued lines joined
    found = []
    in_fence = False
    for raw in text.splitlines():
        if raw.startswith("```"):
            in_fence = not in_fence
            continue
        if not (in_fence or raw.startswith("    ")):
            continue  # prose
        line = raw.strip().removeprefix("$ ")
        m = re.match(r"(?:\.venv/bin/)?medinst (.*)", line)
        if m:
            found.append(m.group(1).split("#")[0].strip())
    return found


def test_every_verb_and_option_the_readme_names_exists():
    from click.testing import CliRunner

    from medinst_core.cli import main

    runner = CliRunner()
    for args in readme_commands():
        words = shlex.split(args.replace("&&", ""))
        path: list[str] = []
        for word in words:  # the verb, and a sub-verb when the verb is a group
            if word.startswith("-"):
                break
            help_text = runner.invoke(main, [*path, word, "--help"])
            if help_text.exit_code != 0:
                break
            path.append(word)
        assert path, f"README: `medinst {args}`: no such verb"
        help_text = runner.invoke(main, [*path, "--help"]).output
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", args):
            if option in ("--help", "--debug", "--version"):
                continue
            assert option in help_text, f"README: `medinst {args}`: `medinst {' '.join(path)}` has no option {option}"
