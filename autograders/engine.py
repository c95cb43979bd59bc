"""The class run: sandbox every submission, judge each run as it arrives.

Data path: staged submissions -> sandbox pool (student code) -> observations
-> judges (trusted; their reference runs computed ahead by the Prefetcher)
-> Results (with each student's graded code, read from the notebook JSON for
the class report's similarity ranking), handed to ``on_result`` as each
student is judged. The command
line (cli.py) only parses arguments, discovers the class and writes reports.
"""
import dataclasses
import os
import sys


def check_sandbox(sandbox, hide=(), pool_module=None):
    """Refuse before anyone is graded when the requested sandbox cannot start.

    Raises autograders.sandbox.pool.SandboxUnavailable ("bwrap" asked for and
    unusable); for "auto" without bwrap it warns once, here rather than mid-run.
    A stand-in pool module without ``require`` is not checked.
    """
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    require = getattr(pool_module, "require", None)
    if require is not None:
        require(sandbox, hide)


def run_class(submissions, items, workers, *, timeout=None, sandbox="auto", pool_module=None,
              hide=(), on_result=None, limits=None, prefetch=True):
    """Grade every submission; (results sorted by student, engine failure texts).

    timeout: seconds per submission (None: the Limits' defaults); sandbox:
    "auto", "bwrap" or "none"; pool_module: what provides Job, Limits and
    WorkerPool (autograders.sandbox.pool; tests pass a stand-in).
    hide: folders the sandbox must not show to student code (the course, the
    submissions, the reports) where they lie inside folders it mounts.
    on_result(result) is called with each result as soon as it is judged.
    limits: Limits fields to change beyond timeout (e.g. {"memory_bytes": ...});
    prefetch=False: no pool of trusted processes for the judges' reference
    runs (they compute inline: one submission in a small container).
    """
    from autograders import grading, registry
    from autograders.reference_runs import Prefetcher
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    Job, Limits = pool_module.Job, pool_module.Limits
    jobs = [Job(s.student_id, s.assignment, s.folder, tuple(s.notebooks),
                tuple(item.id for item in items[s.student_id])) for s in submissions]
    results, failures = {}, []
    record = _recorder(results, on_result, {s.student_id: s.folder for s in submissions}, items)
    waiting = []  # (run, what its judges wait for), in arrival order
    received = set()
    if jobs:
        workers = max(1, min(workers, len(jobs)))
        try:
            # The judges' slow reference runs are computed ahead on every core while
            # the sandbox goes on; a run is judged once what its judges need is there.
            with Prefetcher(workers if prefetch else 0, registry.prefetch_hooks(),
                            preload=registry.judge_modules()) as prefetch, \
                    pool_module.WorkerPool(workers=workers, limits=_limits(Limits, timeout, limits),
                                           sandbox=sandbox, hide=hide) as pool:
                for run in _progress(pool.run(jobs), len(jobs)):
                    if run.student_id not in items or run.student_id in received:
                        failures.append(f"the sandbox returned an unexpected run for "
                                        f"{run.student_id!r}")
                        continue
                    received.add(run.student_id)
                    waiting.append((run, prefetch.ask(run.observations)))
                    waiting = _judge_ready(waiting, items, record)
                for _, wanted in waiting:
                    Prefetcher.wait(wanted)
        except Exception as exc:  # noqa: BLE001 - report, then write what was graded
            failures.append(f"the sandbox pool failed: {type(exc).__name__}: {exc}")
    # The rest; after a failure, what was not computed ahead the judges compute themselves.
    _judge_ready(waiting, items, record, everything=True)
    for s in submissions:
        if s.student_id not in results:
            record(grading.lost_submission(
                s.student_id, s.assignment, items[s.student_id], "the sandbox returned no result"))
    return [results[key] for key in sorted(results)], failures


def _recorder(results, on_result, folders, items):
    """Keep each result, with its graded code (for the class's similarity report)."""
    from autograders.similarity.extract import submission_pieces

    def record(result):
        folder = folders.get(result.student_id)
        if folder is not None:
            result = dataclasses.replace(
                result, code=submission_pieces(folder, items[result.student_id]))
        results[result.student_id] = result
        if on_result is not None:
            on_result(result)
    return record


def _judge_ready(waiting, items, record, everything=False):
    """Judge the runs whose reference values are computed (or all); return the others."""
    from autograders import grading
    from autograders.reference_runs import Prefetcher
    still = []
    for run, wanted in waiting:
        if not (everything or Prefetcher.ready(wanted)):
            still.append((run, wanted))
            continue
        Prefetcher.store(wanted)
        record(grading.grade_run(run, items[run.student_id]))
    return still


def _limits(limits_class, timeout, changes=None):
    limits = dataclasses.replace(limits_class(), **(changes or {}))
    if timeout is None:
        return limits
    return dataclasses.replace(limits, submission_timeout=timeout,
                               cell_timeout=min(limits.cell_timeout, timeout),
                               probe_timeout=min(limits.probe_timeout, timeout))


def _progress(runs, total):
    """A progress bar over the class on stderr (silent when stderr is not a terminal)."""
    from tqdm import tqdm
    return tqdm(runs, total=total, desc="grading", unit="student", file=sys.stderr,
                disable=None, leave=False)


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
