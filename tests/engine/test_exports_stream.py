"""exports.ResultStream: each student's reports as they are judged, the class's at the end."""
import sys
import types

from autograders import cli, exports
from autograders.course import Course
from autograders.exports import gradebook
from tests.engine import fakes


def writer_module(name, per_student, calls, fail_for=(), ready=None):
    """A stand-in export module whose write records its calls."""
    module = types.ModuleType(name)
    module.PER_STUDENT = per_student
    if ready is not None:
        module.ready = ready

    def write(results, out_dir, course):
        ids = [r.student_id for r in results]
        if set(ids) & set(fail_for):
            raise OSError(f"disk full for {ids}")
        calls.append((name, ids))
    write.__module__ = name
    module.write = write
    sys.modules[name] = module
    return module


def test_student_reports_come_at_once_and_class_reports_at_the_end(tmp_path):
    calls = []
    own = writer_module("stream_test_own", True, calls)
    whole = writer_module("stream_test_whole", False, calls)
    results = fakes.sample_results()
    stream = exports.ResultStream([own.write, whole.write], tmp_path, None)
    for result in reversed(results):
        stream.add(result)
        assert calls[-1] == ("stream_test_own", [result.student_id])
    assert not any(name == "stream_test_whole" for name, _ in calls)
    assert stream.finish(results) == []
    assert calls[-1] == ("stream_test_whole", sorted(r.student_id for r in results))


def test_a_writer_failing_for_one_student_still_writes_the_others(tmp_path):
    calls = []
    results = fakes.sample_results()
    victim = results[1].student_id
    own = writer_module("stream_test_fails", True, calls, fail_for=(victim,))
    stream = exports.ResultStream([own.write], tmp_path, None)
    for result in results:
        stream.add(result)
    assert [ids for _, ids in calls] == [[r.student_id] for r in results if r.student_id != victim]
    (failure,) = stream.finish(results)
    assert f"failed for 1 student(s) ({victim})" in failure and "disk full" in failure


def test_a_writer_that_is_not_ready_is_skipped_and_says_so_once(tmp_path, capsys):
    course = Course.load(tmp_path)  # no gradebook.db
    stream = exports.ResultStream([gradebook.write], tmp_path / "out", course)
    for result in fakes.sample_results():
        stream.add(result)
    assert stream.finish([]) == []
    assert capsys.readouterr().err.count("has no gradebook yet") == 1


class PoolThatLooksBack(fakes.InProcessPool):
    """Records, before each run, which students already have their feedback page."""
    pages_seen = []

    def run(self, jobs):
        out = self.out
        for job in jobs:
            PoolThatLooksBack.pages_seen.append(
                sorted(p.parent.name for p in out.glob("*/feedback.html")))
            yield fakes.run_job(job)


def test_the_engine_writes_each_students_reports_before_grading_the_next(tmp_path):
    course = fakes.make_course(tmp_path / "course", {"alice": {}, "bob": {}, "carol": {}})
    PoolThatLooksBack.out, PoolThatLooksBack.pages_seen = tmp_path / "out", []
    module = types.SimpleNamespace(Job=fakes.Job, Limits=fakes.Limits, WorkerPool=PoolThatLooksBack)
    assert cli.main(["grade", "--course", str(course), "--out", str(tmp_path / "out")],
                    pool_module=module) == 0
    assert PoolThatLooksBack.pages_seen == [[], ["alice"], ["alice", "bob"]]
