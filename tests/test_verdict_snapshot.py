"""No speed-up changes a mark: the verdicts equal the snapshot the code before them wrote.

Scores, misconception ids and messages of the sample class (graded by the
engine), the whole submission bank and the own-settings class of 100
(tests/verdict_snapshot.py says how each is computed). Regenerate the
snapshot only for a deliberate change of marks: python -m tests.verdict_snapshot --write
"""
import json

from tests import verdict_snapshot
from tests.engine.sandbox_support import needs_landlock


def test_verdicts_equal_the_snapshot(tmp_path):
    want = json.loads(verdict_snapshot.SNAPSHOT.read_text())
    got = {"sample": verdict_snapshot.sample_verdicts(tmp_path),
           "bank": verdict_snapshot.bank_verdicts(tmp_path),
           "own": verdict_snapshot.own_settings_verdicts(tmp_path)}
    assert verdict_snapshot.count_submissions(got) == verdict_snapshot.count_submissions(want)
    lines = verdict_snapshot.differences(got, want)
    assert not lines, f"{len(lines)} verdicts changed:\n" + "\n".join(lines[:40])


def test_differences_name_each_changed_value():
    want = {"bank": {"v": {"sigmoid": [2, [], "ok"]}}}
    got = {"bank": {"v": {"sigmoid": [1, ["sigmoid.naive"], "ok"]}, "w": {}}}
    assert verdict_snapshot.differences(got, want) == [
        "/bank/v/sigmoid: was [2, [], 'ok'], now [1, ['sigmoid.naive'], 'ok']", "/bank/w: new"]
    assert verdict_snapshot.differences(want, want) == []


@needs_landlock
def test_the_namespace_free_tier_grades_the_sample_class_as_the_snapshot(tmp_path):
    """Legitimate student code works alike in every tier: the same marks, statuses, messages."""
    want = json.loads(verdict_snapshot.SNAPSHOT.read_text())["sample"]
    got = verdict_snapshot.sample_verdicts(tmp_path, sandbox="landlock")
    assert got.keys() == want.keys()
    lines = verdict_snapshot.differences({"sample": got}, {"sample": want})
    assert not lines, f"{len(lines)} verdicts differ from bwrap's:\n" + "\n".join(lines[:40])
