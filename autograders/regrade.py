"""Regrading: an unchanged submission, graded by an unchanged engine, keeps its result.

A regrade of a class (same submissions, same reference and judges) re-ran
every notebook and every judge to reach the same marks. Now each student's
report folder also holds ``fingerprint.txt``: a SHA-256 over everything that
can change a verdict:
- the submission: every file of the folder the sandbox copies (names and
  bytes), the student id, the assignment and the notebooks graded;
- the engine: ENGINE_VERSION and the source of every module of the
  ``autograders`` and ``reference`` packages (judges, probes, sandbox,
  exports; not ``autograders/audit/``, which only reads results), the versions of Python, torch and numpy, whether a CUDA device
  is visible (the training judge checks every device), and the grading
  options (sandbox, timeout).
When the fingerprint written with a student's last result equals the one
computed now, that result (``submission.json``) is reused as it is and its
reports are written again; nothing of it runs. Results that could depend on
the machine's load or the engine's luck are always regraded: status
"timeout", "crashed" or "engine_error". ``--force`` regrades everyone. The
fingerprint is written after the student's reports, so an interrupted run
leaves nothing to reuse wrongly.
"""
import hashlib
import importlib.metadata
import json
import os
import sys
from pathlib import Path

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


def engine_fingerprint(options):
    """The hash of the engine and its environment, with the grading options (a dict)."""
    from autograders.grading import ENGINE_VERSION
    cuda = os.path.exists("/dev/nvidiactl"), os.environ.get("CUDA_VISIBLE_DEVICES")
    parts = [ENGINE_VERSION, sys.version, _version("torch"), _version("numpy"), cuda,
             json.dumps(options, sort_keys=True)]
    for name, data in _sources():
        parts += [name, data]
    return _hash(parts)


def submission_fingerprint(submission, engine):
    parts = [engine, submission.student_id, submission.assignment, tuple(submission.notebooks)]
    if submission.files:  # notebook files, staged under their release names
        for name, path in sorted(submission.files):
            parts += [name, Path(path).read_bytes()]
        return _hash(parts)
    folder = Path(submission.folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts += [str(path.relative_to(folder)), path.read_bytes()]
    return _hash(parts)


def previous_results(submissions, out, engine):
    """({student: reusable SubmissionResult}, {student: fingerprint}) for these submissions."""
    from autograders.result import SubmissionResult
    fingerprints = {s.student_id: submission_fingerprint(s, engine) for s in submissions}
    reused = {}
    for s in submissions:
        folder = Path(out) / s.student_id
        try:
            if (folder / FILE_NAME).read_text().strip() != fingerprints[s.student_id]:
                continue
            result = SubmissionResult.from_json(json.loads(
                (folder / "submission.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if result.status in REUSABLE and result.student_id == s.student_id:
            reused[s.student_id] = result
    return reused, fingerprints


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


def recorder(stream, out, fingerprints, to_run):
    """add(result): write the result's reports (an exports.ResultStream), then its
    fingerprint, unless a report failed. First forgets the fingerprints of the
    submissions about to run, so an interrupted run leaves none stale."""
    for submission in to_run:
        forget(out, submission.student_id)

    def add(result):
        stream.add(result)
        if not stream.failed_for(result.student_id):
            record(out, result, fingerprints[result.student_id])
    return add
