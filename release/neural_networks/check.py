"""Check your notebooks with their visible tests before you submit.

    python check.py                      every notebook in this folder
    python check.py 02_numpy_network     one notebook (".ipynb" optional)
    python check.py -v                   with the full traceback of each failure

Each notebook runs in a fresh Python kernel, top to bottom, as "Restart Kernel
and Run All Cells" runs it, except the cells tagged `demo` (long training runs
and figures), which are skipped. Then every visible test cell is reported:
passed, not done yet (the code it calls still raises NotImplementedError), or
failed, with the message of the check that failed. Free-text answers still
reading "YOUR ANSWER HERE" are listed too.

It checks the notebook files as saved: save your notebooks first.
Exit status: 0 when every visible test passes and every answer is written,
1 while something fails or is not done yet, 2 when it cannot run at all.

Passing these tests is necessary, not sufficient: the grader runs further
hidden checks of the same kind. Needs only the course's packages (nbformat,
nbclient, ipykernel and what the notebooks import); nothing is installed.
"""
# This file is course_build/student_check.py in the course repository; the
# build copies it into source/<assignment>/check.py, and nbgrader's
# generate_assignment copies it from there into the release. Edit it there.
import argparse
import copy
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DEMO_TAG = "demo"
ANSWER_PLACEHOLDER = "YOUR ANSWER HERE"
# Instructor copies (source notebooks) hold hidden tests; students never have them.
HIDDEN_TESTS = re.compile(r"^### BEGIN HIDDEN TESTS$.*?^### END HIDDEN TESTS$\n?",
                          re.DOTALL | re.MULTILINE)
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRAME_FUNCTION = re.compile(r", in ([\w.]+?)(?:\.__init__)?\(")
UNDEFINED_NAME = re.compile(r"name '(\w+)' is not defined")
IPYTHON_FILE = re.compile(r"\(\w+\.py, line (\d+)\)")   # a cell's SyntaxError names a temp file

PASSED, NOT_DONE, FAILED, NOT_RUN = "pass", "todo", "FAIL", "skip"
USAGE_ERROR = 2


@dataclass
class Check:
    """One visible test cell or free-text answer, and how it went."""
    grade_id: str
    points: float
    status: str = NOT_RUN
    message: str = ""
    traceback: str = ""


@dataclass
class NotebookReport:
    name: str
    checks: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)   # (label, message) of other cells
    problem: str = ""                                  # why the notebook could not run
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.problem and not self.cell_errors and all(
            check.status == PASSED for check in self.checks)


# -- reading notebooks ----------------------------------------------------------

def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def is_test_cell(cell):
    return cell.cell_type == "code" and nbgrader_meta(cell).get("grade") and \
        not nbgrader_meta(cell).get("solution")


def is_answer_cell(cell):
    return cell.cell_type == "markdown" and nbgrader_meta(cell).get("grade") and \
        nbgrader_meta(cell).get("solution")


def is_demo(cell):
    return DEMO_TAG in cell.metadata.get("tags", [])


def has_checks(notebook):
    return any(is_test_cell(cell) or is_answer_cell(cell) for cell in notebook.cells)


def cell_label(notebook, index):
    """How to name a cell to a student: its grade id, else its position."""
    grade_id = nbgrader_meta(notebook.cells[index]).get("grade_id")
    return f"`{grade_id}` (cell {index + 1})" if grade_id else f"cell {index + 1}"


def runnable_copy(notebook):
    """The notebook as it is run: outputs cleared, hidden tests (if any) removed."""
    runnable = copy.deepcopy(notebook)
    for cell in runnable.cells:
        if cell.cell_type == "code":
            cell.source = HIDDEN_TESTS.sub("", cell.source)
            cell.outputs, cell.execution_count = [], None
    return runnable


# -- running them -----------------------------------------------------------------

def execute(notebook, folder, timeout, kernel_name):
    """Run the code cells in a fresh kernel, in folder; '' or why it stopped early.

    Cells go on after an error (as the grader does), so one unfinished function
    does not hide the results of the others. A cell running longer than
    timeout is interrupted, and the rest still run.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    client = NotebookClient(
        notebook, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
        interrupt_on_timeout=True, skip_cells_with_tag=DEMO_TAG,
        resources={"metadata": {"path": str(folder)}})
    # The kernel's own log lines (not the cells' output) go to a file, shown if it dies.
    with tempfile.TemporaryFile(mode="w+") as kernel_log, \
            tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        if os.name == "posix":  # Unix sockets: no "Kernel is running over TCP" warning
            client.km = client.create_kernel_manager()
            client.km.transport = "ipc"
            client.km.ip = os.path.join(sockets, "ipc")
        try:
            client.execute(stderr=kernel_log)
        except DeadKernelError:
            kernel_log.seek(0)
            tail = "\n".join(kernel_log.read().strip().splitlines()[-5:])
            return "the Python kernel died (out of memory, or the code exited)" + (
                f":\n{tail}" if tail else "")
        except Exception as exc:  # noqa: BLE001 - say what went wrong, in one line
            return f"{type(exc).__name__}: {exc}"
    return ""


def error_of(cell):
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return output
    return None


def plain_traceback(error):
    return ANSI_CODES.sub("", "\n".join(error.get("traceback", [])))


def innermost_frame(error):
    """The last frame of an IPython traceback (the entries between header and message)."""
    frames = error.get("traceback", [])[2:-1]
    return ANSI_CODES.sub("", frames[-1]) if frames else ""


def failing_function(error):
    match = FRAME_FUNCTION.search(innermost_frame(error).split("\n", 1)[0])
    return match.group(1) if match else ""


def failing_line(error):
    """The source line the error happened on (IPython marks it with '---->')."""
    for line in innermost_frame(error).splitlines():
        if line.lstrip().startswith("---->"):
            return re.sub(r"^\s*---->\s*\d+\s?", "", line).strip()
    return ""


def describe(error):
    """A short message for a failed check: the assert's message, else the error and its line."""
    ename, evalue = error.ename, IPYTHON_FILE.sub(r"(line \1)", error.evalue.strip())
    if ename == "AssertionError":
        return evalue or f"this check failed: {failing_line(error)}"
    if ename == "KeyboardInterrupt":
        message = "took too long and was stopped (an endless loop?)"
    else:
        message = f"{ename}: {evalue}" if evalue else ename
    where, line = failing_function(error), failing_line(error)
    if line:
        message += f", in {where}: {line}" if where else f", at: {line}"
    return message


def not_done_message(error, name=""):
    """Which unfinished function (or cell) the check ran into."""
    where = failing_function(error) or name
    return f"{where} is not written yet (it still raises NotImplementedError)" if where \
        else "not written yet (something it uses still raises NotImplementedError)"


# -- judging the outputs ----------------------------------------------------------

def assess(notebook):
    """(checks, other cell errors) of an executed notebook."""
    checks, cell_errors = [], []
    failed_cells = {}   # grade_id or label -> error, of cells before the current one
    for index, cell in enumerate(notebook.cells):
        meta = nbgrader_meta(cell)
        if is_answer_cell(cell):
            written = cell.source.strip() not in ("", ANSWER_PLACEHOLDER)
            checks.append(Check(meta.get("grade_id", ""), meta.get("points", 0),
                                PASSED if written else NOT_DONE,
                                "" if written else "write your answer in place of "
                                                   f"{ANSWER_PLACEHOLDER!r}"))
            continue
        if cell.cell_type != "code" or is_demo(cell):
            continue
        error = error_of(cell)
        if is_test_cell(cell):
            checks.append(test_check(cell, error, failed_cells))
        elif error is not None:
            failed_cells[meta.get("grade_id") or f"cell {index + 1}"] = error
            if error.ename != "NotImplementedError":
                cell_errors.append((cell_label(notebook, index), describe(error)))
    return checks, cell_errors


def test_check(cell, error, failed_cells):
    meta = nbgrader_meta(cell)
    check = Check(meta.get("grade_id", ""), meta.get("points", 0))
    if cell.get("execution_count") is None:
        return check                                    # never ran: NOT_RUN
    if error is None:
        check.status = PASSED
        return check
    check.traceback = plain_traceback(error)
    cause = error
    undefined = UNDEFINED_NAME.search(error.evalue) if error.ename == "NameError" else None
    if undefined and undefined.group(1) in failed_cells:
        cause = failed_cells[undefined.group(1)]        # the cell that should define it failed
    if cause.ename == "NotImplementedError":
        check.status = NOT_DONE
        check.message = not_done_message(cause, undefined.group(1) if undefined else "")
    elif cause is not error:
        check.status = FAILED
        check.message = f"the cell `{undefined.group(1)}` above failed: {describe(cause)}"
    else:
        check.status, check.message = FAILED, describe(error)
    return check


def check_notebook(path, timeout=120, kernel_name="python3"):
    """Run one notebook and assess its visible checks: a NotebookReport."""
    import nbformat

    path = Path(path)
    report = NotebookReport(path.name)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - a broken file is the student's to fix
        report.problem = (f"cannot be read ({type(exc).__name__}: {exc}); reopen it in "
                          "JupyterLab, or fetch a fresh copy and move your code over")
        return report
    runnable = runnable_copy(notebook)
    start = time.perf_counter()
    report.problem = execute(runnable, path.resolve().parent, timeout, kernel_name)
    report.seconds = time.perf_counter() - start
    report.checks, report.cell_errors = assess(runnable)
    return report


# -- finding notebooks and reporting ------------------------------------------------

def notebooks_to_check(folder, names):
    """The notebooks named (with or without .ipynb), else every graded one in folder."""
    import nbformat

    if names:
        paths = [folder / (name if name.endswith(".ipynb") else f"{name}.ipynb")
                 for name in names]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"no such notebook: {', '.join(missing)}")
        return paths
    paths = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            if not has_checks(nbformat.read(path, as_version=4)):
                continue  # a scratch notebook of the student's own
        except Exception:  # noqa: BLE001 - unreadable: check_notebook reports it
            pass
        paths.append(path)
    return paths


def number(points):
    return int(points) if float(points).is_integer() else points


def points_text(points):
    return f"{number(points)} pt" + ("" if points == 1 else "s")


def report_lines(report, verbose=False):
    lines = [f"{report.name}  ({report.seconds:.1f} s)"]
    width = max([len(check.grade_id) for check in report.checks] + [10])
    for check in report.checks:
        text = f"  [{check.status}]  {check.grade_id:<{width}}  {points_text(check.points):>6}"
        if check.status == NOT_RUN:
            text += "  not run"
        lines.append(f"{text}  {check.message}".rstrip())
        if verbose and check.traceback and check.status == FAILED:
            lines += ["        " + line for line in check.traceback.splitlines()]
    for label, message in report.cell_errors:
        lines.append(f"  [{FAILED}]  {label} raised an error: {message}")
    if report.problem:
        lines.append(f"  [{FAILED}]  {report.problem}")
    passed = [c for c in report.checks if c.status == PASSED]
    lines.append(f"  {len(passed)} of {len(report.checks)} checks pass "
                 f"({number(sum(c.points for c in passed))} of "
                 f"{number(sum(c.points for c in report.checks))} points)")
    return lines


def summary_lines(reports):
    checks = [check for report in reports for check in report.checks]
    counts = {status: sum(c.status == status for c in checks)
              for status in (PASSED, NOT_DONE, FAILED, NOT_RUN)}
    broken = sum(bool(r.problem or r.cell_errors) for r in reports)
    if all(report.ok for report in reports):
        return [f"All {len(checks)} visible checks pass. The grader runs further hidden "
                "checks of the same kind: passing these is necessary, not sufficient."]
    parts = [f"{counts[PASSED]} of {len(checks)} visible checks pass"]
    parts += [f"{counts[status]} {label}" for status, label in
              ((NOT_DONE, "not done yet"), (FAILED, "failed"), (NOT_RUN, "not run"))
              if counts[status]]
    if broken:
        parts.append(f"{broken} notebook{'s' if broken > 1 else ''} with other errors")
    hints = ["Fix the [FAIL] lines first (python check.py -v shows the tracebacks)."
             if counts[FAILED] or broken else "Keep going."]
    if counts[NOT_DONE]:
        hints.append("[todo] marks what is still to write.")
    return [", ".join(parts) + ".", " ".join(hints)]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python check.py", description=__doc__.split("\n\n")[0],
        epilog="Passing these tests is necessary, not sufficient: the grader runs hidden "
               "checks too.")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to check (default: all in this folder)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show the full traceback of each failed check")
    parser.add_argument("--timeout", type=float, default=120, metavar="S",
                        help="seconds one cell may run before it is stopped (default 120)")
    parser.add_argument("--kernel", default="python3", metavar="NAME",
                        help="the Jupyter kernel to run the notebooks in (default python3)")
    parser.add_argument("--folder", default=None, metavar="DIR",
                        help="the assignment folder (default: the one holding check.py)")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else Path(__file__).resolve().parent
    try:
        paths = notebooks_to_check(folder, args.notebooks)
    except FileNotFoundError as exc:
        print(f"check.py: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if not paths:
        print(f"check.py: no assignment notebooks in {folder}", file=sys.stderr)
        return USAGE_ERROR
    print(f"Checking {len(paths)} notebook{'s' if len(paths) > 1 else ''} in {folder} "
          "(saved files; demo cells skipped).\n", flush=True)
    reports = []
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        reports.append(check_notebook(path, args.timeout, args.kernel))
        print("\n".join(report_lines(reports[-1], args.verbose)) + "\n", flush=True)
    print("\n".join(summary_lines(reports)))
    return 0 if all(report.ok for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
