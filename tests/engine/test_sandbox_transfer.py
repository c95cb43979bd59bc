"""Copies across the sandbox boundary take regular files only, within a size cap."""
import os

import pytest

from autograders.sandbox import transfer


def test_links_and_fifos_are_skipped_never_followed(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("scores")
    source = tmp_path / "submission"
    (source / "sub").mkdir(parents=True)
    (source / "01_activations.ipynb").write_text("{}")
    (source / "sub" / "data.txt").write_text("data")
    (source / "link.ipynb").symlink_to(secret)
    (source / "linked_folder").symlink_to(tmp_path)
    os.mkfifo(source / "pipe")
    copied = transfer.copy_tree(source, tmp_path / "copy", max_bytes=1000)
    names = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*"))
    assert names == ["01_activations.ipynb", "sub", "sub/data.txt"]
    assert copied == 6


def test_the_source_itself_must_be_a_real_folder(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OSError):
        transfer.copy_tree(tmp_path / "link", tmp_path / "copy", 1000)
    with pytest.raises(FileNotFoundError):
        transfer.copy_tree(tmp_path / "absent", tmp_path / "copy", 1000)


def test_too_many_bytes_or_files(tmp_path):
    source = tmp_path / "submission"
    source.mkdir()
    (source / "big").write_bytes(b"x" * 5000)
    with pytest.raises(transfer.TooLarge):
        transfer.copy_tree(source, tmp_path / "a", max_bytes=4000)
    for i in range(5):
        (source / f"f{i}").write_text("")
    with pytest.raises(transfer.TooLarge):
        transfer.copy_tree(source, tmp_path / "b", max_bytes=10 ** 6, max_files=3)


def test_remove_tree_copes_with_unwritable_folders(tmp_path):
    locked = tmp_path / "tree" / "locked"
    locked.mkdir(parents=True)
    (locked / "file").write_text("x")
    locked.chmod(0o500)
    transfer.remove_tree(tmp_path / "tree")
    assert not (tmp_path / "tree").exists()
