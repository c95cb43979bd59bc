"""The verdicts of the sample class, the submission bank and the own-settings class, as plain data.

    python -m tests.verdict_snapshot          # compare with the committed snapshot
    python -m tests.verdict_snapshot --write  # replace it (only for a deliberate change)

A speed-up of the engine or the judges must not change a mark. This module
computes, for each submission, every verdict's points, misconception ids and
message, and ``tests/test_verdict_snapshot.py`` compares them with
``tests/fixtures/verdicts.json``, written by the code before the speed-ups:
- "sample": the sample class (course_build.sample_class.CLASS), graded by
  the engine in its sandbox (``python -m autograders grade``), statuses too;
- "bank": the reference and every bank variant, graded in-process on the
  items of the notebook its topic belongs to (the reference on all items);
- "own": notebook 4 of the benchmark's class of 100 whose students chose
  settings of their own (course_build.sample_class.give_own_settings),
  loaded in-process and graded on the fitting items.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "fixtures" / "verdicts.json"
OWN_SETTINGS_CLASS = 100
TOPIC_NOTEBOOK = {"activations": "01_activations", "numpy_net": "02_numpy_network",
                  "regression": "03_pytorch_training", "training": "03_pytorch_training",
                  "fitting": "04_fitting"}


def verdict_row(verdict):
    """What must not change: points, misconception ids, message."""
    if isinstance(verdict, dict):
        return [verdict["points"], list(verdict["misconceptions"]), verdict["message"]]
    return [verdict.points, list(verdict.misconceptions), verdict.message]


def course_at(folder):
    """A course folder sharing this repository's config, source/ and release/."""
    folder.mkdir(parents=True)
    for name in ("source", "release", "nbgrader_config.py"):
        os.symlink(ROOT / name, folder / name)
    return folder


def _env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))


# ------------------------------------------------------------------ the three sets
def sample_verdicts(work, sandbox="auto"):
    """{student: {"status": ..., "verdicts": {item: row}}} of the sample class, by the engine
    in the sandbox tier `sandbox`."""
    from course_build.sample_class import write_class
    course = course_at(Path(work) / f"sample-{sandbox}")
    write_class(course)
    out = Path(work) / f"sample-reports-{sandbox}"
    subprocess.run([sys.executable, "-m", "autograders", "grade", "--course", str(course),
                    "--out", str(out), "--no-gradebook", "--workers", "2", "--sandbox", sandbox],
                   check=False, capture_output=True, env=_env(), cwd=course)
    found = {}
    for path in sorted(out.glob("*/submission.json")):
        result = json.loads(path.read_text())
        found[result["student_id"]] = {
            "status": result["status"],
            "verdicts": {v["item"]: verdict_row(v) for v in result["verdicts"]}}
    return found


def bank_verdicts(work):
    """{variant: {item: row}}: the reference on every item, each variant on its notebook's."""
    from autograders import registry
    from autograders.grading import graded_items
    from tests.autograders import bank
    found = {}
    cases = [("reference", None, graded_items())] + [
        (f"{p.parent.name}/{p.stem}", p, graded_items((TOPIC_NOTEBOOK[p.parent.name],)))
        for p in bank.variants()]
    for name, path, items in cases:
        namespace = bank.reference_namespace() if path is None else bank.variant_namespace(path)
        found[name] = {}
        for item in items:
            scratch = Path(work) / "bank" / name / item.id
            found[name][item.id] = verdict_row(registry.grade_item(item.id, namespace, scratch))
    return found


def own_settings_verdicts(work, n=OWN_SETTINGS_CLASS):
    """{student: {item: row}} of the fitting items, every student with settings of their own."""
    from autograders import registry
    from autograders.grading import graded_items
    from autograders.items import ASSIGNMENT
    from autograders.submission import load_notebook
    from course_build.sample_class import give_own_settings, honest_students, write_class
    course = course_at(Path(work) / "own")
    students = honest_students(n)
    write_class(course, students)
    give_own_settings(course, students)
    found = {}
    for student in students:
        path = course / "submitted" / student.id / ASSIGNMENT / "04_fitting.ipynb"
        namespace = load_notebook(path).namespace
        found[student.id] = {
            item.id: verdict_row(registry.grade_item(
                item.id, namespace, Path(work) / "own-scratch" / student.id / item.id))
            for item in graded_items(("04_fitting",))}
    return found


def snapshot():
    with tempfile.TemporaryDirectory(prefix="verdict-snapshot-") as work:
        return {"sample": sample_verdicts(work), "bank": bank_verdicts(work),
                "own": own_settings_verdicts(work)}


def differences(got, want, path=""):
    """Human-readable lines, one per value that differs (empty: identical)."""
    if isinstance(want, dict) and isinstance(got, dict):
        lines = []
        for key in sorted(set(want) | set(got)):
            where = f"{path}/{key}"
            if key not in got:
                lines.append(f"{where}: missing now")
            elif key not in want:
                lines.append(f"{where}: new")
            else:
                lines += differences(got[key], want[key], where)
        return lines
    return [] if got == want else [f"{path}: was {want!r}, now {got!r}"]


def count_submissions(data):
    return sum(len(data[part]) for part in ("sample", "bank", "own"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the committed snapshot")
    args = parser.parse_args(argv)
    data = snapshot()
    if args.write:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"wrote {SNAPSHOT}: {count_submissions(data)} submissions")
        return 0
    lines = differences(data, json.loads(SNAPSHOT.read_text()))
    print("\n".join(lines) or "no differences")
    print(f"{len(lines)} differences over {count_submissions(data)} submissions")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
