"""Write source/<assignment>/ from the templates (or check it): notebooks and check.py.

    python -m course_build            write the source notebooks
    python -m course_build --check    exit 1 if any differs from its template
"""
import argparse
import sys
from pathlib import Path

import nbformat

from autograders.items import ASSIGNMENT, NOTEBOOKS, items_of
from course_build import template
from course_build.notebook import make_notebook

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates" / ASSIGNMENT
# The students' self-check: shipped beside the notebooks (nbgrader's
# generate_assignment copies it into the release), run as `python check.py`.
STUDENT_CHECK = Path(__file__).resolve().parent / "student_check.py"
STUDENT_CHECK_NAME = "check.py"


def source_dir(root=ROOT):
    return Path(root) / "source" / ASSIGNMENT


def build_notebook(name):
    """The source notebook for one template, as an nbformat node."""
    path = TEMPLATES / f"{name}.py"
    specs = template.parse(path.read_text(), str(path))
    _check_items_covered(name, specs)
    return make_notebook(specs)


def _check_items_covered(name, specs):
    """Every item of the points table has its cells, and no cell is unknown."""
    graded = {spec.id for spec in specs if spec.kind in ("tests", "answer")}
    expected = {item.id for item in items_of(name)}
    if graded != expected:
        raise template.TemplateError(
            f"{name}: graded cells {sorted(graded)} differ from the points table "
            f"{sorted(expected)}")


def render(notebook):
    return nbformat.writes(notebook) + "\n"


def student_check_file():
    """(file name, text) of the students' self-check, as shipped beside the notebooks."""
    return STUDENT_CHECK_NAME, STUDENT_CHECK.read_text()


def generated_files():
    """(file name, text) of everything the build writes into source/<assignment>/."""
    for name in NOTEBOOKS:
        yield f"{name}.ipynb", render(build_notebook(name))
    yield student_check_file()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, don't write")
    args = parser.parse_args(argv)
    out_dir = source_dir()
    stale = []
    for file_name, text in generated_files():
        target = out_dir / file_name
        if args.check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("out of date (run `python -m course_build`):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
