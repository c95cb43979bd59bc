"""reference/training.py: train_and_evaluate against the contract.

Early stopping is checked against SCRIPTED validation losses. ScriptedModel
has one parameter t. On training inputs (x > 0, targets 0) it outputs
-0.5 + (t - t.detach()): the MSE is 0.25 and its gradient with respect to t
is exactly -1 for every batch, so SGD with lr = 1 adds exactly 1 to t per
optimizer step: t counts the updates. On validation inputs (x < 0, targets
0) it outputs sqrt(script[e - 1]) with e = t / updates_per_epoch, so the
validation MSE after epoch e is script[e - 1] (ties give bit-identical
losses). Training and validation data are told apart by the sign of x, not
by the module's mode, so the mode and grad state of every call is logged
and asserted separately. A buffer `shadow` (set to t + 1 by each training
forward) checks that buffers are restored with the parameters: after
return t == shadow == best_epoch * updates_per_epoch.
"""
import copy
import math
import numbers

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from reference.regression import SimpleNet, make_dataset, make_loaders
from reference.training import train_and_evaluate

SETTINGS = settings(database=None, deadline=None, max_examples=40)

CUDA = pytest.param(
    "cuda",
    marks=[pytest.mark.cuda,
           pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")],
)
DEVICES = ["cpu", CUDA]


# ------------------------------------------------------------------ helpers
class ScriptedModel(nn.Module):
    def __init__(self, script, updates_per_epoch):
        super().__init__()
        self.script = list(script)
        self.updates_per_epoch = updates_per_epoch
        self.t = nn.Parameter(torch.zeros(()))
        self.register_buffer("shadow", torch.zeros(()))
        self.log = []

    def forward(self, x):
        kind = "train" if bool((x > 0).all()) else "val" if bool((x < 0).all()) else "mixed"
        assert kind != "mixed", "a batch mixes training and validation items"
        self.log.append({"kind": kind, "training": self.training,
                         "grad": torch.is_grad_enabled(), "device": x.device.type,
                         "t": float(self.t.detach())})
        if kind == "train":
            with torch.no_grad():
                self.shadow.fill_(float(self.t.detach()) + 1.0)
            return torch.full_like(x, -0.5) + (self.t - self.t.detach())
        steps = float(self.t.detach())
        epoch = steps / self.updates_per_epoch
        assert epoch == int(epoch) and 1 <= epoch <= len(self.script), (
            f"validation after {steps} updates: not the end of an epoch 1..{len(self.script)}")
        return torch.full_like(x, math.sqrt(self.script[int(epoch) - 1]))


def scripted_loaders(n_train=3, n_val=3, batch_size=2):
    """Training x = 1..n_train, validation x = -1..-n_val, all targets 0."""
    xt = torch.arange(1, n_train + 1, dtype=torch.float32).reshape(-1, 1)
    xv = -torch.arange(1, n_val + 1, dtype=torch.float32).reshape(-1, 1)
    train = DataLoader(TensorDataset(xt, torch.zeros_like(xt)), batch_size=batch_size)
    val = DataLoader(TensorDataset(xv, torch.zeros_like(xv)), batch_size=batch_size)
    return train, val, math.ceil(n_train / batch_size)


def run_scripted(script, epochs, early_stop=False, patience=None, device="cpu", **loader_kw):
    train, val, per_epoch = scripted_loaders(**loader_kw)
    model = ScriptedModel(script, per_epoch)
    kwargs = {} if patience is None else {"patience": patience}
    hist = train_and_evaluate(model, train, val, epochs=epochs, lr=1.0,
                              early_stop=early_stop, device=device, **kwargs)
    return model, hist, per_epoch


def oracle(script, epochs, early_stop, patience):
    """best_epoch and stopped_epoch written from the contract's words."""
    best, best_val, bad, stopped = None, None, 0, 0
    for e in range(1, epochs + 1):
        v, stopped = script[e - 1], e
        if best is None or v < best_val:
            best, best_val, bad = e, v, 0
        else:
            bad += 1
            if early_stop and bad >= patience:
                break
    return best, stopped


def check_history_types(hist):
    assert {"train_losses", "val_losses", "best_epoch", "stopped_epoch"} <= set(hist)
    for key in ("train_losses", "val_losses"):
        assert all(type(v) is float for v in hist[key]), f"{key} must hold Python floats"
    for key in ("best_epoch", "stopped_epoch"):
        v = hist[key]
        assert isinstance(v, numbers.Integral) and not isinstance(v, bool), f"{key}: {v!r}"
    assert len(hist["train_losses"]) == len(hist["val_losses"]) == hist["stopped_epoch"]
    assert 1 <= hist["best_epoch"] <= hist["stopped_epoch"]


def check_scripted_run(model, hist, script, per_epoch, device="cpu"):
    check_history_types(hist)
    n = hist["stopped_epoch"]
    assert hist["val_losses"] == pytest.approx(script[:n], rel=1e-6)
    assert hist["train_losses"] == pytest.approx([0.25] * n, rel=1e-7)
    best = hist["best_epoch"]
    assert float(model.t.detach()) == best * per_epoch, "parameters not restored to best_epoch"
    assert float(model.shadow) == best * per_epoch, "buffers not restored to best_epoch"
    for entry in model.log:
        assert entry["device"] == device
        if entry["kind"] == "train":
            assert entry["training"], "training batches must run in train mode"
            assert entry["grad"]
        else:
            assert not entry["training"], "validation must run in eval mode"
            assert not entry["grad"], "validation must not build a graph"
    assert sum(e["kind"] == "train" for e in model.log) >= n * per_epoch


# ---------------------------------------------------- scripted early stopping
SCRIPTED_CASES = [
    # script, epochs, early_stop, patience, best, stopped
    ([5, 4, 3, 2, 1], 5, False, 2, 5, 5),
    ([5, 4, 3, 2, 1], 5, True, 1, 5, 5),
    ([1, 2, 3, 4, 5, 6, 7], 7, True, 2, 1, 3),
    ([1, 2, 3, 4, 5, 6, 7], 7, False, 2, 1, 7),
    ([3, 2, 2, 2, 2, 2], 6, True, 3, 2, 5),      # ties do not improve
    ([3, 2, 2, 1, 1, 1, 1], 7, True, 2, 4, 6),   # tie, then a strict improvement resets
    ([3, 2, 2, 1.5, 3, 3], 6, True, 3, 4, 6),    # epochs run out before patience
    ([2, 2, 2, 2], 4, False, 1, 1, 4),           # all equal: the first epoch is best
    ([2, 2, 2, 2], 4, True, 1, 1, 2),
    ([5, 6, 4, 7, 3, 8, 2], 7, True, 2, 7, 7),   # non-improvements not in a row
    ([5, 6, 4, 7, 3, 8, 2], 7, True, 1, 1, 2),
    ([4, 3, 9, 9, 9], 5, True, 10, 2, 5),        # patience beyond epochs
    ([7], 1, True, 1, 1, 1),
    ([7], 1, False, 5, 1, 1),
    ([1.0, 0.999, 0.999, 0.998], 4, True, 2, 4, 4),
]


@pytest.mark.parametrize("script, epochs, early_stop, patience, best, stopped", SCRIPTED_CASES)
def test_scripted_early_stopping(script, epochs, early_stop, patience, best, stopped):
    assert oracle(script, epochs, early_stop, patience) == (best, stopped)
    model, hist, per_epoch = run_scripted(script, epochs, early_stop, patience)
    assert hist["best_epoch"] == best, "an epoch improves only when strictly lower"
    assert hist["stopped_epoch"] == stopped
    check_scripted_run(model, hist, script, per_epoch)


def test_default_patience_is_5():
    script = [1, 2, 2, 2, 2, 2, 2, 2, 2]
    model, hist, per_epoch = run_scripted(script, 9, early_stop=True)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == (1, 6)
    check_scripted_run(model, hist, script, per_epoch)


def test_early_stop_defaults_to_false():
    script = [1, 2, 3, 4, 5, 6, 7, 8]
    train, val, per_epoch = scripted_loaders()
    model = ScriptedModel(script, per_epoch)
    hist = train_and_evaluate(model, train, val, 8, 1.0)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == (1, 8)
    check_scripted_run(model, hist, script, per_epoch)


@pytest.mark.parametrize("n_train, n_val, batch_size", [(1, 1, 1), (4, 2, 4), (5, 7, 2)])
def test_scripted_other_batchings(n_train, n_val, batch_size):
    script = [3, 1, 2, 0.5, 4]
    model, hist, per_epoch = run_scripted(script, 5, True, 2, n_train=n_train, n_val=n_val,
                                          batch_size=batch_size)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == (4, 5)
    check_scripted_run(model, hist, script, per_epoch)


@SETTINGS
@given(st.lists(st.sampled_from([0.25, 0.5, 1.0, 2.0]), min_size=1, max_size=8),
       st.booleans(), st.integers(1, 4), st.data())
def test_scripted_early_stopping_property(script, early_stop, patience, data):
    epochs = data.draw(st.integers(1, len(script)))
    model, hist, per_epoch = run_scripted(script, epochs, early_stop, patience)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == oracle(script, epochs, early_stop, patience)
    check_scripted_run(model, hist, script, per_epoch)


@pytest.mark.parametrize("device", DEVICES)
def test_scripted_on_device(device):
    script = [2, 1, 1.5, 3, 3]
    model, hist, per_epoch = run_scripted(script, 5, True, 2, device=device)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == (2, 4)
    check_scripted_run(model, hist, script, per_epoch, device=device)
    assert all(p.device.type == device for p in model.parameters())
    assert all(b.device.type == device for b in model.buffers())


# ------------------------------------------------- restored state, no files
def test_restored_state_is_not_aliased_and_model_still_trains():
    script = [3, 1, 2, 2]
    model, hist, per_epoch = run_scripted(script, 4)
    hist_copy = copy.deepcopy(hist)
    assert hist["best_epoch"] == 2 and float(model.t.detach()) == 2 * per_epoch
    with torch.no_grad():
        model.t.add_(100.0)
        model.shadow.add_(100.0)
    assert hist == hist_copy, "the returned history must not depend on the live model"
    assert isinstance(model.t, nn.Parameter) and model.t.requires_grad
    assert [n for n, _ in model.named_parameters()] == ["t"]
    # A second run on the same model restores its own best state.
    model.t.data.zero_()
    model.log.clear()
    train, val, _ = scripted_loaders()
    hist2 = train_and_evaluate(model, train, val, 4, 1.0)
    assert hist2["best_epoch"] == 2 and float(model.t.detach()) == 2 * per_epoch


def test_writes_no_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def no_save(*args, **kwargs):
        raise AssertionError("train_and_evaluate must keep the best state in memory (torch.save called)")

    monkeypatch.setattr(torch, "save", no_save)
    script = [3, 1, 2, 2, 2]
    model, hist, per_epoch = run_scripted(script, 5, early_stop=True, patience=2)
    check_scripted_run(model, hist, script, per_epoch)
    assert list(tmp_path.iterdir()) == [], "no files may be written"


# ---------------------------------- instrumented re-computation of the losses
class Recorder:
    """Forward hook: mode, grad state, inputs and outputs of every call."""

    def __init__(self, model):
        self.calls = []
        model.register_forward_hook(self.hook)

    def hook(self, module, inputs, output):
        self.calls.append({"training": module.training, "grad": torch.is_grad_enabled(),
                           "x": inputs[0].detach().clone(), "out": output.detach().clone(),
                           "out_requires_grad": output.requires_grad})

    def epochs(self):
        """Split the calls into epochs: a run of train-mode calls, then eval-mode calls."""
        groups = []
        for c in self.calls:
            if c["training"] and (not groups or groups[-1][1]):
                groups.append(([], []))
            if not groups:
                groups.append(([], []))
            (groups[-1][0] if c["training"] else groups[-1][1]).append(c)
        return groups


def dropout_net():
    return nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.5), nn.Linear(16, 1))


def eval_loss(model, loader, device="cpu"):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            total += torch.mean((model(xb) - yb) ** 2).item() * len(xb)
            count += len(xb)
    return total / count


def test_train_loss_is_weighted_mean_before_each_update_and_val_in_eval_mode():
    """28 items, val_fraction 0.2 -> 23 training items in batches 5,5,5,5,3."""
    ds = make_dataset(28, noise_std=0.2, seed=0)
    lookup = {float(x): float(y) for x, y in zip(ds.tensors[0][:, 0], ds.tensors[1][:, 0])}
    train_loader, val_loader = make_loaders(ds, val_fraction=0.2, batch_size=5, seed=4)
    torch.manual_seed(0)
    model = dropout_net()
    rec = Recorder(model)
    epochs = 4
    hist = train_and_evaluate(model, train_loader, val_loader, epochs, lr=0.1)
    check_history_types(hist)
    assert hist["stopped_epoch"] == epochs
    groups = rec.epochs()
    assert len(groups) == epochs
    for e, (train_calls, val_calls) in enumerate(groups):
        assert sorted(len(c["x"]) for c in train_calls) == [3, 5, 5, 5, 5], \
            "one forward per training batch (the last one partial)"
        total = 0.0
        for c in train_calls:
            y = torch.tensor([[lookup[float(v)]] for v in c["x"][:, 0]])
            total += torch.mean((c["out"] - y) ** 2).item() * len(c["x"])
            assert c["grad"] and c["out_requires_grad"]
        assert hist["train_losses"][e] == pytest.approx(total / 23, rel=1e-6), \
            "train loss: batch-size-weighted mean of the losses before each update"
        assert sum(len(c["x"]) for c in val_calls) == 5
        total = 0.0
        for c in val_calls:
            assert not c["training"], "validation in eval mode"
            assert not c["grad"] and not c["out_requires_grad"], "validation without a graph"
            y = torch.tensor([[lookup[float(v)]] for v in c["x"][:, 0]])
            total += torch.mean((c["out"] - y) ** 2).item() * len(c["x"])
        assert hist["val_losses"][e] == pytest.approx(total / 5, rel=1e-6)
    best = hist["best_epoch"]
    assert hist["val_losses"][best - 1] == min(hist["val_losses"])
    assert eval_loss(model, val_loader) == pytest.approx(hist["val_losses"][best - 1], rel=1e-6), \
        "restored model: its deterministic eval-mode loss is the best validation loss"


@pytest.mark.parametrize("device", DEVICES)
def test_val_loss_is_deterministic_eval_mode_loss_with_dropout(device):
    ds = make_dataset(40, noise_std=0.1, seed=1)
    train_loader, val_loader = make_loaders(ds, val_fraction=0.25, batch_size=8, seed=0)
    torch.manual_seed(1)
    model = dropout_net()
    hist = train_and_evaluate(model, train_loader, val_loader, 1, lr=0.05, device=device)
    assert hist["best_epoch"] == hist["stopped_epoch"] == 1
    assert all(p.device.type == device for p in model.parameters())
    val = eval_loss(model, val_loader, device)
    assert hist["val_losses"][0] == pytest.approx(val, rel=1e-6), "val loss must be computed in eval mode"
    model.train()
    torch.manual_seed(5)
    noisy = [eval_loss_train_mode(model, val_loader, device) for _ in range(3)]
    assert any(abs(v - val) > 1e-4 for v in noisy), "sanity: dropout does change train-mode losses"


def eval_loss_train_mode(model, loader, device):
    model.train()
    with torch.no_grad():
        return sum(torch.mean((model(x.to(device)) - y.to(device)) ** 2).item() * len(x)
                   for x, y in loader) / sum(len(x) for x, _ in loader)


# ------------------------------------------- same trajectory as plain SGD
def hand_written_sgd(model, train_loader, val_loader, epochs, lr, device):
    model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    train_losses, val_losses, states = [], [], []
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            opt.zero_grad()
            loss = torch.mean((model(xb) - yb) ** 2)
            total += loss.item() * len(xb)
            count += len(xb)
            loss.backward()
            opt.step()
        train_losses.append(total / count)
        val_losses.append(eval_loss(model, val_loader, device))
        states.append({k: v.detach().clone() for k, v in model.state_dict().items()})
    return train_losses, val_losses, states


@pytest.mark.parametrize("device", DEVICES)
def test_same_trajectory_as_hand_written_sgd(device):
    ds = make_dataset(60, noise_std=0.3, seed=0)
    torch.manual_seed(0)
    model_a = SimpleNet()
    model_b = copy.deepcopy(model_a)
    epochs, lr = 15, 0.05
    hist = train_and_evaluate(model_a, *make_loaders(ds, 0.25, 8, seed=1), epochs, lr, device=device)
    train_b, val_b, states = hand_written_sgd(model_b, *make_loaders(ds, 0.25, 8, seed=1),
                                              epochs, lr, device)
    check_history_types(hist)
    assert hist["train_losses"] == pytest.approx(train_b, rel=1e-5)
    assert hist["val_losses"] == pytest.approx(val_b, rel=1e-5)
    best = min(range(epochs), key=lambda i: (val_b[i], i)) + 1
    assert hist["best_epoch"] == best and hist["stopped_epoch"] == epochs
    assert best < epochs, "this setting is chosen so that the best epoch is not the last"
    got = model_a.state_dict()
    assert set(got) == set(states[best - 1])
    for k, v in states[best - 1].items():
        torch.testing.assert_close(got[k], v, rtol=1e-5, atol=1e-6)


def test_same_trajectory_with_early_stopping():
    ds = make_dataset(60, noise_std=0.3, seed=0)
    torch.manual_seed(0)
    model_a = SimpleNet()
    model_b = copy.deepcopy(model_a)
    hist = train_and_evaluate(model_a, *make_loaders(ds, 0.25, 8, seed=1), 15, 0.05,
                              early_stop=True, patience=1)
    _, val_b, states = hand_written_sgd(model_b, *make_loaders(ds, 0.25, 8, seed=1), 15, 0.05, "cpu")
    best, stopped = oracle(val_b, 15, True, 1)
    assert (hist["best_epoch"], hist["stopped_epoch"]) == (best, stopped)
    assert stopped < 15, "patience 1 should stop this run early"
    assert hist["val_losses"] == pytest.approx(val_b[:stopped], rel=1e-5)
    for k, v in states[best - 1].items():
        torch.testing.assert_close(model_a.state_dict()[k], v, rtol=1e-5, atol=1e-6)


def test_batchnorm_buffers_restored():
    """Buffers (running statistics) come back with the parameters."""
    ds = make_dataset(60, noise_std=0.3, seed=0)
    torch.manual_seed(2)
    make = lambda: nn.Sequential(nn.Linear(1, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))  # noqa: E731
    model_a = make()
    model_b = copy.deepcopy(model_a)
    hist = train_and_evaluate(model_a, *make_loaders(ds, 0.25, 8, seed=3), 8, 0.05)
    _, val_b, states = hand_written_sgd(model_b, *make_loaders(ds, 0.25, 8, seed=3), 8, 0.05, "cpu")
    best, _ = oracle(val_b, 8, False, 1)
    assert hist["best_epoch"] == best
    got = model_a.state_dict()
    for k, v in states[best - 1].items():
        torch.testing.assert_close(got[k], v, rtol=1e-5, atol=1e-6, msg=f"state_dict entry {k}")
