"""Turn parsed template cells into an nbgrader source notebook.

Each cell kind maps to nbgrader's cell metadata (schema version 3): solution
cells are editable and ungraded, test cells are locked and carry the points,
answer cells are graded markdown solutions, setup cells are locked. Points
come from ``autograders.items``, the single points table.
"""
import nbformat

from autograders.items import ITEMS_BY_ID
from course_build.solution_source import plain_source, reference_object, solution_source

DEMO_TAG = "demo"
# nbgrader strips this block from the release; ``nbgrader autograde`` runs it.
HIDDEN_CHECK = """### BEGIN HIDDEN TESTS
from autograders.nbgrader_bridge.in_kernel import check
check({item_id!r}, globals())
### END HIDDEN TESTS
"""
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def nbgrader_metadata(grade_id, *, solution=False, grade=False, locked=False, points=None):
    metadata = {
        "grade": grade, "grade_id": grade_id, "locked": locked,
        "schema_version": 3, "solution": solution, "task": False,
    }
    if points is not None:
        metadata["points"] = points
    return metadata


def points_of(item_id):
    if item_id not in ITEMS_BY_ID:
        raise KeyError(f"{item_id!r} is not in autograders.items")
    return ITEMS_BY_ID[item_id].points


def cell_source(spec):
    """The cell's text: generated reference source (if any), then the body."""
    parts = []
    for name in spec.names:
        obj = reference_object(spec.module, name)
        if spec.kind == "solution":
            parts.append(solution_source(obj, variable=spec.id))
        else:
            parts.append(plain_source(obj))
    if spec.body:
        parts.append(spec.body + "\n")
    return "\n\n".join(part.rstrip("\n") for part in parts)


def make_cell(spec, index):
    source = cell_source(spec)
    if spec.kind == "markdown":
        return nbformat.v4.new_markdown_cell(source, id=f"md-{index:02d}")
    if spec.kind == "answer":
        cell = nbformat.v4.new_markdown_cell(source, id=spec.id)
        cell.metadata["nbgrader"] = nbgrader_metadata(
            spec.id, solution=True, grade=True, points=points_of(spec.id))
        return cell
    if spec.kind == "tests":
        source = HIDDEN_CHECK.format(item_id=spec.id) + source
        cell = nbformat.v4.new_code_cell(source, id=f"test_{spec.id}")
        cell.metadata["nbgrader"] = nbgrader_metadata(
            f"test_{spec.id}", grade=True, locked=True, points=points_of(spec.id))
        return cell
    if spec.kind == "solution":
        cell = nbformat.v4.new_code_cell(source, id=spec.id)
        cell.metadata["nbgrader"] = nbgrader_metadata(spec.id, solution=True)
        return cell
    if spec.kind == "setup":
        cell = nbformat.v4.new_code_cell(source, id=spec.id)
        cell.metadata["nbgrader"] = nbgrader_metadata(spec.id, locked=True)
        return cell
    cell = nbformat.v4.new_code_cell(source, id=f"code-{index:02d}")
    if spec.kind == "demo":
        cell.metadata["tags"] = [DEMO_TAG]
    return cell


def make_notebook(specs):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [make_cell(spec, index) for index, spec in enumerate(specs)]
    return notebook
