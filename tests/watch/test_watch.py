"""`python -m autograders watch` on a real nbgrader exchange in a temporary folder.

Students submit and fetch their feedback with nbgrader's own commands; the
watcher runs as a subprocess polling every second. One story, in order (the
tests share the watcher: one xdist group): the first submissions (an honest
student, a buggy one, a broken notebook, a hostile one that kills its
sandbox worker) get diagnoses without scores before the due date; a
resubmission inside the rate limit gets a page saying when it will be
graded; after the due date the scored feedback replaces the diagnoses; the
queued resubmission is graded; a second watcher is refused; the watcher
killed while grading and restarted loses nothing and grades nothing twice.
"""
import datetime
import re
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograders.items import ASSIGNMENT
from course_build.sample_class import CLASS, Student, nbgrader_env
from tests.engine.test_gradebook import PageText, released, source_test_lines  # noqa: F401
from tests.watch.exchange import (exchange_course, fetch_feedback, hostile_notebooks,
                                  notebooks_of, submit)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("watch")]

RATE_LIMIT_MINUTES = 1.0
SIGMOID_SCORE = re.compile(r"sigmoid: (\S+) / 2\b")
WAIT = 240   # seconds: the most any step may take on a loaded 2-core machine

ALICE, CAROL, GRACE, DAVE = CLASS[0], CLASS[2], CLASS[8], CLASS[3]
# the reference, a naive sigmoid, a notebook that is not JSON, a missing zero_grad


class Story:
    def __init__(self, course, exchange, log):
        self.course, self.exchange, self.log = course, exchange, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograders", "watch", "--course", str(self.course),
             "--poll", "1", "--rate-limit", str(RATE_LIMIT_MINUTES), "--scores", "after-due",
             "--timeout", "120", "--workers", "2"],
            env=nbgrader_env(), stdout=self.log, stderr=subprocess.STDOUT)

    def events(self, event=None, student=None):
        path = self.course / "watcher" / "log.jsonl"
        entries = [json.loads(line) for line in path.read_text().splitlines()] \
            if path.exists() else []
        return [e for e in entries if (event is None or e["event"] == event)
                and (student is None or e["student"] == student)]

    def due(self, moment):
        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gradebook:
            gradebook.update_or_create_assignment(ASSIGNMENT, duedate=moment)


def wait_for(condition, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"not within {timeout} s: {what}")


def page_text(html):
    return PageText(html).text()


@pytest.fixture(scope="module")
def story(released, tmp_path_factory):   # noqa: F811 - the session's released course
    course, exchange = exchange_course(released, tmp_path_factory.mktemp("watch"))
    log = open(course.parent / "watcher-output.txt", "w")
    story = Story(course, exchange, log)
    story.due(datetime.datetime.utcnow() + datetime.timedelta(days=1))
    story.start()
    yield story
    if story.process.poll() is None:
        story.process.terminate()
        story.process.wait(60)
    log.close()
    sys.stderr.write((course.parent / "watcher-output.txt").read_text()[-3000:])


def test_first_submissions_get_diagnoses_and_no_scores_before_the_due_date(story):
    for student in (ALICE, CAROL, GRACE):
        submit(story.course, story.exchange, student.id, notebooks_of(story.course, student))
    submit(story.course, story.exchange, "mallory", hostile_notebooks(story.course))
    pages = {s: wait_for(lambda s=s: len(fetch_feedback(story.exchange, s)) == 4
                         and fetch_feedback(story.exchange, s), f"{s}'s feedback")
             for s in (ALICE.id, CAROL.id, GRACE.id, "mallory")}

    carol = page_text(pages[CAROL.id]["01_activations"])
    assert "overflow" in carol.lower()          # the naive sigmoid's diagnosis names the mistake
    assert "Score:" not in carol and not SIGMOID_SCORE.search(carol)
    assert "what the tests found" in carol
    hidden, visible = source_test_lines(story.course, "01_activations")
    assert "HIDDEN TESTS" not in carol and [line for line in hidden if line in carol] == []
    assert [line for line in visible if line not in carol] == []
    assert "not valid JSON" in page_text(pages[GRACE.id]["02_numpy_network"])
    assert story.process.poll() is None       # the hostile student stopped nothing
    assert story.events("graded", "mallory")[0]["status"] == "crashed"


def test_a_resubmission_inside_the_rate_limit_is_told_when_it_will_be_graded(story):
    story.resubmitted = time.monotonic()
    submit(story.course, story.exchange, ALICE.id,
           notebooks_of(story.course, Student(ALICE.id, ("activations/sigmoid_naive.py",))))
    page = wait_for(lambda: fetch_feedback(story.exchange, ALICE.id).get("01_activations"),
                    "the waiting page")
    assert "at most once every 1 minutes" in page_text(page)
    assert len(story.events("graded", ALICE.id)) == 1


def test_after_the_due_date_the_feedback_shows_the_scores(story):
    story.due(datetime.datetime.utcnow() - datetime.timedelta(minutes=1))
    page = wait_for(lambda: "Score:" in fetch_feedback(story.exchange, CAROL.id)["01_activations"]
                    and fetch_feedback(story.exchange, CAROL.id)["01_activations"],
                    "carol's scored feedback")
    text = page_text(page)
    assert SIGMOID_SCORE.search(text).group(1) != "2" and "overflow" in text.lower()
    assert len(story.events("graded", CAROL.id)) == 1    # released again, not graded again


def test_the_queued_resubmission_is_graded_when_the_limit_ends(story):
    page = wait_for(lambda: "Score:" in fetch_feedback(story.exchange, ALICE.id)["01_activations"]
                    and fetch_feedback(story.exchange, ALICE.id)["01_activations"],
                    "alice's new feedback", timeout=WAIT + 60 * RATE_LIMIT_MINUTES)
    assert SIGMOID_SCORE.search(page_text(page)).group(1) != "2"
    first, second = story.events("graded", ALICE.id)
    gap = datetime.datetime.fromisoformat(second["time"]) - datetime.datetime.fromisoformat(
        first["time"])
    assert gap >= datetime.timedelta(minutes=RATE_LIMIT_MINUTES)


def test_a_second_watcher_on_the_course_is_refused(story):
    done = subprocess.run([sys.executable, "-m", "autograders", "watch", "--course",
                           str(story.course)], env=nbgrader_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "another watcher" in done.stderr


def test_killed_while_grading_and_restarted_it_loses_nothing_and_grades_nothing_twice(story):
    started = time.monotonic()
    submit(story.course, story.exchange, DAVE.id, notebooks_of(story.course, DAVE))
    wait_for(lambda: story.events("grading"), "grading")
    wait_for(lambda: any(DAVE.id in e.get("students", "") for e in story.events("grading")),
             "dave's grading")
    story.process.send_signal(signal.SIGKILL)
    story.process.wait(30)
    story.start()
    wait_for(lambda: len(fetch_feedback(story.exchange, DAVE.id)) == 4, "dave's feedback")
    story.measured = time.monotonic() - started
    graded = [(e["student"]) for e in story.events("graded")]
    assert sorted(graded) == sorted([ALICE.id, ALICE.id, CAROL.id, GRACE.id, "mallory", DAVE.id])
    assert story.process.poll() is None
