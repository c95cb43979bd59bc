"""The train_and_evaluate scenarios, shared by the probe and the judge.

No ``reference`` import: the probe runs these scenarios with the student's
train_and_evaluate, and the judge runs the very same scenarios with the
reference (and with known-wrong variants, to name a mistake).

Every scenario uses an instrumented model that logs each forward call: the
batch's item ids and kind (training or validation), model.training,
torch.is_grad_enabled(), whether input and parameters are on the requested
device, and the model's flattened state (parameters and buffers) at that
moment. Inputs have the contract's shape (B, 1); every item has its own x
value, so the model recognises the items of a batch by their x alone. From
that log alone a judge can tell epochs apart, follow the parameter
trajectory, recompute every loss the student could have meant, and check
train/eval modes and graph building.

- "fit": a small Linear-Tanh-Linear network with fixed initial weights on 23
  training items (batches of 5: 5,5,5,5,3, so weighting matters) and 7
  validation items (5,2). Its training loader does not shuffle, so a student
  who iterates it twice per epoch still trains on the same batch order.
- scripted runs: a model whose validation output is a constant chosen per
  epoch (epoch = number of train->validation switches so far), so the
  validation loss follows a script of exact dyadic values (ties are exact),
  while training still changes its parameters and a buffer, so restoring the
  best state is observable.
"""
import dataclasses
import os
import shutil
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograders.topics.torch_common import number, numbers_list, quiet_call, type_name

TRAIN, VAL = 0, 1
RESULT_KEYS = ("train_losses", "val_losses", "best_epoch", "stopped_epoch")


# ------------------------------------------------------------------ the log
class Log:
    """Forward calls of an instrumented model, as plain lists.

    ids: {x value (float32, as a Python float): item id}; ids at or above
    first_val are validation items. An x the table lacks logs as id -1.
    """

    def __init__(self, device, ids, first_val):
        self.device = torch.device(device).type
        self.lookup, self.first_val = ids, first_val
        self.kind, self.ids, self.training, self.grad, self.on_device, self.states = [], [], [], [], [], []
        self.loads = 0

    def record(self, model, x):
        ids = [self.lookup.get(v, -1) for v in x.detach().reshape(-1).cpu().tolist()]
        self.kind.append(VAL if ids and min(ids) >= self.first_val else TRAIN)
        self.ids.append(ids)
        self.training.append(bool(model.training))
        self.grad.append(bool(torch.is_grad_enabled()))
        tensors = list(model.state_dict().values())
        on_device = x.device.type == self.device and all(t.device.type == self.device for t in tensors)
        self.on_device.append(bool(on_device))
        self.states.append(flat_state(model, tensors))

    def arrays(self):
        """The log as observations (NumPy arrays of ints and floats)."""
        offsets = np.cumsum([0] + [len(i) for i in self.ids]).astype(np.int64)
        width = len(self.states[0]) if self.states else 0
        return {
            "kind": np.asarray(self.kind, dtype=np.int64),
            "training": np.asarray(self.training, dtype=np.int64),
            "grad": np.asarray(self.grad, dtype=np.int64),
            "on_device": np.asarray(self.on_device, dtype=np.int64),
            "id_offsets": offsets,
            "ids": np.asarray([i for ids in self.ids for i in ids], dtype=np.int64),
            "states": np.asarray(self.states, dtype=np.float64).reshape(len(self.states), width),
        }


def flat_state(model, tensors=None):
    """Parameters and buffers (state_dict order) as one float64 vector."""
    if tensors is None:
        tensors = list(model.state_dict().values())
    parts = [t.detach().reshape(-1).to("cpu", torch.float64) for t in tensors]
    return torch.cat(parts).numpy().copy() if parts else np.zeros(0)


class Instrumented(nn.Module):
    """Base of the probe models: logs forward calls and load_state_dict calls."""

    def attach_log(self, device, datasets, first_val):
        """Log calls; datasets: the TensorDatasets whose x values name the items."""
        ids = {}
        for dataset, first in zip(datasets, (0, first_val)):
            for offset, value in enumerate(dataset.tensors[0].reshape(-1).tolist()):
                ids[value] = first + offset
        assert len(ids) == sum(len(d) for d in datasets), "x values must name items uniquely"
        # object.__setattr__ keeps the log out of nn.Module's registries.
        object.__setattr__(self, "log", Log(device, ids, first_val))

    def load_state_dict(self, *args, **kwargs):
        self.log.loads += 1
        return super().load_state_dict(*args, **kwargs)


# ------------------------------------------------------------------ the fit scenario
FIT_HIDDEN = 4
FIT_TRAIN, FIT_VAL, FIT_BATCH = 23, 7, 5
FIT_EPOCHS, FIT_LR = 4, 0.1


class ProbeNet(Instrumented):
    """Linear(1, 4), Tanh, Linear(4, 1) with fixed initial weights."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(1, FIT_HIDDEN)
        self.out = nn.Linear(FIT_HIDDEN, 1)
        rng = np.random.default_rng(7)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.from_numpy(rng.uniform(-1.0, 1.0, size=tuple(p.shape))))

    def forward(self, x):
        self.log.record(self, x)
        return self.out(torch.tanh(self.hidden(x)))


def fit_forward(state, x):
    """ProbeNet's output for a flat state and inputs x (N,), in float64."""
    h = FIT_HIDDEN
    w1, b1 = state[:h].reshape(h, 1), state[h:2 * h]
    w2, b2 = state[2 * h:3 * h].reshape(1, h), state[3 * h]
    return (np.tanh(x.reshape(-1, 1) @ w1.T + b1) @ w2.T + b2).reshape(-1)


def _dataset(x, y):
    """A TensorDataset of (N, 1) float32 tensors; the x values must be distinct."""
    assert len(set(np.asarray(x, dtype=np.float32).tolist())) == len(x)
    return TensorDataset(torch.tensor(np.reshape(x, (-1, 1)), dtype=torch.float32),
                         torch.tensor(np.reshape(y, (-1, 1)), dtype=torch.float32))


def fit_data():
    """(x, y) float32-exact arrays of all items: ids 0..22 train, 23..29 validation."""
    rng = np.random.default_rng(11)
    x = rng.uniform(-1.5, 1.5, size=FIT_TRAIN + FIT_VAL)
    y = np.sin(2 * x) + 0.3 * x
    return x.astype(np.float32).astype(np.float64), y.astype(np.float32).astype(np.float64)


def fit_batches():
    """The item ids of the training and validation batches, in loader order."""
    train = list(range(FIT_TRAIN))
    val = list(range(FIT_TRAIN, FIT_TRAIN + FIT_VAL))
    chunk = lambda ids: [ids[i:i + FIT_BATCH] for i in range(0, len(ids), FIT_BATCH)]  # noqa: E731
    return chunk(train), chunk(val)


def _loader(dataset, batch_size):
    # A generator even without shuffling: iterating then never touches torch's
    # global generator, so the student's own random draws cannot interfere.
    return DataLoader(dataset, batch_size=batch_size, shuffle=False,
                      generator=torch.Generator().manual_seed(0))


def fit_setup(device):
    x, y = fit_data()
    n = FIT_TRAIN
    train, val = _dataset(x[:n], y[:n]), _dataset(x[n:], y[n:])
    model = ProbeNet()
    model.attach_log(device, (train, val), n)
    return model, _loader(train, FIT_BATCH), _loader(val, FIT_BATCH)


# ------------------------------------------------------------------ scripted scenarios
class ScriptedNet(Instrumented):
    """Validation output o_k in epoch k (MSE o_k^2 against zero targets).

    Training batches see a two-parameter line w0*x + w1 (SGD moves it), and a
    buffer counts training batches, like BatchNorm's num_batches_tracked.
    """

    def __init__(self, outputs):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([0.5, -0.25]))
        self.register_buffer("batches_seen", torch.zeros(1))
        object.__setattr__(self, "script", [float(o) for o in outputs])
        object.__setattr__(self, "switches", 0)
        object.__setattr__(self, "last_kind", None)

    def forward(self, x):
        self.log.record(self, x)
        kind = self.log.kind[-1]
        if kind == VAL:
            if self.last_kind == TRAIN:
                object.__setattr__(self, "switches", self.switches + 1)
            object.__setattr__(self, "last_kind", VAL)
            o = self.script[min(max(self.switches, 1), len(self.script)) - 1]
            return x * 0 + o + 0 * self.w.sum()
        object.__setattr__(self, "last_kind", TRAIN)
        if self.training:
            with torch.no_grad():
                self.batches_seen += 1
        return x * self.w[0] + self.w[1]


@dataclasses.dataclass(frozen=True)
class Scripted:
    """A scripted run: the validation outputs per epoch and the call's arguments.

    early_stop and patience are the values in force; those named in omit are
    not passed (the contract's defaults, False and 5, apply).
    """
    outputs: tuple
    epochs: int
    early_stop: bool
    patience: int
    what: str
    omit: tuple = ()

    @property
    def val_losses(self):
        return [o * o for o in self.outputs[:self.epochs]]


# Dyadic outputs: o^2 and every weighted mean of it are exact in float32/64.
SCRIPTED = {
    "tie": Scripted((2, 1.5, 1.75, 1.5, 2.5), 5, False, 5,
                    "a tie with the best loss and a worse last epoch, without early stopping"),
    "patience2": Scripted((2, 1.5, 1.75, 1.5, 1.25, 1, 0.75, 0.5), 8, True, 2,
                          "early stopping with patience 2, where the second non-improving epoch is a tie"),
    "patience1": Scripted((2, 1.5, 1.75, 1, 0.75, 0.5), 6, True, 1,
                          "early stopping with patience 1"),
    "never_triggers": Scripted((2, 1.75, 1.5, 1.25, 1), 5, True, 3,
                               "early stopping whose patience never runs out"),
    "flag_off": Scripted((2, 2.5, 2.25, 1.5, 1.75, 1.25), 6, False, 1,
                         "early_stop=False with patience 1 and two bad epochs"),
    "reset": Scripted((2, 2.25, 2.5, 1.5, 1.75, 2, 2.25, 2.5), 8, True, 3,
                      "early stopping with patience 3 where an improvement interrupts a run of "
                      "bad epochs"),
    "one_epoch": Scripted((1.5,), 1, True, 1, "a single epoch"),
    "first_best": Scripted((1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25), 10, True, 3,
                           "early stopping where the first epoch stays the best"),
    "default_patience": Scripted((2, 1.5, 1.75, 1.75, 1.75, 1.75, 1.75, 1.5, 1.25, 1), 10, True,
                                 5, "early stopping with no patience passed (the default, 5)",
                                 ("patience",)),
    "default_flag": Scripted((2, 2.5, 2.25, 2.5, 2.75, 3, 3.25, 1.5), 8, False, 5,
                             "neither early_stop nor patience passed (no early stopping by "
                             "default)", ("early_stop", "patience")),
}
SCRIPTED_LR = 0.05
SCRIPTED_PARAMETERS = 2  # the state's first entries are parameters, the rest a buffer
SCRIPTED_TRAIN_X = np.array([-1.0, -0.5, 0.5, 1.0])
SCRIPTED_TRAIN_Y = np.array([0.5, 0.75, 1.25, 1.5])
SCRIPTED_VAL_N = 3
SCRIPTED_FIRST_VAL = 100  # validation items are ids 100, 101, 102


def scripted_setup(scripted, device):
    train = _dataset(SCRIPTED_TRAIN_X, SCRIPTED_TRAIN_Y)
    val = _dataset(np.linspace(-0.75, 0.75, SCRIPTED_VAL_N), np.zeros(SCRIPTED_VAL_N))
    model = ScriptedNet(scripted.outputs)
    model.attach_log(device, (train, val), SCRIPTED_FIRST_VAL)
    return model, _loader(train, 2), _loader(val, 4)


# ------------------------------------------------------------------ running a scenario
def describe_result(value):
    """The returned dict as plain numbers (values and type names)."""
    if not isinstance(value, dict):
        return {"is_dict": False, "type": type_name(value)}
    entry = {"is_dict": True, "keys": sorted(str(k) for k in value)}
    for key in ("train_losses", "val_losses"):
        entry[key] = numbers_list(value[key]) if key in value else None
    for key in ("best_epoch", "stopped_epoch"):
        if key in value:
            got, kind = number(value[key])
            entry[key] = {"value": got, "type": kind}
        else:
            entry[key] = None
    return entry


def _files_under(directory):
    found = []
    for root, _dirs, files in os.walk(directory):
        found += [os.path.relpath(os.path.join(root, f), directory) for f in files]
    return sorted(found)


def run(train_fn, model, train_loader, val_loader, epochs, lr, early_stop, patience, device,
        omit=()):
    """Call train_fn in a fresh temporary working directory; observe everything.
    The keyword arguments named in omit are not passed."""
    previous = os.getcwd()
    scratch = tempfile.mkdtemp(prefix="probe_")
    os.chdir(scratch)
    options = {k: v for k, v in (("early_stop", early_stop), ("patience", patience))
               if k not in omit}
    try:
        value, error, _ = quiet_call(train_fn, model, train_loader, val_loader, epochs, lr,
                                     **options, device=device)
        files = _files_under(scratch)
    finally:
        os.chdir(previous)
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "error": error,
        "result": describe_result(value) if error is None else None,
        "log": model.log.arrays(),
        "final_state": flat_state(model),
        "loads": model.log.loads,
        "files": files,
    }


def run_scenarios(train_fn, device):
    """Every scenario on one device: {"fit": ..., "scripted": {name: ...}}."""
    model, train_loader, val_loader = fit_setup(device)
    observations = {"device": device, "fit": run(
        train_fn, model, train_loader, val_loader, FIT_EPOCHS, FIT_LR, False, 5, device)}
    observations["scripted"] = {}
    for name, scripted in SCRIPTED.items():
        model, train_loader, val_loader = scripted_setup(scripted, device)
        observations["scripted"][name] = run(
            train_fn, model, train_loader, val_loader, scripted.epochs, SCRIPTED_LR,
            scripted.early_stop, scripted.patience, device, scripted.omit)
    return observations


def devices():
    """CPU always, CUDA when this machine has it."""
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
