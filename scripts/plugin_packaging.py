"""Apply the packaging convention of medinst_core.packaging to every dataset
plugin, or check it.

    python scripts/plugin_packaging.py            # rewrite pyproject.toml, LICENSE, MANIFEST.in, py.typed, README links
    python scripts/plugin_packaging.py --check    # list the plugins that do not follow it; exit 1 if any
    python scripts/plugin_packaging.py plugins/medinst-x   # only these plugins

The core's own pyproject.toml gets its [project.urls] from the same setting
(medinst_core.packaging.REPOSITORY and HOMEPAGE) when no plugin is named.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medinst_core.packaging import apply, core_urls, problems

REPO = Path(__file__).resolve().parent.parent


def plugin_dirs(args: list[str]) -> list[Path]:
    return [Path(a) for a in args] if args else sorted(p for p in (REPO / "plugins").iterdir() if (p / "pyproject.toml").is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only report plugins that do not follow the convention")
    ap.add_argument("plugins", nargs="*")
    args = ap.parse_args(argv)
    bad = 0
    if not args.plugins:
        core = REPO / "pyproject.toml"
        text = core.read_text(encoding="utf-8")
        if not args.check:
            core.write_text(core_urls(text), encoding="utf-8")
        elif core_urls(text) != text:
            bad += 1
            print("pyproject.toml: [project.urls] differs from medinst_core.packaging's REPOSITORY and HOMEPAGE")
    for plugin_dir in plugin_dirs(args.plugins):
        if not args.check:
            apply(plugin_dir)
        for problem in problems(plugin_dir):
            bad += 1
            print(f"{plugin_dir.name}: {problem}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
