"""class.json, class.html and similarity.csv of a graded class (the in-process pool)."""
import csv
import json
import shutil
import subprocess
from collections import defaultdict

import html5lib
import nbformat
import pytest

from autograders import cli
from autograders.items import ASSIGNMENT
from tests.engine import fakes
from tests.similarity.copies import OWN_LOOP, OWN_LOOP_COPY

HOSTILE_COMMENT = "    # </pre><script>alert('copied')</script>\n"
COPIES = {"ivan": OWN_LOOP, "judy": OWN_LOOP_COPY.replace("    return", HOSTILE_COMMENT
                                                          + "    return")}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    fakes.make_course(root, {**fakes.SAMPLE_CLASS, **{name: {} for name in COPIES}})
    for name, source in COPIES.items():
        path = root / "submitted" / name / ASSIGNMENT / "02_numpy_network.ipynb"
        notebook = nbformat.read(path, 4)
        notebook.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(notebook, path)
    folder = tmp_path_factory.mktemp("out")
    assert cli.main(["grade", "--course", str(root), "--out", str(folder), "--no-gradebook"],
                    pool_module=fakes.FAKE_POOL) == 0
    return folder


def class_json(out):
    return json.loads((out / "class.json").read_text())


def test_misconceptions_agree_with_every_results_json(out):
    tagged = defaultdict(set)
    for path in out.glob("*/results.json"):
        for test in json.loads(path.read_text())["tests"]:
            for tag in test["tags"]:
                tagged[tag].add(path.parent.name)
    found = class_json(out)["misconceptions"]
    assert {row["id"]: set(row["students"]) for row in found} == tagged
    assert "backprop.wrong_sign" in tagged
    counts = [len(row["students"]) for row in found]
    assert counts == sorted(counts, reverse=True)


def test_item_and_notebook_statistics_match_the_grades(out):
    data = class_json(out)
    rows = list(csv.DictReader((out / "grades.csv").open()))
    backprop = [float(row["backprop"]) for row in rows]
    assert data["items"]["backprop"]["mean"] == pytest.approx(sum(backprop) / len(rows), abs=1e-4)
    assert data["items"]["backprop"]["full_marks"] == pytest.approx(
        sum(p == 5 for p in backprop) / len(rows), abs=1e-4)
    assert data["items"]["backprop"]["zero"] == pytest.approx(
        sum(p == 0 for p in backprop) / len(rows), abs=1e-4)
    assert sorted(data["notebooks"]["02_numpy_network"]["scores"]) == sorted(
        float(row["02_numpy_network"]) for row in rows)
    assert {row["student_id"]: row["status"] for row in data["statuses"]} == {
        "dave": "unreadable", "eve": "missing"}
    assert len(data["slowest"]) == len(rows)


def test_the_disguised_copy_pair_ranks_first(out):
    rows = list(csv.reader((out / "similarity.csv").open()))
    assert rows[0] == ["item", "student_a", "student_b", "similarity"]
    pairs = [row for row in rows[1:] if row[2] != "(reference)"]
    assert pairs[0] == ["backprop", "ivan", "judy", "1.000"]
    assert ["backprop", "alice", "(reference)", "1.000"] in rows
    assert all(0 <= float(row[3]) <= 1 for row in rows[1:])


def test_the_page_parses_strictly_and_escapes_student_code(out):
    text = (out / "class.html").read_text()
    html5lib.HTMLParser(strict=True).parse(text)
    assert "<script>" not in text and "&lt;script&gt;alert(" in text
    assert "never an accusation" in text
    assert text.count('class="side"') >= 1


def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


PROBE = """<script>
document.title = JSON.stringify({
  images: [...document.images].map(i => [i.complete, i.naturalWidth]),
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))});
</script>"""


@pytest.mark.skipif(chromium() is None, reason="no Chromium (apt-get install chromium)")
def test_the_page_renders_in_chromium_with_its_plots_and_links(out, tmp_path):
    probe = out / "class-probe.html"
    probe.write_text((out / "class.html").read_text().replace("</body>", PROBE + "</body>"))
    try:
        dom = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                              "--virtual-time-budget=5000", f"--user-data-dir={tmp_path}",
                              "--dump-dom", probe.as_uri()],
                             capture_output=True, text=True, timeout=120, check=True).stdout
    finally:
        probe.unlink()
    title = html5lib.parse(dom, namespaceHTMLElements=False).find(".//title").text
    seen = json.loads(title)
    assert len(seen["images"]) == 5      # the assignment and its four notebooks
    assert all(complete and width > 100 for complete, width in seen["images"])
    assert seen["links"] and all((out / link).is_file() for link in seen["links"])
