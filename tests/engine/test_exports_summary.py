"""OUT/summary.json and the printed table."""
import dataclasses
import json

from autograders.exports import summary
from autograders.grading import ENGINE_VERSION
from tests.engine import fakes


def test_summary_json(tmp_path):
    results = fakes.sample_results()
    summary.write(results, tmp_path)
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["engine"] == {"name": "autograders", "version": ENGINE_VERSION}
    assert data["students"] == len(results)
    assert data["counts"] == {"ok": 4, "timeout": 0, "crashed": 0, "unreadable": 1,
                              "missing": 1, "engine_error": 1}
    rows = {row["student_id"]: row for row in data["results"]}
    assert rows["bob"]["diagnoses"] == ["backprop.wrong_sign"]
    assert rows["bob"]["score"] == rows["bob"]["max_score"] - 5
    assert rows["bob"]["notebooks"]["02_numpy_network"]["score"] == 11
    assert data["engine_errors"] == {"zed": {"submission": "the sandbox returned no result"}}
    assert "execution_time" not in json.dumps(data)        # timings live in run.json


def test_printed_table():
    results = fakes.sample_results()
    lines = summary.table(results).splitlines()
    assert lines[0].split()[:3] == ["student", "01", "02"]
    assert set(lines[1]) <= {"-", " "}
    bob = next(line for line in lines if line.startswith("bob"))
    assert "7/7" in bob and "11/16" in bob and "backprop.wrong_sign" in bob
    dave = next(line for line in lines if line.startswith("dave"))
    assert "unreadable" in dave and "0/16" in dave
    assert lines[-1].startswith("(01 = 01_activations")
    assert all(len(line) < 160 for line in lines)


HOSTILE = "\x1b[2J\x1b]0;owned\x07cleared \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\ \rover\x9b31m \u202eevil"


def test_the_terminal_summary_prints_no_control_characters(tmp_path, capsys):
    """A student's error text (the status message of the table, an engine error's
    traceback) reaches the terminal without escape sequences or control characters."""
    from autograders import cli
    result = dataclasses.replace(fakes.sample_results()[0], status="crashed",
                                 message=f"cell 3 crashed: {HOSTILE}", verdicts=[])
    table = summary.table([result])
    cli._finish([result], tmp_path, [f"judge failed on: {HOSTILE}"])
    printed = table + "".join(capsys.readouterr())
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
                   or c in "\u202a\u202b\u202c\u202d\u202e" for c in printed), repr(printed)
    assert "cleared" in table and "link" in table and "owned" not in table
