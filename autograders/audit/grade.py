"""Grade the mutants as one class, on the engine's real path.

The sandbox pool (student code isolated, several workers), the judges'
reference runs computed ahead (engine.run_class's Prefetcher) and regrade
reuse (autograders.regrade: an unchanged mutant graded by an unchanged
engine keeps its result under OUT/grading/) are the ones ``python -m
autograders grade`` uses. Only ``submission.json`` is written per mutant:
feedback pages, the class report and the gradebook are for real students.
"""
from pathlib import Path

from autograders import engine, regrade
from autograders.exports import ResultStream, raw

AUDIT_OPTION = "audit"


def grade(submissions, out, workers, *, timeout=None, sandbox="auto", pool_module=None):
    """(results in submission order, engine failures, how many were reused)."""
    out = Path(out)
    hide = [str(out.resolve())]
    engine.check_sandbox(sandbox, hide, pool_module)
    fingerprint = regrade.engine_fingerprint({"sandbox": sandbox, "timeout": timeout,
                                              AUDIT_OPTION: True})
    reused, fingerprints = regrade.previous_results(submissions, out, fingerprint)
    to_run = [s for s in submissions if s.student_id not in reused]
    stream = ResultStream((raw.write,), out, None)
    add = regrade.recorder(stream, out, fingerprints, to_run)
    failures = []
    results = dict(reused)
    if to_run:
        from autograders import grading
        items = {s.student_id: grading.graded_items(s.notebooks) for s in to_run}
        ran, failures = engine.run_class(to_run, items, workers, timeout=timeout,
                                         sandbox=sandbox, pool_module=pool_module, hide=hide,
                                         on_result=add)
        results.update({r.student_id: r for r in ran})
    failures += stream.finish(list(results.values()))
    return [results[s.student_id] for s in submissions], failures, len(reused)
