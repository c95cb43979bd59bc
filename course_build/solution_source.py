"""Turn reference objects into solution-cell source with nbgrader markers.

For a function, the ``def`` line and docstring stay; the body goes between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, so the release keeps the
signature and docstring and nbgrader puts its stub where the body was. For a
class, the class line and docstring stay and every method is treated like a
function. A constant becomes ``name = value`` inside the markers.
"""
import ast
import dataclasses
import importlib
import inspect
import pprint
import textwrap

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def reference_object(module_name, name):
    return getattr(importlib.import_module(module_name), name)


def plain_source(obj):
    """The object's source, dedented, as it stands in reference/."""
    return textwrap.dedent(inspect.getsource(obj)).rstrip() + "\n"


def solution_source(obj, variable=None):
    """Source of a solution cell for a function, class or constant."""
    if inspect.isfunction(obj) or inspect.isclass(obj):
        return _mark_bodies(plain_source(obj))
    value = dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else obj
    assignment = f"{variable} = {pprint.pformat(value, sort_dicts=False)}"
    return f"{BEGIN}\n{assignment}\n{END}\n"


def _mark_bodies(source):
    lines = source.splitlines()
    tree = ast.parse(source)
    markers = []  # (insert BEGIN before line index, END after line index, indent)
    for node in tree.body:
        functions = [node] if isinstance(node, ast.FunctionDef) else [
            child for child in getattr(node, "body", []) if isinstance(child, ast.FunctionDef)
        ]
        for function in functions:
            body = function.body
            first = 1 if _is_docstring(body[0]) and len(body) > 1 else 0
            start = body[first].lineno - 1
            # Decorators or comments above the first statement stay with the body.
            end = function.end_lineno - 1
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            markers.append((start, end, indent))
    for start, end, indent in sorted(markers, reverse=True):
        lines.insert(end + 1, f"{indent}{END}")
        lines.insert(start, f"{indent}{BEGIN}")
    return "\n".join(lines) + "\n"


def _is_docstring(statement):
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))
