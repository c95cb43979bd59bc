"""One student's feedback, released with nbgrader's own generate_feedback / release_feedback.

Modes: "full" (nbgrader's feedback page: scores and each test's diagnosis),
"diagnoses" (the same without scores: diagnoses.py), "withheld" (a page
saying the feedback follows the due date: pages.withheld). A notebook the
engine could not read (not JSON, missing) gets a page saying why
(pages.unreadable) in place of nbgrader's, released with the others.
"""
import shutil
from pathlib import Path

from autograders.watch import pages


NOT_GRADED = ("unreadable", "missing")   # notebook statuses (autograders.result.STATUSES)


class FeedbackError(Exception):
    pass


class Feedback:
    def __init__(self, apis, assignment):
        """apis: {"full": NbGraderAPI, "diagnoses": NbGraderAPI} of the course."""
        self.apis, self.assignment = apis, assignment
        self.coursedir = apis["full"].coursedir

    def exchange_folder(self):
        """The exchange's <course>/feedback folder (made as release_feedback makes it)."""
        api = self.apis["full"]
        release = api.exchange.ReleaseFeedback(coursedir=api.coursedir,
                                               authenticator=api.authenticator, parent=api)
        release.init_dest()
        return release.dest_path

    def _folder(self, directory, student):
        return Path(self.coursedir.format_path(directory, student, self.assignment))

    def release(self, student, mode, result, due=None):
        """Release this student's feedback for the submission in submitted/ (result: its
        SubmissionResult, for the notebooks nbgrader has no page of)."""
        submitted = self._folder(self.coursedir.submitted_directory, student)
        if mode == "withheld":
            pages.publish(self.exchange_folder(), submitted, pages.withheld(due))
            return
        api = self.apis[mode]
        autograded = self._folder(self.coursedir.autograded_directory, student)
        target = self._folder(self.coursedir.feedback_directory, student)
        if any(autograded.glob("*.ipynb")):
            _check(self._generate(api, student, mode), "generate")
        else:   # nothing nbgrader can render: only the pages below
            shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True, exist_ok=True)
        for name in ("timestamp.txt", "submission_secret.txt"):
            if not (target / name).exists():
                shutil.copy(submitted / name, target / name)
        for run in result.notebooks.values():
            # A notebook the engine could not read has nbgrader's page of the release
            # (or none): the student learns why instead.
            if run.status in NOT_GRADED or not (target / f"{run.name}.html").exists():
                message = run.message or f"the notebook's status is {run.status}"
                (target / f"{run.name}.html").write_text(pages.unreadable(run.name, message),
                                                         encoding="utf-8")
        _check(api.release_feedback(self.assignment, student), "release")


    def _generate(self, api, student, mode):
        """nbgrader generate_feedback for one student. For "diagnoses", nbgrader's app itself:
        the API's method insists on nbgrader's template, which prints the scores."""
        if mode == "full":
            return api.generate_feedback(self.assignment, student, force=True)
        from nbgrader.converters import GenerateFeedback
        from nbgrader.utils import capture_log, temp_attrs
        with temp_attrs(api.coursedir, assignment_id=self.assignment, student_id=student):
            app = GenerateFeedback(coursedir=api.coursedir, parent=api)
            app.force = True
            return capture_log(app)


def _check(outcome, what):
    if not outcome.get("success"):
        raise FeedbackError(f"nbgrader {what}_feedback failed:\n{outcome.get('log', '')[-3000:]}"
                            f"{outcome.get('error', '')[-1000:]}")
