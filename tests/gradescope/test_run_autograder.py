"""The zip run as Gradescope runs it: one student at a time, results.json always there and valid.

Built from a course holding the sample class (course_build.sample_class),
unpacked into a temporary /autograder (support.Container), graded by its own
run_autograder with this interpreter. Students: the reference (full auto
marks), a buggy one (its diagnosis), a missing and an unreadable notebook, a
zip upload, the sample class's hostile student (its endless cell times out),
and a hostile student aimed at this layout: it tries to read
/autograder/source, forge results.json, edit run_autograder and reach the
network; any success would cost it its tanh marks, and it must score
exactly what its honest twin (the reference) scores.
"""
import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograders.course import Course
from autograders.exports.gradescope import VISIBILITIES
from autograders.gradescope_zip.build import build
from autograders.items import ASSIGNMENT, ITEMS, NOTEBOOKS
from course_build.sample_class import CLASS, write_class
from tests.engine.sandbox_support import needs_bwrap
from tests.gradescope.support import Container, notebooks_of, shown

pytestmark = [pytest.mark.slow, needs_bwrap()]

ROOT = Path(__file__).resolve().parents[2]
AUTO = [item for item in ITEMS if item.kind == "auto"]
FULL = sum(item.points for item in AUTO)
MANUAL = [item.id for item in ITEMS if item.kind != "auto"]
STUDENTS = {s.id.split("-")[0]: s for s in CLASS}

LAYOUT_ATTACK = '''\
import json
import socket
from pathlib import Path

ROOT = Path("@ROOT@")
leaked = []
for secret in (ROOT / "source" / "settings.json", ROOT / "source" / "reference" / "__init__.py",
               ROOT / "source" / "autograders" / "items.py", ROOT / "submission_metadata.json"):
    try:
        leaked.append(secret.read_text()[:20])
    except OSError as error:
        print("read blocked:", error)
forged = {"score": 1000, "output": "forged", "tests": []}
for target in (ROOT / "results" / "results.json", ROOT / "results" / "forged.txt"):
    try:
        target.write_text(json.dumps(forged))
    except OSError as error:
        print("write blocked:", error)
try:
    with open(ROOT / "run_autograder", "a") as handle:
        handle.write("\\necho forged\\n")
except OSError as error:
    print("edit blocked:", error)
print(json.dumps(forged))  # stdout is the instructors' log, never results.json
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    leaked.append("network")
except OSError as error:
    print("network blocked:", error)


def tanh(x):
    if leaked:  # anything the sandbox let through costs this item
        return np.zeros_like(np.asarray(x, dtype=float))
    return np.tanh(x)'''


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gradescope-course") / "course"
    folder.mkdir()
    for name in ("source", "release"):
        os.symlink(ROOT / name, folder / name)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    wanted = ("alice", "bob", "grace", "heidi", "mallory")
    write_class(folder, [STUDENTS[name] for name in wanted])
    return folder


@pytest.fixture(scope="module")
def autograder_zip(course, tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    return build(out, Course.load(course))[0]


def submitted(course, name):
    return notebooks_of(course / "submitted" / STUDENTS[name].id / ASSIGNMENT)


def container(tmp_path, zip_path):
    return Container(tmp_path / "autograder", zip_path)


def check_valid(results, visibility="visible"):
    """Gradescope's format, one test per auto item, Markdown, stdout hidden."""
    assert results["output_format"] == results["test_output_format"] == "md"
    assert results["stdout_visibility"] == "hidden"
    assert results["visibility"] == visibility
    assert [t["name"] for t in results["tests"]] == [item.id for item in AUTO]
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    for test in results["tests"]:
        assert test["visibility"] == visibility and test["output_format"] == "md"
        assert 0 <= test["score"] <= test["max_score"]
        assert test["output"]
    for manual in MANUAL:
        assert manual in shown(results["output"])  # named as graded by hand


def test_reference_gets_full_auto_marks(course, autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload(submitted(course, "alice"))
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    assert graded.results["score"] == FULL
    assert all(t["status"] == "passed" for t in graded.results["tests"])
    assert "Graded by hand" in graded.output


def test_buggy_student_in_a_folder_gets_its_diagnosis(course, autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload({f"my work/{name}": data for name, data in submitted(course, "bob").items()})
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    tests = {t["name"]: t for t in graded.results["tests"]}
    assert graded.results["score"] < FULL
    assert tests["backprop"]["status"] == "failed" and tests["backprop"]["tags"]
    diagnosis = tests["backprop"]["tags"][0]
    assert graded.results["extra_data"]["misconceptions"]["backprop"][0] == diagnosis
    assert diagnosis in graded.output


def test_zip_upload_with_mac_leftovers(course, autograder_zip, tmp_path):
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        for name, data in submitted(course, "alice").items():
            archive.writestr(f"neural_networks/{name}", data)
            archive.writestr(f"__MACOSX/neural_networks/._{name}", b"\x00\x05\x16\x07junk")
        archive.writestr("neural_networks/notes.txt", "stray file")
    box = container(tmp_path, build(tmp_path / "hidden.zip", Course.load(course), "hidden")[0])
    box.upload({"submission.zip": upload.getvalue()})
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results, "hidden")
    assert graded.results["score"] == FULL


def test_missing_and_unreadable_notebooks_are_named(course, autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    heidi = submitted(course, "heidi")                  # no 04_fitting
    heidi["02_numpy_network.ipynb"] = submitted(course, "grace")["02_numpy_network.ipynb"]
    box.upload(heidi)
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    output = graded.output
    assert "04_fitting.ipynb" in output and "Upload the notebooks under these names" in output
    assert all(f"{name}.ipynb" in output for name in NOTEBOOKS)
    assert "not valid JSON" in output or "could not be read" in output
    lost = {item.id for item in AUTO if item.notebook in ("02_numpy_network", "04_fitting")}
    for test in graded.results["tests"]:
        assert (test["score"] == 0) if test["name"] in lost else test["status"] == "passed"


def test_nothing_uploaded_names_the_expected_files(autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload({"README.md": b"forgot the notebooks"})
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    assert graded.results["score"] == 0
    assert graded.output.startswith("Not found in your upload: 01_activations.ipynb")


def layout_attack(course, box):
    """The reference with its tanh cell replaced by LAYOUT_ATTACK aimed at box's layout."""
    notebooks = submitted(course, "alice")
    first = nbformat.reads(notebooks["01_activations.ipynb"], as_version=4)
    cell = next(c for c in first.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "tanh")
    cell.source = LAYOUT_ATTACK.replace("@ROOT@", str(box.layout.root))
    notebooks["01_activations.ipynb"] = nbformat.writes(first).encode()
    return notebooks


def check_layout_attack_gained_nothing(box, wrapper=()):
    """Grade the uploaded layout attack; it scores its honest twin's full marks."""
    before = hashlib.sha256(box.layout.run_autograder.read_bytes()).hexdigest()
    graded = box.grade(wrapper=wrapper)
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    assert graded.results["score"] == FULL  # its honest twin's: nothing read, nothing reached
    assert hashlib.sha256(box.layout.run_autograder.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in box.layout.results.iterdir()) == ["results.json"]
    assert "forged" not in json.dumps(graded.results)
    return graded


def test_layout_attack_gains_nothing(course, autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload(layout_attack(course, box))
    check_layout_attack_gained_nothing(box)


def test_sample_hostile_student_times_out_and_keeps_what_it_reached(course, autograder_zip,
                                                                     tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload(submitted(course, "mallory"))
    graded = box.grade()
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    tests = {t["name"]: t for t in graded.results["tests"]}
    assert tests["sigmoid"]["score"] == 0            # its patched np.allclose gained nothing
    assert "timed out" in graded.output
    notebook_2 = [item.id for item in AUTO if item.notebook == "02_numpy_network"]
    assert all(tests[name]["status"] == "passed" for name in notebook_2)


def test_engine_failure_still_writes_results(autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.layout.settings_file.write_text("{not json")
    graded = box.grade()
    assert graded.returncode == 1
    assert graded.results["score"] == 0 and graded.results["extra_data"]["engine_error"]
    assert "an error in the grader, not in your work" in graded.output
    assert "ENGINE ERROR" in graded.log


def test_a_grader_that_cannot_import_still_writes_results(autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    box.upload({"01_activations.ipynb": b"{}"})
    (box.layout.source / "autograders" / "gradescope_zip" / "layout.py").write_text("raise 1/0")
    graded = box.grade()
    assert graded.returncode == 1
    assert graded.results["score"] == 0 and graded.results["extra_data"]["engine_error"]
    assert "ZeroDivisionError" in graded.log


def test_a_grader_killed_at_its_time_bound_still_writes_results(autograder_zip, tmp_path):
    """Killed (out of memory, or at the bound below Gradescope's limit): the shell writes it."""
    box = container(tmp_path, autograder_zip)
    box.upload({"01_activations.ipynb": b"{}"})
    graded = box.grade({"AUTOGRADERS_GRADESCOPE_SECONDS": "1"})
    assert graded.returncode != 0
    assert graded.results["score"] == 0 and graded.results["extra_data"]["engine_error"]
    assert "without writing results.json" in graded.log


def test_no_python_still_writes_results(autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    graded = box.grade({"AUTOGRADERS_GRADESCOPE_PYTHON": str(tmp_path / "no-python")})
    assert graded.returncode == 1
    assert graded.results["score"] == 0 and graded.results["extra_data"]["engine_error"]


def test_visibilities_are_gradescopes():
    assert set(VISIBILITIES) == {"visible", "hidden", "after_due_date", "after_published"}
