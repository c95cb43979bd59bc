"""``python -m autograders grade``: paths, options, reports, exit status.

Exit status: 0 however badly students did; 1 when the engine failed (the
reports of everything else are still written); 2 for usage errors. Most
tests run the command in-process with the in-process stand-in pool
(tests/engine/fakes.py); the last one runs the real sandboxed pool.
"""
import csv
import importlib.util
import json
import os
from pathlib import Path
import subprocess
import sys
import types

import pytest

from autograders import cli, exports, grading
from autograders.items import ASSIGNMENT
from tests.engine import fakes

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return fakes.make_course(tmp_path_factory.mktemp("course"), fakes.SAMPLE_CLASS)


def grade(*args, pool_module=fakes.FAKE_POOL):
    return cli.main(["grade", *map(str, args)], pool_module=pool_module)


def statuses(out):
    with open(out / "grades.csv", newline="") as handle:
        return {row["student_id"]: row["status"] for row in csv.DictReader(handle)}


def test_failing_students_exit_zero_with_every_report(course, tmp_path, capsys):
    assert grade("--course", course, "--out", tmp_path) == 0
    captured = capsys.readouterr()
    assert "backprop.wrong_sign" in captured.out and "unreadable" in captured.out
    assert "ENGINE ERROR" not in captured.err
    written = {p.name for p in tmp_path.iterdir()}
    assert {"grades.csv", "junit.xml", "summary.json", "run.json"} <= written
    for student in fakes.SAMPLE_CLASS:
        assert {"results.json", "feedback.html", "submission.json"} <= {
            p.name for p in (tmp_path / student).iterdir()}
    assert statuses(tmp_path)["dave"] == "unreadable"


def test_default_course_and_output_come_from_the_working_directory(course, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.chdir(course / "submitted")                 # anywhere inside the course
    out = course / "submitted" / cli.DEFAULT_OUT
    try:
        assert grade() == 0
        assert sorted(statuses(out)) == sorted(fakes.SAMPLE_CLASS)
    finally:
        import shutil
        shutil.rmtree(out)


def test_paths_choose_the_submissions(course, tmp_path):
    bob = course / "submitted" / "bob" / ASSIGNMENT
    notebook = course / "submitted" / "carol" / ASSIGNMENT / "03_pytorch_training.ipynb"
    assert grade(bob, notebook, "--out", tmp_path) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    rows = {row["student_id"]: row for row in summary["results"]}
    assert sorted(rows) == ["bob", "carol"]
    assert list(rows["carol"]["notebooks"]) == ["03_pytorch_training"]


def test_a_loose_notebook_is_graded_for_the_notebooks_it_holds(tmp_path):
    notebook = fakes.notebook(fakes.SOURCES["01_activations"], {0: "sigmoid"})
    path = tmp_path / "zoe.ipynb"
    path.write_text(json.dumps(notebook))
    assert grade(path, "--out", tmp_path / "out") == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    (zoe,) = summary["results"]
    assert zoe["student_id"] == "zoe" and list(zoe["notebooks"]) == ["01_activations"]
    assert zoe["score"] == zoe["max_score"] == 7


def test_options_reach_the_pool(course, tmp_path):
    fakes.InProcessPool.instances.clear()
    assert grade("--course", course, "--out", tmp_path, "--workers", 16, "--timeout", 5,
                 "--sandbox", "none", "--shard", "2/3") == 0
    pool = fakes.InProcessPool.instances[-1]
    assert pool.workers == 2                     # no more workers than the shard's students
    assert pool.sandbox == "none"
    assert str(course.resolve()) in pool.hide and str(tmp_path.resolve()) in pool.hide
    assert (pool.limits.submission_timeout, pool.limits.cell_timeout,
            pool.limits.probe_timeout) == (5, 5, 5)
    run_info = json.loads((tmp_path / "run.json").read_text())
    assert run_info["shard"] == "2/3" and run_info["workers"] == 16


def test_a_judge_that_raises_exits_one_and_still_reports(course, tmp_path, monkeypatch, capsys):
    probes, judges = grading._registry()

    def broken(observations):
        raise RuntimeError("judge bug")
    monkeypatch.setattr(grading, "_registry", lambda: (probes, {**judges, "cost": broken}))
    assert grade("--course", course, "--out", tmp_path) == 1
    err = capsys.readouterr().err
    assert "ENGINE ERROR" in err and "RuntimeError: judge bug" in err and "alice" in err
    rows = statuses(tmp_path)
    assert rows.pop("dave") == "unreadable"          # its cost item never reached the judge
    assert set(rows.values()) == {"engine_error"}
    bob = json.loads((tmp_path / "bob" / "results.json").read_text())
    cost = next(t for t in bob["tests"] if t["name"] == "cost")
    assert cost["score"] == 0 and "judge bug" not in cost["output"]


class PoolThatDies(fakes.InProcessPool):
    def run(self, jobs):
        yield fakes.run_job(jobs[0])
        raise OSError("worker pipe closed")


class PoolThatLoses(fakes.InProcessPool):
    def run(self, jobs):
        for job in jobs[1:]:
            yield fakes.run_job(job)


@pytest.mark.parametrize("pool, message", [(PoolThatDies, "worker pipe closed"),
                                           (PoolThatLoses, "returned no result")])
def test_sandbox_failures_exit_one_and_every_student_has_a_row(course, tmp_path, capsys,
                                                               pool, message):
    module = types.SimpleNamespace(Job=fakes.Job, Limits=fakes.Limits, WorkerPool=pool)
    assert grade("--course", course, "--out", tmp_path, pool_module=module) == 1
    assert message in capsys.readouterr().err
    rows = statuses(tmp_path)
    assert sorted(rows) == sorted(fakes.SAMPLE_CLASS)
    assert rows["alice"] == "engine_error" if pool is PoolThatLoses else rows["alice"] == "ok"
    assert rows["bob"] == ("ok" if pool is PoolThatLoses else "engine_error")


def test_a_failing_report_writer_exits_one_but_others_are_written(course, tmp_path,
                                                                   monkeypatch, capsys):
    def broken_writer(results, out_dir, course):
        raise OSError("disk full")
    monkeypatch.setattr(exports, "FILE_WRITERS", (broken_writer, *exports.FILE_WRITERS))
    assert grade("--course", course, "--out", tmp_path) == 1
    assert "disk full" in capsys.readouterr().err
    assert (tmp_path / "grades.csv").is_file()


def test_gradebook_is_left_alone_when_the_course_has_none(course, tmp_path, capsys):
    assert grade("--course", course, "--out", tmp_path) == 0
    assert "has no gradebook yet" in capsys.readouterr().err
    assert not (course / "gradebook.db").exists()


def test_empty_class_exits_zero_with_empty_reports(tmp_path, capsys):
    empty = fakes.make_course(tmp_path / "empty", {})
    assert grade("--course", empty, "--out", tmp_path / "out", "--no-gradebook") == 0
    assert "no submissions to grade" in capsys.readouterr().err
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["students"] == 0


@pytest.mark.parametrize("args, message", [
    (["grade", "/no/such/path"], "no such file"),
    (["grade", "--shard", "3/2", "{course}"], "--shard"),
    (["grade", "--course", "/no/such/course"], "no such folder"),
])
def test_usage_errors_exit_two(course, args, message, capsys):
    args = [a.format(course=course) for a in args]
    assert cli.main(args, pool_module=fakes.FAKE_POOL) == 2
    assert message in capsys.readouterr().err


def test_no_course_anywhere_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert grade() == 2
    assert "no path given" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["grade", "--workers", "0"], ["grade", "--timeout", "-1"],
                                  ["grade", "--sandbox", "docker"], ["frobnicate"]])
def test_bad_arguments_exit_two(args):
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2


def run_module(*args, cwd=REPO):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "autograders", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_python_dash_m_usage_error_exit_status():
    done = run_module("grade", "/no/such/path")
    assert done.returncode == 2 and "no such file" in done.stderr


HAS_SANDBOX = importlib.util.find_spec("autograders.sandbox") is not None and \
    importlib.util.find_spec("autograders.sandbox.pool") is not None


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SANDBOX, reason="autograders.sandbox.pool is not written yet")
def test_python_dash_m_grades_a_course_with_the_real_pool(course, tmp_path):
    """The whole command, sandboxed, from outside the repository."""
    out = tmp_path / "reports"
    done = run_module("grade", "--course", course, "--out", out, "--no-gradebook", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = statuses(out)
    assert sorted(rows) == sorted(fakes.SAMPLE_CLASS)
    assert rows["dave"] == "unreadable" and rows["eve"] == "missing"
    summary = json.loads((out / "summary.json").read_text())
    totals = {row["student_id"]: row["score"] for row in summary["results"]}
    assert totals["alice"] == summary["results"][0]["max_score"]
    assert totals["bob"] == totals["alice"] - 5


def test_sandbox_bwrap_where_it_cannot_start_is_refused_before_grading(course, tmp_path):
    """No bwrap on PATH: exit 2 with one line saying what to do; nobody graded, no reports."""
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO), PATH=str(tmp_path / "no-bin"))
    done = subprocess.run([sys.executable, "-m", "autograders", "grade", "--course", str(course),
                           "--out", str(out), "--sandbox", "bwrap"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: --sandbox bwrap: bwrap is not installed")
    assert "apt install bubblewrap" in lines[0] and "--sandbox auto or none" in lines[0]
    assert not out.exists() and "ENGINE ERROR" not in done.stderr and not done.stdout


def test_auto_without_any_tier_warns_once_in_one_line_saying_how_to_get_one(monkeypatch):
    from autograders import engine
    from autograders.sandbox import bwrap, pool, tiers
    monkeypatch.setattr(bwrap, "usable", lambda python, hidden=(): (False, "bwrap is not installed"))
    monkeypatch.setattr(tiers, "namespace_free", lambda python, hidden: (None, "no Landlock"))
    monkeypatch.setattr(tiers, "_warned", set())
    with pytest.warns(pool.SandboxWarning) as caught:
        assert engine.check_sandbox("auto") == "none"
    engine.check_sandbox("auto")
    assert len(caught) == 1
    text = cli._one_line_warning(caught[0].message, caught[0].category)
    assert text.count("\n") == 1 and text.startswith("warning: grading without isolation")
    assert "bwrap is not installed; no Landlock" in text
    assert "apt install bubblewrap" in text and "AppArmor" in text


@pytest.mark.parametrize("student", ["grades.csv", "Class.HTML", "summary.json", "run.json"])
def test_a_student_id_that_is_a_class_report_name_is_refused_loudly(tmp_path, capsys, student):
    """OUT/<student_id>/ would collide with the class report of that name: exit 2
    before anything is graded, saying which id and what to do."""
    root = fakes.make_course(tmp_path / "course", {"alice": {"notebooks": ("01_activations",)}})
    (root / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    out = tmp_path / "out"
    assert grade("--course", root, "--out", out) == 2
    err = capsys.readouterr().err
    assert f"{student!r} cannot be a student id" in err and "class report" in err
    assert "rename" in err and not out.exists()
