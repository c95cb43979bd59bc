"""A regrade keeps the results of unchanged submissions; a change, a flaky status or --force regrades."""
import csv
import dataclasses
import io
import json
import types

from autograders import cli, regrade
from autograders.items import ASSIGNMENT
from tests.engine import fakes


def grade(course, out, *extra, pool_module=fakes.FAKE_POOL):
    fakes.InProcessPool.instances.clear()
    fakes.InProcessPool.jobs_run.clear()
    assert cli.main(["grade", "--course", str(course), "--out", str(out), *extra],
                    pool_module=pool_module) == 0
    info = json.loads((out / "run.json").read_text())
    return info["reused"], (out / "grades.csv").read_text()


def test_unchanged_submissions_keep_their_results(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}, "bob": {"bug": "backprop_wrong_sign"}})
    out = tmp_path / "out"
    reused, first = grade(course, out)
    assert reused == 0
    reused, again = grade(course, out)
    assert reused == 2 and again == first and fakes.InProcessPool.jobs_run == []

    notebook = course / "submitted" / "bob" / "neural_networks" / "01_activations.ipynb"
    notebook.write_text(notebook.read_text().replace("import numpy", "import numpy  # edited", 1))
    assert grade(course, out)[0] == 1          # bob's file changed: bob regraded
    assert grade(course, out, "--force")[0] == 0
    assert grade(course, out, "--timeout", "99")[0] == 0  # other options, other fingerprint


def test_a_result_that_may_depend_on_luck_is_regraded(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    grade(course, out)
    stored = out / "alice" / "submission.json"
    result = json.loads(stored.read_text())
    stored.write_text(json.dumps(dict(result, status="timeout")))
    assert grade(course, out)[0] == 0


def test_a_changed_engine_regrades(tmp_path, monkeypatch):
    from autograders import grading
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    grade(course, out)
    monkeypatch.setattr(grading, "ENGINE_VERSION", "another")
    assert grade(course, out)[0] == 0


# ------------------------------------------------------------------ issue 21: sound reuse
def pool_resolving(tier, isolation=None, limits=fakes.Limits):
    """The stand-in pool module, its pool resolving --sandbox auto to tier (as WorkerPool does)."""
    class Pool(fakes.InProcessPool):
        def __init__(self, workers=1, limits=None, sandbox="auto", hide=()):
            super().__init__(workers, limits, tier if sandbox == "auto" else sandbox, hide)
            self.isolation = isolation
    return types.SimpleNamespace(Job=fakes.Job, Limits=limits, WorkerPool=Pool)


def stored(out, student):
    return json.loads((out / student / "submission.json").read_text())


def test_a_timeout_beside_a_missing_notebook_is_regraded(tmp_path):
    """The overall status is the worst ("missing" ranks above "timeout"): reuse is
    decided on every notebook's status, so the timed-out notebook runs again."""
    course = fakes.make_course(tmp_path / "course", {"alice": {"missing": ("04_fitting",)}})
    out = tmp_path / "out"
    grade(course, out)
    result = stored(out, "alice")
    result["notebooks"]["01_activations"]["status"] = "timeout"
    assert result["status"] == "missing"
    (out / "alice" / "submission.json").write_text(json.dumps(result))
    assert grade(course, out)[0] == 0
    assert stored(out, "alice")["notebooks"]["01_activations"]["status"] == "ok"


def test_a_cell_timeout_in_a_notebook_that_went_on_is_regraded(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    grade(course, out)
    result = stored(out, "alice")
    result["notebooks"]["01_activations"]["cells"] = [
        {"index": 3, "grade_id": "sigmoid", "status": "timeout", "message": "timed out"}]
    (out / "alice" / "submission.json").write_text(json.dumps(result))
    assert grade(course, out)[0] == 0


def test_the_sandbox_tier_that_graded_is_in_the_fingerprint(tmp_path):
    """--sandbox auto graded without isolation (bwrap missing) is not reused once bwrap
    works; nor after the pool's protections, the limits or the course's config change."""
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    assert grade(course, out, pool_module=pool_resolving("none"))[0] == 0
    assert grade(course, out, pool_module=pool_resolving("none"))[0] == 1
    assert grade(course, out, pool_module=pool_resolving("bwrap"))[0] == 0
    assert json.loads((out / "run.json").read_text())["isolation"]["sandbox"] == "bwrap"
    assert grade(course, out, pool_module=pool_resolving("bwrap", {"seccomp": True}))[0] == 0
    more_memory = dataclasses.make_dataclass("Limits", [("memory_bytes", int, 2**33)],
                                             bases=(fakes.Limits,), frozen=True)
    assert grade(course, out, pool_module=pool_resolving("bwrap", {"seccomp": True},
                                                         more_memory))[0] == 0
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Exchange.timezone = 'UTC'\n")
    assert grade(course, out, pool_module=pool_resolving("bwrap", {"seccomp": True},
                                                         more_memory))[0] == 0
    assert grade(course, out, pool_module=pool_resolving("bwrap", {"seccomp": True},
                                                         more_memory))[0] == 1


def test_a_reused_result_keeps_no_late_penalty(tmp_path):
    """The penalty of the last run (a gradebook since left out, an extension granted
    since) is not reused: without a gradebook now, there is none."""
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    grade(course, out)
    result = stored(out, "alice")
    result["late"] = {"seconds_late": 7200.0, "penalties": {"01_activations": 3.0}}
    (out / "alice" / "submission.json").write_text(json.dumps(result))
    reused, rows = grade(course, out, "--no-gradebook")
    assert reused == 1
    (row,) = csv.DictReader(io.StringIO(rows))
    assert float(row["penalty"]) == 0 and row["score"] == row["total"]
    assert stored(out, "alice")["late"] is None


class CollectMeanwhile(fakes.InProcessPool):
    """A pool during whose run a collect rewrites alice's folder (a notebook is
    briefly gone), as `collect` may while a class is graded."""
    notebook = None

    def run(self, jobs):
        moved = self.notebook.with_suffix(".moved")
        self.notebook.rename(moved)
        try:
            yield from super().run(jobs)
        finally:
            moved.rename(self.notebook)


def test_the_fingerprint_is_of_the_files_the_sandbox_graded(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}})
    out = tmp_path / "out"
    CollectMeanwhile.notebook = course / "submitted" / "alice" / ASSIGNMENT / "01_activations.ipynb"
    module = types.SimpleNamespace(Job=fakes.Job, Limits=fakes.Limits, WorkerPool=CollectMeanwhile)
    grade(course, out, pool_module=module)
    assert stored(out, "alice")["status"] == "ok"   # the copy taken before the collect
    grade(course, out)
    assert stored(out, "alice")["status"] == "ok"


def test_links_are_not_followed_and_one_unreadable_submission_stops_nobody(tmp_path,
                                                                         monkeypatch):
    """A link in a submission (here to a file whose read fails even for root) is
    skipped, as the sandbox's copier skips it; a file that cannot be read makes its
    student "unreadable", named in the message, and the class is graded."""
    from autograders.sandbox import transfer
    course = fakes.make_course(tmp_path / "course", {"alice": {}, "bob": {}, "carol": {}})
    (course / "submitted" / "alice" / ASSIGNMENT / "notes.txt").symlink_to("/proc/self/mem")
    copy_file = transfer._copy_file

    def unreadable_for_bob(folder_fd, name, target, budget):
        if "/bob/" in target and name == "02_numpy_network.ipynb":
            raise PermissionError(13, "Permission denied", name)
        return copy_file(folder_fd, name, target, budget)
    monkeypatch.setattr(transfer, "_copy_file", unreadable_for_bob)
    out = tmp_path / "out"
    reused, rows = grade(course, out)
    by_student = {row["student_id"]: row for row in csv.DictReader(io.StringIO(rows))}
    assert by_student["alice"]["status"] == by_student["carol"]["status"] == "ok"
    assert by_student["bob"]["status"] == "unreadable"
    assert "02_numpy_network.ipynb" in stored(out, "bob")["message"]
    assert not (out / "bob" / regrade.FILE_NAME).exists()   # never reused: regraded next time
    assert grade(course, out)[0] == 2


def test_one_student_graded_into_the_class_folder_joins_the_class_reports(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}, "bob": {}, "carol": {}})
    out = tmp_path / "out"
    grade(course, out)
    bob = course / "submitted" / "bob" / ASSIGNMENT
    fakes.write_submission(bob, bug="backprop_wrong_sign")
    assert cli.main(["grade", str(bob), "--course", str(course), "--out", str(out)],
                    pool_module=fakes.FAKE_POOL) == 0
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(
        (out / "grades.csv").read_text()))}
    assert sorted(rows) == ["alice", "bob", "carol"]
    assert float(rows["bob"]["total"]) == float(rows["alice"]["total"]) - 5
    summary = json.loads((out / "summary.json").read_text())
    assert [row["student_id"] for row in summary["results"]] == ["alice", "bob", "carol"]
    assert "bob" in (out / "class.html").read_text() and "carol" in (out / "class.html").read_text()


def test_class_reports_of_another_engine_are_not_mixed_with_new_results(tmp_path, capsys):
    course = fakes.make_course(tmp_path / "course", {"alice": {}, "bob": {}})
    out = tmp_path / "out"
    grade(course, out)
    summary = json.loads((out / "summary.json").read_text())
    summary["engine"]["version"] = "0.0-old"
    (out / "summary.json").write_text(json.dumps(summary))
    before = (out / "grades.csv").read_text()
    bob = course / "submitted" / "bob" / ASSIGNMENT
    assert cli.main(["grade", str(bob), "--course", str(course), "--out", str(out)],
                    pool_module=fakes.FAKE_POOL) == 2
    assert "--out DIR" in capsys.readouterr().err
    assert (out / "grades.csv").read_text() == before
