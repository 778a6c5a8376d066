from __future__ import annotations

import pytest

from medinst_core.errors import MissingFilesError
from medinst_core.sources import FileIndex, normalize_roles


@pytest.fixture
def tree(tmp_path):
    for rel in [
        "a/original-data/train/PMID-1.txt", "a/original-data/train/PMID-1.a1",
        "a/original-data/devel/PMID-2.txt", "BioNLP-ST_2011_genia_train_data_rev1/PMID-3.txt",
        "x/CDR_TrainingSet.PubTator.txt", ".hidden/CDR_TrainingSet.PubTator.txt",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    return FileIndex(tmp_path)


def names(paths):
    return [p.name for p in paths]


def test_bare_name_matches_anywhere_but_hidden_folders(tree):
    assert [p.relative_to(tree.root).as_posix() for p in tree.find(["CDR_TrainingSet.PubTator.txt"])] == ["x/CDR_TrainingSet.PubTator.txt"]


def test_folder_patterns_accept_both_layouts(tree):
    assert names(tree.find(["train/*.txt", "*_train_data*/*.txt"])) == ["PMID-3.txt", "PMID-1.txt"]
    assert names(tree.find(["**/devel/*.txt"])) == ["PMID-2.txt"]
    assert names(tree.find(["original-data/**/*.a1"])) == ["PMID-1.a1"]


def test_missing_files_error_names_patterns_and_folder(tree):
    with pytest.raises(MissingFilesError) as info:
        tree.resolve({"data": ["CDR_TestSet.PubTator.txt"]}, what="bc5cdr.re test")
    message = str(info.value)
    assert "bc5cdr.re test" in message and "CDR_TestSet.PubTator.txt" in message and str(tree.root) in message


def test_macos_companions_and_hidden_files_are_not_data(tmp_path):
    for rel in ["c/PMID-1.txt", "c/._PMID-1.txt", "c/.DS_Store", "__MACOSX/c/._PMID-1.txt", "__MACOSX/c/PMID-9.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"\x00\x05\x16\x07")
    assert [p.relative_to(tmp_path).as_posix() for p in FileIndex(tmp_path).find(["*.txt", "*"])] == ["c/PMID-1.txt"]


def test_the_data_directory_may_be_the_dataset_folder_itself(tmp_path):
    medal = tmp_path / "MeDAL"
    (medal / "pretrain_subset").mkdir(parents=True)
    (medal / "train.csv").write_text("x")
    (medal / "pretrain_subset" / "train.csv").write_text("x")
    patterns = ["*[Mm][Ee][Dd][Aa][Ll]*/train.csv"]
    # from the parent: found as always
    assert [p.relative_to(tmp_path).as_posix() for p in FileIndex(tmp_path).find(patterns)] == ["MeDAL/train.csv"]
    # from the folder itself: its own name completes the pattern
    assert FileIndex(medal).find(patterns) == (medal / "train.csv",)
    # only when nothing matches below it: files found the ordinary way are never joined by such matches
    assert FileIndex(medal).find(patterns + ["pretrain_subset/train.csv"]) == (medal / "pretrain_subset" / "train.csv",)


def test_missing_data_dir(tmp_path):
    with pytest.raises(MissingFilesError, match="does not exist"):
        FileIndex(tmp_path / "nope")


def test_normalize_roles():
    assert normalize_roles("a.txt") == {"data": ["a.txt"]}
    assert normalize_roles(["a", "b"]) == {"data": ["a", "b"]}
    assert normalize_roles({"claims": "c.jsonl", "corpus": ["x", "y"]}) == {"claims": ["c.jsonl"], "corpus": ["x", "y"]}
