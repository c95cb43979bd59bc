"""OUT/<student_id>/submission.json: the whole SubmissionResult, for merging shards.

Everything the other reports are made from (verdicts with their details,
notebook statuses, failed cells, engine errors), so ``merge`` can rebuild
every report of a class from the shards' folders.
"""
import json
from pathlib import Path

from autograders.exports.common import student_dir, write_json
from autograders.result import SubmissionResult

PER_STUDENT = True  # each result on its own (exports.ResultStream)
FILE_NAME = "submission.json"


def write(results, out_dir, course=None):
    for result in results:
        write_json(student_dir(out_dir, result) / FILE_NAME, result.to_json())


def read(out_dir, student_ids):
    """The SubmissionResults of these students stored under one output folder."""
    return [SubmissionResult.from_json(json.loads(
        (Path(out_dir) / student_id / FILE_NAME).read_text(encoding="utf-8")))
        for student_id in student_ids]
