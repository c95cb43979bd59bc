"""Reuse a student's own definitions from an earlier notebook."""
import nbformat


def run_solution_cells(notebook_path, namespace):
    """Run the setup and solution cells of a notebook in namespace.

    Only cells nbgrader marks as solution or locked setup code run: the
    notebook's tests and demonstrations stay where they are. A cell that
    fails (an unfinished stub, say) is reported and skipped, so the
    definitions that do work are still available. Returns the failing
    cells' grade ids.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    failed = []
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        is_setup = meta.get("locked") and not meta.get("grade")
        if cell.cell_type != "code" or not (meta.get("solution") or is_setup):
            continue
        try:
            exec(compile(cell.source, f"{notebook_path}:{meta['grade_id']}", "exec"), namespace)
        except Exception as error:  # an unfinished cell must not hide the others
            failed.append(meta["grade_id"])
            print(f"{notebook_path}: cell {meta['grade_id']!r} failed: "
                  f"{type(error).__name__}: {error}")
    return failed
