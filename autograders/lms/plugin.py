"""nbgrader export plugins: the gradebook's scores into Canvas's or Moodle's import CSV.

    nbgrader export --exporter autograders.lms.plugin.CanvasExport \\
        --CanvasExport.roster=canvas-export.csv --to canvas-import.csv
    # or in nbgrader_config.py:
    c.ExportApp.plugin_class = "autograders.lms.plugin.MoodleExport"
    c.MoodleExport.roster = "moodle-export.csv"
    c.MoodleExport.match = "Username"

Scores are nbgrader's (``nbgrader export``'s ``score``: after the late
penalty). See fill.py for the matching and what the file holds; every
student without a match, without a submission or with a score not final is
logged, and the file is written only when the options make sense.
"""
from pathlib import Path

from nbgrader.plugins.export import ExportPlugin
from traitlets import Bool, Unicode

from autograders.exports.common import write_text
from autograders.lms.fill import fill
from autograders.lms.formats import SYSTEMS, LmsError
from autograders.lms.marks import from_gradebook


class LmsExport(ExportPlugin):
    """Shared options; the subclasses name the LMS."""
    system = None  # a formats.SYSTEMS key

    roster = Unicode("", help="The gradebook CSV exported from the LMS (its students and "
                              "columns); required.").tag(config=True)
    column = Unicode("", help="The LMS grade column to fill: its header or assignment name "
                              "(default: the column named after the nbgrader assignment); a "
                              "name the LMS does not have adds a new column.").tag(config=True)
    match = Unicode("", help="The roster column holding the nbgrader student ids (default: "
                             "the first the roster has of Canvas's SIS Login ID, SIS User ID; "
                             "Moodle's Username, ID number, Email address).").tag(config=True)
    by_email = Bool(False, help="Match the roster column against the students' emails in "
                                "the nbgrader gradebook instead of their ids.").tag(config=True)
    missing_zero = Bool(False, help="Write 0 for students without a submission (default: "
                                    "leave them blank).").tag(config=True)

    def export(self, gradebook):
        try:
            text, report = self.import_file(gradebook)
        except LmsError as error:
            self.log.error("%s export: %s", SYSTEMS[self.system].name, error)
            raise SystemExit(1) from None
        target = Path(self.to or f"{self.system}-import.csv")
        write_text(target, text)
        summary, *problems = report.lines()
        self.log.info(summary)
        for line in problems:
            self.log.warning(line)
        self.log.info("Wrote %s: import it in %s's gradebook (README: 'Grades into Canvas "
                      "or Moodle')", target, report.system)

    def import_file(self, gradebook):
        """(the import CSV's text, fill.Report) for this gradebook."""
        if not self.roster:
            raise LmsError(f"no roster: give the CSV exported from the LMS with "
                           f"--{type(self).__name__}.roster=FILE")
        assignment = self._assignment(gradebook)
        marks = from_gradebook(gradebook, assignment)
        roster = Path(self.roster).read_text(encoding="utf-8-sig")
        return fill(SYSTEMS[self.system], roster, marks, assignment, column=self.column or None,
                    match=self.match or None, by_email=self.by_email,
                    missing_zero=self.missing_zero, feedback=self._feedback(),
                    only={str(s) for s in self.student} or None)

    def _feedback(self):
        return False

    def _assignment(self, gradebook):
        names = [str(a) for a in self.assignment] or [a.name for a in gradebook.assignments]
        if len(names) != 1:
            raise LmsError(f"one assignment per import file: choose one of "
                           f"{', '.join(names) or 'none'} with --assignment NAME")
        return names[0]


class CanvasExport(LmsExport):
    """Fills the gradebook CSV exported from Canvas (Grades > Export) for Grades > Import."""
    system = "canvas"


class MoodleExport(LmsExport):
    """Fills the grades CSV exported from Moodle (Grades > Export > Plain text file) for
    Grades > Import > CSV file."""
    system = "moodle"

    feedback = Bool(False, help="Add a 'Feedback: <item>' column: each student's notebook "
                                "scores and late penalty.").tag(config=True)

    def _feedback(self):
        return self.feedback
