"""Where a task's source files stand: present, missing or unexpected, and
fetching the openly hosted ones.

A manifest's ``dataset`` block may list

* ``files``: the official files a reader reads, each ``{"path", "size",
  "sha256"}`` where ``path`` is the file's name or the end of its path as
  distributed (``NCBItestset_corpus.txt``, ``US/test.jsonl``).  A file found
  under the data folder is compared with the entry whose ``path`` ends its own
  path (the longest such entry);
* ``downloads``: openly hosted files ``{"url", "sha256"?, "size"?, "name"?,
  "unpack"?, "note"?}`` that ``medinst data download`` fetches into
  ``<data folder>/<plugin>/<name>`` (``name`` may hold folders, kept as the
  manifest's patterns expect them), verifies and unpacks (``.zip``,
  ``.tar.gz``, ``.tgz``, ``.tar``, ``.gz``) in the folder the file lands in.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from .errors import MedinstError, MissingFilesError, UsageError
from .filefacts import sha256_file
from .plugins import Registry, TaskSpec


def expected_entry(manifest: Mapping[str, Any], rel_path: str) -> Mapping[str, Any] | None:
    """The ``dataset.files`` entry describing the file at ``rel_path`` (a path
    relative to the data folder), or ``None``: the longest entry ending the
    path, the first of them on a tie."""
    parts = PurePosixPath(rel_path).parts
    if not parts:
        return None
    best: Mapping[str, Any] | None = None
    best_len = 0
    # only entries of the same file name can end the path
    for want, entry in _entries_by_name(manifest.get("dataset", {}).get("files", ())).get(parts[-1], ()):
        if len(want) <= len(parts) and parts[len(parts) - len(want):] == want and len(want) > best_len:
            best, best_len = entry, len(want)
    return best


#: id of a manifest's ``dataset.files`` list -> (the list, its entries by file name)
_BY_NAME: dict[int, tuple[Any, dict[str, list[tuple[tuple[str, ...], Mapping[str, Any]]]]]] = {}


def _entries_by_name(files: Any) -> dict[str, list[tuple[tuple[str, ...], Mapping[str, Any]]]]:
    """The entries of a ``dataset.files`` list grouped by the last part of
    their path, in list order, made once per list: a split's files were each
    compared with every entry before (a quadratic cost for the datasets whose
    manifests list thousands of files)."""
    cached = _BY_NAME.get(id(files))
    if cached is not None and cached[0] is files:
        return cached[1]
    index: dict[str, list[tuple[tuple[str, ...], Mapping[str, Any]]]] = {}
    for entry in files:
        want = PurePosixPath(entry["path"]).parts
        if want:  # an empty path ends no path
            index.setdefault(want[-1], []).append((want, entry))
    _BY_NAME[id(files)] = (files, index)  # the list is kept, so its id is not reused
    return index


def expected_match(task: TaskSpec, facts: Mapping[str, Any]) -> str:
    """Whether a source file matches the manifest's ``dataset.files`` entry for
    it: ``match``, ``mismatch`` (size or sha256 differ) or ``unknown`` (no entry)."""
    entry = expected_entry(task.manifest, facts["path"])
    if entry is None:
        return "unknown"
    if "size" in entry and entry["size"] != facts["size"]:
        return "mismatch"
    if "sha256" in entry and entry["sha256"] != facts["sha256"]:
        return "mismatch"
    return "match"


def missing_reason(task: TaskSpec, split: str, exc: BaseException) -> str:
    """A missing-files message without the task named twice, with the
    manifest's download hint."""
    text = str(exc)
    prefix = f"{task.id} {split}: "
    if text.startswith(prefix):
        text = text[len(prefix):]
    hint = task.manifest["dataset"].get("download")
    if hint:
        text += f" (download: {hint})"
    return text


def official_split_note(manifest: Mapping[str, Any], split: str) -> str:
    """How a split relates to the distribution's own splits when their names
    differ (``source.official_splits``), e.g. ``dev ← official test (as
    MedINST)``; empty when the split reads the official split of its name."""
    official = (manifest.get("source", {}).get("official_splits") or {}).get(split)
    if not official:
        return ""
    return f"{split} ← official {official}" + (" (as MedINST)" if manifest.get("medinst") else "")


def sha256_of(path: Path, cache: dict[Path, str] | None = None) -> str:
    if cache is not None and path in cache:
        return cache[path]
    value = sha256_file(path)
    if cache is not None:
        cache[path] = value
    return value


@attrs.define
class SplitStatus:
    task: str
    split: str
    #: present, missing or unexpected (a file's size or sha256 differs from the manifest's)
    status: str
    files: list[dict[str, Any]] = attrs.field(factory=list)
    reason: str = ""
    download: str = ""
    #: how the split maps to the distribution's own splits, e.g. "dev ← official test (as MedINST)"
    official: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = {"task": self.task, "split": self.split, "status": self.status, "files": self.files}
        if self.official:
            data["official"] = self.official
        if self.reason:
            data["reason"] = self.reason
        if self.download:
            data["download"] = self.download
        return data


def download_hint(task: TaskSpec) -> str:
    d = task.manifest["dataset"]
    hint = d.get("download") or f"see {d['homepage']}"
    if d.get("access") == "registration":
        hint += f" (registration required: {d['homepage']})"
    return hint


def data_status(
    tasks: Iterable[TaskSpec], data_dir: str | os.PathLike, *, verify: bool = True
) -> list[SplitStatus]:
    """The status of every split of ``tasks`` under ``data_dir``."""
    from .sources import FileIndex, normalize_roles

    index = FileIndex(data_dir)
    root = Path(data_dir)
    cache: dict[Path, str] = {}
    out: list[SplitStatus] = []
    for task in tasks:
        for split in task.splits:
            official = official_split_note(task.manifest, split)
            try:
                files = index.resolve(normalize_roles(task.manifest["source"]["splits"][split]), what=f"{task.id} {split}",
                                      optional_roles=task.manifest["source"].get("optional_roles", ()))
            except MissingFilesError as exc:
                reason = missing_reason(task, split, exc).split(" (download:")[0]
                out.append(SplitStatus(task.id, split, "missing", reason=reason, download=download_hint(task), official=official))
                continue
            status = "present"
            facts = []
            for role in sorted(files.roles):
                for path in files.roles[role]:
                    try:
                        rel = path.relative_to(root).as_posix()
                    except ValueError:
                        rel = str(path)
                    entry = expected_entry(task.manifest, rel)
                    item: dict[str, Any] = {"path": rel, "size": path.stat().st_size, "check": "unknown"}
                    if entry is not None:
                        item["check"] = "match"
                        if "size" in entry and entry["size"] != item["size"]:
                            item["check"] = "mismatch"
                        elif verify and "sha256" in entry:
                            if sha256_of(path, cache) != entry["sha256"]:
                                item["check"] = "mismatch"
                    if item["check"] == "mismatch":
                        status = "unexpected"
                    facts.append(item)
            out.append(SplitStatus(task.id, split, status, files=facts, official=official))
    return out


# -- downloading ---------------------------------------------------------------


class DownloadError(MedinstError):
    """A download failed or its checksum did not match."""


def _name_of(entry: Mapping[str, Any]) -> str:
    if entry.get("name"):
        return entry["name"]
    from urllib.parse import urlparse

    name = PurePosixPath(urlparse(entry["url"]).path).name
    if not name:
        raise UsageError(f"download {entry['url']!r} has no file name; give one as 'name'")
    return name


def fetch(
    url: str,
    target: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` to ``target``, resuming a ``<target>.part`` left by an
    interrupted transfer (HTTP Range), and verify the size and sha256 when
    given.  A file that does not match is deleted and an error raised; the
    target appears only once verified."""
    try:
        import httpx
    except ImportError:
        from .errors import MissingExtraError

        raise MissingExtraError("downloading needs httpx: pip install 'medinst-core[download]'") from None

    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    total: int | None
    # identity: the bytes on disk are the file's, so a range continues them
    headers = {"Accept-Encoding": "identity", **({"Range": f"bytes={have}-"} if have else {})}
    try:
        with httpx.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as response:
            if response.status_code == 416 and have:  # the part file is already complete
                total = have
            else:
                if response.status_code not in (200, 206):
                    raise DownloadError(f"{url}: HTTP {response.status_code}")
                if response.status_code == 200:
                    have = 0  # the server ignored the range: start again
                length = response.headers.get("content-length")
                total = have + int(length) if length is not None else size
                with open(part, "ab" if have else "wb") as f:
                    done = have
                    if progress:
                        progress(done, total)
                    for chunk in response.iter_raw():  # as received: nothing is held back on an interruption
                        f.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
    except httpx.HTTPError as exc:
        raise DownloadError(
            f"{url}: transfer interrupted ({type(exc).__name__}: {exc}); run the command again to resume "
            f"({part.stat().st_size if part.exists() else 0:,} bytes kept in {part})"
        ) from exc
    actual = part.stat().st_size
    if size is not None and actual != size:
        if actual > size:
            part.unlink()
        raise DownloadError(f"{url}: expected {size:,} bytes, received {actual:,}" + ("" if actual < size else "; file deleted"))
    if sha256 is not None:
        digest = sha256_of(part)
        if digest != sha256:
            part.unlink()
            raise DownloadError(f"{url}: sha256 {digest} does not match the expected {sha256}; the file was deleted")
    os.replace(part, target)
    return target


def unpack(archive: Path, dest: Path) -> list[Path]:
    """Unpack a zip or tar archive (or a single .gz file) into ``dest``;
    members with absolute paths or ``..`` are refused."""
    name = archive.name.lower()
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()

    def safe(member: str) -> Path:
        target = (dest / member).resolve()
        if not target.is_relative_to(root):
            raise DownloadError(f"{archive}: member {member!r} would be written outside {dest}")
        return target

    if name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                safe(member)
            z.extractall(dest)
            return [dest / m for m in z.namelist() if not m.endswith("/")]
    if name.endswith((".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")):
        with tarfile.open(archive) as t:
            members = [m for m in t.getmembers() if m.isfile() or m.isdir()]
            for m in members:
                safe(m.name)
            t.extractall(dest, members=members)
            return [dest / m.name for m in members if m.isfile()]
    if name.endswith(".gz"):
        target = safe(archive.name[:-3])
        with gzip.open(archive, "rb") as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out)
        return [target]
    return [archive]


def downloads_of(tasks: Iterable[TaskSpec]) -> dict[str, tuple[TaskSpec, list[Mapping[str, Any]]]]:
    """Per dataset name: a task and the dataset's ``downloads`` (deduplicated by url)."""
    out: dict[str, tuple[TaskSpec, list[Mapping[str, Any]]]] = {}
    for task in tasks:
        d = task.manifest["dataset"]
        _, entries = out.setdefault(d["name"], (task, []))
        for entry in d.get("downloads", ()):
            if all(e["url"] != entry["url"] for e in entries):
                entries.append(entry)
    return out


def select_for_download(registry: Registry, names: Iterable[str]) -> list[TaskSpec]:
    """Tasks named by task id, plugin name or dataset name."""
    chosen: dict[str, TaskSpec] = {}
    for name in names:
        by_dataset = [t for t in registry.tasks.values() if t.dataset["name"].lower() == name.lower()]
        if by_dataset:
            chosen.update((t.id, t) for t in by_dataset)
        else:
            chosen.update((t.id, t) for t in registry.select_tasks([name]))
    return list(chosen.values())
