"""OUT/junit.xml: the class as JUnit XML, for CI (GitLab, Jenkins, GitHub annotations).

<testsuites> holds one <testsuite> per student (name = student id, with the
status and score as properties) and one <testcase> per auto item
(classname = "<student_id>.<notebook>", name = item id). A lost item carries
a <failure> (message = its first line, text = the whole verdict); an engine
error on the item is an <error> instead. ``time`` attributes are timings.
Text from students reaches the file only inside verdict messages; XML 1.0
forbids most control characters, so they are dropped before writing.
"""
from pathlib import Path
import re
import xml.etree.ElementTree as ET

from autograders.exports.common import item_verdicts, points, write_text

FILE_NAME = "junit.xml"
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write(results, out_dir, course=None):
    write_text(Path(out_dir) / FILE_NAME, junit_xml(results))


def xml_text(text):
    return _NOT_XML.sub("\ufffd", str(text))


def junit_xml(results):
    root = ET.Element("testsuites", name="autograders")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    time_total = 0.0
    for result in results:
        suite = _suite(result)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
        time_total += result.execution_time
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{time_total:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result):
    suite = ET.Element("testsuite", name=result.student_id)
    properties = ET.SubElement(suite, "properties")
    for name, value in (("assignment", result.assignment), ("status", result.status),
                        ("message", result.message), ("score", points(result.score)),
                        ("max_score", points(result.max_score))):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    failures = errors = 0
    for item, verdict in item_verdicts(result):
        case = ET.SubElement(suite, "testcase", classname=f"{result.student_id}.{item.notebook}",
                             name=item.id)
        if verdict.passed:
            continue
        engine = bool(verdict.details.get("engine_error"))
        failures, errors = failures + (not engine), errors + engine
        tag = "error" if engine else "failure"
        first = verdict.message.splitlines()[0] if verdict.message else ""
        outcome = ET.SubElement(case, tag, type=_type(verdict, engine),
                                message=xml_text(f"{points(verdict.points)}/"
                                                 f"{points(verdict.max_points)} points: {first}"))
        outcome.text = xml_text(verdict.message)
    suite.set("tests", str(len(result.verdicts)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{result.execution_time:.3f}")
    return suite


def _type(verdict, engine):
    if engine:
        return "engine_error"
    if verdict.details.get("not_graded"):
        return "not_graded"
    return verdict.misconceptions[0] if verdict.misconceptions else "wrong"
