"""reference/activations.py against the contract's "Activation functions" table.

Every function is element-wise and takes NumPy arrays of any shape (and
scalars). Expected sigmoid/tanh values are computed in 50-digit decimal
arithmetic (the standard library's decimal module), independently of NumPy.

About "free of RuntimeWarning": NumPy emits RuntimeWarning for overflow,
division by zero and invalid operations; underflow is ignored by NumPy's
default error state (np.exp(-1e4) == 0.0 silently), and a stable sigmoid
necessarily underflows exp(-|x|) to 0 at |x| = 1e4. The warning checks below
therefore turn every warning into an error and set
np.errstate(over/divide/invalid="raise") while leaving underflow at NumPy's
default "ignore" (see the report: this is a contract ambiguity).
"""
import decimal
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.activations import leaky_relu, linear, relu, sigmoid, step, tanh

SETTINGS = settings(database=None, deadline=None, max_examples=60)
HP = decimal.Context(prec=50)

EXTREMES = np.array([-1e4, -9999.5, -1e3, -746.0, -745.0, -710.0, -709.0, -100.0,
                     -40.0, -37.0, -1.0, -1e-300, -0.0, 0.0, 1e-300, 1.0, 37.0,
                     40.0, 100.0, 709.0, 710.0, 745.0, 746.0, 1e3, 9999.5, 1e4])
GRID = np.concatenate([EXTREMES, np.linspace(-20.0, 20.0, 401)])
ALPHAS = [0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.999]
SHAPES = [(), (1,), (7,), (2, 3, 4), (3, 1, 2)]


class no_runtime_warnings:
    """Every warning is an error; NumPy raises on overflow/divide/invalid."""

    def __enter__(self):
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("error")
        self._e = np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")
        self._e.__enter__()
        return self

    def __exit__(self, *exc):
        self._e.__exit__(*exc)
        self._w.__exit__(*exc)
        return False


def sigmoid_hp(x):
    """1/(1+e^-x) in 50-digit arithmetic, rounded to float."""
    e = HP.exp(HP.minus(decimal.Decimal(float(x))))
    return float(HP.divide(1, HP.add(1, e)))


def tanh_hp(x):
    """tanh x = sign(x) (1 - e^-2|x|) / (1 + e^-2|x|) in 50-digit arithmetic;
    the series x - x^3/3 + 2x^5/15 for |x| < 1e-6 (where 1 - e^-2|x| cancels)."""
    x = float(x)
    d = decimal.Decimal(abs(x))
    if abs(x) < 1e-6:
        t = HP.add(HP.subtract(d, HP.divide(HP.power(d, 3), 3)),
                   HP.divide(HP.multiply(2, HP.power(d, 5)), 15))
    else:
        e = HP.exp(HP.multiply(-2, d))
        t = HP.divide(HP.subtract(1, e), HP.add(1, e))
    return math.copysign(float(t), x)


def expected(fn, x):
    x = np.asarray(x, dtype=float)
    return np.vectorize(fn, otypes=[float])(x) if x.size else np.zeros(x.shape)


finite_arrays = hnp.arrays(
    dtype=np.float64,
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


# ---------------------------------------------------------------- sigmoid
def test_sigmoid_matches_high_precision_on_grid_with_extremes():
    with no_runtime_warnings():
        out = sigmoid(GRID)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected(sigmoid_hp, GRID), rtol=0, atol=1e-9)


@pytest.mark.parametrize("x, value", [(1e4, 1.0), (-1e4, 0.0), (0.0, 0.5), (-0.0, 0.5)])
def test_sigmoid_at_extremes_and_zero(x, value):
    with no_runtime_warnings():
        out = sigmoid(np.array([x]))
    assert np.isfinite(out).all()
    assert abs(out[0] - value) <= 1e-9


def test_sigmoid_range_monotone_and_symmetric():
    xs = np.sort(GRID)
    with no_runtime_warnings():
        s, s_neg = sigmoid(xs), sigmoid(-xs)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.diff(s) >= 0), "sigmoid must be non-decreasing"
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=1e-9)


@SETTINGS
@given(finite_arrays)
def test_sigmoid_property(x):
    with no_runtime_warnings():
        out = sigmoid(x)
    assert np.shape(out) == x.shape
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected(sigmoid_hp, x), rtol=0, atol=1e-9)


# ------------------------------------------------------------------- tanh
def test_tanh_matches_high_precision_on_grid_with_extremes():
    with no_runtime_warnings():
        out = tanh(GRID)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected(tanh_hp, GRID), rtol=1e-12, atol=1e-15)
    assert tanh(np.array([0.0]))[0] == 0.0


@SETTINGS
@given(finite_arrays)
def test_tanh_property(x):
    with no_runtime_warnings():
        out = tanh(x)
    assert np.shape(out) == x.shape
    np.testing.assert_allclose(out, expected(tanh_hp, x), rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------- relu
def test_relu_values():
    with no_runtime_warnings():
        out = relu(GRID)
    np.testing.assert_array_equal(out, np.where(GRID > 0, GRID, 0.0))
    assert relu(np.array([0.0]))[0] == 0.0
    assert relu(np.array([-1e4]))[0] == 0.0
    assert relu(np.array([1e4]))[0] == 1e4


@SETTINGS
@given(finite_arrays)
def test_relu_property(x):
    out = relu(x)
    assert np.shape(out) == x.shape
    np.testing.assert_array_equal(out, np.array([max(0.0, v) for v in x.ravel()]).reshape(x.shape))


# ------------------------------------------------------------- leaky_relu
@pytest.mark.parametrize("alpha", ALPHAS)
def test_leaky_relu_values(alpha):
    with no_runtime_warnings():
        out = leaky_relu(GRID, alpha=alpha)
    want = np.array([v if v > 0 else alpha * v for v in GRID])
    np.testing.assert_allclose(out, want, rtol=1e-15, atol=0)
    assert leaky_relu(np.array([0.0]), alpha)[0] == 0.0
    assert leaky_relu(np.array([-2.0]), alpha)[0] == pytest.approx(-2.0 * alpha, abs=0)


def test_leaky_relu_default_alpha_is_0_01():
    x = np.array([-3.0, -1e4, 0.0, 2.0])
    np.testing.assert_allclose(leaky_relu(x), [-0.03, -100.0, 0.0, 2.0], rtol=1e-15)


@SETTINGS
@given(finite_arrays, st.floats(0.0, 1.0, exclude_max=True))
def test_leaky_relu_property(x, alpha):
    out = leaky_relu(x, alpha)
    assert np.shape(out) == x.shape
    want = np.array([v if v > 0 else alpha * v for v in x.ravel()]).reshape(x.shape)
    np.testing.assert_allclose(out, want, rtol=1e-15, atol=0)


# ----------------------------------------------------------------- linear
@SETTINGS
@given(finite_arrays)
def test_linear_is_identity(x):
    out = linear(x)
    assert np.shape(out) == x.shape
    np.testing.assert_array_equal(out, x)


# ------------------------------------------------------------------- step
def test_step_at_zero_is_one():
    assert step(np.array([0.0]))[0] == 1
    assert step(np.array([-0.0]))[0] == 1
    assert step(0.0) == 1


def test_step_values():
    with no_runtime_warnings():
        out = step(GRID)
    np.testing.assert_array_equal(out, np.where(GRID >= 0, 1, 0))
    assert step(np.array([-1e-300]))[0] == 0
    assert step(np.array([1e-300]))[0] == 1
    assert step(np.array([-1e4]))[0] == 0 and step(np.array([1e4]))[0] == 1


@SETTINGS
@given(finite_arrays)
def test_step_property(x):
    out = step(x)
    assert np.shape(out) == x.shape
    np.testing.assert_array_equal(out, (x >= 0).astype(int))


# ------------------------------------------------------ shapes, all functions
FUNCTIONS = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "leaky_relu_0.3": lambda x: leaky_relu(x, alpha=0.3),
    "linear": linear,
    "step": step,
}
REFERENCE_FORMULAS = {
    "sigmoid": sigmoid_hp,
    "tanh": tanh_hp,
    "relu": lambda v: max(0.0, v),
    "leaky_relu": lambda v: v if v > 0 else 0.01 * v,
    "leaky_relu_0.3": lambda v: v if v > 0 else 0.3 * v,
    "linear": lambda v: v,
    "step": lambda v: 1.0 if v >= 0 else 0.0,
}


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_shape_preserved_and_element_wise(name, shape):
    rng = np.random.default_rng(len(shape) * 10 + sum(shape))
    x = rng.normal(0.0, 3.0, size=shape)
    x_before = np.copy(x)
    out = FUNCTIONS[name](x)
    assert np.shape(out) == shape
    np.testing.assert_allclose(out, expected(REFERENCE_FORMULAS[name], x), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(x, x_before, err_msg=f"{name} modified its input")


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("x", [-2.5, 0.0, 3.0, -1e4, 1e4])
def test_python_scalar_input(name, x):
    with no_runtime_warnings():
        out = FUNCTIONS[name](x)
    assert np.shape(out) == ()
    assert math.isfinite(float(out))
    assert float(out) == pytest.approx(REFERENCE_FORMULAS[name](x), rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_extremes_finite_without_warnings(name):
    with no_runtime_warnings():
        out = FUNCTIONS[name](EXTREMES.reshape(2, 13))
    assert out.shape == (2, 13)
    assert np.all(np.isfinite(out))
