"""reference/gradient_check.py: CS231n's rel_error and central differences.

Not in the contract table (the contract only names the graded functions);
the behaviour checked here is the one the module's docstrings promise and
the lecture uses: rel_error(x, y) = max |x - y| / max(1e-8, |x| + |y|)
and eval_numerical_gradient(f, x, h) = (f(x + h e_i) - f(x - h e_i)) / 2h,
with x perturbed in place and restored.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.gradient_check import eval_numerical_gradient, rel_error

SETTINGS = settings(database=None, deadline=None, max_examples=40)


# ---------------------------------------------------------------- rel_error
def test_rel_error_known_values():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rel_error(np.array([1.0, 100.0]), np.array([1.1, 100.0])) == pytest.approx(0.1 / 2.1)
    assert rel_error(np.array([-1.0]), np.array([1.0])) == pytest.approx(1.0)
    # The 1e-8 floor: tiny absolute differences near zero do not blow up.
    assert rel_error(np.array([0.0]), np.array([1e-10])) == pytest.approx(1e-10 / 1e-8)
    assert rel_error(np.array([0.0]), np.array([0.0])) == 0.0


def test_rel_error_takes_the_max_and_returns_a_float():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = x.copy()
    y[1, 0] = 3.3
    r = rel_error(x, y)
    assert isinstance(r, float)
    assert r == pytest.approx(0.3 / 6.3)


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=st.floats(-1e6, 1e6)),
       st.data())
def test_rel_error_symmetric_and_bounded(x, data):
    y = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-1e6, 1e6)))
    r = rel_error(x, y)
    assert r == rel_error(y, x)
    assert 0.0 <= r <= 1.0 + 1e-12  # |x-y| <= |x|+|y|
    want = np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))
    assert r == pytest.approx(want, rel=1e-12, abs=0)


# -------------------------------------------------- eval_numerical_gradient
CASES = [
    ("sum of squares", lambda x: float(np.sum(x**2)), lambda x: 2 * x),
    ("sum of sines", lambda x: float(np.sum(np.sin(x))), np.cos),
    ("linear", lambda x: float(np.sum(np.arange(x.size).reshape(x.shape) * x)),
     lambda x: np.arange(x.size, dtype=float).reshape(x.shape)),
    ("product of exp", lambda x: float(np.exp(np.sum(0.1 * x))), lambda x: 0.1 * np.exp(np.sum(0.1 * x)) * np.ones_like(x)),
]


@pytest.mark.parametrize("name, f, grad", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (2, 3, 2)], ids=str)
def test_eval_numerical_gradient_known_functions(name, f, grad, shape):
    x = np.random.default_rng(len(shape)).normal(size=shape)
    x_before = x.copy()
    num = eval_numerical_gradient(lambda: f(x), x)
    assert np.shape(num) == shape
    np.testing.assert_array_equal(x, x_before, err_msg="x must be restored")
    assert rel_error(num, grad(x)) < 1e-7
    np.testing.assert_allclose(num, grad(x), rtol=1e-7, atol=1e-8)


def test_eval_numerical_gradient_is_a_central_difference():
    """For a cubic the central difference has the exact error h^2 f'''/6 = h^2."""
    x = np.array([0.3, -1.2])
    for h in (1e-2, 1e-3):
        num = eval_numerical_gradient(lambda: float(np.sum(x**3)), x, h=h)
        np.testing.assert_allclose(num, 3 * x**2 + h**2, rtol=0, atol=1e-9)


def test_eval_numerical_gradient_perturbs_one_entry_at_a_time():
    x = np.zeros(4)
    snapshots = []

    def f():
        snapshots.append(x.copy())
        return 0.0

    eval_numerical_gradient(f, x, h=0.5)
    assert len(snapshots) == 8
    for s in snapshots:
        assert np.count_nonzero(s) == 1 and np.abs(s).max() == 0.5
