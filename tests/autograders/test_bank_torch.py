"""The PyTorch autograders (regression, training, fitting) against the bank.

- the reference solution scores full marks on every PyTorch item;
- each buggy variant loses points on the item its docstring names, with the
  catalogue id it names, and keeps full marks on every other PyTorch item;
- each correct-but-different variant scores full marks.

Grading goes probe -> safe round trip (JSON + .npy) -> judge, as the engine
does. ``expect-on-cuda:`` lines (same format as ``expect:``) are checked only
where CUDA is available (the ``cuda`` marker); elsewhere the judge must say
it checked the CPU only.
"""
import re
from pathlib import Path

import pytest
import torch

from autograders import registry
from autograders.catalogue import catalogue
from autograders.items import ITEMS as ALL_ITEMS
from tests.autograders import bank

TORCH_TOPICS = ("regression", "training", "fitting")
TORCH_NOTEBOOKS = ("03_pytorch_training", "04_fitting")
CUDA_LINE = re.compile(r"^expect-on-cuda:\s*(.+?)\s*$", re.MULTILINE)
ITEMS = tuple(item.id for item in ALL_ITEMS
              if item.notebook in TORCH_NOTEBOOKS and item.kind == "auto"
              and item.id in registry.probes() and item.id in registry.judges())
VARIANTS = [p for p in bank.variants() if p.parent.name in TORCH_TOPICS]
BUGGY = [p for p in VARIANTS if bank.parse_expectations(p) != "full marks"]
CORRECT = [p for p in VARIANTS if bank.parse_expectations(p) == "full marks"]


def grade(namespace, items=ITEMS, scratch=None):
    """{item: Verdict} for one namespace, through the safe observation files."""
    return {item: registry.grade_item(item, namespace, Path(scratch) / item) for item in items}


def _name(path):
    return f"{path.parent.name}/{path.stem}"


def cuda_expectations(path):
    lines = CUDA_LINE.findall(Path(path).read_text())
    return {item.strip(): outcome.split()[0]
            for item, _, outcome in (line.partition("->") for line in lines)}


def test_bank_has_enough_variants():
    assert len(BUGGY) >= 14 and len(CORRECT) >= 4
    assert set(ITEMS) >= {"target_function", "make_dataset", "make_loaders", "SimpleNet",
                          "LargeNet", "count_parameters", "simple_net_parameter_count",
                          "large_net_parameter_count", "train_and_evaluate"}
    assert any(p.stem == "lecture_original" for p in BUGGY)


def test_expected_ids_are_in_the_catalogue():
    known = catalogue()
    for path in VARIANTS:
        expectations = bank.parse_expectations(path)
        expectations = {} if expectations == "full marks" else expectations
        for item, outcome in {**expectations, **cuda_expectations(path)}.items():
            assert item in ITEMS, f"{_name(path)}: {item} is not a PyTorch item"
            assert outcome in ("lost", "zero") or outcome in known, f"{_name(path)}: unknown id {outcome}"


def test_reference_scores_full_marks(tmp_path):
    verdicts = grade(bank.reference_namespace(), scratch=tmp_path)
    for item, verdict in verdicts.items():
        assert verdict.passed, f"{item}:\n{verdict.message}"
        assert not verdict.misconceptions


@pytest.mark.parametrize("path", BUGGY, ids=_name)
def test_buggy_variant_is_caught(path, tmp_path):
    expectations = bank.parse_expectations(path)
    verdicts = grade(bank.variant_namespace(path), scratch=tmp_path)
    bank.check_expectations(verdicts, expectations, _name(path))


@pytest.mark.parametrize("path", CORRECT, ids=_name)
def test_correct_variant_scores_full_marks(path, tmp_path):
    verdicts = grade(bank.variant_namespace(path), scratch=tmp_path)
    for item, verdict in verdicts.items():
        assert verdict.passed, f"{_name(path)}: {item}:\n{verdict.message}"


def test_cpu_only_grading_says_so(tmp_path):
    if "train_and_evaluate" not in ITEMS:
        pytest.skip("training topic not present")
    verdict = grade(bank.reference_namespace(), ("train_and_evaluate",), tmp_path)["train_and_evaluate"]
    devices = verdict.details["devices"]
    assert "cpu" in devices
    if torch.cuda.is_available():
        assert "cuda" in devices and "cuda" in verdict.message
    else:
        assert list(devices) == ["cpu"]
        assert "CPU only" in verdict.message


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("path", [p for p in VARIANTS if cuda_expectations(p)], ids=_name)
def test_cuda_only_bugs_are_caught_on_cuda(path, tmp_path):
    expectations = bank.parse_expectations(path)
    expectations = {} if expectations == "full marks" else expectations
    expectations.update(cuda_expectations(path))
    verdicts = grade(bank.variant_namespace(path), scratch=tmp_path)
    bank.check_expectations(verdicts, expectations, _name(path))
    assert "cuda" in verdicts["train_and_evaluate"].details["devices"]
