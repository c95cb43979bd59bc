"""Reading a submitted notebook file, with a clear message when it cannot be.

Plain json rather than nbformat: nbformat's import and schema validation cost
seconds per worker and ~50 ms per notebook, and its errors do not say where
the file is broken. Notebook format 3 (pre-2015) is still converted, by
nbformat, imported only then.
"""
import json
import os

from autograders.submission import graded_code_cells, grade_id, strip_magics


class Unreadable(Exception):
    """The notebook cannot be run; status is "missing" or "unreadable"."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Node(dict):
    """A dict with attribute access, the shape nbformat gives notebooks."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def code_cells(path):
    """[(index, grade_id, source)] of the cells grading runs (not `demo` cells).

    Raises Unreadable with a message for the student or instructor.
    """
    notebook = read(path)
    return [(index, grade_id(cell), strip_magics(cell.source))
            for index, cell in graded_code_cells(notebook)]


def read(path):
    name = os.path.basename(path)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        raise Unreadable("missing", f"{name} is missing") from None
    except OSError as error:
        raise Unreadable("unreadable", f"{name} cannot be read: {error.strerror}") from None
    if not data.strip():
        raise Unreadable("unreadable", f"{name} is empty")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unreadable("unreadable", f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise Unreadable("unreadable", f"{name} is not valid JSON at line {error.lineno} "
                                       f"({error.msg})") from None
    except RecursionError:
        raise Unreadable("unreadable", f"{name}: its JSON is nested too deeply") from None
    if isinstance(document, dict) and document.get("nbformat") == 3:
        document = _upgrade(data)
    return _checked(document, name)


def _upgrade(data):
    import nbformat  # only for a format-3 notebook: the import costs seconds
    return json.loads(nbformat.writes(nbformat.reads(data.decode("utf-8"), as_version=4)))


def _checked(document, name):
    if not isinstance(document, dict):
        raise Unreadable("unreadable", f"{name} is not a notebook (its JSON is not an object)")
    cells = document.get("cells")
    if not isinstance(cells, list) or not cells:
        raise Unreadable("unreadable", f"{name} has no cells")
    checked = []
    for index, cell in enumerate(cells):
        problem = _cell_problem(cell)
        if problem:
            raise Unreadable("unreadable", f"{name}: cell {index + 1} is malformed ({problem})")
        source = cell.get("source", "")
        metadata = dict(cell.get("metadata") or {})
        checked.append(Node(cell, source=source if isinstance(source, str) else "".join(source),
                            metadata=metadata))
    return Node(document, cells=checked)


def _cell_problem(cell):
    if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
        return "not a cell"
    source = cell.get("source", "")
    if not (isinstance(source, str)
            or isinstance(source, list) and all(isinstance(line, str) for line in source)):
        return "its source is not text"
    metadata = cell.get("metadata") or {}
    if not isinstance(metadata, dict):
        return "its metadata is not an object"
    if not isinstance(metadata.get("tags", []), list):
        return "its tags are not a list"
    if not isinstance(metadata.get("nbgrader", {}), dict):
        return "its nbgrader metadata is not an object"
    return ""
