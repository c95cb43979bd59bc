"""The code of each graded function or class, read from a notebook's JSON.

Runs in the trusted parent on untrusted notebooks: nothing is executed, the
file is read as JSON (at most MAX_NOTEBOOK_BYTES) and each code cell of at
most MAX_CELL_CHARS parsed with ``ast`` (a cell that does not parse is
skipped). The piece of an item
is the last top-level ``def`` or ``class`` of that name in the notebook's
graded code cells (demo cells are not graded), as the notebook's own
execution would leave it; items that are values (settings dictionaries,
counts) have no piece.
"""
import ast
import json
from pathlib import Path

from autograders.submission import DEMO_TAG, strip_magics

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_CELL_CHARS = 200_000   # longer cells are not parsed (the parser's memory is the parent's)
MAX_PIECE_CHARS = 20_000   # longer pieces are cut: a ranking needs no more


def notebook_pieces(path, names):
    """{name: source} of the top-level definitions of these names in one notebook.

    Never raises because of the notebook: one that cannot be read, or whose
    JSON has unexpected types anywhere, has no pieces.
    """
    try:
        path = Path(path)
        if not path.is_file() or path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return {}
        cells = json.loads(path.read_bytes()).get("cells", [])
        wanted, found = set(names), {}
        for cell in cells if isinstance(cells, list) else ():
            if isinstance(cell, dict):
                found.update(_cell_pieces(cell, wanted))
        return found
    except Exception:  # noqa: BLE001 - a student's file must not stop the class run
        return {}


def _cell_pieces(cell, wanted):
    if cell.get("cell_type") != "code":
        return {}
    metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    if DEMO_TAG in (metadata.get("tags") or []):
        return {}
    source = cell.get("source", "")
    source = "".join(map(str, source)) if isinstance(source, list) else str(source)
    if len(source) > MAX_CELL_CHARS:
        return {}
    return source_pieces(strip_magics(source), wanted)


def source_pieces(source, wanted):
    """{name: source} of the top-level defs and classes named in wanted, in one text."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    lines = source.splitlines()
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.name in wanted:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found[node.name] = "\n".join(lines[first - 1:node.end_lineno])[:MAX_PIECE_CHARS]
    return found


def submission_pieces(folder, items):
    """{item id: source} of one submission folder, for the given Items."""
    by_notebook = {}
    for item in items:
        by_notebook.setdefault(item.notebook, []).append(item.id)
    pieces = {}
    for notebook, names in by_notebook.items():
        pieces.update(notebook_pieces(Path(folder) / f"{notebook}.ipynb", names))
    return {item.id: pieces[item.id] for item in items if item.id in pieces}
