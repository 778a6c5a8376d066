from __future__ import annotations

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_paramed"
TASK = "paramed.transl"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples_translate_zh_to_en(registry):
    folder = registry.tasks[TASK].bundled
    zh = (folder / "nejm.train.zh").read_text(encoding="utf-8").splitlines()
    en = (folder / "nejm.train.en").read_text(encoding="utf-8").splitlines()
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == list(zip(zh, en))
    assert [s["id"] for s in train] == [f"{TASK}:train:{i}" for i in range(3)]
    dev = task_samples(registry, TASK, "dev", folder, bundled=True)  # nejm.dev.zh has CRLF line endings
    assert dev[0]["input"] == "治疗组的住院时间较短（中位数，5 天 vs. 7 天）。"
    assert not any("\r" in s["input"] or "\r" in s["output"] for s in dev)
    test = task_samples(registry, TASK, "test", folder, bundled=True)
    assert test[1]["output"] == "The electrocardiogram showed ST @-@ segment elevation ."  # kept as distributed


def test_archive_layout_and_counts(registry, tmp_path):
    folder = tmp_path / "processed_data" / "open_access" / "open_access"
    folder.mkdir(parents=True)
    n = 57
    (folder / "nejm.dev.zh").write_text("".join(f"第 {i} 句。\n" for i in range(n)), encoding="utf-8")
    (folder / "nejm.dev.en").write_text("".join(f"Sentence {i} .\n" for i in range(n)), encoding="utf-8")
    dev = task_samples(registry, TASK, "dev", tmp_path)
    assert len(dev) == n
    assert dev[-1]["input"] == "第 56 句。" and dev[-1]["output"] == "Sentence 56 ."


def test_tarball_with_every_split(registry, tmp_path):
    """nejm-open-access.tar.gz unpacked: the six files of processed_data/open_access/open_access/, with the
    AppleDouble companions (._nejm.*) a macOS tar adds and a Windows line end; each split pairs its own files."""
    folder = tmp_path / "nejm-open-access" / "processed_data" / "open_access" / "open_access"
    folder.mkdir(parents=True)
    sizes = {"train": 5, "dev": 3, "test": 4}
    for split, n in sizes.items():
        (folder / f"nejm.{split}.zh").write_text("".join(f"{split} 第 {i} 句。\n" for i in range(n)), encoding="utf-8")
        (folder / f"nejm.{split}.en").write_bytes("".join(f"{split} sentence {i} @-@ long .\r\n" for i in range(n)).encode())
        (folder / f"._nejm.{split}.zh").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
        (folder / f"._nejm.{split}.en").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    for split, n in sizes.items():
        got = task_samples(registry, TASK, split, tmp_path)
        assert [(s["input"], s["output"]) for s in got] == [
            (f"{split} 第 {i} 句。", f"{split} sentence {i} @-@ long .") for i in range(n)]


def test_misaligned_files_are_an_error(registry, tmp_path):
    (tmp_path / "nejm.test.zh").write_text("一。\n二。\n三。\n", encoding="utf-8")
    (tmp_path / "nejm.test.en").write_text("One .\nTwo .\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"different line counts: .*nejm.test.zh has 3 lines, .*nejm.test.en has 2"):
        task_samples(registry, TASK, "test", tmp_path)
