"""How Canvas and Moodle lay out the gradebook CSV they export and import back.

Canvas (Grades > Export; Grades > Import takes the same layout back):
``Student, ID, SIS User ID, SIS Login ID, [Integration ID,] Section``, then
one column per assignment headed ``<name> (<Canvas id>)`` and read-only
totals; under the header, rows that are not students (``Points Possible``,
sometimes ``Manual Posting``), which have no ``ID``; names are
``"Last, First"``, quoted. A column the import does not know makes a new
assignment.

Moodle (Grades > Export > Plain text file; Grades > Import > CSV file): user
profile fields (``First name``, ``Last name`` or ``Surname``, ``ID number``,
``Institution``, ``Department``, ``Email address``, ``Username`` when the
site exports it), then grade items headed ``<module>: <name>`` (``Assignment:
Lab 1``, ``Assignment: Lab 1 (Real)`` since Moodle 2.x), their feedback
``Feedback: <name>``, ``Course total`` and ``Last downloaded from this
course`` (the import refuses grades changed in Moodle after that time). The
import maps one column to the user (username, ID number or email) and others
to grade items or their feedback.
"""
import re


class LmsError(ValueError):
    """The roster or the options cannot give a correct import file; the message says why."""


class Canvas:
    name = "Canvas"
    identity_columns = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID",
                        "Section")
    required = ("Student", "ID")
    match_columns = ("SIS Login ID", "SIS User ID", "Integration ID", "ID")
    trailing = ()
    POINTS_POSSIBLE = "Points Possible"

    def identity(self, header):
        return [c for c in header if c in self.identity_columns]

    def is_student(self, row):
        """Student rows have a Canvas ID; Points Possible and the like have none."""
        return bool(row.get("ID", "").strip())

    def assignment_of(self, column):
        """The assignment name of a grade column ("Lab 1 (1234)" -> "Lab 1"), else None."""
        found = re.fullmatch(r"(.+) \(\d+\)", column)
        return found.group(1) if found else None

    def label(self, row):
        return row.get("Student", "").strip()

    def points_possible(self, row):
        return row.get("Student", "").strip() == self.POINTS_POSSIBLE

    def feedback_column(self, column):
        raise LmsError("Canvas's gradebook import takes scores only, no feedback column")


class Moodle:
    name = "Moodle"
    required = ()
    match_columns = ("Username", "ID number", "Email address")
    trailing = ("Last downloaded from this course",)
    ITEM = re.compile(r"([^:]+): (.+?)(?: \((?:Real|Percentage|Letter)\))?")

    def identity(self, header):
        return [c for c in header if not self.ITEM.fullmatch(c) and c not in self.trailing
                and not c.startswith("Course total")]

    def is_student(self, row):
        return True

    def assignment_of(self, column):
        """The grade item of a grade column ("Assignment: Lab 1 (Real)" -> "Lab 1"), else None
        (profile fields, feedback columns, totals)."""
        found = self.ITEM.fullmatch(column)
        return found.group(2) if found and found.group(1) != "Feedback" else None

    def label(self, row):
        names = (row.get("First name", ""), row.get("Last name", row.get("Surname", "")))
        return " ".join(n.strip() for n in names if n.strip())

    def points_possible(self, row):
        return False

    def feedback_column(self, column):
        return f"Feedback: {self.assignment_of(column) or column}"


SYSTEMS = {"canvas": Canvas(), "moodle": Moodle()}
