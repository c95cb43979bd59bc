"""A real nbgrader exchange in a temporary folder: the course releases, students
submit and fetch feedback with nbgrader's own commands (course_build.sample_class
makes the course and the students' notebooks)."""
import shutil
from pathlib import Path

from autograders.items import ASSIGNMENT
import nbformat

from course_build.sample_class import (Student, assignment_notebooks, run_nbgrader,
                                       student_notebooks)

COURSE_ID = "nn-lecture"


def exchange_course(released, folder):
    """(course root, exchange root): a copy of the released course at folder/course, its
    exchange at folder/exchange, the assignment released there (`nbgrader release_assignment`)."""
    folder = Path(folder)
    exchange = folder / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    course = Path(shutil.copytree(released, folder / "course", symlinks=True))
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    run_nbgrader(course, "release_assignment", ASSIGNMENT, "--force")
    return course, exchange


def student_flags(exchange, student):
    """nbgrader's options for this student: each has a cache of their own, as in their home."""
    return [f"--student={student}", f"--course={COURSE_ID}", f"--Exchange.root={exchange}",
            f"--Exchange.cache={exchange.parent / 'caches' / student}"]


def submit(course, exchange, student, texts):
    """Student submits these notebooks ({name: text}) with `nbgrader submit`."""
    home = exchange.parent / "students" / student
    folder = home / ASSIGNMENT
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / f"{name}.ipynb").write_text(text)
    return run_nbgrader(home, "submit", ASSIGNMENT, *student_flags(exchange, student))


def fetch_feedback(exchange, student):
    """{notebook: html} of the latest feedback `nbgrader fetch_feedback` gives the student."""
    home = exchange.parent / "students" / student
    run_nbgrader(home, "fetch_feedback", ASSIGNMENT, *student_flags(exchange, student))
    times = sorted((home / ASSIGNMENT / "feedback").glob("*"))
    if not times:
        return {}
    return {path.stem: path.read_text() for path in times[-1].glob("*.html")}


def notebooks_of(course, student):
    """{name: text} of a sample_class Student's submission."""
    return student_notebooks(student, assignment_notebooks(course))


KILL_THE_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"


def hostile_notebooks(course):
    """The sample class's hostile student (np.allclose patched, the course read, files
    written outside), its never-ending cell replaced by one that kills its parent
    process, and its second notebook cut short (not JSON, as grace-broken-json's)."""
    texts = notebooks_of(course, Student("mallory", hostile=True,
                                         broken=("02_numpy_network",)))
    first = min(texts)
    notebook = nbformat.reads(texts[first], 4)
    notebook.cells[-1].source = KILL_THE_PARENT
    texts[first] = nbformat.writes(notebook)
    return texts
