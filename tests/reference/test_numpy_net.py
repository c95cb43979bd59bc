"""reference/numpy_net.py against the contract's "NumPy network from scratch" table.

Gradient check: backprop is compared with central differences of
cost(apply_net(...)) in float64, h = 1e-5, on [2,5,1], [3,4,4,2] and
[2,100,1] (40 entries per array sampled for the big one), batch sizes 1, 7
and 100, ReLU and sigmoid (plus tanh through a custom f_df).
Threshold: the CS231n relative error |a - n| / (|a| + |n|), except that the
denominator is floored at 1e-4 instead of CS231n's 1e-8, must stay below
1e-7. Plain CS231n rel_error is dominated by round-off for entries whose
gradient is ~1e-7 (sigmoid nets with U(-0.1, 0.1) weights have them): the
round-off of a central difference is ~eps*cost/h ~ 1e-12 absolute. With the
floor, an entry passes when it is right to 1e-7 relative or to 1e-11
absolute; a wrong formula (missing 1/B, wrong layer, wrong df) is off by
O(1). Each check also asserts that some gradient entry exceeds 1e-3 so the
comparison is not vacuous.
ReLU kinks: for every sampled entry the ReLU masks of all layers are
recomputed at +h and -h; entries whose perturbation crosses a kink are
skipped (at most a few per case; the test asserts that most are checked).
"""
import copy
import decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.numpy_net import (
    apply_net,
    backprop,
    backward_step,
    cost,
    forward_step,
    gradient_step,
    init_network,
    net_f_df_relu,
    net_f_df_sigmoid,
    train_net,
)

SETTINGS = settings(database=None, deadline=None, max_examples=40)
HP = decimal.Context(prec=50)
H = 1e-5
GRAD_TOL = 1e-7
DENOM_FLOOR = 1e-4
ARCHS = [[2, 5, 1], [3, 4, 4, 2], [2, 100, 1]]
BATCHES = [1, 7, 100]


def f_df_tanh(z):
    t = np.tanh(z)
    return t, 1.0 - t * t


def _sigmoid_decimal(x):
    """1/(1+e^-x) in 50-digit decimal arithmetic (standard library)."""
    return HP.divide(1, HP.add(1, HP.exp(HP.minus(decimal.Decimal(float(x))))))


def sigmoid_hp(x):
    return float(_sigmoid_decimal(x))


def dsigmoid_hp(x):
    s = _sigmoid_decimal(x)
    return float(HP.multiply(s, HP.subtract(1, s)))


def manual_forward(y_in, weights, biases, act):
    """Forward pass written from the contract: z = y @ w + b, every layer act(z)."""
    ys, zs = [y_in], []
    for w, b in zip(weights, biases):
        z = ys[-1] @ w + b
        zs.append(z)
        ys.append(act(z))
    return ys, zs


def relu_np(z):
    return np.maximum(z, 0.0)


def sigmoid_np(z):
    return 1.0 / (1.0 + np.exp(-z))


# ------------------------------------------------------------ f_df functions
EXTREME_Z = np.array([-1e4, -800.0, -50.0, -1.0, -1e-12, 0.0, 1e-12, 1.0, 50.0, 800.0, 1e4])


def test_net_f_df_sigmoid_values_and_stability():
    z = np.concatenate([EXTREME_Z, np.linspace(-15, 15, 61)])
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        f, df = net_f_df_sigmoid(z)
    assert f.shape == z.shape and df.shape == z.shape
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))
    np.testing.assert_allclose(f, [sigmoid_hp(v) for v in z], rtol=0, atol=1e-9)
    np.testing.assert_allclose(df, [dsigmoid_hp(v) for v in z], rtol=0, atol=1e-9)
    assert np.issubdtype(np.asarray(f).dtype, np.floating)
    assert np.issubdtype(np.asarray(df).dtype, np.floating)


def test_net_f_df_sigmoid_no_warning(recwarn):
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        net_f_df_sigmoid(np.array([[-1e4, 1e4], [0.0, -700.0]]))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_net_f_df_relu_values():
    z = np.concatenate([EXTREME_Z, np.linspace(-3, 3, 25)])
    f, df = net_f_df_relu(z)
    np.testing.assert_array_equal(f, np.maximum(z, 0.0))
    np.testing.assert_array_equal(np.asarray(df, dtype=float), (z > 0).astype(float))
    assert float(np.asarray(net_f_df_relu(np.array([0.0]))[1])[0]) == 0.0, "relu'(0) must be 0"


@pytest.mark.parametrize("f_df", [net_f_df_sigmoid, net_f_df_relu])
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)], ids=str)
def test_f_df_shapes(f_df, shape):
    z = np.random.default_rng(0).normal(size=shape)
    f, df = f_df(z)
    assert np.shape(f) == shape and np.shape(df) == shape


# ------------------------------------------------------------- init_network
@pytest.mark.parametrize("sizes", ARCHS + [[1, 1], [4, 3, 2, 5, 1]], ids=str)
def test_init_network_shapes_and_zero_biases(sizes):
    weights, biases = init_network(sizes, np.random.default_rng(0))
    assert len(weights) == len(biases) == len(sizes) - 1
    for j, (w, b) in enumerate(zip(weights, biases)):
        assert np.shape(w) == (sizes[j], sizes[j + 1])
        assert np.shape(b) == (sizes[j + 1],)
        np.testing.assert_array_equal(b, 0.0)
        assert np.issubdtype(np.asarray(w).dtype, np.floating)
        assert np.issubdtype(np.asarray(b).dtype, np.floating), "biases must be floats to be updated"
        assert np.all((w >= -0.1) & (w <= 0.1))


def test_init_network_uniform_statistics():
    """A (300, 400) layer: range, mean, variance of U(-0.1, 0.1) and flat histogram."""
    (w,), _ = init_network([300, 400], np.random.default_rng(123))
    w = np.asarray(w).ravel()
    n = w.size
    assert w.min() >= -0.1 and w.max() <= 0.1
    assert w.min() < -0.0999 and w.max() > 0.0999, "draws should fill the whole interval"
    sd = 0.2 / np.sqrt(12)
    assert abs(w.mean()) < 5 * sd / np.sqrt(n)
    # Var of U(a,b) is (b-a)^2/12; the sample variance's sd is sqrt((mu4 - sd^4)/n) = sd^2*sqrt(0.8/n).
    assert abs(w.var() - sd**2) < 5 * sd**2 * np.sqrt(0.8 / n)
    counts, _ = np.histogram(w, bins=10, range=(-0.1, 0.1))
    expected = n / 10
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected * 0.9))
    assert len(np.unique(w)) > 0.99 * n, "weights must be independent draws, not repeated values"


def test_init_network_reproducible_and_uses_only_rng():
    sizes = [3, 4, 4, 2]
    np.random.seed(1)
    state_before = np.random.get_state()
    w1, b1 = init_network(sizes, np.random.default_rng(42))
    state_after = np.random.get_state()
    assert state_before[0] == state_after[0] and np.array_equal(state_before[1], state_after[1]), \
        "init_network must not draw from NumPy's global random state"
    np.random.seed(999)
    w2, b2 = init_network(sizes, np.random.default_rng(42))
    for a, b in zip(w1 + b1, w2 + b2):
        np.testing.assert_array_equal(a, b)
    w3, _ = init_network(sizes, np.random.default_rng(43))
    assert not np.array_equal(w1[0], w3[0]), "different seeds should give different weights"


def test_init_network_draws_from_the_given_generator():
    rng = np.random.default_rng(7)
    w1, _ = init_network([3, 5, 2], rng)
    w2, _ = init_network([3, 5, 2], rng)
    assert not np.array_equal(w1[0], w2[0]), "the generator must be advanced (used)"


# ------------------------------------------------------------- forward_step
def test_forward_step_computes_z_and_returns_f_df_of_it():
    rng = np.random.default_rng(0)
    y, w, b = rng.normal(size=(7, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    seen = []

    def recording_f_df(z):
        seen.append(np.array(z, copy=True))
        return z * 2.0, z * 3.0

    out, df = forward_step(y, w, b, recording_f_df)
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], y @ w + b, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(out, 2.0 * (y @ w + b), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(df, 3.0 * (y @ w + b), rtol=1e-13, atol=1e-13)


def test_forward_step_default_is_relu():
    rng = np.random.default_rng(1)
    y, w, b = rng.normal(size=(5, 2)), rng.normal(size=(2, 6)), rng.normal(size=6)
    out, df = forward_step(y, w, b)
    z = y @ w + b
    assert out.shape == (5, 6) and np.shape(df) == (5, 6)
    np.testing.assert_allclose(out, np.maximum(z, 0.0), rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(np.asarray(df, dtype=float), (z > 0).astype(float))


@pytest.mark.parametrize("batch", [1, 7])
def test_forward_step_sigmoid(batch):
    rng = np.random.default_rng(batch)
    y, w, b = rng.normal(size=(batch, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    out, df = forward_step(y, w, b, net_f_df_sigmoid)
    s = sigmoid_np(y @ w + b)
    np.testing.assert_allclose(out, s, rtol=1e-12)
    np.testing.assert_allclose(df, s * (1 - s), rtol=1e-12)


# ---------------------------------------------------------------- apply_net
@pytest.mark.parametrize("sizes", ARCHS, ids=str)
@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("name", ["relu", "sigmoid", "default"])
def test_apply_net_layers_shapes_and_values(sizes, batch, name):
    rng = np.random.default_rng(sum(sizes) + batch)
    weights, biases = init_network(sizes, rng)
    biases = [rng.uniform(-0.1, 0.1, size=np.shape(b)) for b in biases]
    y_in = rng.uniform(-1, 1, size=(batch, sizes[0]))
    if name == "default":
        y_out, y_layers, df_layers = apply_net(y_in, weights, biases)
    else:
        f_df = {"relu": net_f_df_relu, "sigmoid": net_f_df_sigmoid}[name]
        y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    act = sigmoid_np if name == "sigmoid" else relu_np
    ys, zs = manual_forward(y_in, weights, biases, act)
    L = len(sizes) - 1
    assert len(y_layers) == L + 1 and len(df_layers) == L
    np.testing.assert_array_equal(y_layers[0], y_in)
    np.testing.assert_array_equal(y_layers[-1], y_out)
    for j in range(L + 1):
        assert np.shape(y_layers[j]) == (batch, sizes[j])
        np.testing.assert_allclose(y_layers[j], ys[j], rtol=1e-12, atol=1e-15)
    for j in range(L):
        assert np.shape(df_layers[j]) == (batch, sizes[j + 1])
        want_df = zs[j] > 0 if act is relu_np else ys[j + 1] * (1 - ys[j + 1])
        np.testing.assert_allclose(np.asarray(df_layers[j], dtype=float),
                                   np.asarray(want_df, dtype=float), rtol=1e-12, atol=1e-15)


def test_apply_net_every_layer_including_output_uses_f_df():
    rng = np.random.default_rng(5)
    sizes = [3, 4, 4, 2]
    weights, biases = init_network(sizes, rng)
    weights = [10 * w for w in weights]
    y_in = rng.normal(size=(7, 3))
    calls = []

    def counting_tanh(z):
        calls.append(np.shape(z))
        return f_df_tanh(z)

    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, counting_tanh)
    assert calls == [(7, 4), (7, 4), (7, 2)]
    ys, _ = manual_forward(y_in, weights, biases, np.tanh)
    np.testing.assert_allclose(y_out, ys[-1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(df_layers[-1], 1 - ys[-1] ** 2, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------- cost
@pytest.mark.parametrize("batch, n_out", [(1, 1), (7, 1), (7, 3), (100, 2)])
def test_cost_formula_and_python_float(batch, n_out):
    rng = np.random.default_rng(batch * n_out)
    y_out, y_t = rng.normal(size=(batch, n_out)), rng.normal(size=(batch, n_out))
    c = cost(y_out, y_t)
    assert type(c) is float, f"cost must return a Python float, got {type(c)}"
    want = sum((a - b) ** 2 for a, b in zip(y_out.ravel(), y_t.ravel())) / (2 * batch)
    assert c == pytest.approx(want, rel=1e-12)


def test_cost_known_values():
    assert cost(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]])) == pytest.approx(10 / 4)
    assert cost(np.zeros((4, 2)), np.zeros((4, 2))) == 0.0
    assert cost(np.array([[2.0, 0.0]]), np.array([[0.0, 1.0]])) == pytest.approx(5 / 2)


@SETTINGS
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 4)),
                  elements=st.floats(-1e3, 1e3)),
       st.data())
def test_cost_property(y_out, data):
    y_t = data.draw(hnp.arrays(np.float64, y_out.shape, elements=st.floats(-1e3, 1e3)))
    c = cost(y_out, y_t)
    assert type(c) is float
    assert c == pytest.approx(float(((y_out - y_t) ** 2).sum()) / (2 * y_out.shape[0]), rel=1e-12, abs=1e-300)


# ------------------------------------------------------------ backward_step
@pytest.mark.parametrize("batch", [1, 7])
def test_backward_step_formula(batch):
    rng = np.random.default_rng(batch)
    delta, w, df = rng.normal(size=(batch, 3)), rng.normal(size=(5, 3)), rng.normal(size=(batch, 5))
    out = backward_step(delta, w, df)
    want = np.array([[sum(delta[i, k] * w[j, k] for k in range(3)) * df[i, j] for j in range(5)]
                     for i in range(batch)])
    assert out.shape == (batch, 5)
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-14)


def test_backward_step_bool_df():
    """df from net_f_df_relu may be a bool array (the contract allows it)."""
    rng = np.random.default_rng(3)
    delta, w = rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    df = np.array([[True, False, True]] * 4)
    np.testing.assert_allclose(backward_step(delta, w, df), (delta @ w.T) * df.astype(float))


# ----------------------------------------------------------------- backprop
def relu_masks(y_in, weights, biases):
    ys, zs = manual_forward(y_in, weights, biases, relu_np)
    return [z > 0 for z in zs]


def floored_rel_error(a, n):
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    return float(np.max(np.abs(a - n) / np.maximum(DENOM_FLOOR, np.abs(a) + np.abs(n))))


def make_case(sizes, batch, name, seed):
    """Weights from init_network (x10 for hidden layers of the deep net so the
    signal survives), small random biases, inputs in [-1, 1], targets in [0, 1]."""
    rng = np.random.default_rng(seed)
    weights, biases = init_network(sizes, rng)
    if len(sizes) > 3:
        weights = [5 * w for w in weights]
    biases = [rng.uniform(-0.1, 0.1, size=np.shape(b)) for b in biases]
    if name == "relu":
        biases[-1] = biases[-1] + 0.3  # keep output units alive: a dead output has zero gradient
    y_in = rng.uniform(-1, 1, size=(batch, sizes[0]))
    y_target = rng.uniform(0, 1, size=(batch, sizes[-1]))
    return rng, weights, biases, y_in, y_target


F_DF = {"relu": net_f_df_relu, "sigmoid": net_f_df_sigmoid, "tanh": f_df_tanh}


@pytest.mark.parametrize("sizes", ARCHS, ids=str)
@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_backprop_matches_central_differences(sizes, batch, name):
    f_df = F_DF[name]
    rng, weights, biases, y_in, y_target = make_case(sizes, batch, name, seed=batch * 31 + len(sizes))
    w_copy, b_copy = copy.deepcopy(weights), copy.deepcopy(biases)
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)

    assert len(dw_layers) == len(weights) and len(db_layers) == len(biases)
    for w, dw, b, db in zip(weights, dw_layers, biases, db_layers):
        assert np.shape(dw) == np.shape(w) and np.shape(db) == np.shape(b)
    for a, b in zip(weights + biases, w_copy + b_copy):
        np.testing.assert_array_equal(a, b, err_msg="backprop must not change the parameters")

    def loss():
        return cost(apply_net(y_in, weights, biases, f_df)[0], y_target)

    checked = skipped = 0
    largest = 0.0
    for params, grads in [(weights, dw_layers), (biases, db_layers)]:
        for p, g in zip(params, grads):
            idxs = list(np.ndindex(p.shape))
            if len(idxs) > 40:
                idxs = [idxs[i] for i in rng.choice(len(idxs), 40, replace=False)]
            base_masks = relu_masks(y_in, weights, biases)
            ana, num = [], []
            for idx in idxs:
                orig = p[idx]
                p[idx] = orig + H
                c_plus, m_plus = loss(), relu_masks(y_in, weights, biases)
                p[idx] = orig - H
                c_minus, m_minus = loss(), relu_masks(y_in, weights, biases)
                p[idx] = orig
                if name == "relu" and not all(
                        np.array_equal(a, b) and np.array_equal(a, c)
                        for a, b, c in zip(base_masks, m_plus, m_minus)):
                    skipped += 1  # the perturbation crosses a ReLU kink
                    continue
                ana.append(np.asarray(g)[idx])
                num.append((c_plus - c_minus) / (2 * H))
                checked += 1
            if ana:
                err = floored_rel_error(ana, num)
                assert err < GRAD_TOL, (
                    f"{name} {sizes} B={batch}: gradient of a {p.shape} array off "
                    f"(floored rel error {err:.2e}); analytic {ana[:4]} numeric {num[:4]}")
                largest = max(largest, float(np.max(np.abs(ana))))
    assert skipped <= 0.1 * (checked + skipped), f"too many kink crossings ({skipped})"
    assert largest > 1e-3, "gradient check would be vacuous: all gradients tiny"


def test_backprop_accepts_bool_relu_derivative():
    """The contract allows net_f_df_relu's df to be the bool array z > 0."""
    _, weights, biases, y_in, y_t = make_case([3, 4, 4, 2], 7, "relu", seed=2)

    def f_df_bool(z):
        return np.maximum(z, 0.0), z > 0

    _, yl_f, dl_f = apply_net(y_in, weights, biases, net_f_df_relu)
    _, yl_b, dl_b = apply_net(y_in, weights, biases, f_df_bool)
    for got, want in zip(sum(backprop(y_t, yl_b, dl_b, weights), []),
                         sum(backprop(y_t, yl_f, dl_f, weights), [])):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-16)


def test_backprop_single_layer_closed_form():
    """One linear-ish layer (identity f_df): dW = y^T (y_out - t) / B, db = sum(y_out - t) / B."""
    rng = np.random.default_rng(0)
    y_in, t = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    w, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    y_out, y_layers, df_layers = apply_net(y_in, [w], [b], lambda z: (z, np.ones_like(z)))
    (dw,), (db,) = backprop(t, y_layers, df_layers, [w])
    np.testing.assert_allclose(dw, y_in.T @ (y_out - t) / 7, rtol=1e-12)
    np.testing.assert_allclose(db, (y_out - t).sum(axis=0) / 7, rtol=1e-12)


# ------------------------------------------------------------ gradient_step
@pytest.mark.parametrize("eta", [0.0, 0.01, 0.5])
def test_gradient_step_updates_the_lists(eta):
    rng = np.random.default_rng(4)
    weights, biases = init_network([3, 4, 2], rng)
    biases = [b + rng.normal(size=b.shape) for b in biases]
    dw = [rng.normal(size=w.shape) for w in weights]
    db = [rng.normal(size=b.shape) for b in biases]
    w_lists, b_lists = weights, biases
    want_w = [w - eta * g for w, g in zip(weights, dw)]
    want_b = [b - eta * g for b, g in zip(biases, db)]
    dw_copy, db_copy = copy.deepcopy(dw), copy.deepcopy(db)
    assert gradient_step(weights, biases, dw, db, eta) is None
    assert weights is w_lists and biases is b_lists
    for got, want in zip(weights + biases, want_w + want_b):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)
    for a, b in zip(dw + db, dw_copy + db_copy):
        np.testing.assert_array_equal(a, b, err_msg="gradients must not be changed")


# ---------------------------------------------------------------- train_net
@pytest.mark.parametrize("name", ["relu", "sigmoid", "default"])
def test_train_net_returns_cost_before_update_and_steps(name):
    rng = np.random.default_rng(11)
    weights, biases = init_network([2, 5, 1], rng)
    biases = [b + 0.2 for b in biases]
    y_in = rng.uniform(-0.5, 0.5, size=(7, 2))
    y_t = rng.uniform(0, 1, size=(7, 1))
    f_df = {"relu": net_f_df_relu, "sigmoid": net_f_df_sigmoid, "default": net_f_df_relu}[name]
    act = sigmoid_np if name == "sigmoid" else relu_np
    ys, _ = manual_forward(y_in, weights, biases, act)
    cost_before = float(((ys[-1] - y_t) ** 2).sum() / (2 * 7))
    w0, b0 = copy.deepcopy(weights), copy.deepcopy(biases)
    _, y_layers, df_layers = apply_net(y_in, w0, b0, f_df)
    dw, db = backprop(y_t, y_layers, df_layers, w0)  # checked against central differences above
    eta = 0.3
    if name == "default":
        c = train_net(y_in, y_t, weights, biases, eta)
    else:
        c = train_net(y_in, y_t, weights, biases, eta, f_df)
    assert type(c) is float
    assert c == pytest.approx(cost_before, rel=1e-12)
    for got, w, g in zip(weights + biases, w0 + b0, dw + db):
        np.testing.assert_allclose(got, w - eta * g, rtol=1e-12, atol=1e-15)
    ys_after, _ = manual_forward(y_in, weights, biases, act)
    assert float(((ys_after[-1] - y_t) ** 2).sum() / 14) < cost_before, "a small step must lower the cost"


def target_2d(x):
    r2 = x[:, 0] ** 2 + x[:, 1] ** 2
    return (np.exp(-7 * r2) * np.abs(x[:, 1] + 2 * x[:, 0]))[:, None]


def test_train_net_learns_the_2d_target():
    """The lecture's demo: [2, 100, 1] ReLU net, batches of 100 from [-0.5, 0.5]^2."""
    rng = np.random.default_rng(0)
    weights, biases = init_network([2, 100, 1], rng)
    x_test = np.random.default_rng(1).uniform(-0.5, 0.5, size=(2000, 2))
    y_test = target_2d(x_test)
    test_cost_before = cost(apply_net(x_test, weights, biases)[0], y_test)
    costs = []
    for _ in range(300):
        x = rng.uniform(-0.5, 0.5, size=(100, 2))
        costs.append(train_net(x, target_2d(x), weights, biases, 1.0))
    test_cost_after = cost(apply_net(x_test, weights, biases)[0], y_test)
    assert all(type(c) is float and np.isfinite(c) for c in costs)
    assert np.mean(costs[-30:]) < 0.6 * np.mean(costs[:30])
    assert test_cost_after < 0.5 * test_cost_before, (test_cost_before, test_cost_after)
