"""Regrading: an unchanged submission, graded by an unchanged engine, keeps its result.

A regrade of a class (same submissions, same reference and judges) re-ran
every notebook and every judge to reach the same marks. Now each student's
report folder also holds ``fingerprint.txt``: a SHA-256 over everything that
can change a verdict:
- the submission as the sandbox copied it: before grading, each submission
  folder is copied into a private staging folder (``snapshot``: regular
  files and folders only, links skipped, as the sandbox's own copier does),
  the copy is hashed (names and bytes), and the sandbox grades that copy,
  so the hash is of exactly the files graded, even when a collect rewrites
  the submission meanwhile; with the student id, the assignment and the
  notebooks graded;
- the engine: ENGINE_VERSION and the source of every module of the
  ``autograders`` and ``reference`` packages (judges, probes, sandbox,
  exports; not ``autograders/audit/``, which only reads results), the versions of Python, torch and numpy, whether a CUDA device
  is visible (the training judge checks every device);
- how it ran (``run_settings``): the sandbox tier the pool actually used
  (``"auto"`` resolved: "bwrap", "landlock" or "none", and the pool's
  description of its protections), the limits (time, memory, sizes) and
  the course's ``nbgrader_config.py``.
When the fingerprint written with a student's last result equals the one
computed now, that result (``submission.json``) is reused and its reports
are written again; nothing of it runs. Its late penalty is not reused: it is
cleared and the gradebook export (if any) computes it again, from today's
due date and extensions. A result is reused only when nothing in it could
depend on the machine's load or the engine's luck: every notebook graded
reports "ok", "unreadable" or "missing", no cell timed out, no engine error
(a student who left out one notebook and whose other one timed out is
regraded). ``--force`` regrades everyone. The fingerprint is written after
the student's reports, so an interrupted run leaves nothing to reuse wrongly.
A submission that cannot be copied (an unreadable file, too large) is
graded as "unreadable" without running, and is never reused.
"""
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import sys
from pathlib import Path

from autograders.course import CONFIG_FILE, staged
from autograders.sandbox import transfer

FILE_NAME = "fingerprint.txt"
REUSABLE = ("ok", "unreadable", "missing")  # statuses that only the files decide
PACKAGES = ("autograders", "reference")
NOT_GRADING = ("audit",)  # autograders/audit/ only reads results: no verdict depends on it


def _hash(parts):
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _sources():
    """(package-relative path, bytes) of every Python file of the grading packages."""
    import importlib.util
    found = []
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        root = Path(next(iter(spec.submodule_search_locations)))
        found += [(f"{package}/{p.relative_to(root)}", p.read_bytes())
                  for p in sorted(root.rglob("*.py"))
                  if not p.relative_to(root).parts[0] in NOT_GRADING]
    return found


def run_settings(isolation, limits, course):
    """What decides a grade beside the code: {"isolation", "limits", "config"} (JSON-able).

    isolation: engine.isolation_of(pool) (the resolved tier); limits: the
    pool's Limits dataclass; course: the Course graded (None: loose files).
    """
    config = None
    if course is not None:
        try:
            config = hashlib.sha256((Path(course.root) / CONFIG_FILE).read_bytes()).hexdigest()
        except OSError as exc:
            config = f"unreadable: {type(exc).__name__}"
    return {"isolation": isolation, "limits": dataclasses.asdict(limits), "config": config}


def engine_fingerprint(settings):
    """The hash of the engine and its environment, with run_settings(...) (a dict)."""
    from autograders.grading import ENGINE_VERSION
    cuda = os.path.exists("/dev/nvidiactl"), os.environ.get("CUDA_VISIBLE_DEVICES")
    parts = [ENGINE_VERSION, sys.version, _version("torch"), _version("numpy"), cuda,
             json.dumps(settings, sort_keys=True, default=str)]
    for name, data in _sources():
        parts += [name, data]
    return _hash(parts)


# ------------------------------------------------------------------ the files graded
class Unreadable(Exception):
    """A submission that cannot be copied for grading: (status, message) for its result."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def snapshot(submission, staging, max_bytes):
    """(the submission moved to its private copy under staging, the copy's hash).

    The copy holds regular files and folders only (links and FIFOs skipped,
    never followed: autograders.sandbox.transfer), at most max_bytes; the
    sandbox grades this copy. Raises Unreadable("missing" | "unreadable", why).
    """
    staging = Path(staging)
    try:
        if submission.files:  # notebook files named on the command line
            copy = staged(submission, staging)
        else:
            folder = staging / submission.student_id / submission.assignment
            transfer.copy_tree(submission.folder, folder, max_bytes)
            copy = dataclasses.replace(submission, folder=folder)
    except (FileNotFoundError, NotADirectoryError):
        raise Unreadable("missing", f"no submission folder at {submission.folder}") from None
    except transfer.TooLarge as exc:
        raise Unreadable("unreadable", f"the submission folder is too large ({exc}; at most "
                         f"{max_bytes // 2**20} MB)") from None
    except OSError as exc:  # an unreadable file, a folder that is a link...
        where = f" ({exc.filename})" if exc.filename else ""
        raise Unreadable("unreadable", f"the submission could not be read{where}: "
                         f"{exc.strerror or exc}") from None
    return copy, tree_hash(copy.folder)


def tree_hash(folder):
    """SHA-256 over the relative names and bytes of a folder's regular files (sorted)."""
    folder = Path(folder)
    parts = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return _hash(parts)


def submission_fingerprint(submission, engine, files_hash):
    """The fingerprint of one submission: engine_fingerprint's, the student's, the files'."""
    return _hash([engine, submission.student_id, submission.assignment,
                  tuple(submission.notebooks), files_hash])


# ------------------------------------------------------------------ reuse
def reusable(result, notebooks):
    """True when nothing of result could change with the machine's load or the engine's luck."""
    if result.status not in REUSABLE or result.engine_errors:
        return False
    for name in notebooks:
        run = result.notebooks.get(name)
        if run is None or run.status not in REUSABLE:
            return False
        if any(cell.status != "error" for cell in run.cells):  # a timeout
            return False
    return True


def previous_results(submissions, out, fingerprints):
    """{student: reusable SubmissionResult}: those whose stored fingerprint is today's.

    fingerprints: {student: submission_fingerprint}; a reused result's late
    penalty is cleared (the gradebook export computes it again).
    """
    from autograders.result import SubmissionResult
    reused = {}
    for s in submissions:
        folder = Path(out) / s.student_id
        if s.student_id not in fingerprints:
            continue
        try:
            if (folder / FILE_NAME).read_text().strip() != fingerprints[s.student_id]:
                continue
            result = SubmissionResult.from_json(json.loads(
                (folder / "submission.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if result.student_id == s.student_id and reusable(result, s.notebooks):
            reused[s.student_id] = dataclasses.replace(result, late=None)
    return reused


def record(out, result, fingerprint):
    """Write the student's fingerprint beside the reports just written for result."""
    folder = Path(out) / result.student_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILE_NAME).write_text(fingerprint + "\n")


def forget(out, student_id):
    """Remove a student's fingerprint (before regrading it: nothing stale stays)."""
    try:
        (Path(out) / student_id / FILE_NAME).unlink()
    except FileNotFoundError:
        pass
