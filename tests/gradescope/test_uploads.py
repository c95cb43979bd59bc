"""Finding the student's notebooks in a Gradescope upload (no grading: fast)."""
import io
import json
import zipfile

from autograders.gradescope_zip import uploads
from autograders.items import NOTEBOOKS


def notebook(grade_id="sigmoid"):
    cell = {"cell_type": "code", "source": "", "outputs": [], "execution_count": None,
            "metadata": {"nbgrader": {"grade_id": grade_id, "solution": True}}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]})


def write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_top_level_folder_and_shallowest_copy(tmp_path):
    write(tmp_path / "up", {"01_activations.ipynb": notebook(),
                            "old/01_activations.ipynb": notebook(),
                            "hw/02_numpy_network.ipynb": notebook("backprop"),
                            ".ipynb_checkpoints/03_pytorch_training.ipynb": notebook(),
                            "__MACOSX/hw/._04_fitting.ipynb": "junk", "notes.txt": "x"})
    found = uploads.find(tmp_path / "up", tmp_path / "scratch")
    assert found.files == {"01_activations": tmp_path / "up/01_activations.ipynb",
                           "02_numpy_network": tmp_path / "up/hw/02_numpy_network.ipynb"}
    assert found.missing == ["03_pytorch_training", "04_fitting"]
    assert any("graded 01_activations.ipynb, not old/01_activations.ipynb" in n
               for n in found.notes)
    assert "03_pytorch_training.ipynb, 04_fitting.ipynb" in found.notes[-1]


def test_misnamed_notebook_graded_by_its_grade_ids(tmp_path):
    write(tmp_path / "up", {"01_activations (1).ipynb": notebook("sigmoid"),
                            "scratch.ipynb": notebook("no-such-id")})
    found = uploads.find(tmp_path / "up", tmp_path / "scratch")
    assert found.files == {"01_activations": tmp_path / "up/01_activations (1).ipynb"}
    assert any("01_activations (1).ipynb was graded as 01_activations.ipynb" in n
               for n in found.notes)
    assert any("scratch.ipynb is not one of the assignment's notebooks" in n for n in found.notes)


def test_zip_members_never_become_paths(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("../../evil/01_activations.ipynb", notebook())   # ignored
        archive.writestr("/tmp/evil/02_numpy_network.ipynb", notebook("backprop"))
        archive.writestr("__MACOSX/._02_numpy_network.ipynb", "junk")
    write(tmp_path / "up", {"work.zip": data.getvalue(), "broken.zip": b"not a zip"})
    found = uploads.find(tmp_path / "up", tmp_path / "scratch")
    assert list(found.files) == ["02_numpy_network"]
    assert found.files["02_numpy_network"].is_relative_to(tmp_path / "scratch")
    assert not (tmp_path / "evil").exists() and not list(tmp_path.glob("**/evil"))
    assert any("broken.zip could not be opened as a zip" in n for n in found.notes)


def test_a_zip_unpacks_within_its_caps(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1000)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("01_activations.ipynb", notebook())
        archive.writestr("02_numpy_network.ipynb", notebook("backprop") + " " * 2000)
    write(tmp_path / "up", {"work.zip": data.getvalue()})
    found = uploads.find(tmp_path / "up", tmp_path / "scratch")
    assert list(found.files) == ["01_activations"]
    assert any("02_numpy_network.ipynb: the zip unpacks to too much" in n for n in found.notes)


def test_links_are_ignored(tmp_path):
    (tmp_path / "up").mkdir()
    (tmp_path / "secret.ipynb").write_text(notebook())
    (tmp_path / "up" / "01_activations.ipynb").symlink_to(tmp_path / "secret.ipynb")
    found = uploads.find(tmp_path / "up", tmp_path / "scratch")
    assert found.files == {} and found.missing == list(NOTEBOOKS)
