"""Parse a notebook template: percent-format Python with cell directives.

A template is a sequence of cells, each starting with a header line:

    # %% markdown                    teaching text; body lines start with "# "
    # %% code                        an ordinary code cell
    # %% setup <id>                  a read-only code cell (imports, helpers)
    # %% demo                        demonstration only: tagged "demo", grading skips it
    # %% solution <id>               a graded solution cell (grade_id <id>)
    # %% tests <item>                the visible tests of <item>: grade_id test_<item>
    # %% answer <item>               a manually graded free-text answer (markdown);
                                     the body is the model answer and mark scheme

A code, setup, demo or solution header may end in ``from module:name,name``:
the cell then holds the source of those reference objects (for a solution
cell, with their bodies between BEGIN/END SOLUTION markers; a constant becomes
``<id> = <value>``), followed by the body written in the template.
"""
import re
from dataclasses import dataclass, field

HEADER = re.compile(
    r"^# %%\s+(?P<kind>markdown|code|setup|demo|solution|tests|answer)"
    r"(?:\s+(?P<id>[A-Za-z_][\w-]*))?"
    r"(?:\s+from\s+(?P<module>[\w.]+):(?P<names>[\w,]+))?\s*$"
)
MARKDOWN_KINDS = {"markdown", "answer"}
KINDS_NEEDING_ID = {"setup", "solution", "tests", "answer"}


@dataclass
class CellSpec:
    kind: str
    id: str = ""
    module: str = ""
    names: tuple = ()
    body: str = ""
    line: int = 0
    extra: dict = field(default_factory=dict)


class TemplateError(ValueError):
    pass


def parse(text, filename="<template>"):
    """The template's cells, in order, with their bodies dedented from '# '."""
    cells, current, body = [], None, []

    def close():
        if current is not None:
            current.body = _clean_body(body, current.kind in MARKDOWN_KINDS)
            cells.append(current)

    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# %%"):
            match = HEADER.match(line)
            if not match:
                raise TemplateError(f"{filename}:{number}: bad cell header {line!r}")
            close()
            kind = match["kind"]
            if kind in KINDS_NEEDING_ID and not match["id"]:
                raise TemplateError(f"{filename}:{number}: '{kind}' needs an id")
            names = tuple(n for n in (match["names"] or "").split(",") if n)
            current = CellSpec(kind, match["id"] or "", match["module"] or "", names, line=number)
            body = []
        elif current is None:
            if line.strip():
                raise TemplateError(f"{filename}:{number}: text before the first cell")
        else:
            body.append(line)
    close()
    return cells


def _clean_body(lines, markdown):
    if markdown:
        lines = [_uncomment(line) for line in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _uncomment(line):
    if line.startswith("# "):
        return line[2:]
    if line.rstrip() == "#":
        return ""
    if line.strip():
        raise TemplateError(f"markdown line does not start with '# ': {line!r}")
    return ""
