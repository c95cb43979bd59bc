"""OUT/<student_id>/results.json: Gradescope's autograder format, parsed back."""
import dataclasses
import html
import json
import re

import pytest

from autograders.exports import gradescope
from autograders.items import ITEMS_BY_ID
from tests.engine import fakes
from tests.engine.hidden_source import assert_no_hidden_source

TOP_LEVEL = {"score", "execution_time", "output", "output_format", "test_output_format",
             "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output",
             "output_format", "tags", "visibility"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    results = fakes.sample_results()
    gradescope.write(results, out)
    return out, results


def test_results_json_per_student_in_gradescope_format(written):
    out, results = written
    for result in results:
        data = json.loads((out / result.student_id / "results.json").read_text())
        assert set(data) == TOP_LEVEL
        assert data["score"] == result.score == sum(t["score"] for t in data["tests"])
        assert isinstance(data["execution_time"], int) and data["execution_time"] >= 0
        assert data["visibility"] in VISIBILITIES and data["stdout_visibility"] in VISIBILITIES
        formats = {data["output_format"], data["test_output_format"], data["test_name_format"]}
        assert formats <= FORMATS
        assert [t["name"] for t in data["tests"]] == [v.item for v in result.verdicts]
        for test, verdict in zip(data["tests"], result.verdicts):
            assert set(test) == TEST_KEYS
            assert test["max_score"] == ITEMS_BY_ID[verdict.item].points
            assert 0 <= test["score"] <= test["max_score"]
            assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
            assert test["output"] == verdict.message
            assert test["tags"] == list(verdict.misconceptions)
            assert test["visibility"] in VISIBILITIES
            assert test["output_format"] in FORMATS


def test_numbers_are_notebook_dot_item(written):
    out, _ = written
    data = json.loads((out / "alice" / "results.json").read_text())
    numbers = {t["name"]: t["number"] for t in data["tests"]}
    assert numbers["sigmoid"] == "1.1" and numbers["backprop"] == "2.8"


def test_overview_names_status_and_diagnoses(written):
    out, _ = written
    bob = json.loads((out / "bob" / "results.json").read_text())
    assert "backprop.wrong_sign" in bob["output"]
    dave = json.loads((out / "dave" / "results.json").read_text())
    assert "Status: unreadable" in dave["output"] and "not valid JSON" in dave["output"]


def test_no_hidden_test_source(written):
    out, _ = written
    assert_no_hidden_source(p.read_text() for p in out.glob("*/results.json"))


def test_markdown_keeps_lines_and_escapes_html_and_sets_visibility():
    result = fakes.sample_results()[0]
    result.verdicts[0] = dataclasses.replace(
        result.verdicts[0], message="line one <script>alert(1)</script>\nline two & more")
    data = gradescope.gradescope_json(result, "after_due_date", markdown=True)
    assert data["output_format"] == data["test_output_format"] == "md"
    assert data["visibility"] == "after_due_date"
    assert {t["visibility"] for t in data["tests"]} == {"after_due_date"}
    first = data["tests"][0]["output"]
    assert first == "line one &lt;script&gt;alert\\(1\\)&lt;/script&gt;  \nline two &amp; more"
    assert "<" not in data["output"]
    with pytest.raises(ValueError):
        gradescope.gradescope_json(result, "secret")


MARKUP = ("![](https://host/t.png) [link](https://host) <img src=x> *em* __strong__ `code`",
          "# heading", "1. list", "- item", "> quote", "| a | b |", "$x^2$ ~~gone~~ \\", "===")


def test_markdown_output_shows_student_text_as_written_nothing_renders():
    """A student's exception text as Markdown: rendered (mistune, CommonMark), it is the
    same text in one paragraph: no image loads, no link, emphasis, heading or list."""
    import mistune
    result = fakes.sample_results()[0]
    text = "\n".join(MARKUP)
    result.verdicts[0] = dataclasses.replace(result.verdicts[0], message=text)
    data = gradescope.gradescope_json(result, markdown=True)
    rendered = mistune.html(data["tests"][0]["output"])
    assert re.fullmatch(r"<p>[^<]*(<br />\n[^<]*)*</p>\n", rendered), rendered
    assert html.unescape(rendered[3:-5].replace("<br />\n", "\n")) == text


def test_free_text_answers_named_as_graded_by_hand(written):
    out, _ = written
    alice = json.loads((out / "alice" / "results.json").read_text())
    assert "Graded by hand, not in this score: why_stable_sigmoid" in alice["output"]
