"""Which submissions to grade: the nbgrader course and the paths given.

An nbgrader course keeps each submission at
``<root>/submitted/<student_id>/<assignment>/<notebook>.ipynb``; the student
id always comes from that layout. A path to grade is one of:
- a course root (the folder holding ``nbgrader_config.py``, or one with a
  ``submitted/`` folder): every student's submission of the assignment;
- a ``submitted/<student_id>/<assignment>/`` folder, or a
  ``submitted/<student_id>/`` folder: that student's submission;
- notebook files: graded for their own notebook's items. A file inside the
  layout belongs to that student; a loose file outside it is a submission of
  its own, whose student id is the file's stem. A file not named like a
  release notebook holds the notebooks whose grade ids its cells carry (all
  of them when it carries none). Files are staged into a private folder
  under their release names before grading (``staged``), so the sandbox
  sees them and nothing else of the folder they came from.
- any other folder holding ``.ipynb`` files (by their release names): one
  submission, whose student id is the folder's name.
The course's own settings (root, submitted folder, gradebook URL) are read
from its ``nbgrader_config.py``, as nbgrader reads them.
"""
from dataclasses import dataclass, replace
import json
from pathlib import Path
import re
import shutil
import warnings

from autograders.items import ASSIGNMENT, ITEMS, NOTEBOOKS

CONFIG_FILE = "nbgrader_config.py"
SUBMITTED = "submitted"
NOTEBOOK_SUFFIX = ".ipynb"
MAX_SNIFFED_BYTES = 20 * 2**20   # larger files are not read for their grade ids


class CourseError(Exception):
    """A path or course the engine cannot grade (a usage error, not a student's)."""


@dataclass(frozen=True)
class Course:
    root: Path
    submitted_directory: str = SUBMITTED
    db_url: str = ""
    course_id: str = ""
    assignment: str = ASSIGNMENT

    @property
    def submitted(self):
        return self.root / self.submitted_directory

    @classmethod
    def load(cls, root, assignment=ASSIGNMENT):
        """The course at root, with the settings of its nbgrader_config.py (if any)."""
        # The root is always the folder given, as in nbgrader_bridge.course_config:
        # a config copied from elsewhere must not send the grading there.
        root = Path(root).resolve()
        config = _read_config(root / CONFIG_FILE)
        return cls(root=root,
                   submitted_directory=config.get("submitted_directory", SUBMITTED),
                   db_url=config.get("db_url") or f"sqlite:///{root / 'gradebook.db'}",
                   course_id=config.get("course_id", ""),
                   assignment=assignment)


def _read_config(path):
    """CourseDirectory settings from an nbgrader_config.py ({} if none or unreadable).

    The file is the instructor's Python, run as nbgrader runs it (traitlets'
    loader, without importing nbgrader itself: that takes 3 s); a broken one
    is reported and the defaults are used.
    """
    if not path.is_file():
        return {}
    try:
        from traitlets.config.loader import PyFileConfigLoader
        config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
        return dict(config.get("CourseDirectory", {}))
    except Exception as exc:  # noqa: BLE001 - any failure: fall back to nbgrader's defaults
        warnings.warn(f"{path}: could not be read ({type(exc).__name__}: {exc}); "
                      "using nbgrader's default layout", stacklevel=2)
        return {}


def find_course_root(start):
    """The nearest folder at or above start that holds nbgrader_config.py, or None."""
    start = Path(start).resolve()
    for folder in [start, *start.parents]:
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def current_course(course_dir=None, assignment=ASSIGNMENT):
    """The course given by --course, else the one around the working directory (or None)."""
    if course_dir is not None:
        root = Path(course_dir)
        if not root.is_dir():
            raise CourseError(f"--course {course_dir}: no such folder")
        return Course.load(root, assignment)
    root = find_course_root(Path.cwd())
    return Course.load(root, assignment) if root else None


@dataclass(frozen=True)
class Submission:
    """One student's work to grade: notebooks (release names, no suffix) in folder.

    files: for notebook files given one by one, (release name, path) pairs;
    ``staged`` copies them into a folder of their own before grading.
    """
    student_id: str
    assignment: str
    folder: Path
    notebooks: tuple
    sources: tuple = ()      # the paths given that led here, for error messages
    files: tuple = ()


def staged(submission, root):
    """The submission with its notebook files copied to root/<student>/<assignment>/.

    A folder submission is returned unchanged (the sandbox copies that folder).
    """
    if not submission.files:
        return submission
    folder = Path(root) / submission.student_id / submission.assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in submission.files:
        shutil.copyfile(path, folder / f"{name}{NOTEBOOK_SUFFIX}")
    return replace(submission, folder=folder)


# ------------------------------------------------------------------ paths -> submissions
def discover(paths, course):
    """Submissions for the given paths (the course's class when none), sorted by student."""
    if not paths:
        if course is None:
            raise CourseError(f"no path given and no {CONFIG_FILE} here or above; "
                              "give a course folder, submissions or notebooks, or --course")
        paths = [course.root]
    found = []
    for path in paths:
        found += _submissions_at(Path(path), course)
    return _combined(found)


def whole_classes(paths, course):
    """True when the paths to grade (none: the current course) name whole classes:
    course roots or submitted/ folders, not some students' submissions."""
    return all(_class_root(Path(path).resolve(), course) is not None for path in paths)


def _class_root(path, course):
    """The course root when path is a course root or its submitted/ folder, else None."""
    if not path.is_dir():
        return None
    if _is_course_root(path, course):
        return path
    if path.name == _submitted_name(course):
        return path.parent
    return None


def _submissions_at(path, course):
    if not path.exists():
        raise CourseError(f"{path}: no such file or folder")
    path = path.resolve()
    assignment = course.assignment if course else ASSIGNMENT
    if path.is_file():
        if path.suffix != NOTEBOOK_SUFFIX:
            raise CourseError(f"{path}: not a notebook (.ipynb)")
        return [_notebook_file(path, assignment, course)]
    root = _class_root(path, course)
    if root is not None:
        return _class_of(_course_at(root, course))
    if _in_layout(path.parent, course):
        return [_submission_folder(path.parent.name, path.name, path, path)]
    if _in_layout(path, course) and (path / assignment).is_dir():
        return [_submission_folder(path.name, assignment, path / assignment, path)]
    if any(path.glob(f"*{NOTEBOOK_SUFFIX}")):
        return [_submission_folder(_checked_id(path.name, path), assignment, path, path)]
    raise CourseError(f"{path}: neither a course, a submission folder nor a folder of notebooks")


def _is_course_root(path, course):
    return ((path / CONFIG_FILE).is_file() or (path / _submitted_name(course)).is_dir()
            or (course is not None and path == course.root))


def _course_at(path, course):
    if course is not None and path == course.root:
        return course
    return Course.load(path, course.assignment if course else ASSIGNMENT)


def _submitted_name(course):
    return Path(course.submitted_directory).name if course else SUBMITTED


def _in_layout(folder, course=None):
    """True for submitted/<student_id>/ (a folder whose parent is the submitted folder)."""
    return folder.parent.name in (SUBMITTED, _submitted_name(course))


def _class_of(course):
    """Every student folder under submitted/ holding the assignment (others did not submit)."""
    if not course.submitted.is_dir():
        return []
    return [_submission_folder(student.name, course.assignment, student / course.assignment,
                               course.root)
            for student in sorted(course.submitted.iterdir())
            if (student / course.assignment).is_dir()]


def _submission_folder(student_id, assignment, folder, source):
    return Submission(_checked_id(student_id, source), assignment, folder, NOTEBOOKS, (source,))


def _notebook_file(path, assignment, course):
    """A single notebook: inside the layout it is its student's; outside, its own."""
    names = notebooks_in(path)
    files = tuple((name, path) for name in names)
    if _in_layout(path.parent.parent, course):
        return Submission(_checked_id(path.parent.parent.name, path), path.parent.name,
                          path.parent, names, (path,), files)
    return Submission(_checked_id(path.stem, path), assignment, path.parent, names, (path,), files)


def notebooks_in(path):
    """The release notebooks a file holds: its own name, else those its grade ids belong to.

    Reads the JSON only (nothing runs); a file that cannot be read, or carries
    no known grade id, may hold anything: every notebook (the sandbox then
    reports what it finds).
    """
    if path.stem in NOTEBOOKS:
        return (path.stem,)
    grade_ids = set()
    try:
        if path.stat().st_size <= MAX_SNIFFED_BYTES:
            for cell in json.loads(path.read_bytes()).get("cells", []):
                grade_ids.add(str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")))
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    found = {item.notebook for item in ITEMS if {item.id, item.test_id} & grade_ids}
    return tuple(name for name in NOTEBOOKS if name in found) or NOTEBOOKS


# Student ids become report folder names and CSV cells: keep them plain.
_SAFE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$")


def _checked_id(student_id, source):
    if not _SAFE_ID.match(student_id) or student_id in (".", ".."):
        raise CourseError(f"{source}: {student_id!r} cannot be a student id "
                          "(letters, digits and _ . @ + -, starting with a letter, digit or _)")
    from autograders.exports import class_files
    if student_id.lower() in {name.lower() for name in class_files()}:
        raise CourseError(f"{source}: {student_id!r} cannot be a student id: it is the name of "
                          "a class report file, which the student's report folder would "
                          "collide with; rename the student's folder (e.g. to "
                          f"{student_id.replace('.', '_')!r}) and grade again")
    return student_id


def _combined(found):
    """One submission per student: notebook files of one folder join; conflicts are errors."""
    by_student = {}
    for submission in found:
        key = submission.student_id   # reports live in OUT/<student_id>/: one submission each
        other = by_student.get(key)
        if other is None:
            by_student[key] = submission
        elif other.folder == submission.folder and other.assignment == submission.assignment:
            by_student[key] = _joined(other, submission)
        else:
            raise CourseError(f"student {submission.student_id!r} found twice: "
                              f"{other.folder} and {submission.folder}")
    return [by_student[key] for key in sorted(by_student)]


def _joined(one, other):
    """Two finds of one student's folder: a folder find takes all; files add up."""
    if not one.files or not other.files:
        whole = one if not one.files else other
        return replace(whole, sources=one.sources + other.sources)
    files = dict(one.files)
    for name, path in other.files:
        if files.setdefault(name, path) != path:
            raise CourseError(f"two files for {name} of {one.student_id!r}: "
                              f"{files[name]} and {path}")
    notebooks = tuple(name for name in NOTEBOOKS if name in files)
    files = tuple((name, files[name]) for name in notebooks)
    return replace(one, notebooks=notebooks, sources=one.sources + other.sources, files=files)


# ------------------------------------------------------------------ sharding
def parse_shard(text):
    """'I/N' (1-based) -> (I, N)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match:
        raise CourseError(f"--shard {text!r}: expected I/N, e.g. 2/4")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise CourseError(f"--shard {text}: I must be between 1 and N")
    return index, count


def shard(submissions, index, count):
    """Shard index of count (1-based): every count-th student of the sorted list.

    Round robin over the sorted student ids: deterministic, and neighbours in
    the list (often similar work, similar cost) spread over the shards.
    """
    students = sorted({s.student_id for s in submissions})
    chosen = set(students[index - 1::count])
    return [s for s in submissions if s.student_id in chosen]
