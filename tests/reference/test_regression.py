"""reference/regression.py against the contract's "PyTorch regression" table."""
import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from reference.regression import (
    LargeNet,
    SimpleNet,
    count_parameters,
    make_dataset,
    make_loaders,
    target_function,
)


def formula(x):
    return 0.1 * x**3 - 0.5 * x**2 + 2 * math.sin(3 * x)


XS = [-2.0, -1.3, -0.5, 0.0, 0.25, 1.0, 1.7, 2.0]


# ---------------------------------------------------------- target_function
@pytest.mark.parametrize("shape", [(8,), (8, 1), (2, 4)], ids=str)
def test_target_function_numpy(shape):
    x = np.array(XS).reshape(shape)
    y = target_function(x)
    assert isinstance(y, np.ndarray) and not isinstance(y, torch.Tensor)
    assert y.shape == shape
    np.testing.assert_allclose(y, np.vectorize(formula)(x), rtol=1e-13, atol=1e-13)


def test_target_function_zero_dim_numpy():
    """NumPy's own ufuncs return a NumPy scalar (np.float64) for a 0-d array,
    and so does the reference; a NumPy scalar is accepted here as the NumPy
    result (contract ambiguity, see the report): what matters is NumPy in,
    NumPy out, never a tensor."""
    y = target_function(np.array(0.7))
    assert isinstance(y, (np.ndarray, np.generic)) and not isinstance(y, torch.Tensor)
    assert np.shape(y) == ()
    assert float(y) == pytest.approx(formula(0.7), rel=1e-13)
    y_t = target_function(torch.tensor(0.7, dtype=torch.float64))
    assert isinstance(y_t, torch.Tensor) and y_t.shape == ()
    assert float(y_t) == pytest.approx(formula(0.7), rel=1e-13)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(8,), (8, 1)], ids=str)
def test_target_function_torch(dtype, shape):
    x = torch.tensor(XS, dtype=dtype).reshape(shape)
    y = target_function(x)
    assert isinstance(y, torch.Tensor)
    assert y.shape == x.shape
    want = np.vectorize(formula)(np.array(XS).reshape(shape))
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(y.detach().numpy(), want, rtol=tol, atol=tol)


def test_target_function_torch_is_differentiable():
    x = torch.tensor([0.3, -1.0], dtype=torch.float64, requires_grad=True)
    target_function(x).sum().backward()
    want = 0.3 * x.detach() ** 2 - x.detach() + 6 * torch.cos(3 * x.detach())
    torch.testing.assert_close(x.grad, want)


# ------------------------------------------------------------- make_dataset
@pytest.mark.parametrize("n", [2, 5, 200, 1001])
def test_make_dataset_shapes_dtype_grid(n):
    ds = make_dataset(n_points=n)
    assert isinstance(ds, TensorDataset)
    assert len(ds) == n
    X, Y = ds.tensors
    assert X.dtype == torch.float32 and Y.dtype == torch.float32
    assert X.shape == (n, 1) and Y.shape == (n, 1)
    assert X[0, 0].item() == -2.0 and X[-1, 0].item() == 2.0, "both ends included"
    np.testing.assert_allclose(X[:, 0].numpy(), np.linspace(-2, 2, n), rtol=0, atol=1e-6)
    # no noise by default: y is the target function of x
    want = np.vectorize(formula)(X[:, 0].double().numpy())
    np.testing.assert_allclose(Y[:, 0].numpy(), want, rtol=0, atol=1e-5)


def test_make_dataset_defaults():
    ds = make_dataset()
    X, Y = ds.tensors
    assert X.shape == (200, 1)
    torch.testing.assert_close(Y, make_dataset(200, 0.0, 0).tensors[1])
    # noise_std=0: the seed must not matter
    torch.testing.assert_close(Y, make_dataset(200, 0.0, seed=5).tensors[1], rtol=0, atol=0)


def test_make_dataset_noise_statistics():
    n, sd = 20000, 0.5
    X, Y = make_dataset(n_points=n, noise_std=sd, seed=3).tensors
    resid = Y[:, 0].double().numpy() - np.vectorize(formula)(X[:, 0].double().numpy())
    assert abs(resid.mean()) < 5 * sd / math.sqrt(n)
    # sample sd of N(0, sd^2) has sd ~ sd / sqrt(2n)
    assert abs(resid.std() - sd) < 5 * sd / math.sqrt(2 * n)
    within_1sd = np.mean(np.abs(resid) < sd)
    assert abs(within_1sd - 0.6827) < 5 * math.sqrt(0.6827 * 0.3173 / n), "noise must be Gaussian"
    # independent noise: lag-1 autocorrelation near 0
    r = np.corrcoef(resid[:-1], resid[1:])[0, 1]
    assert abs(r) < 5 / math.sqrt(n)


@pytest.mark.parametrize("sd", [0.1, 2.0])
def test_make_dataset_noise_scales_with_std(sd):
    X, Y = make_dataset(n_points=5000, noise_std=sd, seed=1).tensors
    resid = Y[:, 0].double().numpy() - np.vectorize(formula)(X[:, 0].double().numpy())
    assert abs(resid.std() - sd) < 5 * sd / math.sqrt(2 * 5000) + 1e-5


def test_make_dataset_seeded():
    a = make_dataset(100, noise_std=0.3, seed=7)
    b = make_dataset(100, noise_std=0.3, seed=7)
    c = make_dataset(100, noise_std=0.3, seed=8)
    torch.manual_seed(123)
    np.random.seed(321)
    d = make_dataset(100, noise_std=0.3, seed=7)
    for t1, t2 in zip(a.tensors, b.tensors):
        assert torch.equal(t1, t2)
    assert torch.equal(a.tensors[1], d.tensors[1]), "the seed alone must fix the noise"
    assert torch.equal(a.tensors[0], c.tensors[0])
    assert not torch.equal(a.tensors[1], c.tensors[1]), "different seeds, different noise"
    diff = (a.tensors[1] - c.tensors[1]).abs()
    assert (diff > 0).float().mean() > 0.9


# ------------------------------------------------------------- make_loaders
def indexed_dataset(n):
    """A dataset whose x values are the item indices (exact in float32)."""
    x = torch.arange(n, dtype=torch.float32).reshape(-1, 1)
    return TensorDataset(x, 10 * x)


def epoch_batches(loader):
    return [xb[:, 0].long().tolist() for xb, _ in loader]


def flat(batches):
    return [i for b in batches for i in b]


@pytest.mark.parametrize("n, frac, bs", [(200, 0.2, 32), (100, 0.29, 10), (23, 0.25, 5),
                                         (28, 0.2, 5), (50, 0.5, 7), (10, 0.7, 3), (7, 0.1, 32)])
def test_make_loaders_sizes_and_partition(n, frac, bs):
    ds = indexed_dataset(n)
    train_loader, val_loader = make_loaders(ds, val_fraction=frac, batch_size=bs, seed=0)
    n_val = int(frac * n)
    n_train = n - n_val
    tr, va = epoch_batches(train_loader), epoch_batches(val_loader)
    assert len(flat(va)) == n_val and len(flat(tr)) == n_train
    assert sorted(flat(tr) + flat(va)) == list(range(n)), "split must partition the dataset"
    for batches, size in [(tr, n_train), (va, n_val)]:
        want = [bs] * (size // bs) + ([size % bs] if size % bs else [])
        assert [len(b) for b in batches] == want, "batch_size with the last partial batch kept"
    for xb, yb in train_loader:
        assert torch.equal(yb, 10 * xb), "pairs (x, y) must stay together"


def test_make_loaders_defaults():
    ds = indexed_dataset(200)
    train_loader, val_loader = make_loaders(ds)
    tr, va = epoch_batches(train_loader), epoch_batches(val_loader)
    assert len(flat(va)) == 40 and len(flat(tr)) == 160
    assert [len(b) for b in tr] == [32] * 5
    assert [len(b) for b in va] == [32, 8]
    a_tr, a_va = make_loaders(ds, 0.2, 32, 0)
    assert flat(epoch_batches(a_va)) == flat(va)


def test_make_loaders_same_seed_same_split_and_batch_order():
    """Same seed: identical split and identical batch order in every epoch,
    whatever the global torch RNG state was (checked under 6 global seeds)."""
    ds = indexed_dataset(60)
    runs = []
    for global_seed in range(6):
        torch.manual_seed(global_seed)
        t, v = make_loaders(ds, val_fraction=0.25, batch_size=8, seed=11)
        torch.rand(global_seed + 1)
        runs.append([(epoch_batches(t), epoch_batches(v)) for _ in range(3)])
    assert all(r == runs[0] for r in runs)


def test_make_loaders_different_seed_different_split():
    ds = indexed_dataset(100)
    _, v1 = make_loaders(ds, seed=0)
    _, v2 = make_loaders(ds, seed=1)
    assert set(flat(epoch_batches(v1))) != set(flat(epoch_batches(v2)))


def test_make_loaders_split_is_random():
    ds = indexed_dataset(100)
    _, v = make_loaders(ds, val_fraction=0.3, seed=0)
    val = sorted(flat(epoch_batches(v)))
    assert val != list(range(70, 100)) and val != list(range(30)), "the split must be random"


def test_training_loader_reshuffles_every_epoch():
    ds = indexed_dataset(100)
    train_loader, _ = make_loaders(ds, val_fraction=0.2, batch_size=16, seed=0)
    epochs = [flat(epoch_batches(train_loader)) for _ in range(4)]
    assert all(sorted(e) == sorted(epochs[0]) for e in epochs)
    assert len({tuple(e) for e in epochs}) == 4, "a new order every epoch"
    assert epochs[0] != sorted(epochs[0]), "the training loader must shuffle"


def test_validation_loader_does_not_shuffle():
    ds = indexed_dataset(100)
    _, val_loader = make_loaders(ds, val_fraction=0.3, batch_size=8, seed=0)
    first = epoch_batches(val_loader)
    torch.manual_seed(5)
    for _ in range(3):
        assert epoch_batches(val_loader) == first


def test_make_loaders_works_on_make_dataset_output():
    ds = make_dataset(50, noise_std=0.1, seed=0)
    train_loader, val_loader = make_loaders(ds, val_fraction=0.2, batch_size=16, seed=3)
    xb, yb = next(iter(train_loader))
    assert xb.shape == (16, 1) and yb.shape == (16, 1) and xb.dtype == torch.float32
    assert sum(len(x) for x, _ in val_loader) == 10


# ------------------------------------------------------------------- models
def linear_shapes(model):
    return sorted(tuple(p.shape) for p in model.parameters())


@pytest.mark.parametrize("cls, hidden", [(SimpleNet, 32), (LargeNet, 512)])
def test_model_parameter_shapes_and_behaviour(cls, hidden):
    torch.manual_seed(0)
    model = cls()
    assert isinstance(model, nn.Module)
    assert linear_shapes(model) == sorted([(hidden, 1), (hidden,), (1, hidden), (1,)])
    params = {tuple(p.shape): p for p in model.parameters()}
    w1, b1, w2, b2 = params[(hidden, 1)], params[(hidden,)], params[(1, hidden)], params[(1,)]
    x = torch.linspace(-2, 2, 9).reshape(-1, 1)
    with torch.no_grad():
        # Make the ReLU matter: biases of both signs.
        b1.copy_(torch.linspace(-1, 1, hidden))
        y = model(x)
        want = torch.relu(x @ w1.T + b1) @ w2.T + b2
    assert y.shape == (9, 1)
    torch.testing.assert_close(y, want)


@pytest.mark.parametrize("cls, n", [(SimpleNet, 97), (LargeNet, 1537)])
def test_count_parameters(cls, n):
    model = cls()
    assert count_parameters(model) == n


def test_count_parameters_frozen_layer_and_other_models():
    model = SimpleNet()
    first = [p for p in model.parameters() if tuple(p.shape) in [(32, 1), (32,)]]
    for p in first:
        p.requires_grad_(False)
    assert count_parameters(model) == 97 - 64
    assert count_parameters(nn.Linear(3, 4)) == 16
    assert count_parameters(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))) == 9 + 6
    frozen = nn.Linear(5, 5)
    frozen.requires_grad_(False)
    assert count_parameters(nn.Sequential(frozen, nn.Linear(5, 1))) == 6
    assert count_parameters(nn.ReLU()) == 0
