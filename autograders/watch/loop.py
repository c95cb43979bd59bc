"""The watcher's poll: collect what is new, grade it, release feedback (see __init__.py).

Each step of each student is recorded in the state before the next begins,
and every failure is confined to its student and step: a submission the
engine could not grade is retried at the next poll (MAX_ATTEMPTS times, then
left for the instructor, logged), a feedback that could not be written (a
full disk) is retried at every poll, and the others go on.
"""
import contextlib
import datetime
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from autograders.watch import state as watcher_state

MAX_ATTEMPTS = 3


@dataclass
class Options:
    poll: float = 30.0              # seconds between polls
    feedback: str = "now"           # "now" or "after-due"
    scores: str = "now"             # "now" or "after-due" (diagnoses only until then)
    rate_limit: float = 0.0         # minutes from the end of a student's grading to the next
    source: str = "inbound"         # "inbound" (the exchange) or "submitted"
    out: str = "autograded-reports"  # the reports folder, relative to the course
    grade_options: tuple = ()       # extra arguments for `grade` (--sandbox, --timeout...)


class Watcher:
    def __init__(self, course, options, log, source, feedback, grade):
        """course: autograders.course.Course; source: sources.Inbound or Submitted;
        feedback: feedback.Feedback; grade(student_ids) grades these students' submissions
        in submitted/ (and returns nothing; the results are read back from the reports)."""
        self.course, self.options, self.log = course, options, log
        self.source, self.feedback, self.grade = source, feedback, grade
        folder = watcher_state.folder(course.root)
        self.state = watcher_state.State(folder / "state.json")
        self.out = Path(course.root) / options.out
        self.stop = threading.Event()
        self.status = ""

    # ------------------------------------------------------------ the loop
    def run(self):
        self.log("started", poll=self.options.poll, source=self.options.source,
                 rate_limit=self.options.rate_limit, feedback=self.options.feedback,
                 scores=self.options.scores)
        failure = None
        while not self.stop.is_set():
            try:
                self.poll()
                failure = None
            except Exception as error:  # noqa: BLE001 - the watcher outlives any one poll
                if str(error) != failure:   # logged once, not at every poll
                    self.log("poll failed", error=traceback.format_exc(limit=5))
                failure = str(error)
            self.stop.wait(self.options.poll)
        self.log("stopped")

    def poll(self):
        latest = self.source.latest()
        due = self._due_dates()
        for student, submission in sorted(latest.items()):
            self._take(student, submission)
        pending = [s for s, record in sorted(self.state.students.items())
                   if record.get("seen") and record.get("graded") != record["seen"]
                   and record.get("failures", 0) < MAX_ATTEMPTS]
        if pending and not self.stop.is_set():
            self._grade(pending)
        for student, record in sorted(self.state.students.items()):
            if record.get("graded") and not self.stop.is_set():
                self._release(student, record, due(student))
        self._progress(latest)

    # ------------------------------------------------------------ steps
    def _take(self, student, submission):
        """Collect a new submission, or hold it (and say so) while the rate limit runs."""
        record = self.state.of(student)
        if submission.key == record.get("seen"):
            return
        ready_at = record.get("graded_at", 0) + 60 * self.options.rate_limit
        if time.time() < ready_at:
            if record.get("queued") != submission.key:
                ready = datetime.datetime.fromtimestamp(ready_at, datetime.timezone.utc)
                self._attempt(student, "queued", lambda: self.feedback_page(
                    submission.folder, self._queued_page(submission.time, ready)))
                record["queued"] = submission.key
                self.state.save()
            return
        if self._attempt(student, "collected", lambda: self.source.collect(student),
                         submitted=submission.time.isoformat(sep=" ")):
            record.update(seen=submission.key, failures=0)
            record.pop("queued", None)
            self.state.save()

    def _queued_page(self, received, ready):
        from autograders.watch import pages
        return pages.queued(received, ready, self.options.rate_limit)

    def feedback_page(self, folder, html):
        from autograders.watch import pages
        pages.publish(self.feedback.exchange_folder(), folder, html)

    def _grade(self, students):
        from autograders.exports import raw
        self.log("grading", students=",".join(students))
        for student in students:   # what the coming results are recognised by
            (self.out / student / "fingerprint.txt").unlink(missing_ok=True)
        try:
            self.grade(students)
        except Exception:  # noqa: BLE001 - recorded per student below
            self.log("grading failed", error=traceback.format_exc(limit=5))
        finished = time.time()   # the rate limit counts from here
        for student in students:
            record = self.state.of(student)
            result = self._result(student, raw)
            if result is None or result.status == "engine_error":
                record["failures"] = record.get("failures", 0) + 1
                self.log("not graded", student, attempt=record["failures"],
                         reason="engine error" if result else "no result")
            else:
                record.update(graded=record["seen"], graded_at=finished, failures=0)
                self.log("graded", student, status=result.status,
                         score=f"{result.score:g}/{result.max_score:g}")
            self.state.save()
        self._class_reports()

    def _result(self, student, raw):
        if not (self.out / student / "fingerprint.txt").is_file():
            return None
        try:
            return raw.read(self.out, [student])[0]
        except (OSError, ValueError, KeyError):
            return None

    def _class_reports(self):
        """The class-wide reports again, from every student's stored result (grade wrote
        them for this round's students only)."""
        from autograders.exports import default_writers, per_student, raw, write_all
        # Every student with a stored result and a submission, the watcher's or not.
        students = sorted(path.parent.name for path in self.out.glob(f"*/{raw.FILE_NAME}")
                          if (self.course.submitted / path.parent.name).is_dir())
        try:
            results = raw.read(self.out, students)
            writers = [w for w in default_writers(self.course) if not per_student(w)]
            failures = write_all(results, self.out, self.course, writers)
        except Exception:  # noqa: BLE001
            failures = [traceback.format_exc(limit=5)]
        for failure in failures:
            self.log("class report failed", error=failure)

    def _release(self, student, record, due):
        mode = self._mode(due)
        wanted = [record["graded"], mode]
        if record.get("released") == wanted:
            return
        from autograders.exports import raw
        result = self._result(student, raw)
        if result is not None and self._attempt(
                student, f"released {mode}",
                lambda: self.feedback.release(student, mode, result, due)):
            record["released"] = wanted
            self.state.save()

    def _mode(self, due):
        if due is None or watcher_state.now().replace(tzinfo=None) >= due:
            return "full"
        if self.options.feedback == "after-due":
            return "withheld"
        return "diagnoses" if self.options.scores == "after-due" else "full"

    def _due_dates(self):
        """student -> due date (naive UTC, extension included) or None, from the gradebook."""
        from nbgrader.api import Gradebook, MissingEntry
        try:
            with Gradebook(self.course.db_url) as gradebook:
                assignment = gradebook.find_assignment(self.course.assignment)
                base = assignment.duedate
                extensions = {s.student.id: s.extension for s in assignment.submissions
                              if s.extension}
        except MissingEntry:
            return lambda student: None
        if base is None:
            return lambda student: None
        return lambda student: base + extensions.get(student, datetime.timedelta(0))

    def _attempt(self, student, event, action, **details):
        """Run one student's step; log it; False (and the error logged) when it fails."""
        try:
            action()
        except Exception as error:  # noqa: BLE001 - one student's failure stops no one
            self.log(f"{event}: failed", student, error=f"{type(error).__name__}: {error}")
            return False
        self.log(event, student, **details)
        return True

    def _progress(self, latest):
        records = self.state.students.values()
        graded = sum(1 for r in records if r.get("graded") and r.get("graded") == r.get("seen"))
        queued = sum(1 for r in records if r.get("queued"))
        released = sum(1 for r in records if r.get("released"))
        failed = sum(1 for r in records if r.get("failures", 0) >= MAX_ATTEMPTS)
        status = (f"{len(latest)} submitted, {graded} graded, {released} with feedback, "
                  f"{queued} waiting for the rate limit, {failed} failed")
        if status != self.status:
            self.status = status
            stamp = watcher_state.now().isoformat(timespec="seconds")
            print(f"{stamp} watching {self.course.root}: {status}; next poll in "
                  f"{self.options.poll:g} s", flush=True)


def grade_in_process(course, options):
    """grade(student_ids): the `grade` command on these students' submitted folders, its
    output into <course>/watcher/grade.log."""
    from autograders import cli
    log = watcher_state.folder(course.root) / "grade.log"

    def grade(students):
        folders = [str(course.submitted / s / course.assignment) for s in students]
        arguments = ["grade", *folders, "--course", str(course.root),
                     "--out", str(Path(course.root) / options.out), *options.grade_options]
        with open(log, "a", encoding="utf-8") as file, contextlib.redirect_stdout(file), \
                contextlib.redirect_stderr(file):
            print(f"\n=== {watcher_state.now().isoformat(timespec='seconds')} "
                  f"grade {' '.join(students)}", flush=True)
            cli.main(arguments)
    return grade
