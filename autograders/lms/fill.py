"""Fill the LMS's gradebook CSV with the marks; report every student without a match.

    text, report = fill(SYSTEMS["canvas"], roster_text, marks, assignment="neural_networks")

The import file keeps the roster's identity columns and its non-student rows
(Canvas's Points Possible), adds the one grade column (and Moodle's feedback
column when asked), and only these: a column left out is left as it is in
the LMS, so grades changed there since the export are not overwritten.
Students are matched case-insensitively, ignoring surrounding spaces, on one
roster column (``match``) against the nbgrader student id, or against the
student's email in the nbgrader gradebook (``by_email``). A student without
a submission gets a blank cell (0 with ``missing_zero``); a student whose
score is not final, a blank cell whatever the options.
"""
import csv
import io
from dataclasses import dataclass, field

from autograders.exports.common import points
from autograders.lms.formats import LmsError


@dataclass
class Report:
    """What fill did, student by student; ``lines()`` says it for the instructor."""
    system: str
    source: str                 # where the marks come from: "nbgrader", "grades.csv"
    column: str
    match: str
    by_email: bool = False
    new_column: bool = False
    written: int = 0
    no_submission: list = field(default_factory=list)       # roster labels (blank or 0)
    not_final: list = field(default_factory=list)           # (roster label, why)
    roster_unmatched: list = field(default_factory=list)    # roster labels, no nbgrader student
    nbgrader_unmatched: list = field(default_factory=list)  # nbgrader ids, no roster row
    warnings: list = field(default_factory=list)
    zero: bool = False

    def lines(self):
        lms = self.system
        lines = [f"{self.written} scores written into {lms} column {self.column!r}"
                 + (f" (a new column: {lms} makes it a new grade item on import)"
                    if self.new_column else "") + f"; students matched by {self.match!r}"
                 + (" against their nbgrader emails." if self.by_email else ".")]
        lines += [f"warning: {text}" for text in self.warnings]
        blank = "0 written" if self.zero else "left blank"
        lists = (
            (f"in {lms}, no {self.source} student with this {self.match} ({blank})",
             self.roster_unmatched),
            (f"{self.source} students with no {lms} row (not exported)",
             self.nbgrader_unmatched),
            (f"no submission ({blank})", self.no_submission),
            ("score not final (left blank)", [f"{who}: {why}" for who, why in self.not_final]),
        )
        for title, names in lists:
            if names:
                lines.append(f"{len(names)} {title}: {', '.join(names)}")
        return lines


def fill(system, roster_text, marks, assignment, column=None, match=None, by_email=False,
         missing_zero=False, feedback=False, only=None, source="nbgrader"):
    """The import CSV's text and the Report.

    system: formats.Canvas() or formats.Moodle(); roster_text: the CSV the LMS
    exported; marks: marks.Mark per nbgrader student; assignment: the nbgrader
    assignment name (finds the grade column when ``column`` is not given);
    source: where the marks come from, as the report names it; only: student
    ids, to write the rows of these students alone (``nbgrader export
    --student``; the other rows are left out, not blanked).
    """
    header, rows = _read(system, roster_text)
    match = _match_column(system, header, match)
    column, new = _grade_column(system, header, assignment, column)
    by_key = _marks_by_key(marks, by_email)
    report = Report(system.name, source, column, match, by_email, new, zero=missing_zero)
    most = max((m.max_score for m in marks), default=0.0)
    _check_points_possible(system, rows, column, most, report)
    notes = system.feedback_column(column) if feedback else None
    out_columns = (system.identity(header) + [column] + ([notes] if notes else [])
                   + [c for c in system.trailing if c in header])
    seen, keys, out_rows = set(), set(), []
    for row in rows:
        cells = {c: row.get(c, "") for c in out_columns}
        if not system.is_student(row):
            cells[column] = row.get(column) or (points(most) if system.points_possible(row)
                                                else "")
            out_rows.append(cells)
            continue
        key = _key(row.get(match, ""))
        if key in keys:
            raise LmsError(f"two {system.name} rows have the {match} {row[match].strip()!r}")
        keys.add(key or None)
        mark = by_key.get(key) if key else None
        if only is not None and (mark is None or mark.student_id not in only):
            continue
        label = system.label(row) or key
        if mark is None:
            report.roster_unmatched.append(f"{label} ({row.get(match, '').strip() or 'empty'})")
        else:
            seen.add(mark.student_id)
        cells[column] = _cell(mark, label, missing_zero, report)
        if notes:
            cells[notes] = mark.feedback() if mark is not None and mark.score is not None else ""
        out_rows.append(cells)
    report.nbgrader_unmatched = sorted(m.student_id for m in marks if m.student_id not in seen
                                       and (only is None or m.student_id in only))
    return _write(out_columns, out_rows), report


def _cell(mark, label, missing_zero, report):
    if mark is not None and mark.score is not None:
        report.written += 1
        return points(mark.score)
    if mark is not None and mark.submitted:
        report.not_final.append((label, mark.problem))
        return ""
    if mark is not None:
        report.no_submission.append(label)
    return "0" if missing_zero else ""


def _read(system, text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or ()]
    reader.fieldnames = header
    missing = [c for c in system.required if c not in header]
    if not header or missing:
        raise LmsError(f"this is not a gradebook CSV exported from {system.name} "
                       f"(no column {', '.join(missing) or 'at all'})")
    return header, list(reader)


def _key(value):
    return value.strip().casefold()


def _match_column(system, header, match):
    if match:
        if match not in header:
            raise LmsError(f"the {system.name} CSV has no column {match!r}; its columns: "
                           f"{', '.join(system.identity(header))}")
        return match
    for candidate in system.match_columns:
        if candidate in header:
            return candidate
    raise LmsError(f"the {system.name} CSV has none of the columns "
                   f"{', '.join(system.match_columns)} to match students by; choose one of "
                   f"{', '.join(system.identity(header))}")


def _grade_column(system, header, assignment, column):
    """(the grade column, whether it is new): the one named, else the assignment's."""
    graded = [c for c in header if system.assignment_of(c) is not None]
    if column:
        if column in header:
            return column, False
        named = [c for c in graded if _key(system.assignment_of(c)) == _key(column)]
        if len(named) == 1:
            return named[0], False
        if named:
            raise LmsError(f"several {system.name} columns are named {column!r}: "
                           f"{', '.join(named)}; give the whole header")
        return column, True
    named = [c for c in graded if _key(system.assignment_of(c)) == _key(assignment)]
    if len(named) == 1:
        return named[0], False
    raise LmsError(
        f"{'several' if named else 'no'} {system.name} grade columns for the assignment "
        f"{assignment!r}; choose one with --column (a column {system.name} does not have "
        f"makes a new grade item); its grade columns: {', '.join(graded) or 'none'}")


def _marks_by_key(marks, by_email):
    by_key = {}
    for mark in marks:
        key = _key(mark.email if by_email else mark.student_id)
        if not key:
            continue
        if key in by_key:
            raise LmsError(f"two nbgrader students match {key!r}: {by_key[key].student_id} "
                           f"and {mark.student_id}")
        by_key[key] = mark
    return by_key


def _check_points_possible(system, rows, column, most, report):
    for row in rows:
        text = row.get(column, "").strip() if system.points_possible(row) else ""
        try:
            possible = float(text) if text else None
        except ValueError:
            continue
        if possible is not None and abs(possible - most) > 1e-9:
            report.warnings.append(
                f"{system.name} gives {column!r} {points(possible)} points possible, "
                f"{report.source} {points(most)}: the scores are written out of {points(most)}")


def _write(columns, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
