"""A regrade keeps the results of unchanged submissions; a change, a flaky status or --force regrades."""
import json

from autograders import cli
from tests.engine import fakes


def grade(course, out, *extra):
    fakes.InProcessPool.instances.clear()
    fakes.InProcessPool.jobs_run.clear()
    assert cli.main(["grade", "--course", str(course), "--out", str(out), *extra],
                    pool_module=fakes.FAKE_POOL) == 0
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
