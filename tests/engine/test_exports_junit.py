"""OUT/junit.xml: valid JUnit XML that CI tools parse, parsed back."""
import xml.etree.ElementTree as ET

import pytest

from autograders.exports import junit
from tests.engine import fakes


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    junit.write(fakes.sample_results(), out)
    raw = (out / "junit.xml").read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(raw)


def test_schema_shape(tree):
    """The structure of the common JUnit schema (Jenkins / GitLab / Ant)."""
    assert tree.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in tree:
        assert suite.tag == "testsuite"
        assert {"name", "tests", "failures", "errors", "skipped", "time"} <= set(suite.attrib)
        float(suite.get("time"))
        cases = suite.findall("testcase")
        assert [child.tag for child in suite] == ["properties"] + ["testcase"] * len(cases)
        assert int(suite.get("tests")) == len(cases)
        failures = sum(1 for case in cases if case.find("failure") is not None)
        errors = sum(1 for case in cases if case.find("error") is not None)
        assert (int(suite.get("failures")), int(suite.get("errors"))) == (failures, errors)
        for case in cases:
            assert case.get("classname") and case.get("name")
            assert len(case) <= 1 and all(child.tag in ("failure", "error") for child in case)
            for child in case:
                assert child.get("message") and child.get("type") and child.text
        for key in totals:
            totals[key] += int(suite.get(key))
    assert {key: int(tree.get(key)) for key in totals} == totals


def test_suites_and_cases_follow_the_results(tree):
    results = fakes.sample_results()
    assert [suite.get("name") for suite in tree] == [r.student_id for r in results]
    bob = tree.find("testsuite[@name='bob']")
    failure = bob.find("testcase[@name='backprop']/failure")
    assert failure.get("type") == "backprop.wrong_sign"
    assert failure.get("message").startswith("0/5 points:")
    assert "wrong sign" in failure.text
    assert bob.find("testcase[@classname='bob.02_numpy_network'][@name='cost']") is not None
    properties = {p.get("name"): p.get("value") for p in bob.find("properties")}
    bob_result = next(r for r in results if r.student_id == "bob")
    assert bob_result.score == bob_result.max_score - 5  # only backprop lost
    assert properties["status"] == "ok" and properties["score"] == f"{bob_result.score:g}"
    zed = tree.find("testsuite[@name='zed']")
    assert int(zed.get("errors")) == int(zed.get("tests")) and zed.find(".//failure") is None
    dave = tree.find("testsuite[@name='dave']")
    assert dave.find("testcase[@name='backprop']/failure").get("type") == "not_graded"


def test_student_control_characters_do_not_break_the_xml(tree):
    mallory = tree.find("testsuite[@name='mallory']/testcase[@name='sigmoid']/failure")
    assert "<script>" in mallory.text    # escaped in the file, text again once parsed
    assert "\x00" not in mallory.text and "\x1b" not in mallory.text


def test_xml_text_replaces_what_xml_cannot_hold():
    assert junit.xml_text("a\x00b\x1bc\td\ne") == "a\ufffdb\ufffdc\td\ne"
