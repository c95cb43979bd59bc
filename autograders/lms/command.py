"""``python -m autograders export --to canvas|moodle --roster FILE``: grades.csv into the LMS.

For courses graded without an nbgrader gradebook (in CI, on Gradescope): the
engine's grades.csv (its ``score``, after the late penalty) fills the
gradebook CSV exported from the LMS, as the nbgrader plugins (plugin.py) do
from the gradebook. The report goes to stderr; the exit status is 2 when the
file cannot be made (no such column, two students with one id...).
"""
import sys
from pathlib import Path

from autograders.exports.common import write_text
from autograders.exports.csv_report import FILE_NAME
from autograders.items import ASSIGNMENT
from autograders.lms.fill import fill
from autograders.lms.formats import SYSTEMS, LmsError
from autograders.lms.marks import from_grades_csv

DEFAULT_REPORTS = "autograded-reports"


def add_parser(commands):
    export = commands.add_parser(
        "export", help="fill the LMS's gradebook CSV (Canvas, Moodle) from grades.csv",
        description="Fill the gradebook CSV exported from Canvas or Moodle with the scores of "
                    "the engine's grades.csv (after the late penalty), for the LMS's import.")
    export.add_argument("--to", choices=sorted(SYSTEMS), required=True, help="the LMS")
    export.add_argument("--roster", required=True, metavar="FILE",
                        help="the gradebook CSV exported from the LMS")
    export.add_argument("--grades", metavar="FILE",
                        default=str(Path(DEFAULT_REPORTS) / FILE_NAME),
                        help=f"the engine's grades.csv (default: ./{DEFAULT_REPORTS}/{FILE_NAME})")
    export.add_argument("--out", metavar="FILE",
                        help="the import CSV to write (default: ./<lms>-import.csv)")
    export.add_argument("--column", metavar="NAME",
                        help=f"the LMS grade column to fill: its header or assignment name "
                             f"(default: the one named {ASSIGNMENT!r}); a new name adds a column")
    export.add_argument("--match", metavar="COLUMN",
                        help="the roster column holding the student ids (default: Canvas's "
                             "SIS Login ID; Moodle's Username, else ID number, else Email address)")
    export.add_argument("--missing-zero", action="store_true",
                        help="write 0 for students without a submission (default: blank)")
    export.add_argument("--feedback", action="store_true",
                        help="Moodle: add a feedback column (notebook scores, late penalty)")


def run(args):
    """Write the import file; 0 when written, 2 when the inputs cannot give a correct one."""
    system = SYSTEMS[args.to]
    out = Path(args.out or f"{args.to}-import.csv")
    try:
        marks = from_grades_csv(args.grades)
        roster = Path(args.roster).read_text(encoding="utf-8-sig")
        text, report = fill(system, roster, marks, ASSIGNMENT, column=args.column,
                            match=args.match, missing_zero=args.missing_zero,
                            feedback=args.feedback, source=FILE_NAME)
    except (LmsError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write_text(out, text)
    print("\n".join(report.lines()), file=sys.stderr)
    print(f"Wrote {out}: import it in {system.name}'s gradebook "
          "(README: 'Grades into Canvas or Moodle').", file=sys.stderr)
    return 0
