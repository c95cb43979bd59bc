"""The nbgrader gradebook as an export: scores into formgrader and ``nbgrader export``.

The work is autograders.nbgrader_bridge.gradebook.write_gradebook; this
adapts it to the exports' ``write(results, out_dir, course)``. It runs only
for a course whose gradebook exists (``nbgrader generate_assignment`` makes
it); a course without one is left alone, with a note.
"""
import sys
from pathlib import Path

SQLITE = "sqlite:///"


def has_gradebook(course):
    """False for a sqlite gradebook whose file does not exist; True for any other URL."""
    if not course.db_url.startswith(SQLITE):
        return True
    return Path(course.db_url[len(SQLITE):]).is_file()


PER_STUDENT = True  # one submission's rows at a time (exports.ResultStream)


def ready(course):
    """True when the course has a gradebook to write to; else say so, once."""
    if has_gradebook(course):
        return True
    print(f"note: {course.root} has no gradebook yet ({course.db_url}); run "
          "`nbgrader generate_assignment` there to get one. Scores are in the reports only.",
          file=sys.stderr)
    return False


def prepare(course):
    """Import the bridge ahead (nbgrader's import takes seconds: nbformat, jsonschema)."""
    import autograders.nbgrader_bridge.gradebook  # noqa: F401


def write(results, out_dir, course):
    if not ready(course):
        return
    from autograders.nbgrader_bridge.gradebook import write_gradebook
    write_gradebook(course.root, results, course.db_url)


class Writer:
    """Each submission into the gradebook as it is judged, the gradebook kept
    open between them (exports.ResultStream); ready(course) is checked first."""

    def __init__(self, out_dir, course):
        from autograders.nbgrader_bridge.gradebook import GradebookWriter
        self._writer = GradebookWriter(course.root, course.db_url)

    def add(self, result):
        self._writer.add(result)

    def close(self):
        self._writer.close()
