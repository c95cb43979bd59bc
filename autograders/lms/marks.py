"""One mark per student: what goes into the LMS, from nbgrader's gradebook or grades.csv.

The score is the one the student gets: after the course's late penalty
(nbgrader's own rule, as ``nbgrader export`` writes it: the raw score less
the penalty, never below 0). A mark has no score when the student has no
submission, or when its score is not final (``problem`` says why: free-text
answers still to grade by hand, an engine error); such a cell stays blank.
"""
import csv
from dataclasses import dataclass

from autograders.exports.common import points
from autograders.items import ITEMS
from autograders.lms.formats import LmsError
from autograders.result import ENGINE_ERROR


@dataclass(frozen=True)
class Mark:
    student_id: str
    score: float | None          # after the late penalty; None: nothing to write
    max_score: float
    submitted: bool = True
    problem: str = ""            # why a submission's score is not written
    email: str = ""
    penalty: float = 0.0
    seconds_late: float = 0.0
    parts: tuple = ()            # (notebook, points, max points), before the penalty

    def feedback(self):
        """One line for the LMS's feedback column: notebooks, late penalty, score."""
        text = "; ".join(f"{name} {points(got)}/{points(most)}" for name, got, most in self.parts)
        if self.penalty:
            text += (f". Submitted {self.seconds_late / 3600:.4g} hours late: late penalty "
                     f"{points(self.penalty)} points")
        return f"{text}. Score {points(self.score)}/{points(self.max_score)}.".lstrip(". ")


def from_gradebook(gradebook, assignment):
    """Marks of every student in an nbgrader Gradebook for one assignment (by name)."""
    from nbgrader.api import MissingEntry
    try:
        most = gradebook.find_assignment(assignment).max_score
    except MissingEntry:
        raise LmsError(f"the nbgrader gradebook has no assignment {assignment!r}") from None
    marks = []
    for student in gradebook.students:
        try:
            submission = gradebook.find_submission(assignment, student.id)
        except MissingEntry:
            marks.append(Mark(student.id, None, most, submitted=False, email=student.email or ""))
            continue
        penalty = submission.late_submission_penalty or 0.0
        problem = ("cells still to grade or review in formgrader"
                   if submission.needs_manual_grade else "")
        marks.append(Mark(
            student.id, None if problem else max(0.0, submission.score - penalty), most,
            problem=problem, email=student.email or "", penalty=penalty,
            seconds_late=submission.total_seconds_late,
            parts=tuple((nb.name, nb.score, nb.max_score) for nb in submission.notebooks)))
    return marks


GRADES_COLUMNS = ("student_id", "max_score", "seconds_late", "penalty", "score", "status")


def from_grades_csv(path):
    """Marks of the students in the engine's grades.csv (autograders/exports/csv_report.py).

    Its ``score`` is after the late penalty; a row with status engine_error has
    no trustworthy score and is not written.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GRADES_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise LmsError(f"{path} is not the engine's grades.csv (no column "
                           f"{', '.join(missing)})")
        notebooks = _notebook_maxima(reader.fieldnames)
        marks = []
        for row in reader:
            problem = ("engine error: regrade this student (see summary.json)"
                       if row["status"] == ENGINE_ERROR else "")
            parts = tuple((name, float(row[name]), most) for name, most in notebooks.items()
                          if row[name] != "")
            marks.append(Mark(row["student_id"], None if problem else float(row["score"]),
                              float(row["max_score"]), problem=problem,
                              penalty=float(row["penalty"]),
                              seconds_late=float(row["seconds_late"]), parts=parts))
    return marks


def _notebook_maxima(header):
    """{notebook column: its graded items' points} for the notebooks grades.csv has."""
    maxima = {}
    for item in ITEMS:
        if item.id in header and item.notebook in header:
            maxima[item.notebook] = maxima.get(item.notebook, 0.0) + item.points
    return maxima
