"""OUT/<student_id>/feedback.html: scores, diagnoses, plots; escaped, no hidden source."""
import base64
from html.parser import HTMLParser
import re

import pytest

from autograders.exports import html_report
from autograders.result import SubmissionResult
from autograders.verdict import Verdict
from tests.engine import fakes
from tests.engine.hidden_source import assert_no_hidden_source, hidden_source_lines

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


class Page(HTMLParser):
    """The tags, images and text of a page."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.images, self.text = [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    html_report.write(fakes.sample_results(), out)
    return {path.parent.name: path.read_text(encoding="utf-8")
            for path in out.glob("*/feedback.html")}


def decoded_png(image):
    prefix = "data:image/png;base64,"
    assert image["src"].startswith(prefix)
    data = base64.b64decode(image["src"][len(prefix):], validate=True)
    assert data.startswith(PNG_SIGNATURE)
    return data


def test_every_student_has_a_page_with_scores(pages):
    results = fakes.sample_results()
    assert sorted(pages) == sorted(r.student_id for r in results)
    for result in results:
        page = Page(pages[result.student_id])
        text = " ".join(page.text)
        assert f"{result.score:g} / {result.max_score:g}" in text
        assert not any(tag == "script" for tag, _ in page.tags)


def test_loss_curves_are_embedded_pngs(pages):
    page = Page(pages["carol"])
    assert len(page.images) == 1
    decoded_png(page.images[0])
    assert "Loss curves" in pages["carol"]


def test_gradient_error_table(pages):
    bob = pages["bob"]
    assert "Gradient check of backprop" in bob
    assert bob.count('class="num bad"') >= 5      # every layer of every case is off
    table = bob[bob.index("Gradient check"):]
    assert "dw[0]" in table and "db[2]" in table and "1.0e+00" in table


def test_diagnoses_show_the_catalogue_hint(pages):
    assert "backprop.wrong_sign" in pages["bob"] and "Hint" in pages["bob"]
    assert 'class="hint"' in pages["bob"]


def test_status_and_unsandboxed_notes(pages):
    assert "unreadable" in pages["dave"] and "not valid JSON" in pages["dave"]
    assert "ran without isolation" in pages["alice"]   # the in-process stand-in


def test_student_text_is_escaped(pages):
    mallory = pages["mallory"]
    assert "<script>alert('x')</script>" not in mallory
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in mallory
    assert not any(tag == "script" for tag, _ in Page(mallory).tags)


def test_hostile_strings_everywhere_are_escaped():
    result = SubmissionResult(
        "evil", "neural_networks", "crashed", HOSTILE, 0.0,
        [Verdict("backprop", 0, 5, (HOSTILE,), HOSTILE,
                 {"rel_errors": [{"case": HOSTILE, "passed": False,
                                  "layers": [{"layer": 0, "dw_rel_error": None,
                                              "db_rel_error": 0.5}]}],
                  "rel_error_max": HOSTILE})], {})
    page_text = html_report.feedback_page(result)
    page = Page(page_text)
    assert "<script>" not in page_text and "<img src=x" not in page_text
    assert [tag for tag, _ in page.tags if tag in ("script", "img")] == []
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert HOSTILE in "".join(page.text)          # shown, as text


def test_no_hidden_test_source(pages):
    assert_no_hidden_source(pages.values())
    # and the check would see a leak
    leaked = sorted(hidden_source_lines())[0]
    with pytest.raises(AssertionError):
        assert_no_hidden_source([f"<pre>{leaked}</pre>"])


def test_plots_are_deterministic():
    curves = '{"train_losses": [1.0, 0.5], "val_losses": [1.2, 0.7]}'
    first = html_report.loss_plot(curves, "null")
    html_report.loss_plot.cache_clear()
    assert html_report.loss_plot(curves, "null") == first


def test_fit_plot_when_a_judge_provides_one():
    fit = {"x": [0, 1, 2], "target": [0, 1, 4], "student": [0, 1.5, 3], "reference": [0, 1, 4]}
    result = SubmissionResult("f", "neural_networks", "ok", "", 0.0,
                              [Verdict("LargeNet", 1, 1, (), "ok", {"fit": fit})], {})
    page = Page(html_report.feedback_page(result))
    assert len(page.images) == 1 and re.search("fit", " ".join(page.text))
    decoded_png(page.images[0])
