"""Shared set-up for the tests of the reference solutions (reference/).

The tests check the reference against /work/shared/contract.md (the
student-facing API), not against itself: expected values come from the
contract's formulas, written out independently in the tests.

Registers the ``cuda`` marker (tests that need a CUDA device; they are
skipped when ``torch.cuda.is_available()`` is False). pyproject.toml
registers it too; registering it here keeps this folder self-contained
(``pytest -c /dev/null tests/reference`` still knows the marker).

Every Hypothesis test in this folder uses ``settings(database=None, ...)``,
so no example database is written (Hypothesis may still create its
self-gitignored ``.hypothesis/constants`` cache).
"""
import sys

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "cuda: needs a CUDA device; skipped when torch.cuda.is_available() is False",
    )


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Run each test with one intra-op thread, then restore the setting.

    The suite runs under ``-n 2`` on 2 cores: two workers with two OpenMP
    threads each oversubscribe the CPU, and tiny ops (BatchNorm on 8
    channels) then spin for ~20 ms per call instead of ~20 us.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
