"""``python -m autograders grade|merge|gradescope|watch``: grade, merge shards, build for
Gradescope, grade on submission.

    python -m autograders grade [PATH ...] [--course DIR] [--out DIR] [--workers N]
                                [--timeout S] [--shard I/N] [--sandbox auto|bwrap|none]
    python -m autograders merge DIR ... [--out DIR] [--course DIR]
    python -m autograders gradescope [--out autograder.zip] [--course DIR] [--visibility V]
    python -m autograders audit [--items ITEM ...] [--sample N] [--out audit]  (audit/run.py)
    python -m autograders export --to canvas|moodle --roster FILE [--grades FILE] ...
    python -m autograders watch [--course DIR] [--poll S] [--rate-limit MIN] ... (watch/command.py)

Exit status: 0 when every submission was graded, whatever the students
scored; 1 when the engine failed (a judge raised, the sandbox lost a
submission, a report could not be written; the reports of everything else
are still written); 2 for a usage error (bad arguments, no such path, no
course).
"""
import argparse
import datetime
import sys
import time
import warnings
from pathlib import Path

from autograders.course import (CourseError, current_course, discover, parse_shard, shard,
                                whole_classes)
from autograders.exports.common import ordered
from autograders.sandbox.tiers import CHOICES as SANDBOX_CHOICES

DEFAULT_OUT = "autograded-reports"
EXIT_OK, EXIT_ENGINE_ERROR, EXIT_USAGE = 0, 1, 2
MAX_ERRORS_SHOWN = 10


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m autograders",
                                     description="Grade nbgrader submissions in a sandbox.")
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade a class, submissions or notebooks",
                                description="Grade submissions in a sandbox and write the reports.")
    grade.add_argument("paths", nargs="*", metavar="PATH",
                       help="a course root, a submitted/<student>/<assignment>/ folder or "
                            "notebook files (default: the current course's submitted/)")
    grade.add_argument("--course", metavar="DIR",
                       help="the nbgrader course root (default: the folder holding "
                            "nbgrader_config.py, here or above)")
    grade.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                       help=f"where the reports go (default: ./{DEFAULT_OUT})")
    grade.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                       help="submissions graded at once (default: the number of cores); the "
                            "judges' reference runs use as many trusted processes")
    grade.add_argument("--timeout", type=_positive_float, default=None, metavar="S",
                       help="wall-clock limit per submission, in seconds (cells and probes "
                            "get at most this too)")
    grade.add_argument("--shard", metavar="I/N",
                       help="grade only shard I of N of the sorted student list (1-based)")
    grade.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                       help="isolation tier: auto (the strongest that starts here, else none "
                            "with a warning), isolated (the strongest, never none), bwrap "
                            "(namespaces), landlock (no namespaces: own user id, Landlock, "
                            "seccomp), none (resource limits only)")
    grade.add_argument("--force", action="store_true",
                       help="regrade every submission, even those unchanged since their last "
                            "result under --out (by default these keep it: autograders/regrade.py)")
    grade.add_argument("--no-gradebook", dest="gradebook", action="store_false",
                       help="do not write the scores into the course's nbgrader gradebook")

    merge = commands.add_parser("merge", help="merge the outputs of --shard runs")
    merge.add_argument("dirs", nargs="+", metavar="DIR", help="shard output folders")
    merge.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                       help=f"where the merged reports go (default: ./{DEFAULT_OUT})")
    merge.add_argument("--course", metavar="DIR",
                       help="also write the merged scores into this course's gradebook")

    zip_help = "build the autograder zip to upload to Gradescope"
    gradescope = commands.add_parser("gradescope", help=zip_help,
                                     description=zip_help[0].upper() + zip_help[1:] + ".")
    gradescope.add_argument("--out", metavar="ZIP", default="autograder.zip",
                            help="the zip to write (default: ./autograder.zip)")
    gradescope.add_argument("--course", metavar="DIR",
                            help="the nbgrader course root (default: as for grade)")
    gradescope.add_argument("--visibility", default="visible",
                            choices=("visible", "after_due_date", "after_published", "hidden"),
                            help="when students see the autograder's results (default: visible); "
                                 "any hidden test also hides the student's total on Gradescope")

    check_help = "show which sandbox tier isolates student code here, by hostile probes"
    check = commands.add_parser("check-sandbox", help=check_help,
                                description=check_help[0].upper() + check_help[1:] + ".")
    check.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                       help="the tier to check (default: auto, the one grading would use)")

    # Grades into the LMS (autograders/lms/command.py).
    from autograders.lms import command as lms_command
    lms_command.add_parser(commands)

    # The autograders' own audit (autograders/audit/run.py).
    from autograders.audit.run import add_parser as add_audit_parser
    add_audit_parser(commands)

    # Grading on submission (autograders/watch/command.py).
    from autograders.watch import command as watch_command
    watch_command.add_parser(commands)
    return parser


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be at least 1")
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text}: must be positive")
    return value


def main(argv=None, pool_module=None):
    """Run the command line; returns the exit status.

    pool_module: what provides Job, Limits and WorkerPool
    (autograders.sandbox.pool; tests pass a stand-in).
    """
    args = build_parser().parse_args(argv)
    warnings.formatwarning = _one_line_warning
    try:
        if args.command == "grade":
            return grade(args, pool_module)
        if args.command == "gradescope":
            return gradescope_zip(args)
        if args.command == "audit":
            from autograders.audit.run import audit
            return audit(args, pool_module)
        if args.command == "check-sandbox":
            return check_sandbox(args)
        if args.command == "export":
            from autograders.lms import command as lms_command
            return lms_command.run(args)
        if args.command == "watch":
            from autograders.watch import command as watch_command
            return watch_command.run(args)
        return merge(args)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _one_line_warning(message, category, *_):
    return f"warning: {message}\n"


# ------------------------------------------------------------------ grade
def grade(args, pool_module=None):
    started, clock = _now(), time.perf_counter()
    course = current_course(args.course)
    submissions = discover(args.paths, course)
    shard_info = None
    if args.shard:
        shard_info = parse_shard(args.shard)
        submissions = shard(submissions, *shard_info)
    if not submissions:
        print("no submissions to grade", file=sys.stderr)
    out = Path(args.out)
    class_reports = None
    if not shard_info and not whole_classes(args.paths, course):
        from autograders.exports.merge import MergeError, class_results
        try:  # some students into a class's reports: the class stays in them
            class_reports = class_results(out, {s.student_id for s in submissions})
        except MergeError as exc:
            print(f"error: {exc}; grade the whole class, or write these students "
                  "elsewhere with --out DIR", file=sys.stderr)
            return EXIT_USAGE

    from autograders import engine
    from autograders.sandbox.pool import SandboxUnavailable
    workers = args.workers or engine.cores()
    hide = [str(p) for p in sorted({s.folder for s in submissions} | {out.resolve()}
                                   | ({course.root} if course else set()))]
    try:
        run = engine.grade_class(submissions, course, out, workers=workers,
                                 timeout=args.timeout, sandbox=args.sandbox, force=args.force,
                                 gradebook=args.gradebook, hide=hide,
                                 class_reports=class_reports, pool_module=pool_module)
    except SandboxUnavailable as exc:
        print(f"error: --sandbox {args.sandbox}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _write_run_info(out, {
        "command": "grade", "started": started, "finished": _now(),
        "wall_seconds": round(time.perf_counter() - clock, 3), "workers": workers,
        "sandbox": args.sandbox, "isolation": run.isolation, "timeout": args.timeout,
        "shard": f"{shard_info[0]}/{shard_info[1]}" if shard_info else None,
        "course": str(course.root) if course else None, "students": len(run.results),
        "reused": run.reused,
        "class_students": len(run.results) + len(class_reports or ()),
    })
    return _finish(run.results, out, run.failures)


# ------------------------------------------------------------------ check-sandbox
def check_sandbox(args):
    from autograders.sandbox import check
    from autograders.sandbox.pool import SandboxUnavailable
    try:
        return check.run(args.sandbox)
    except SandboxUnavailable as exc:
        print(f"error: --sandbox {args.sandbox}: {exc}", file=sys.stderr)
        return EXIT_USAGE


# ------------------------------------------------------------------ gradescope
def gradescope_zip(args):
    from autograders.gradescope_zip.build import CONTAINER, build
    course = current_course(args.course)
    out, count = build(args.out, course, args.visibility)
    print(f"Gradescope autograder: {out.resolve()} ({count} files, "
          f"{out.stat().st_size / 2 ** 20:.1f} MB). Upload it as the assignment's autograder "
          f"(README: 'Grading on Gradescope').\n{CONTAINER}")
    return EXIT_OK


# ------------------------------------------------------------------ merge
def merge(args):
    from autograders.exports import default_writers
    from autograders.exports.merge import MergeError, merge as merge_shards
    started, clock = _now(), time.perf_counter()
    course = current_course(args.course) if args.course else None
    out = Path(args.out)
    try:
        results, failures = merge_shards(args.dirs, out, course, default_writers(course))
    except MergeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _write_run_info(out, {"command": "merge", "started": started, "finished": _now(),
                          "wall_seconds": round(time.perf_counter() - clock, 3),
                          "shards": [str(d) for d in args.dirs], "students": len(results)})
    return _finish(ordered(results), out, failures)


def _write_run_info(out, info):
    from autograders.exports.run_info import write_run_info
    write_run_info(out, info)


def _finish(results, out, failures):
    from autograders.exports.common import terminal_text
    from autograders.exports.summary import table
    if results:
        print(table(results))
    print(f"\nReports in {out}/: class.html (the class report), class.json, similarity.csv, "
          "grades.csv, junit.xml, summary.json, and per student <student_id>/feedback.html "
          "and results.json (Gradescope).")
    failures = _engine_errors(results) + failures
    for failure in failures:
        print(f"\nENGINE ERROR (a bug in the grader, not a student's mistake): "
              f"{terminal_text(failure)}", file=sys.stderr)
    return EXIT_ENGINE_ERROR if failures else EXIT_OK


def _engine_errors(results):
    """One report per distinct failure (item and traceback), with the students it hit."""
    by_error = {}
    for result in results:
        for item, error in result.engine_errors.items():
            by_error.setdefault((item, error), []).append(result.student_id)
    reports = [f"{item or 'submission'} for {', '.join(students)}:\n{error.rstrip()}"
               for (item, error), students in list(by_error.items())[:MAX_ERRORS_SHOWN]]
    if len(by_error) > MAX_ERRORS_SHOWN:
        reports.append(f"{len(by_error) - MAX_ERRORS_SHOWN} more distinct engine errors: "
                       "see summary.json")
    return reports


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
