"""Reuse a student's own definitions from an earlier notebook."""
import json


def run_solution_cells(notebook_path, namespace):
    """Run the setup and solution cells of a notebook in namespace.

    Only cells nbgrader marks as solution or locked setup code run: the
    notebook's tests and demonstrations stay where they are. A cell that
    fails (an unfinished stub, say) is reported and skipped, so the
    definitions that do work are still available. Returns the failing
    cells' grade ids. (Plain json, not nbformat: its import costs ~1.5 s.)
    """
    with open(notebook_path, encoding="utf-8") as file:
        cells = json.load(file)["cells"]
    failed = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        is_setup = meta.get("locked") and not meta.get("grade")
        if cell["cell_type"] != "code" or not (meta.get("solution") or is_setup):
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        try:
            exec(compile(source, f"{notebook_path}:{meta['grade_id']}", "exec"), namespace)
        except Exception as error:  # an unfinished cell must not hide the others
            failed.append(meta["grade_id"])
            print(f"{notebook_path}: cell {meta['grade_id']!r} failed: "
                  f"{type(error).__name__}: {error}")
    return failed
