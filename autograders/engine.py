"""The class run: sandbox every submission, judge each run as it arrives.

Data path: staged submissions -> sandbox pool (student code) -> observations
-> judges (trusted; their reference runs computed ahead by the Prefetcher)
-> Results (with each student's graded code, read from the notebook JSON for
the class report's similarity ranking), handed to ``on_result`` as each
student is judged. ``grade_class`` is the whole command: the regrade
(regrade.py), the pool, the staging and the reports written as results come.
The command line (cli.py) only parses arguments, discovers the class and
prints.
"""
import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path


def check_sandbox(sandbox, hide=(), pool_module=None):
    """Refuse before anyone is graded when the requested sandbox cannot start.

    Returns the tier that will grade (sandbox/tiers.py). Raises
    autograders.sandbox.pool.SandboxUnavailable (a tier asked for and unusable); for
    "auto" without any isolating tier it warns once, here rather than mid-run.
    A stand-in pool module without ``require`` is not checked.
    """
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    require = getattr(pool_module, "require", None)
    if require is not None:
        return require(sandbox, hide)
    return sandbox


@dataclasses.dataclass
class ClassRun:
    """What grade_class did: results (in report order), failures (engine error
    texts), reused (how many results were kept), isolation (isolation_of the pool)."""
    results: list
    failures: list
    reused: int
    isolation: dict


def grade_class(submissions, course, out, *, workers, timeout=None, sandbox="auto", force=False,
                gradebook=True, hide=(), class_reports=None, pool_module=None, writers=None):
    """Grade submissions into the report folder out; a ClassRun.

    Unchanged submissions keep their last result (regrade.py; force=False).
    class_reports: results of other students to write into the class-wide
    reports with these (exports.merge.class_results: some students graded
    into a class's report folder); None: these only. writers: the report
    writers (default: exports.default_writers; the audit writes raw results only).
    Raises SandboxUnavailable (a usage error) before anything is graded.
    """
    from autograders import regrade
    from autograders.exports import ResultStream, default_writers
    from autograders.exports.common import ordered
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    limits = _limits(pool_module.Limits, timeout)
    isolation = isolation_of(pool_module.WorkerPool(workers=1, limits=limits, sandbox=sandbox,
                                                    hide=hide), sandbox)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="autograders-staged-") as staging:
        copies, hashes, unreadable = _snapshots(submissions, staging, limits,
                                                isolation["sandbox"])
        engine = regrade.engine_fingerprint(regrade.run_settings(isolation, limits, course))
        fingerprints = {s.student_id: regrade.submission_fingerprint(s, engine, hashes[s.student_id])
                        for s in copies}
        reused = {} if force else regrade.previous_results(copies, out, fingerprints)
        to_run = [s for s in copies if s.student_id not in reused]
        # The sandbox's workers start (seconds: they import torch) while this process
        # imports the judges and the reports.
        pool = launch_pool(len(to_run), workers, timeout=timeout, sandbox=sandbox,
                           pool_module=pool_module, hide=hide)
        try:
            stream = ResultStream(writers or default_writers(course, gradebook), out, course)
            if pool is not None and isolation_of(pool, sandbox) != isolation:
                engine = regrade.engine_fingerprint(   # record what actually ran
                    regrade.run_settings(isolation_of(pool, sandbox), limits, course))

            def add(result):
                stream.add(result)
                if not stream.failed_for(result.student_id) and result.student_id in hashes:
                    regrade.record(out, result, regrade.submission_fingerprint(
                        by_id[result.student_id], engine, hashes[result.student_id]))
            by_id = {s.student_id: s for s in copies}
            for s in [*to_run, *unreadable]:
                regrade.forget(out, s.student_id)
            for result in reused.values():
                add(result)
            results, failures = [], []
            if to_run or unreadable:
                from autograders import grading  # imports the judges (and torch)
                items = {s.student_id: grading.graded_items(s.notebooks)
                         for s in [*to_run, *unreadable]}
                for s in unreadable:
                    results.append(grading.grade_run(unreadable[s], items[s.student_id]))
                    add(results[-1])
            if to_run:
                ran, failures = run_class(
                    to_run, items, workers, timeout=timeout, sandbox=sandbox,
                    pool_module=pool_module, hide=hide, on_result=add, pool=pool,
                    warm=(stream.prepare,))
                results += ran
        finally:
            getattr(pool, "close", lambda: None)()
    results = ordered([*reused.values(), *results])
    failures += stream.finish(ordered([*results, *(class_reports or ())]))
    return ClassRun(results, failures, len(reused), isolation)


def _snapshots(submissions, staging, limits, tier):
    """(private copies to grade, {student: the copy's hash}, {Submission: SandboxRun} of
    the submissions that could not be copied: graded "unreadable"/"missing", not run;
    their reports name the tier that would have run them)."""
    from autograders import regrade
    from autograders.result import SandboxRun
    copies, hashes, unreadable = [], {}, {}
    for s in submissions:
        try:
            copy, hashes[s.student_id] = regrade.snapshot(s, staging, limits.submission_bytes)
            copies.append(copy)
        except regrade.Unreadable as exc:
            unreadable[s] = SandboxRun(s.student_id, s.assignment, exc.status, exc.message,
                                       sandboxed=tier != "none", isolation=tier)
    return copies, hashes, unreadable


def isolation_of(pool, asked="auto"):
    """What isolates student code in a pool, as JSON data: {"sandbox": the tier it
    resolved ("bwrap", "landlock", "none"), "isolation": every field of the pool's
    sandbox.tiers.Isolation (protections, what is missing, options, ABI...)}."""
    isolation = getattr(pool, "isolation", None)
    if dataclasses.is_dataclass(isolation):
        isolation = dataclasses.asdict(isolation)
    return json.loads(json.dumps({"sandbox": getattr(pool, "sandbox", asked),
                                  "isolation": isolation}, sort_keys=True, default=str))


def launch_pool(n_jobs, workers, *, timeout=None, sandbox="auto", pool_module=None, hide=(),
                limits=None):
    """The sandbox pool for n_jobs submissions, its workers already starting (they
    import torch and warm up for seconds): the caller does its own start-up
    meanwhile and hands the pool to run_class, which waits for it and closes it.
    None without jobs. A pool that cannot start fails in run_class, reported as
    there. Arguments as for run_class."""
    if n_jobs == 0:
        return None
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    try:
        pool = pool_module.WorkerPool(workers=max(1, min(workers, n_jobs)),
                                      limits=_limits(pool_module.Limits, timeout, limits),
                                      sandbox=sandbox, hide=hide)
        getattr(pool, "launch", lambda: None)()
    except Exception as exc:  # noqa: BLE001 - reported by run_class with the class's results
        return _Unstartable(exc)
    return pool


class _Unstartable:
    """A pool whose start failed: entering it raises that failure."""

    def __init__(self, error):
        self.error = error

    def __enter__(self):
        raise self.error

    def __exit__(self, *exc_info):
        return False

    def close(self):
        pass


def run_class(submissions, items, workers, *, timeout=None, sandbox="auto", pool_module=None,
              hide=(), on_result=None, limits=None, prefetch=True, pool=None, warm=()):
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
    pool: one launch_pool made for these submissions (else it is made here).
    warm: callables to run while the sandbox's workers start (e.g. imports the
    reports need), after the judges' WARM hooks; each may fail (what it
    prepares is then done when needed).
    """
    from autograders import grading, registry
    from autograders.reference_runs import Prefetcher
    if pool_module is None:
        from autograders.sandbox import pool as pool_module
    Job = pool_module.Job
    jobs = [Job(s.student_id, s.assignment, s.folder, tuple(s.notebooks),
                tuple(item.id for item in items[s.student_id])) for s in submissions]
    results, failures = {}, []
    record = _recorder(results, on_result, {s.student_id: s.folder for s in submissions}, items)
    waiting = []  # (run, what its judges wait for), in arrival order
    received = set()
    if jobs:
        workers = max(1, min(workers, len(jobs)))
        if pool is None:
            pool = launch_pool(len(jobs), workers, timeout=timeout, sandbox=sandbox,
                               pool_module=pool_module, hide=hide, limits=limits)
        # While the workers start (other processes): what the judges and reports need
        # that no student changes. Here, not in a thread: the judges' torch, its random
        # generator and their redirected output are never shared by two threads.
        _warm_up([*registry.warm_hooks(), *warm])
        # The judges' slow reference runs are computed ahead on every core while the
        # sandbox goes on (a run is judged once what its judges need is there); one
        # submission alone is judged in this process, which waits for it anyway.
        ahead = workers if len(jobs) > 1 and prefetch else 0
        try:
            with Prefetcher(ahead, registry.prefetch_hooks(),
                            preload=registry.judge_modules()) as prefetcher, pool:
                for run in _progress(pool.run(jobs), len(jobs)):
                    if run.student_id not in items or run.student_id in received:
                        failures.append(f"the sandbox returned an unexpected run for "
                                        f"{run.student_id!r}")
                        continue
                    received.add(run.student_id)
                    waiting.append((run, prefetcher.ask(run.observations)))
                    waiting = _judge_ready(waiting, items, record)
                # The sandbox is done: judge each run as soon as its values are there,
                # while the pool computes the others (not all of them at the end).
                while waiting:
                    Prefetcher.wait_any([wanted for _, wanted in waiting])
                    waiting = _judge_ready(waiting, items, record)
        except Exception as exc:  # noqa: BLE001 - report, then write what was graded
            failures.append(f"the sandbox pool failed: {type(exc).__name__}: {exc}")
    # The rest; after a failure, what was not computed ahead the judges compute themselves.
    _judge_ready(waiting, items, record, everything=True)
    for s in submissions:
        if s.student_id not in results:
            record(grading.lost_submission(
                s.student_id, s.assignment, items[s.student_id], "the sandbox returned no result"))
    return [results[key] for key in sorted(results)], failures


def _warm_up(tasks):
    """Run each task; a failing one is skipped (whoever needs it later meets the error)."""
    for task in tasks:
        try:
            task()
        except Exception:  # noqa: BLE001
            pass


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
