"""What run_autograder starts, once per submission: grade the student, write results.json.

    python -m autograders.gradescope_zip.run      # in <root>/source, as Gradescope runs it

Data path: the upload (<root>/submission) -> its notebooks, copied under
their release names into a private folder (uploads.find) -> the engine's
class run for this one student (engine.run_class: one sandboxed worker, no
pool of trusted helpers, the memory limit and timeout of settings.json;
an isolating tier required: bwrap, or in Docker's default container the
namespace-free one, so student code sees none of <root>) -> the verdicts
-> <root>/results/results.json in Gradescope's format, written by this
trusted process after the sandbox has ended (written to a temporary file,
then renamed).

results.json is always written: when the grader itself fails (the sandbox
cannot start, a judge raises, anything unexpected) it says so, with score 0
on the items it could not grade, and the exit status is 1. What the
instructors need (found files, timings, tracebacks) goes to stdout, which
Gradescope keeps in the instructors' log (stdout_visibility "hidden").
"""
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

STUDENT_ID = "student"
EXIT_OK, EXIT_ENGINE_ERROR = 0, 1
ENGINE_FAILURE = ("The autograder itself failed on this submission (an error in the grader, "
                  "not in your work), so nothing was graded and the score is 0. Your instructor "
                  "can see what went wrong and will regrade it.")


def main():
    started = time.perf_counter()
    settings, layout = {}, None
    try:  # everything, the grader's own imports included: a results.json in every case
        from autograders.gradescope_zip.layout import Layout
        layout = Layout.here()
        protect(layout)
        settings = json.loads(layout.settings_file.read_text())
        data, status = grade_upload(layout, settings)
    except Exception:  # noqa: BLE001 - whatever happened, Gradescope gets a results.json
        print(f"ENGINE ERROR:\n{traceback.format_exc()}")
        data, status = failure_json(settings.get("visibility", "visible")), EXIT_ENGINE_ERROR
    data["execution_time"] = round(time.perf_counter() - started)
    write_results(layout.results if layout else _results_folder(), data)
    print(f"results.json written: score {data['score']} in {time.perf_counter() - started:.1f} s "
          f"(exit status {status})")
    return status


def protect(layout):
    """/autograder for root only (mode 0700): student code, under a user id of its own,
    cannot enter it even where no Landlock confines it (Gradescope's own advice)."""
    for folder in (layout.root, layout.source):
        try:
            os.chmod(folder, 0o700)
        except OSError as error:
            print(f"note: could not make {folder} private: {error}")


def grade_upload(layout, settings):
    """(results.json content, exit status) for the upload at layout.submission."""
    from autograders import engine, grading
    from autograders.gradescope_zip import uploads
    from autograders.items import ASSIGNMENT, NOTEBOOKS
    from autograders.course import Submission
    from autograders.exports.gradescope import as_markdown, gradescope_json
    from autograders.sandbox.pool import SandboxUnavailable
    visibility = settings.get("visibility", "visible")
    with tempfile.TemporaryDirectory(prefix="autograders-gradescope-") as scratch:
        scratch = Path(scratch)
        if not any(layout.submission.iterdir()):
            return test_autograder(layout, settings)
        found = uploads.find(layout.submission, scratch / "uploads")
        folder = scratch / STUDENT_ID / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, path in found.files.items():
            shutil.copyfile(path, folder / f"{name}.ipynb")
        print(f"found: {dict((name, str(path)) for name, path in found.files.items())}")
        for note in found.notes:
            print(f"note: {note}")
        items = grading.graded_items(NOTEBOOKS)
        submission = Submission(STUDENT_ID, ASSIGNMENT, folder, NOTEBOOKS)
        hide = [str(path) for path in (*layout.hidden(), scratch)]
        sandbox = settings.get("sandbox", "isolated")
        try:
            print(f"sandbox tier: {engine.check_sandbox(sandbox, hide)}")
        except SandboxUnavailable as exc:
            print(f"ENGINE ERROR: the sandbox cannot start in this container: {exc}")
            return failure_json(visibility), EXIT_ENGINE_ERROR
        results, failures = engine.run_class(
            [submission], {STUDENT_ID: items}, 1, timeout=settings.get("timeout"),
            sandbox=sandbox, hide=hide, limits=settings.get("limits"), prefetch=False)
    result = results[0]
    for failure in failures + [f"{item or 'submission'}: {error}"
                               for item, error in result.engine_errors.items()]:
        print(f"ENGINE ERROR: {failure}")
    data = gradescope_json(result, visibility, markdown=True)
    if found.notes:
        data["output"] = "\n\n".join([as_markdown(note) for note in found.notes]
                                     + [data["output"]])
    data["extra_data"]["upload_notes"] = found.notes
    return data, EXIT_ENGINE_ERROR if failures or result.engine_errors else EXIT_OK


def test_autograder(layout, settings):
    """An empty upload (the instructor's "Test Autograder" button): the sandbox check's
    table into the instructors' log, and a results.json saying what was checked."""
    from autograders.sandbox import check
    lines = []
    status = check.run(settings.get("sandbox", "isolated"), out=lines.append)
    print("\n".join(lines))
    data = failure_json(settings.get("visibility", "visible"))
    data["output"] = ("Nothing was uploaded: the sandbox was checked instead. " + lines[0]
                      + (". Every hostile probe was blocked." if status == 0 else
                         ". SOME HOSTILE PROBES WERE NOT BLOCKED: see the log."))
    data["extra_data"].update(engine_error=False, sandbox_check=lines)
    return data, status


def failure_json(visibility):
    """results.json for a run the grader could not complete: every item 0, saying why."""
    try:
        from autograders import grading
        from autograders.items import ASSIGNMENT, NOTEBOOKS
        from autograders.exports.gradescope import gradescope_json
        result = grading.lost_submission(STUDENT_ID, ASSIGNMENT, grading.graded_items(NOTEBOOKS),
                                         "the autograder failed")
        data = gradescope_json(result, visibility, markdown=True)
    except Exception:  # noqa: BLE001 - the grader's own modules are broken: the bare minimum
        print(f"ENGINE ERROR (writing the failure results):\n{traceback.format_exc()}")
        data = {"tests": [], "output_format": "md", "stdout_visibility": "hidden",
                "visibility": visibility, "extra_data": {}}
    data.update(score=0, output=ENGINE_FAILURE)
    data["extra_data"]["engine_error"] = True
    return data


def _results_folder():
    root = os.environ.get("AUTOGRADERS_GRADESCOPE_ROOT") or "/autograder"
    return Path(root) / "results"


def write_results(folder, data):
    """results.json, whole or not at all (a temporary file in the same folder, renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".results-", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
        out.write("\n")
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / "results.json")


if __name__ == "__main__":
    sys.exit(main())
