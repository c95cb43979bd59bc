"""The short pages a student fetches instead of (or beside) nbgrader's feedback.

Written where ``nbgrader release_feedback`` writes: the exchange's
``<course>/feedback/<hash>.html``, the hash nbgrader's own ``notebook_hash`` of
the submission's secret and the notebook's name, so ``nbgrader
fetch_feedback`` (and the Assignments tab) finds them for that submission and
a later release for the same submission replaces them.
"""
import os
from pathlib import Path

from autograders.exports.style import STYLE, esc


def page(title, *paragraphs):
    body = "".join(f"<p>{esc(text)}</p>" for text in paragraphs)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"
            f"<div class=\"status\">{body}</div></body></html>\n")


def queued(received, ready_at, minutes):
    return page("Submission received: waiting to be graded",
                f"Your submission of {_time(received)} was received.",
                f"Submissions are graded at most once every {minutes:g} minutes per student; "
                f"this one will be graded at about {_time(ready_at)}. Fetch your feedback "
                "again after that. If you submit again before then, the latest submission "
                "is the one graded.")


def withheld(due):
    return page("Submission graded: feedback after the due date",
                "Your submission was received and graded.",
                f"Feedback is released after the due date ({_time(due)}). Fetch it again then.")


def unreadable(notebook, message):
    return page(f"{notebook}: not graded",
                f"This notebook could not be graded: {message}",
                "Its tests score 0. Open it in Jupyter to check that it is the assignment's "
                "notebook and that it opens, then submit again.")


def _time(moment):
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def publish(exchange_feedback, submission_folder, html, notebooks=None):
    """Put html where fetch_feedback finds the feedback of these notebooks of one submission.

    exchange_feedback: the exchange's <course>/feedback folder; submission_folder:
    the submission (inbound or submitted) holding submission_secret.txt;
    notebooks: notebook names (default: every notebook of the submission).
    """
    from nbgrader.utils import notebook_hash
    folder = Path(submission_folder)
    secret = (folder / "submission_secret.txt").read_text()
    if notebooks is None:
        notebooks = sorted(path.stem for path in folder.glob("*.ipynb"))
    for notebook in notebooks:
        name = notebook_hash(secret=secret, notebook_id=notebook)
        target = Path(exchange_feedback) / f"{name}.html"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(html, encoding="utf-8")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
