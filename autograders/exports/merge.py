"""Merge shard outputs: ``python -m autograders merge DIR ... --out OUT``.

Each shard folder holds summary.json (which students it graded) and
<student_id>/submission.json (see raw.py); the merge reads the students the
summary lists (not whatever folders lie around from older runs) and writes
every report again from the union, so the merged folder has the same files,
byte for byte, as one unsharded run, apart from timings
(common.TIMING_FIELDS and run.json). A student found in two shards, or
shards graded by another engine version, is an error.
"""
import json
from pathlib import Path

from autograders.exports import raw, write_all
from autograders.exports.summary import FILE_NAME as SUMMARY_FILE
from autograders.grading import ENGINE_VERSION


class MergeError(Exception):
    pass


def read_shards(directories):
    """All results of the shard folders, checked (see the module's docstring)."""
    found = {}
    for directory in map(Path, directories):
        for result in raw.read(directory, _graded_students(directory)):
            key = (result.student_id, result.assignment)
            if key in found:
                raise MergeError(f"student {result.student_id!r} is in both {found[key][0]} "
                                 f"and {directory}")
            found[key] = (directory, result)
    return [result for _, result in found.values()]


def _graded_students(directory):
    path = directory / SUMMARY_FILE
    if not path.is_file():
        raise MergeError(f"{directory}: not an autograders output folder (no {SUMMARY_FILE})")
    summary = json.loads(path.read_text(encoding="utf-8"))
    version = summary["engine"]["version"]
    if version != ENGINE_VERSION:
        raise MergeError(f"{directory} was graded by engine {version}, this is "
                         f"{ENGINE_VERSION}: regrade it")
    return [row["student_id"] for row in summary["results"]]


def class_results(out_dir, replaced):
    """The results of the class reports in out_dir, less the students replaced (a set).

    For grading some students into a class's report folder: the class-wide
    reports are then written for the class, these students' new results in
    it. [] when out_dir holds no class reports; MergeError when they cannot
    take new results (another engine version, a student's result unreadable).
    """
    if not (Path(out_dir) / SUMMARY_FILE).is_file():
        return []
    try:
        students = _graded_students(Path(out_dir))
        return raw.read(out_dir, [s for s in students if s not in replaced])
    except MergeError as exc:
        raise MergeError(f"the class reports in {out_dir} cannot take new results: "
                         f"{exc}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MergeError(f"the class reports in {out_dir} cannot be read back "
                         f"({type(exc).__name__}: {exc})") from None


def merge(directories, out_dir, course=None, writers=None):
    """Write the merged reports under out_dir; (merged results, writer failures)."""
    results = read_shards(directories)
    return results, write_all(results, out_dir, course, writers)
