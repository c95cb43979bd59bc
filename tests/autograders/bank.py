"""The submission bank: buggy and correct-but-different student variants.

A variant is a small Python file under ``bank/<topic>/`` that redefines one or
more contract functions, as a student's solution cells would. Its docstring
names what the autograders must conclude, one line per item:

    expect: backprop -> backprop.hidden_not_divided_by_batch
    expect: train_net -> lost   (loses points, any misconception)
    expect: cost -> zero        (scores 0 on the item: a do-nothing stub)
    expect: full marks          (every item full marks)

A variant runs on top of the reference solution executed as notebook code
(one shared namespace), so functions that call the redefined one, such as
train_net calling backprop, use the student's version, as in a notebook.
"""
import re
from pathlib import Path

from autograders.audit.namespace import (REFERENCE_MODULES, reference_namespace,  # noqa: F401
                                         solution_values, with_definition)
from autograders.catalogue import catalogue

BANK_DIR = Path(__file__).parent / "bank"
EXPECT_LINE = re.compile(r"^expect:\s*(.+?)\s*$", re.MULTILINE)


def variant_namespace(path):
    """The reference namespace with the variant's definitions run on top."""
    return with_definition(Path(path).read_text(), str(path))


def variants(kind=None):
    """All bank files, optionally only 'buggy' or 'correct' ones, sorted."""
    paths = sorted(BANK_DIR.glob("*/*.py"))
    if kind is None:
        return paths
    return [p for p in paths if (parse_expectations(p) == "full marks") == (kind == "correct")]


def parse_expectations(path):
    """'full marks', or {item_id: misconception_id, 'lost' or 'zero'}."""
    text = Path(path).read_text()
    lines = EXPECT_LINE.findall(text)
    if not lines:
        raise ValueError(f"{path} has no 'expect:' line")
    if lines == ["full marks"]:
        return "full marks"
    expectations = {}
    for line in lines:
        item_id, _, outcome = (part.strip() for part in line.partition("->"))
        expectations[item_id] = outcome.split()[0]
    return expectations


def check_expectations(verdicts, expectations, label):
    """Every item a variant names loses points as it says (a named misconception among the
    verdict's, any loss, or no points at all); every other item keeps full marks."""
    for item, verdict in verdicts.items():
        if item not in expectations:
            assert verdict.passed, f"{label}: {item} lost points:\n{verdict.message}"
            continue
        wanted = expectations[item]
        assert verdict.points < verdict.max_points, f"{label}: {item} kept full marks"
        assert verdict.message
        if wanted == "zero":
            assert verdict.points == 0, (
                f"{label}: {item} got {verdict.points:g} of {verdict.max_points:g} points for "
                f"doing nothing:\n{verdict.message}")
        elif wanted != "lost":
            assert catalogue()[wanted].item == item
            assert wanted in verdict.misconceptions, (
                f"{label}: {item} gave {verdict.misconceptions}, expected {wanted}:\n"
                f"{verdict.message}")
