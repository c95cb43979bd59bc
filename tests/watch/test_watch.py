"""`python -m autograders watch` on a real nbgrader exchange in a temporary folder.

Students submit and fetch their feedback with nbgrader's own commands; the
watcher runs as a subprocess polling every second, with a rate limit and
scores only after the due date. One story, its steps fixtures that follow
each other (the tests share the watcher: one xdist group):
1. alice (the reference) and mallory (hostile, one notebook not JSON) submit:
   both get diagnoses without scores and without the hidden tests, mallory a
   page saying her notebook is not valid JSON; the watcher goes on;
2. alice resubmits (a naive sigmoid) inside the rate limit: she fetches a page
   saying when it will be graded;
3. the due date passes: the scored feedback replaces the diagnoses, nothing
   graded again;
4. the watcher is killed, restarted without the rate limit, killed again
   while grading alice's resubmission and restarted: it is graded once, and
   her new feedback names the overflow;
5. a second watcher on the course is refused.
"""
import datetime
import json
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from nbgrader.api import Gradebook

from autograders.items import ASSIGNMENT
from course_build.sample_class import CLASS, Student, nbgrader_env
from tests.engine.test_gradebook import PageText, released, source_test_lines  # noqa: F401
from tests.watch.exchange import (exchange_course, fetch_feedback, hostile_notebooks,
                                  notebooks_of, submit)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("watch")]

ALICE = CLASS[0].id
NAIVE_SIGMOID = Student(ALICE, ("activations/sigmoid_naive.py",))
RATE_LIMIT_MINUTES = 10   # longer than any step here, so the resubmission surely waits
SIGMOID_SCORE = re.compile(r"sigmoid: (\S+) / 2\b")
WAIT = 300   # seconds: the most one step may take on a loaded 2-core machine


class Story:
    """The course, its exchange, the watcher subprocess and its log."""

    def __init__(self, course, exchange, output):
        self.course, self.exchange, self.output = course, exchange, output
        self.process = None

    def start(self, rate_limit=RATE_LIMIT_MINUTES):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograders", "watch", "--course", str(self.course),
             "--poll", "1", "--rate-limit", str(rate_limit), "--scores", "after-due",
             "--timeout", "120", "--workers", "2"],
            env=nbgrader_env(), stdout=self.output, stderr=subprocess.STDOUT)

    def events(self, event, student=None):
        path = self.course / "watcher" / "log.jsonl"
        lines = path.read_text().splitlines() if path.exists() else []
        return [e for e in map(json.loads, lines)
                if e["event"] == event and student in (None, e["student"])]

    def due(self, moment):
        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gradebook:
            gradebook.update_or_create_assignment(ASSIGNMENT, duedate=moment)

    def wait(self, event, student, count=1, timeout=WAIT):
        """Wait for the count-th such event in the watcher's log."""
        deadline = time.monotonic() + timeout
        while len(self.events(event, student)) < count:
            assert self.process.poll() is None, "the watcher stopped"
            assert time.monotonic() < deadline, f"no {event!r} for {student} in {timeout} s"
            time.sleep(0.5)


def text(html):
    return PageText(html).text()


@pytest.fixture(scope="session")
def story(released, tmp_path_factory):   # noqa: F811 - the session's released course
    """The course and its exchange, the due date tomorrow; the watcher not started yet."""
    course, exchange = exchange_course(released, tmp_path_factory.mktemp("watch"))
    output = open(course.parent / "watcher-output.txt", "w")
    story = Story(course, exchange, output)
    story.due(datetime.datetime.utcnow() + datetime.timedelta(days=1))
    yield story
    if story.process and story.process.poll() is None:
        story.process.terminate()
        story.process.wait(60)
    output.close()


# The story's steps, each a fixture on the one before: whatever order the tests run in,
# each step happens once, after the steps it follows. Session-scoped: xdist may run other
# modules' tests in between, which would end module-scoped ones (and the watcher).
@pytest.fixture(scope="session")
def first_submissions(story):
    """alice and mallory submit (at once), then the watcher starts; both get feedback."""
    submissions = [threading.Thread(target=submit, args=(
        story.course, story.exchange, ALICE, notebooks_of(story.course, CLASS[0]))),
        threading.Thread(target=submit, args=(
            story.course, story.exchange, "mallory", hostile_notebooks(story.course)))]
    for thread in submissions:
        thread.start()
    for thread in submissions:
        thread.join()
    story.start()
    story.wait("released diagnoses", ALICE)
    story.wait("released diagnoses", "mallory")
    return story


@pytest.fixture(scope="session")
def resubmitted(first_submissions):
    """alice resubmits (a naive sigmoid) inside the rate limit."""
    story = first_submissions
    submit(story.course, story.exchange, ALICE, notebooks_of(story.course, NAIVE_SIGMOID))
    story.wait("queued", ALICE)
    story.queued_page = text(fetch_feedback(story.exchange, ALICE)["01_activations"])
    return story


@pytest.fixture(scope="session")
def due_date_passed(resubmitted):
    story = resubmitted
    story.due(datetime.datetime.utcnow() - datetime.timedelta(minutes=1))
    story.wait("released full", "mallory")
    return story


@pytest.fixture(scope="session")
def restarted(due_date_passed):
    """The watcher killed while alice's resubmission waits, started without the rate
    limit, killed again while grading it, and started again."""
    story = due_date_passed
    story.process.send_signal(signal.SIGKILL)
    story.process.wait(60)
    story.start(rate_limit=0)
    story.wait("grading", None, count=2)
    story.process.send_signal(signal.SIGKILL)
    story.process.wait(60)
    story.start(rate_limit=0)
    story.wait("released full", ALICE, count=2)
    return story


def test_first_feedback_has_diagnoses_and_no_scores_before_the_due_date(first_submissions):
    story = first_submissions
    alice = text(fetch_feedback(story.exchange, ALICE)["01_activations"])
    assert "what the tests found" in alice and "All checks passed" in alice
    assert "Score:" not in alice and not SIGMOID_SCORE.search(alice)
    hidden, visible = source_test_lines(story.course, "01_activations")
    assert "HIDDEN TESTS" not in alice and [line for line in hidden if line in alice] == []
    assert [line for line in visible if line not in alice] == []
    mallory = fetch_feedback(story.exchange, "mallory")
    assert "is not valid JSON" in text(mallory["02_numpy_network"])
    assert "what the tests found" in text(mallory["01_activations"])


def test_a_resubmission_inside_the_rate_limit_is_told_when_it_will_be_graded(resubmitted):
    assert "graded at most once every 10 minutes" in resubmitted.queued_page
    assert len(resubmitted.events("graded", ALICE)) == 1


def test_after_the_due_date_the_scores_replace_the_diagnoses(due_date_passed):
    story = due_date_passed
    page = text(fetch_feedback(story.exchange, "mallory")["01_activations"])
    assert "Score:" in page and SIGMOID_SCORE.search(page).group(1) != "2"   # np.allclose patched
    assert len(story.events("graded", "mallory")) == 1   # released again, not graded again


def test_killed_while_grading_it_loses_nothing_and_grades_nothing_twice(restarted):
    story = restarted
    page = text(fetch_feedback(story.exchange, ALICE)["01_activations"])
    assert "Score:" in page and "overflow" in page and SIGMOID_SCORE.search(page).group(1) != "2"
    first, second = story.events("graded", ALICE)
    limit_lifted = story.events("started")[1]["time"]
    assert first["time"] <= limit_lifted <= second["time"]   # the limit held until then
    assert len(story.events("graded", "mallory")) == 1


def test_a_second_watcher_on_the_course_is_refused(first_submissions):
    done = subprocess.run([sys.executable, "-m", "autograders", "watch", "--course",
                           str(first_submissions.course)], env=nbgrader_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "another watcher" in done.stderr
