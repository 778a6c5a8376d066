"""Make the baseline core of ``bench_all.py``: a commit's ``medinst_core`` and
``schema/`` with only the file resolution put back as it was before the file
index (commit a3ad701): ``FileIndex.find`` matching every pattern against every
listed file, ``_match`` building a fresh ``lru_cache`` closure per call.  The
rest of the core (the symlink-safe walk, the messages, the manifests' schema)
is the commit's, so the baseline loads the same manifests as the current core.

    python benchmarks/resolution_baseline.py /tmp/base [--commit HEAD]
    python benchmarks/bench_all.py --data-dir /work/shared/data --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

OLD_MATCH = '''def _match(segments: list[re.Pattern | None], parts: Sequence[str]) -> bool:
    """Match compiled segments against the *end* of ``parts``."""

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        # i indexes segments from the right, j parts from the right
        if i < 0:
            return True
        if j < 0:
            return all(s is None for s in segments[: i + 1])
        seg = segments[i]
        if seg is None:
            return go(i - 1, j) or go(i, j - 1)
        return bool(seg.match(parts[j])) and go(i - 1, j - 1)

    return go(len(segments) - 1, len(parts) - 1)


'''

OLD_FIND = '''        compiled = [_compile(pattern) for pattern in patterns]
        found = {p for p in self._files if any(_match(segs, p) for segs in compiled)}
        if not found:
            name = self.root.resolve().name
            if name:
                found = {p for p in self._files if any(_match(segs, (name, *p)) for segs in compiled)}
        return tuple(self.root.joinpath(*p) for p in sorted(found))

'''


def old_resolution(source: str) -> str:
    """``sources.py`` with ``_match`` and the body of ``FileIndex.find`` replaced."""
    start, end = source.index("def _match("), source.index("def _match_fixed(")
    source = source[:start] + OLD_MATCH + source[end:]
    source = source.replace("import re\n", "import re\nfrom functools import lru_cache\n", 1)
    start = source.index("        compiled = [_compile(pattern) for pattern in patterns]\n")
    end = source.index("    def _by_name(")
    return source[:start] + OLD_FIND + source[end:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--commit", default="HEAD")
    args = ap.parse_args()
    archive = subprocess.run(["git", "archive", args.commit, "medinst_core", "schema"], capture_output=True,
                             check=True).stdout
    shutil.rmtree(args.dest, ignore_errors=True)
    args.dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
            tar.extractall(args.dest, filter="data")
        else:  # the repository's own archive
            tar.extractall(args.dest)
    sources = args.dest / "medinst_core" / "sources.py"
    sources.write_text(old_resolution(sources.read_text()))
    print(f"{args.dest}: medinst_core of {args.commit} with the resolution of before a3ad701")


if __name__ == "__main__":
    main()
