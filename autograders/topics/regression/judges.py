"""Judges for the PyTorch regression items (trusted: expected values from reference).

Values are compared, not types, except where the contract names a type
(float32 tensors in a TensorDataset). Randomness is judged by shapes,
statistics and reproducibility, never by one implementation's draws.
"""
import numpy as np

import reference
from autograders.topics.aspects import Aspect, build_verdict, error_text, single
from autograders.topics.regression import inputs


def _missing_or_crashed(item_id, observations, aspects, call="the grader's checks"):
    """A verdict when the probe could not look at anything; None otherwise."""
    if "missing" in observations and observations["missing"] not in (False, None):
        for aspect in aspects:
            aspect.fail(f"{item_id}.missing")
        return build_verdict(item_id, aspects)
    for key in ("probe_error", "construct_error"):
        if key in observations:
            for aspect in aspects:
                aspect.fail(f"{item_id}.error", error=error_text(observations[key]),
                            call=call)
            return build_verdict(item_id, aspects)
    return None


def _fmt(value):
    return f"{value:.6g}"


# ---------------------------------------------------------------- target_function
def judge_target_function(observations):
    aspects = [Aspect("NumPy arrays", 0.5), Aspect("tensors", 0.5)]
    early = _missing_or_crashed("target_function", observations, aspects)
    if early:
        return early
    expected = reference.target_function(inputs.TARGET_XS)
    for aspect, case, kind in zip(aspects, ("numpy", "tensor"), ("ndarray", "tensor")):
        entry = observations[case]
        given = "NumPy array" if case == "numpy" else "tensor"
        if entry["error"]:
            other_ok = observations["tensor" if case == "numpy" else "numpy"]["error"] is None
            misconception = ("target_function.torch_only" if case == "numpy"
                             else "target_function.numpy_only")
            if other_ok:
                aspect.fail(misconception, error=error_text(entry["error"]))
            else:
                aspect.fail("target_function.error", error=error_text(entry["error"]),
                            call=f"a {given} x")
            continue
        values = entry.get("values")
        if values is None or np.shape(values) != expected.shape:
            aspect.fail("target_function.wrong_formula", x="all x", got=f"shape {np.shape(values)}",
                        expected=f"shape {expected.shape}")
            continue
        tolerance = 1e-9 if case == "numpy" else 1e-5
        bad = ~np.isclose(values, expected, rtol=tolerance, atol=tolerance)
        if bad.any():
            i = int(np.argmax(bad))
            aspect.fail("target_function.wrong_formula", x=_fmt(inputs.TARGET_XS[i]),
                        got=_fmt(values[i]), expected=_fmt(expected[i]))
        elif entry["type"] != kind:
            aspect.fail("target_function.wrong_type", got=entry["type"], given=given)
    return build_verdict("target_function", aspects)


# ---------------------------------------------------------------- make_dataset
def _tensors(entry):
    """(x, y) float64 arrays of a described dataset, or None."""
    if entry.get("error") or not entry.get("tensors"):
        return None
    x, y = (np.asarray(t["values"], dtype=np.float64) for t in entry["tensors"])
    return (x, y) if x.shape == y.shape else None


def judge_make_dataset(observations):
    aspects = [
        Aspect("float32 tensors of shape (N, 1) in a TensorDataset", 0.5, supporting=True),
        Aspect("x evenly spaced on [-2, 2], both ends, default arguments", 0.5),
        Aspect("noise-free y equals target_function(x)", 0.5),
        Aspect("Gaussian noise of std noise_std, determined by the seed", 0.5),
    ]
    early = _missing_or_crashed("make_dataset", observations, aspects)
    if early:
        return early
    form, grid, targets, noise = aspects
    for name, kwargs in inputs.DATASET_CALLS.items():
        entry = observations[name]
        if entry.get("error"):
            call = "make_dataset(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
            for aspect in aspects:
                aspect.fail("make_dataset.error", error=error_text(entry["error"]), call=call)
            return build_verdict("make_dataset", aspects)

    # Form: TensorDataset of float32 (N, 1) tensors.
    for name, kwargs in inputs.DATASET_CALLS.items():
        entry = observations[name]
        n = kwargs.get("n_points", 200)
        if not entry.get("is_tensor_dataset"):
            form.fail("make_dataset.not_tensor_dataset", got=entry.get("type"))
        elif any(t["dtype"] != "float32" for t in entry["tensors"]):
            form.fail("make_dataset.not_float32",
                      got=" and ".join(str(t["dtype"]) for t in entry["tensors"]))
        elif any(t["shape"] != [n, 1] for t in entry["tensors"]):
            form.fail("make_dataset.wrong_shape",
                      got=" and ".join(str(tuple(t["shape"])) for t in entry["tensors"]))

    # Grid: x = linspace(-2, 2, N) (float32), defaults give 200 points.
    for name in ("exact", "default", "noisy"):
        pair = _tensors(observations[name])
        n = inputs.DATASET_CALLS[name].get("n_points", 200)
        if pair is None:
            form.fail("make_dataset.not_tensor_dataset", got=observations[name].get("type"))
            grid.fail("make_dataset.not_tensor_dataset", got=observations[name].get("type"))
            break
        x = pair[0]
        if name == "default" and x.size != 200:
            grid.fail("make_dataset.wrong_defaults", got=x.size)
            continue
        expected = np.linspace(-2.0, 2.0, n).astype(np.float32)
        if x.shape != expected.shape or not np.allclose(x, expected, rtol=0, atol=1e-6):
            first, last = (_fmt(x[0]), _fmt(x[-1])) if x.size else ("none", "none")
            open_grid = np.linspace(-2.0, 2.0, n + 1)[:-1] if n else expected
            if x.size == n and np.isclose(x[0], -2.0) and x[-1] < 2.0 - 1e-6 and (
                    np.allclose(x, open_grid, atol=1e-5) or np.allclose(np.diff(x), 4.0 / n, atol=1e-5)):
                grid.fail("make_dataset.grid_without_endpoint", last=last)
            else:
                grid.fail("make_dataset.wrong_grid", first=first, last=last)

    # Targets: noise-free y equals target_function(x) at the student's own x. The
    # student's own target_function counts as well: a wrong formula there is
    # target_function's mistake, not make_dataset's.
    for name in ("exact", "default"):
        pair = _tensors(observations[name])
        if pair is None:
            targets.fail("make_dataset.not_tensor_dataset", got=observations[name].get("type"))
            break
        x, y = pair
        if np.unique(x).size < 3:  # y = f(x) at (nearly) one x proves nothing about f
            targets.fail("make_dataset.wrong_grid", first=_fmt(x[0]) if x.size else "none",
                         last=_fmt(x[-1]) if x.size else "none")
            break
        expected = reference.target_function(x)
        if _matches(y, _base(observations[name], x)):
            continue
        bad = ~np.isclose(y, expected, rtol=1e-5, atol=1e-5)
        i = int(np.argmax(bad))
        targets.fail("make_dataset.wrong_targets", x=_fmt(x[i]), got=_fmt(y[i]),
                     expected=_fmt(expected[i]))

    # Noise: statistics on 20001 points; reproducibility across calls.
    pair = _tensors(observations["noisy"])
    if pair is None:
        noise.fail("make_dataset.not_tensor_dataset", got=observations["noisy"].get("type"))
    else:
        x, y = pair
        exact = _tensors(observations["exact"])
        own = observations["noisy"].get("own_target")
        uses_own = (own is not None and exact is not None
                    and not _matches(exact[1], [reference.target_function(exact[0])])
                    and _matches(exact[1], _base(observations["exact"], exact[0])))
        residual = y - (np.asarray(own, dtype=np.float64) if uses_own else reference.target_function(x))
        std, mean = float(residual.std()), float(residual.mean())
        if abs(std - inputs.NOISY_STD) > 0.03 * inputs.NOISY_STD:
            noise.fail("make_dataset.noise_std", got=f"{std:.3f}", expected=inputs.NOISY_STD)
        elif abs(mean) > 5 * inputs.NOISY_STD / np.sqrt(residual.size):
            noise.fail("make_dataset.noise_mean", got=f"{mean:.3f}")
    a, b, c = (_tensors(observations[n]) for n in ("seed7_a", "seed7_b", "seed8"))
    if a is not None and b is not None and c is not None:
        if not np.array_equal(a[1], b[1]):
            noise.fail("make_dataset.unseeded")
        elif np.array_equal(a[1], c[1]):
            noise.fail("make_dataset.seed_ignored")
    return build_verdict("make_dataset", aspects)


def _base(entry, x):
    """The noise-free targets a make_dataset result may equal: the reference's,
    and the student's own target_function's (when it ran)."""
    bases = [reference.target_function(x)]
    own = entry.get("own_target")
    if own is not None and np.shape(own) == x.shape:
        bases.append(np.asarray(own, dtype=np.float64))
    return bases


def _matches(y, bases):
    return any(np.allclose(y, b, rtol=1e-5, atol=1e-5) for b in bases)


# ---------------------------------------------------------------- make_loaders
def _expected_batches(n, batch_size):
    sizes = [batch_size] * (n // batch_size)
    return sizes + [n % batch_size] if n % batch_size else sizes


def _flat(epoch):
    return [i for batch in epoch for i in batch]


def _positions(loader_entry, epoch):
    """An epoch's item order as positions in the loader's dataset (ids if unknown)."""
    ids = _flat(epoch)
    order = loader_entry["dataset_order"]
    if order is None or sorted(order) != sorted(ids):
        return ids
    where = {item: position for position, item in enumerate(order)}
    return [where[item] for item in ids]


def judge_make_loaders(observations):
    aspects = [
        Aspect("split sizes and batch sizes (last partial batch kept)", 0.5),
        Aspect("random split, the same for the same seed", 0.5),
        Aspect("training order reshuffled every epoch, reproducibly", 0.5),
        Aspect("validation order fixed", 0.5, supporting=True),
    ]
    early = _missing_or_crashed("make_loaders", observations, aspects)
    if early:
        return early
    sizes, split, shuffle, val_order = aspects
    for name, (n, kwargs, *_rest) in inputs.LOADER_CALLS.items():
        entry = observations[name]
        call = "make_loaders(dataset of %d items%s)" % (
            n, "".join(f", {k}={v}" for k, v in kwargs.items()))
        problem = entry.get("error") or next(
            (entry[r]["error"] for r in ("train", "val") if r in entry and entry[r]["error"]), None)
        if problem:
            for aspect in aspects:
                aspect.fail("make_loaders.error", error=error_text(problem),
                            call=call + " and iterating the loaders")
            return build_verdict("make_loaders", aspects)
        if "not_pair" in entry:
            for aspect in aspects:
                aspect.fail("make_loaders.not_loaders", got=f"a {entry['not_pair']}")
            return build_verdict("make_loaders", aspects)

    # Sizes: int(val_fraction * N) validation items; batch sizes with the partial
    # batch; together the two sets hold every item once.
    for name, (n, kwargs, *_rest) in inputs.LOADER_CALLS.items():
        entry = observations[name]
        settings = {**inputs.LOADER_DEFAULTS, **kwargs}
        n_val = int(settings["val_fraction"] * n)
        seen = {role: entry[role]["epochs"][0] for role in ("train", "val")}
        counts = {role: len(entry[role]["dataset_order"] or _flat(seen[role])) for role in seen}
        if counts["val"] != n_val:
            sizes.fail("make_loaders.val_size", n=n, fraction=settings["val_fraction"],
                       got=counts["val"], expected=n_val)
            break
        wrong_batches = False
        for role, count in (("train", n - n_val), ("val", n_val)):
            got = [len(b) for b in seen[role]]
            want = _expected_batches(count, settings["batch_size"])
            if got != want:
                if got == want[:-1]:
                    sizes.fail("make_loaders.drop_last", got=got, expected=want)
                else:
                    sizes.fail("make_loaders.batch_size",
                               loader="training" if role == "train" else "validation",
                               got=got, expected=want)
                wrong_batches = True
                break
        if wrong_batches:
            break
        if sorted(_flat(seen["train"]) + _flat(seen["val"])) != list(range(n)):
            sizes.fail("make_loaders.split_incomplete")
            break

    a, b, c = (observations[k] for k in ("a", "b", "c"))
    val_a, val_b, val_c = (sorted(_flat(o["val"]["epochs"][0])) for o in (a, b, c))
    n_val = len(val_a)
    same_split = val_a == val_b and sorted(_flat(a["train"]["epochs"][0])) == sorted(_flat(b["train"]["epochs"][0]))
    n = inputs.LOADER_CALLS["a"][0]
    block = next((ids for ids in (val_a, val_c)
                  if ids and ids in (list(range(n_val)), list(range(n - n_val, n)))), None)
    if block:
        split.fail("make_loaders.split_not_random", got=f"items {block[0]} to {block[-1]}")
    elif not same_split:
        split.fail("make_loaders.split_not_reproducible")
    elif val_a == val_c:
        split.fail("make_loaders.seed_ignored")

    # Orders as positions within each training set, so that the shuffling is
    # judged apart from the split (a DataLoader seeded alike permutes alike).
    first, second = (_positions(a["train"], e) for e in a["train"]["epochs"][:2])
    if first == second:
        shuffle.fail("make_loaders.train_not_reshuffled")
    elif [_positions(a["train"], e) for e in a["train"]["epochs"]] != [
            _positions(b["train"], e) for e in b["train"]["epochs"]]:
        shuffle.fail("make_loaders.shuffle_not_seeded")

    for name, entry in observations.items():
        epochs = [_flat(e) for e in entry["val"]["epochs"]]
        if any(e != epochs[0] for e in epochs) or (
                entry["val"]["dataset_order"] is not None and epochs[0] != entry["val"]["dataset_order"]):
            val_order.fail("make_loaders.val_shuffled")
            break
    return build_verdict("make_loaders", aspects)


# ---------------------------------------------------------------- the networks
def _layers(parameters, hidden):
    """(W1, b1, W2, b2) matched by shape, or None."""
    by_shape = {}
    for p in parameters:
        by_shape.setdefault(tuple(p["shape"]), []).append(np.asarray(p["values"], dtype=np.float64))
    wanted = [(hidden, 1), (hidden,), (1, hidden), (1,)]
    if sorted(by_shape) != sorted(wanted) or any(len(v) != 1 for v in by_shape.values()):
        return None
    w1, b1, w2, b2 = (by_shape[s][0].reshape(s) for s in wanted)
    return w1, b1, w2, b2


def _hidden_size(parameters):
    """The hidden size of a 1 -> H -> 1 network, or None."""
    for p in parameters:
        shape = tuple(p["shape"])
        if len(shape) == 2 and shape[1] == 1 and shape[0] > 1:
            return shape[0]
    return None


ACTIVATIONS = {
    "ReLU": lambda z: np.maximum(z, 0.0),
    "no activation": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "LeakyReLU": lambda z: np.where(z > 0, z, 0.01 * z),
}


def judge_network(name):
    hidden = inputs.HIDDEN[name]
    wanted = [(hidden, 1), (hidden,), (1, hidden), (1,)]

    def judge(observations):
        aspects = [Aspect(f"parameters of Linear(1, {hidden}), Linear({hidden}, 1)", 0.5),
                   Aspect("forward: (B, 1) -> (B, 1) through Linear, ReLU, Linear", 0.5)]
        early = _missing_or_crashed(name, observations, aspects, call=f"{name}()")
        if early:
            return early
        shapes, forward = aspects
        if not observations["is_module"]:
            for aspect in aspects:
                aspect.fail(f"{name}.not_module", got=observations["type"])
            return build_verdict(name, aspects)
        parameters = [p for p in observations["parameters"] if p["requires_grad"]]
        if not parameters:
            for aspect in aspects:
                aspect.fail(f"{name}.unregistered_layers")
            return build_verdict(name, aspects)
        found = _hidden_size(parameters)
        layers = _layers(parameters, hidden)
        if layers is None:
            if found and found != hidden and _layers(parameters, found) is not None:
                shapes.fail(f"{name}.wrong_hidden_size", got=found)
                layers = _layers(parameters, found)
            else:
                shapes.fail(f"{name}.wrong_architecture",
                            got=[tuple(p["shape"]) for p in parameters], expected=wanted)
        out = observations["forward"]
        batch = len(inputs.MODEL_XS)
        if out["error"] or observations["forward_one"]["error"]:
            forward.fail(f"{name}.error", error=error_text(out["error"] or observations["forward_one"]["error"]),
                         call="a batch x of shape (B, 1)")
        elif out["shape"] != [batch, 1] or observations["forward_one"]["shape"] != [1, 1]:
            bad = out["shape"] if out["shape"] != [batch, 1] else observations["forward_one"]["shape"]
            given = (batch, 1) if out["shape"] != [batch, 1] else (1, 1)
            forward.fail(f"{name}.output_shape", given=given, got=tuple(bad))
        elif layers is None:
            forward.fail(f"{name}.wrong_architecture",
                         got=[tuple(p["shape"]) for p in parameters], expected=wanted)
        else:
            w1, b1, w2, b2 = layers
            values = np.asarray(out["values"], dtype=np.float64)
            outputs = {label: (f(inputs.MODEL_XS @ w1.T + b1) @ w2.T + b2).reshape(-1)
                       for label, f in ACTIVATIONS.items()}
            close = {label: np.allclose(values, v, rtol=1e-4, atol=1e-5) for label, v in outputs.items()}
            if not close["ReLU"]:
                if close["no activation"] or np.allclose(np.diff(values, 2), 0, atol=1e-4):
                    forward.fail(f"{name}.no_activation")
                elif any(close.values()):
                    forward.fail(f"{name}.wrong_activation",
                                 got=next(label for label, ok in close.items() if ok))
                else:
                    forward.fail(f"{name}.wrong_forward",
                                 got=_fmt(float(np.max(np.abs(values - outputs["ReLU"])))))
        return build_verdict(name, aspects)
    return judge


# ---------------------------------------------------------------- count_parameters
def _alternatives(model):
    """What the common wrong counts would be for one model."""
    parameters = list(model.parameters())
    return {
        "count_parameters.counts_frozen": sum(p.numel() for p in parameters),
        "count_parameters.counts_buffers": sum(t.numel() for t in model.state_dict().values()),
        "count_parameters.counts_tensors": sum(1 for p in parameters if p.requires_grad),
        "count_parameters.counts_shared_twice": sum(
            p.numel() for _, p in model.named_parameters(remove_duplicate=False) if p.requires_grad),
    }


COUNT_GROUPS = (
    ("97 and 1537 for SimpleNet- and LargeNet-shaped models", 1.0, ("simple", "large")),
    ("a frozen layer: only trainable parameters count", 0.5, ("frozen",)),
    ("buffers not counted, a shared layer counted once", 0.5, ("batchnorm", "tied")),
)
MODEL_LABELS = {
    "simple": "Linear(1, 32), ReLU, Linear(32, 1)",
    "large": "Linear(1, 512), ReLU, Linear(512, 1)",
    "frozen": "a model whose first layer is frozen",
    "batchnorm": "a model with a BatchNorm1d layer",
    "tied": "a model that uses one layer twice",
}


def judge_count_parameters(observations):
    aspects = [Aspect(label, points) for label, points, _ in COUNT_GROUPS]
    early = _missing_or_crashed("count_parameters", observations, aspects)
    if early:
        return early
    models = inputs.count_models()
    crashed = next((name for name in MODEL_LABELS if observations[name]["error"]), None)
    if crashed:
        for aspect in aspects:
            aspect.fail("count_parameters.error", error=error_text(observations[crashed]["error"]),
                        call=MODEL_LABELS[crashed])
        return build_verdict("count_parameters", aspects)
    for aspect, (_label, _points, names) in zip(aspects, COUNT_GROUPS):
        for name in names:
            entry = observations[name]
            if entry["error"]:
                aspect.fail("count_parameters.error", error=error_text(entry["error"]),
                            call=MODEL_LABELS[name])
                continue
            expected = reference.count_parameters(models[name])
            got = entry["value"]
            if got is not None and got == expected:
                continue
            shown = got if got is None or not float(got).is_integer() else int(got)
            for misconception, value in _alternatives(models[name]).items():
                if value != expected and got == value:
                    aspect.fail(misconception, got=shown, expected=expected, model=MODEL_LABELS[name])
                    break
            else:
                aspect.fail("count_parameters.wrong_count",
                            got=shown if got is not None else f"a {entry['type']}",
                            expected=expected, model=MODEL_LABELS[name])
    return build_verdict("count_parameters", aspects)


# ---------------------------------------------------------------- stated counts
def judge_variable(item_id, network):
    def judge(observations):
        model = getattr(reference, network)()
        expected = reference.count_parameters(model)
        if observations.get("probe_error") or observations["missing"] or observations["value"] is None:
            return single(item_id, f"{item_id}.missing")
        got = observations["value"]
        if got == expected:
            return single(item_id)
        shown = int(got) if float(got).is_integer() else got
        weights = sum(p.numel() for p in model.parameters() if p.dim() > 1)
        if got == weights:
            return single(item_id, f"{item_id}.weights_only", got=shown)
        if got == expected - 1:
            return single(item_id, f"{item_id}.no_output_bias", got=shown)
        return single(item_id, f"{item_id}.wrong_value", got=shown)
    return judge


JUDGES = {
    "target_function": judge_target_function,
    "make_dataset": judge_make_dataset,
    "make_loaders": judge_make_loaders,
    "SimpleNet": judge_network("SimpleNet"),
    "LargeNet": judge_network("LargeNet"),
    "count_parameters": judge_count_parameters,
    "simple_net_parameter_count": judge_variable("simple_net_parameter_count", "SimpleNet"),
    "large_net_parameter_count": judge_variable("large_net_parameter_count", "LargeNet"),
}
