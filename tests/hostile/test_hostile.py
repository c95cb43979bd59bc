"""Hostile and broken submissions (issue 5): nothing gained, nothing lost, the batch completes.

The fixture bank is tests/hostile/fixtures/: each ``<name>.py`` there is the
code of one hostile cell, whose docstring says its required outcome and
where it goes (``place``: replace a solution cell, prepend after the imports,
or append), which items it may lose (``lost``: those must score 0, every
other item full marks) and whether it is only contained with bwrap
(``bwrap_only``). broken_notebooks.py damages notebooks instead.

Every fixture is one student of a single class, with an honest student (the
solution) beside them, graded in ONE pool run per sandbox mode (a pool costs
seconds to start; see tests/engine/sandbox_support). Then, per student: the
scores, a row with a status and a message in grades.csv; for the class: the
batch completed, the course, gradebook and the repository files student code
aims at are unchanged, no secret leaked, the limits held, nothing outlived
the batch, and grading the class a second time gives the same reports apart
from timings (once per machine: with bwrap where it works, else without).
"""
import ast
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograders import grading
from autograders.exports import FILE_WRITERS, write_all
from autograders.items import ASSIGNMENT, ITEMS_BY_ID
from autograders.result import STATUSES
from autograders.sandbox.pool import Job, Limits, WorkerPool
from tests.engine.sandbox_support import BWRAP_WORKS, SANDBOXES, ROOT, run_checks, solution_submission
from tests.engine.test_merge import comparable
from tests.engine.test_sandbox_isolation import processes_of
from tests.hostile.fixtures import broken_notebooks
from tests.platforms.docker_default import MARK as EMULATED

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::autograders.sandbox.pool.SandboxWarning")]

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOKS = ("01_activations", "02_numpy_network")
PROCESSES = 24
LIMITS = Limits(cell_timeout=3, probe_timeout=3, kill_grace=1, submission_timeout=90,
                memory_bytes=3 * 2 ** 30, processes=PROCESSES, output_bytes=16 * 2 ** 10)
CANARY = "CANARY-5f0e2c-not-for-students"
HONEST = "honest"
# Left in /tmp by write_files.py if the sandbox let it.
LEFT_BEHIND = ("/tmp/hostile_was_here", "/var/tmp/hostile_was_here")


@dataclass(frozen=True)
class Fixture:
    name: str
    damage: object         # damage(folder, paths): makes the honest submission hostile
    status: str            # required status; None: any, with a message unless "ok"
    lost: tuple            # items or notebooks that must score 0; the rest full marks
    bwrap_only: bool


def cell_fixture(path):
    """A Fixture from a fixtures/<name>.py cell: its docstring holds the settings."""
    source = path.read_text()
    settings = dict(line.split(":", 1) for line in ast.get_docstring(ast.parse(source)).splitlines()
                    if line.split(":", 1)[0] in ("place", "lost", "bwrap_only"))
    lost = tuple(item.strip() for item in settings.get("lost", "").split(",") if item.strip())
    damage = functools.partial(place_cell, source, settings["place"].strip())
    return Fixture(path.stem, damage, None, lost, "bwrap_only" in settings)


def broken_fixture(function):
    return Fixture(function.__name__, lambda folder, paths: function(folder), function.status,
                   function.lost, False)


def place_cell(source, place, folder, paths):
    """Put the cell into 01_activations: "replace <grade_id>", "prepend" or "append"."""
    for token, value in paths.items():
        source = source.replace(f"@{token}@", value)
    notebook = folder / "01_activations.ipynb"
    document = json.loads(notebook.read_text())
    cells = document["cells"]
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
            "execution_count": None}
    if place.startswith("replace "):
        target = next(c for c in cells if grade_id(c) == place.split()[1])
        target["source"] = source
    elif place == "prepend":  # right after the imports: before every graded function
        cells.insert(1 + next(i for i, c in enumerate(cells) if grade_id(c) == "imports"), cell)
    elif place == "append":
        cells.append(cell)
    else:
        raise ValueError(f"unknown place {place!r}")
    notebook.write_text(json.dumps(document))


def grade_id(cell):
    return cell["metadata"].get("nbgrader", {}).get("grade_id", "")


FIXTURE_BANK = tuple([cell_fixture(path) for path in sorted(FIXTURES.glob("*.py"))
                      if path.stem not in ("__init__", "broken_notebooks")]
                     + [broken_fixture(function) for function in broken_notebooks.BROKEN])
# Without isolation, a subset: the limits, exits, signals and broken notebooks.
UNSANDBOXED = ("patch_comparisons_top", "inspect_frames", "os_exit", "kill_parent",
               "ignore_signals", "infinite_loop", "memory_bomb", "many_processes", "huge_output",
               "not_json", "missing_notebook")



ISOLATED = ("bwrap", "landlock")  # the tiers that must hold against the whole bank


def fixtures_for(sandbox):
    if sandbox in ISOLATED:
        return FIXTURE_BANK
    chosen = [f for f in FIXTURE_BANK if f.name in UNSANDBOXED]
    assert not any(f.bwrap_only for f in chosen)
    return tuple(chosen)


# The namespace-free tier meets the bank where it matters, under the Docker emulation
# (tests/platforms/, as root and as an unprivileged user), not a third time beside it.
TIERS = [p for p in SANDBOXES
         if getattr(p, "values", (p,))[0] != "landlock" or os.environ.get(EMULATED)]


@pytest.mark.parametrize("sandbox", TIERS)
def test_hostile_and_broken_submissions(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("HOSTILE_CANARY", CANARY)  # the grader's environment holds a secret
    fixtures = fixtures_for(sandbox)
    course = tmp_path / "course"
    jobs = build_class(course, fixtures)
    before = fingerprint(course)
    with WorkerPool(workers=2, limits=LIMITS, sandbox=sandbox) as pool:
        runs = {run.student_id: run for run in pool.run(jobs)}
        left = processes_of({worker.uid for worker in pool.workers})
        # Grading twice costs seconds: once per machine is enough, with bwrap where it works.
        regrade = sandbox == "bwrap" or not BWRAP_WORKS
        again = {run.student_id: run for run in pool.run(jobs)} if regrade else None
    after = fingerprint(course)
    results, reports = judge(runs, jobs, tmp_path / "first")
    reports_again = judge(again, jobs, tmp_path / "second")[1] if regrade else reports
    print(observed_table(fixtures, runs, results))
    run_checks(*(functools.partial(check, sandbox, fixtures, runs, results, reports)
                 for check in (check_the_batch_completes, check_the_honest_student,
                               check_no_points_beyond_the_honest_part,
                               check_every_row_has_a_status_and_message,
                               check_the_limits_held, check_no_secret_leaked)),
               functools.partial(check_nothing_changed, sandbox, before, after, left),
               functools.partial(check_regrading_is_identical, reports, reports_again))


# ------------------------------------------------------------------ the class
def build_class(course, fixtures):
    """The course (gradebook, source notebooks, submissions); the jobs to grade."""
    course.mkdir(parents=True)
    (course / "gradebook.db").write_text(f"gradebook {CANARY}")
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for name in NOTEBOOKS:
        (source / f"{name}.ipynb").write_text((ROOT / "source" / ASSIGNMENT / f"{name}.ipynb")
                                              .read_text())
    honest = solution_submission(course, HONEST)
    place_cell(f"SECRET = {CANARY!r}", "append", honest, {})
    paths = {"COURSE": str(course), "VICTIM": str(honest), "ROOT": str(ROOT)}
    items = tuple(item.id for item in grading.graded_items(NOTEBOOKS))
    jobs = [Job(HONEST, ASSIGNMENT, honest, NOTEBOOKS, items)]
    for fixture in fixtures:
        folder = solution_submission(course, fixture.name)
        for name in set(folder.glob("*.ipynb")) - {folder / f"{n}.ipynb" for n in NOTEBOOKS}:
            name.unlink()  # only the notebooks graded here, to keep the class fast
        fixture.damage(folder, paths)
        jobs.append(Job(fixture.name, ASSIGNMENT, folder, NOTEBOOKS, items))
    return jobs


def judge(runs, jobs, out):
    """(student -> SubmissionResult, the reports written under out as comparable data)."""
    items = {job.student_id: [ITEMS_BY_ID[i] for i in job.items] for job in jobs}
    results = {student: grading.grade_run(run, items[student]) for student, run in runs.items()}
    assert write_all(list(results.values()), out, None, FILE_WRITERS) == []
    return results, comparable(out)


def fingerprint(course):
    """{path: sha256} of the course, and of the repository files student code aims at.

    Not the whole repository: other work may change it while the test runs.
    """
    paths = [p for p in sorted(course.rglob("*")) if p.is_file()]
    paths += [ROOT / "autograders" / "items.py", *sorted((ROOT / "source" / ASSIGNMENT).glob("*"))]
    found = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    found["planted"] = sorted(str(p) for p in ROOT.glob("autograders/**/hostile_was_here*"))
    return found


def observed_table(fixtures, runs, results):
    lines = ["| fixture | status | score | message |", "| --- | --- | --- | --- |"]
    for name in [HONEST] + [f.name for f in fixtures]:
        result = results[name]
        lines.append(f"| {name} | {result.status} | {result.score:g}/{result.max_score:g} | "
                     f"{result.message[:160]} |")
    return "\n".join(lines)


# ------------------------------------------------------------------ the checks
def check_the_batch_completes(sandbox, fixtures, runs, results, reports):
    assert set(results) == {HONEST} | {f.name for f in fixtures}


def check_the_honest_student(sandbox, fixtures, runs, results, reports):
    result = results[HONEST]
    assert (result.status, result.score) == ("ok", result.max_score), result.message


def check_no_points_beyond_the_honest_part(sandbox, fixtures, runs, results, reports):
    wrong = []
    for fixture in fixtures:
        for verdict in results[fixture.name].verdicts:
            lost = {verdict.item, ITEMS_BY_ID[verdict.item].notebook} & set(fixture.lost)
            wanted = 0 if lost else verdict.max_points
            if verdict.points != wanted:
                wrong.append(f"{fixture.name}: {verdict.item} {verdict.points:g} of "
                             f"{verdict.max_points:g}, wanted {wanted:g}: {verdict.message[:200]}")
    assert not wrong, "\n".join(wrong)


def check_every_row_has_a_status_and_message(sandbox, fixtures, runs, results, reports):
    rows = {line.split(",", 1)[0]: line for line in
            reports["grades.csv"].decode().splitlines()[1:]}
    wrong = []
    for fixture in fixtures:
        result = results[fixture.name]
        if fixture.name not in rows or result.status not in STATUSES:
            wrong.append(f"{fixture.name}: no row, or status {result.status!r}")
        if fixture.status is not None and result.status != fixture.status:
            wrong.append(f"{fixture.name}: status {result.status}, wanted {fixture.status}")
        if result.status != "ok" and not result.message:
            wrong.append(f"{fixture.name}: status {result.status} without a message")
        for verdict in result.verdicts:
            if verdict.points < verdict.max_points and not verdict.message:
                wrong.append(f"{fixture.name}: {verdict.item} lost points without a message")
    assert not wrong, "\n".join(wrong)


def check_the_limits_held(sandbox, fixtures, runs, results, reports):
    names = {f.name for f in fixtures}
    if "many_processes" in names:
        forked = marked(runs["many_processes"], "FORKED")
        assert forked and all(int(n) < PROCESSES for n in forked), forked
    if "memory_bomb" in names:
        blocks = marked(runs["memory_bomb"], "refused after")
        assert blocks and int(blocks[0].split()[0]) * 2 ** 28 <= LIMITS.memory_bytes
    for name, run in runs.items():
        assert len(run.output) < LIMITS.output_bytes + 200, name
    if sandbox in ISOLATED and "sockets" in names:
        assert not marked(runs["sockets"], "SOCKET connected")
        assert marked(runs["sockets"], "SOCKET refused")


def check_no_secret_leaked(sandbox, fixtures, runs, results, reports):
    """The canaries (gradebook, the honest student's notebook, the grader's environment)."""
    for name, run in runs.items():
        assert CANARY not in run.output, name
        assert CANARY not in json.dumps(results[name].to_json()), name
    for path, content in reports.items():
        assert CANARY not in str(content), path


def check_nothing_changed(sandbox, before, after, left):
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, changed
    assert left == [], f"processes of the sandbox users outlived the batch: {left}"
    if sandbox in ISOLATED:
        assert not [path for path in LEFT_BEHIND if os.path.exists(path)]


def check_regrading_is_identical(first, second):
    assert first.keys() == second.keys()
    assert [key for key in first if first[key] != second[key]] == []


def marked(run, mark):
    return [line[len(mark):].strip() for line in run.output.splitlines() if line.startswith(mark)]
