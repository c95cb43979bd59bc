"""The NumPy autograders (activations, numpy_net) against the bank.

- the reference solution scores full marks on every NumPy item;
- each buggy variant loses points on every item its docstring names, with the
  catalogue id it names, and keeps full marks on every other NumPy item;
- each correct-but-different variant scores full marks on every NumPy item;
- the lecture's original code is among the buggy variants, one line per bug.

Grading goes probe -> safe round trip (JSON + .npy) -> judge, through
registry.grade_item, as the hidden autograders do.
"""
from pathlib import Path

import pytest

from autograders import registry
from autograders.catalogue import catalogue
from autograders.items import ITEMS
from tests.autograders import bank

NUMPY_TOPICS = ("activations", "numpy_net")
NUMPY_ITEMS = [item.id for item in ITEMS
               if item.notebook in ("01_activations", "02_numpy_network") and item.kind == "auto"]
VARIANTS = [p for p in bank.variants() if p.parent.name in NUMPY_TOPICS]
BUGGY = [p for p in VARIANTS if bank.parse_expectations(p) != "full marks"]
CORRECT = [p for p in VARIANTS if bank.parse_expectations(p) == "full marks"]


def grade(namespace, scratch):
    """{item: Verdict} for every NumPy item."""
    return {item: registry.grade_item(item, namespace, Path(scratch) / item)
            for item in NUMPY_ITEMS}


def _name(path):
    return f"{path.parent.name}/{path.stem}"


def test_bank_size():
    assert len(BUGGY) >= 18 and len(CORRECT) >= 5
    assert any(p.stem == "lecture_original" for p in BUGGY)


def test_every_numpy_item_has_a_probe_and_a_judge():
    assert set(NUMPY_ITEMS) <= set(registry.probes())
    assert set(NUMPY_ITEMS) <= set(registry.judges())


def test_reference_scores_full_marks(tmp_path):
    verdicts = grade(bank.reference_namespace(), tmp_path)
    for item, verdict in verdicts.items():
        assert verdict.passed, f"{item}: {verdict.message}"
        assert verdict.misconceptions == ()


@pytest.mark.parametrize("path", BUGGY, ids=_name)
def test_buggy_variant_is_diagnosed(path, tmp_path):
    expectations = bank.parse_expectations(path)
    assert set(expectations) <= set(NUMPY_ITEMS), f"{_name(path)} names unknown items"
    verdicts = grade(bank.variant_namespace(path), tmp_path)
    bank.check_expectations(verdicts, expectations, _name(path))


@pytest.mark.parametrize("path", CORRECT, ids=_name)
def test_correct_variant_scores_full_marks(path, tmp_path):
    verdicts = grade(bank.variant_namespace(path), tmp_path)
    for item, verdict in verdicts.items():
        assert verdict.passed, f"{_name(path)}: {item} lost points:\n{verdict.message}"


def test_lecture_bug_table_names_the_hidden_layers(tmp_path):
    """The per-layer rel_error table shows the lecture's bug where it is."""
    path = next(p for p in BUGGY if p.stem == "lecture_original")
    verdict = registry.grade_item("backprop", bank.variant_namespace(path), tmp_path)
    assert verdict.points == 1  # only the batch-of-1 case survives
    table = verdict.details["rel_errors"]
    assert [row["passed"] for row in table] == [True, False, False, False, False]
    for row in table[1:]:
        *hidden, output = row["layers"]
        assert output["dw_rel_error"] < 1e-6 and output["db_rel_error"] < 1e-6
        assert all(layer["dw_rel_error"] > 0.5 for layer in hidden)
        assert all(layer["db_rel_error"] < 1e-6 for layer in hidden)
    assert "100x the true gradient" in verdict.message


def test_every_named_numpy_misconception_has_a_variant():
    """Each specific catalogue entry is the expected diagnosis of some variant
    (the generic missing / error / wrong_result / modifies_input ones aside)."""
    generic = (".missing", ".error", ".wrong_result", ".modifies_input")
    named = {entry.id for entry in catalogue().values()
             if entry.item in NUMPY_ITEMS and not entry.id.endswith(generic)}
    expected = {outcome for path in BUGGY for outcome in bank.parse_expectations(path).values()}
    assert named - expected == set()
