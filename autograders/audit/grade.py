"""Grade the mutants as one class, on the engine's real path.

The sandbox pool (student code isolated, several workers), the judges'
reference runs computed ahead (engine.run_class's Prefetcher) and regrade
reuse (autograders.regrade: an unchanged mutant graded by an unchanged
engine keeps its result under OUT/grading/) are the ones ``python -m
autograders grade`` uses. Only ``submission.json`` is written per mutant:
feedback pages, the class report and the gradebook are for real students.
"""
from pathlib import Path

from autograders import engine
from autograders.exports import raw


def grade(submissions, out, workers, *, timeout=None, sandbox="auto", pool_module=None):
    """(results in submission order, engine failures, how many were reused)."""
    out = Path(out)
    run = engine.grade_class(submissions, None, out, workers=workers, timeout=timeout,
                             sandbox=sandbox, gradebook=False, hide=[str(out.resolve())],
                             pool_module=pool_module, writers=(raw.write,))
    results = {r.student_id: r for r in run.results}
    return [results[s.student_id] for s in submissions], run.failures, run.reused
