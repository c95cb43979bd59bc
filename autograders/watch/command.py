"""``python -m autograders watch``: its arguments and start-up (the loop is loop.py)."""
import signal
import sys

from autograders.sandbox.tiers import CHOICES as SANDBOX_CHOICES

HELP = "grade each submission as it arrives and release its feedback"


def add_parser(commands):
    watch = commands.add_parser("watch", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    watch.add_argument("--course", metavar="DIR",
                       help="the nbgrader course root (default: as for grade)")
    watch.add_argument("--from", dest="source", choices=("inbound", "submitted"),
                       default="inbound",
                       help="inbound: the exchange's inbound folder, collected with nbgrader "
                            "collect (default); submitted: the course's submitted/ folder")
    watch.add_argument("--poll", type=float, default=30.0, metavar="S",
                       help="seconds between two looks for new submissions (default: 30)")
    watch.add_argument("--feedback", choices=("now", "after-due"), default="now",
                       help="release feedback as soon as graded (default) or only after the "
                            "due date (students see a page saying so until then)")
    watch.add_argument("--scores", choices=("now", "after-due"), default="now",
                       help="show scores at once (default) or only the diagnoses until the "
                            "due date, then the scored feedback")
    watch.add_argument("--rate-limit", type=float, default=0.0, metavar="MINUTES",
                       help="grade a student at most once per this many minutes; a "
                            "submission in between gets a page saying when it will be graded "
                            "(default: 0, no limit)")
    watch.add_argument("--out", default="autograded-reports", metavar="DIR",
                       help="the reports folder, relative to the course "
                            "(default: autograded-reports)")
    watch.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                       help="as for grade")
    watch.add_argument("--timeout", type=float, metavar="S", help="as for grade")
    watch.add_argument("--workers", type=int, metavar="N", help="as for grade")
    watch.add_argument("--once", action="store_true",
                       help="one poll, then exit (e.g. from cron)")


def run(args):
    """Start the watcher; returns the exit status (2: no course, or another watcher runs)."""
    from autograders.course import current_course
    from autograders.watch import state as watcher_state
    from autograders.watch.loop import Options, Watcher, grade_in_process
    course = current_course(args.course)
    if course is None:
        print("error: no nbgrader_config.py here or above: give --course", file=sys.stderr)
        return 2
    folder = watcher_state.folder(course.root)
    try:
        held = watcher_state.lock(folder / "lock")
    except watcher_state.WatcherBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 2
    grade_options = ["--sandbox", args.sandbox]
    grade_options += ["--timeout", str(args.timeout)] if args.timeout else []
    grade_options += ["--workers", str(args.workers)] if args.workers else []
    options = Options(poll=args.poll, feedback=args.feedback, scores=args.scores,
                      rate_limit=args.rate_limit, source=args.source, out=args.out,
                      grade_options=tuple(grade_options))
    apis = _apis(course.root)
    from autograders.watch.feedback import Feedback
    from autograders.watch.sources import Inbound, Submitted
    source = (Inbound if args.source == "inbound" else Submitted)(apis["full"], course.assignment)
    watcher = Watcher(course, options, watcher_state.Log(folder / "log.jsonl"), source,
                      Feedback(apis, course.assignment), grade_in_process(course, options))
    if args.once:
        watcher.poll()
        return 0
    for name in (signal.SIGTERM, signal.SIGINT):   # finish the step at hand, then stop
        signal.signal(name, lambda *_: watcher.stop.set())
    try:
        watcher.run()
    finally:
        held.close()
    return 0


def _apis(root):
    """nbgrader's API on the course, as its own commands see it: "full" and "diagnoses"."""
    import nbgrader  # noqa: F401 - the course config adds nbgrader's classes when it is loaded
    from nbgrader.apps.api import NbGraderAPI
    from autograders.nbgrader_bridge.course_config import course_directory
    from autograders.watch.diagnoses import diagnoses_config
    coursedir = course_directory(root)
    return {"full": NbGraderAPI(coursedir, config=coursedir.config),
            "diagnoses": NbGraderAPI(coursedir, config=diagnoses_config(coursedir.config))}
