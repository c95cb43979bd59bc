"""Auto scores and comments of one submitted notebook, by nbgrader's rules.

nbgrader's SaveAutoGrades, applied to a notebook's Grade and Comment rows
loaded at once (it queries and commits cell by cell):
- a grade cell scores ``utils.determine_grade``: the points its outputs
  publish (see autograded_copy.publish_verdicts); None for an answered
  free-text cell, 0 for an untouched one;
- it needs manual grading when it has no auto score, or when a grader
  already scored it (a regrade asks for a review, as nbgrader does);
- an answer cell whose checksum is the source's gets "No response.".
"""
from nbgrader import utils

from autograders.nbgrader_bridge.autograded_copy import test_cell_id

NO_RESPONSE = "No response."


def record(grade, score):
    grade.auto_score = score
    grade.needs_manual_grade = score is None or grade.manual_score is not None


def from_notebook(row, notebook, source, verdicts):
    """Score the autograded copy's cells; ``verdicts`` maps test cell ids to verdicts.

    Two departures from SaveAutoGrades, both where the engine knows better:
    a test cell the engine did not judge has no output, which nbgrader would
    count as full marks: it is left to the grader; a test cell the student
    deleted still gets its item's verdict.
    """
    grades = {grade.cell_id: grade for grade in row.grades}
    comments = {comment.cell_id: comment for comment in row.comments}
    scored = set()
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        grade = grades.get(source.grade_ids.get(grade_id))
        if grade is not None and utils.is_grade(cell):
            unjudged = test_cell_id(cell) is not None and grade_id not in verdicts
            record(grade, None if unjudged else utils.determine_grade(cell)[0])
            scored.add(grade_id)
        comment = comments.get(source.comment_ids.get(grade_id))
        if comment is not None and (utils.is_solution(cell) or utils.is_task(cell)):
            untouched = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comment.auto_comment = NO_RESPONSE if untouched and not utils.is_task(cell) else None
    for test_id in verdicts.keys() & (source.grade_ids.keys() - scored):
        record(grades[source.grade_ids[test_id]], verdicts[test_id].points)


def without_notebook(row, source, verdicts):
    """No notebook to read: test cells get their verdicts, every other cell 0,
    as ``nbgrader autograde`` scores a missing notebook."""
    names = {cell_id: name for name, cell_id in source.grade_ids.items()}
    for grade in row.grades:
        verdict = verdicts.get(names.get(grade.cell_id))
        record(grade, verdict.points if verdict is not None else 0)
