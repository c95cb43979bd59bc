"""``python -m autograders audit``: mutate the reference, grade, classify, report.

    python -m autograders audit [--items ITEM ...] [--sample N] [--out audit]
                                [--workers N] [--timeout S] [--sandbox TIER]
                                [--course DIR]

Writes OUT/audit.json and OUT/audit.html; OUT/submissions/ holds the
mutants as students' submissions, OUT/grading/ their results (kept: a rerun
regrades only what changed). The course (default: the one around the working
directory, else this repository) gives the release and source notebooks.
Exit status 0 when the report is written, 1 when the engine failed (the
reference solution lost points, a judge raised, the sandbox lost a mutant),
2 for a usage error.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXIT_OK, EXIT_ENGINE_ERROR, EXIT_USAGE = 0, 1, 2
COMPARE_TIMEOUT = 1800


def add_parser(commands):
    """The `audit` subcommand's arguments (cli.build_parser calls it)."""
    from autograders.cli import SANDBOX_CHOICES, _positive_float, _positive_int
    audit = commands.add_parser(
        "audit", help="mutation-test the autograders against the reference solution",
        description="Grade mutants of the reference solution; report the mutation score.")
    audit.add_argument("--items", nargs="+", metavar="ITEM",
                       help="only these items (default: every function and class item)")
    audit.add_argument("--sample", type=_positive_int, metavar="N",
                       help="at most N mutants per item, drawn with a fixed seed (a quick audit)")
    audit.add_argument("--out", default="audit", metavar="DIR",
                       help="where audit.json and audit.html go (default: ./audit)")
    audit.add_argument("--workers", type=_positive_int, metavar="N",
                       help="submissions graded at once (default: the number of cores)")
    audit.add_argument("--timeout", type=_positive_float, metavar="S",
                       help="wall-clock limit per mutant's submission, in seconds")
    audit.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                       help="isolation tier, as for grade (default: auto)")
    audit.add_argument("--course", metavar="DIR",
                       help="the course whose release/ and source/ notebooks to use")
    return audit


def audit(args, pool_module=None):
    """Run the audit the parsed arguments ask for; returns the exit status."""
    # Here, not at the top: `python -m autograders --help` must not import torch.
    from autograders import engine
    from autograders.audit import classify, mutants as mutants_module, report, submissions
    from autograders.audit.grade import grade
    from autograders.course import find_course_root
    clock = time.perf_counter()
    known = mutants_module.items_with_mutants()
    items = args.items or known
    unknown = [i for i in items if i not in known]
    if unknown:
        print(f"error: no mutants for {', '.join(unknown)} (items with code: "
              f"{', '.join(known)})", file=sys.stderr)
        return EXIT_USAGE
    course = Path(args.course) if args.course else (find_course_root(Path.cwd()) or ROOT)
    out = Path(args.out)
    mutants = mutants_module.all_mutants(set(items), args.sample)
    print(f"audit: {len(mutants)} mutants of {len(items)} items", file=sys.stderr)
    subs = submissions.write_submissions(course, out / "submissions", mutants)
    workers = args.workers or engine.cores()
    graded_at = time.perf_counter()
    from autograders.sandbox.pool import SandboxUnavailable
    try:
        results, failures, reused = grade(subs, out / "grading", workers, timeout=args.timeout,
                                          sandbox=args.sandbox, pool_module=pool_module)
    except SandboxUnavailable as exc:
        print(f"error: --sandbox {args.sandbox}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    grading_seconds = time.perf_counter() - graded_at
    reference, *mutant_results = results
    failures += _reference_failures(reference)
    outcomes = [classify.outcome_of(m, r) for m, r in zip(mutants, mutant_results)]
    failures += [f"{o.mutant.id}: {r.engine_errors}" for o, r in zip(outcomes, mutant_results)
                 if o.outcome == "engine_error"]
    survivors = [o.mutant for o in outcomes if o.outcome == "survived"]
    compared_at = time.perf_counter()
    answers = compare_survivors(survivors, workers)
    outcomes = [classify.settle(o, answers.get(o.mutant.id)) for o in outcomes]
    summary = classify.scores(outcomes)
    timings = {"graded": len(results), "reused": reused,
               "grading_seconds": round(grading_seconds, 1), "compared": len(survivors),
               "comparing_seconds": round(time.perf_counter() - compared_at, 1),
               "total_seconds": round(time.perf_counter() - clock, 1)}
    tiers = sorted({r.isolation for r in results if r.isolation})
    settings = {"items": items, "sample": args.sample, "workers": workers,
                "sandbox": args.sandbox, "isolation": tiers, "timeout": args.timeout}
    json_path, html_path = report.write(out, summary, outcomes, settings, timings)
    print(_table(summary))
    print(f"\nAudit report: {html_path} (data: {json_path})")
    for failure in failures:
        print(f"\nENGINE ERROR: {failure}", file=sys.stderr)
    return EXIT_ENGINE_ERROR if failures else EXIT_OK


def _reference_failures(result):
    lost = [v.item for v in result.verdicts if not v.passed]
    if result.status == "ok" and not lost:
        return []
    return [f"the reference solution itself did not get full marks (status {result.status}; "
            f"lost: {', '.join(lost) or 'none'}): the audit's outcomes mean nothing"]


def compare_survivors(survivors, workers):
    """{mutant id: equivalence answer}, computed in separate processes (one per worker,
    the survivors dealt out in turn)."""
    if not survivors:
        return {}
    shares = [survivors[i::workers] for i in range(min(workers, len(survivors)))]
    answers = {}
    with tempfile.TemporaryDirectory(prefix="autograders-audit-") as scratch:
        running = []
        for index, share in enumerate(shares):
            source = Path(scratch) / f"survivors-{index}.json"
            target = Path(scratch) / f"answers-{index}.json"
            source.write_text(json.dumps([m.to_json() for m in share]))
            running.append((target, subprocess.Popen(
                [sys.executable, "-m", "autograders.audit.equivalence", str(source), str(target)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        for target, process in running:
            _, errors = process.communicate(timeout=COMPARE_TIMEOUT)
            if process.returncode != 0:
                raise RuntimeError(f"comparing the survivors failed:\n{errors[-3000:]}")
            answers.update(json.loads(target.read_text()))
    return answers


def _table(summary):
    from autograders.audit.report import percent
    lines = [f"{'item':<22} {'mutants':>7} {'killed':>6} {'equiv.':>6} {'missed':>6} "
             f"{'score':>7} {'diagnosed':>9}"]
    rows = [*summary["items"].items(), ("overall", summary["overall"])]
    for name, row in rows:
        lines.append(f"{name:<22} {row['mutants']:>7} {row['killed']:>6} {row['equivalent']:>6} "
                     f"{row['missed']:>6} {percent(row['score']):>7} "
                     f"{percent(row['diagnosed_share']):>9}")
    return "\n".join(lines)
