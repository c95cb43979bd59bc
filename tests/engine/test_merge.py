"""Sharding + merge: the merged reports equal an unsharded run's, apart from timings."""
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from autograders import cli
from autograders.exports.common import RUN_INFO_FILE, TIMING_FIELDS, TIMING_SECTION
from tests.engine import fakes

# Files whose bytes must be equal outright: they hold no timings at all.
TIMING_FREE = ("grades.csv", "summary.json", "feedback.html")


def grade(course, out, *extra):
    return cli.main(["grade", "--course", str(course), "--out", str(out), *extra],
                    pool_module=fakes.FAKE_POOL)


def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in TIMING_FIELDS}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def comparable(out):
    """{relative path: content with the timing fields removed}, run.json left out."""
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name not in (RUN_INFO_FILE, "fingerprint.txt")):
        key = str(path.relative_to(out))
        if path.suffix == ".json":
            files[key] = without_timings(json.loads(path.read_text()))
        elif path.suffix == ".xml":
            root = ET.fromstring(path.read_bytes())
            for element in root.iter():
                for name in TIMING_FIELDS & set(element.attrib):
                    del element.attrib[name]
            files[key] = ET.tostring(root)
        elif path.suffix == ".html":
            files[key] = re.sub(f'<section id="{TIMING_SECTION}">.*?</section>', "",
                                path.read_text(), flags=re.DOTALL)
        else:
            files[key] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return fakes.make_course(tmp_path_factory.mktemp("course"), fakes.SAMPLE_CLASS)


@pytest.fixture(scope="module")
def unsharded(course, tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    assert grade(course, out, "--no-gradebook") == 0
    return out


@pytest.mark.parametrize("count", [2, 7])     # 7 shards for 6 students: one shard is empty
def test_merged_shards_equal_the_unsharded_run(course, unsharded, tmp_path, count):
    shards = [tmp_path / f"shard{i}" for i in range(1, count + 1)]
    for index, out in enumerate(shards, start=1):
        assert grade(course, out, "--shard", f"{index}/{count}", "--no-gradebook") == 0
    graded = [json.loads((out / "summary.json").read_text())["students"] for out in shards]
    assert sum(graded) == len(fakes.SAMPLE_CLASS)
    assert (min(graded) == 0) == (count > len(fakes.SAMPLE_CLASS))
    merged = tmp_path / "merged"
    assert cli.main(["merge", *map(str, reversed(shards)), "--out", str(merged)]) == 0
    assert comparable(merged) == comparable(unsharded)
    for path in unsharded.rglob("*"):
        if path.name in TIMING_FREE:
            assert (merged / path.relative_to(unsharded)).read_bytes() == path.read_bytes()
    run_info = json.loads((merged / RUN_INFO_FILE).read_text())
    assert run_info["command"] == "merge" and run_info["students"] == len(fakes.SAMPLE_CLASS)


def test_regrading_gives_identical_reports(course, unsharded, tmp_path):
    assert grade(course, tmp_path, "--no-gradebook") == 0
    assert comparable(tmp_path) == comparable(unsharded)


def test_a_student_in_two_shards_is_refused(unsharded, tmp_path, capsys):
    copy = tmp_path / "copy"
    shutil.copytree(unsharded, copy)
    assert cli.main(["merge", str(unsharded), str(copy), "--out", str(tmp_path / "m")]) == 2
    assert "is in both" in capsys.readouterr().err


def test_other_engine_versions_are_refused(unsharded, tmp_path, capsys):
    old = tmp_path / "old"
    shutil.copytree(unsharded, old)
    summary = json.loads((old / "summary.json").read_text())
    summary["engine"]["version"] = "0.0.1"
    (old / "summary.json").write_text(json.dumps(summary))
    assert cli.main(["merge", str(old), "--out", str(tmp_path / "m")]) == 2
    assert "regrade" in capsys.readouterr().err


def test_not_an_output_folder_is_refused(tmp_path, capsys):
    assert cli.main(["merge", str(tmp_path), "--out", str(tmp_path / "m")]) == 2
    assert "not an autograders output folder" in capsys.readouterr().err


def test_stale_student_folders_are_not_merged(unsharded, tmp_path):
    shard = tmp_path / "shard"
    shutil.copytree(unsharded, shard)
    shutil.copytree(shard / "alice", shard / "zz_left_from_an_old_run")
    merged = tmp_path / "merged"
    assert cli.main(["merge", str(shard), "--out", str(merged)]) == 0
    assert not (merged / "zz_left_from_an_old_run").exists()
    assert comparable(merged) == comparable(unsharded)


def test_merge_writes_the_gradebook_only_with_a_course(course, unsharded, tmp_path, monkeypatch):
    from autograders import exports
    calls = []
    monkeypatch.setattr(exports, "gradebook_writer",
                        lambda: lambda results, out, course: calls.append((len(results), course)))
    assert cli.main(["merge", str(unsharded), "--out", str(tmp_path / "a")]) == 0
    assert calls == []
    assert cli.main(["merge", str(unsharded), "--out", str(tmp_path / "b"),
                     "--course", str(course)]) == 0
    assert [(n, c.root) for n, c in calls] == [(len(fakes.SAMPLE_CLASS), course.resolve())]
