"""Probes for the PyTorch regression items: call student code, record plain data.

No ``reference`` import (see torch_common). Each probe returns a dict of JSON
scalars, lists, dicts and float/int NumPy arrays; errors are error dicts.
"""
import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset

from autograders.topics.regression import inputs
from autograders.topics.torch_common import (
    dtype_name, lookup, number, quiet_call, safe_probe, to_array, type_name,
)


@safe_probe
def probe_target_function(namespace):
    function, error = lookup(namespace, "target_function")
    if error:
        return {"missing": error}
    observations = {}
    cases = {
        "numpy": inputs.TARGET_XS.copy(),
        "tensor": torch.tensor(inputs.TARGET_XS, dtype=torch.float32),
    }
    for name, x in cases.items():
        value, error, _ = quiet_call(function, x)
        entry = {"error": error, "type": type_name(value)}
        if error is None:
            try:
                entry["values"] = to_array(value)
            except Exception as exc:  # noqa: BLE001 - e.g. a list of tensors
                entry["values"] = None
                entry["convert_error"] = str(exc)[:200]
        observations[name] = entry
    return observations


def describe_dataset(dataset):
    """Type, length and the two tensors of a (hopefully) TensorDataset."""
    entry = {"type": type_name(dataset),
             "is_tensor_dataset": isinstance(dataset, TensorDataset)}
    tensors = getattr(dataset, "tensors", None)
    if tensors is None and isinstance(dataset, (tuple, list)) and len(dataset) == 2:
        tensors = dataset  # a bare (X, Y) pair: still judge the values
    if tensors is None or len(tensors) != 2:
        entry["tensors"] = None
        return entry
    entry["tensors"] = [
        {"type": type_name(t), "dtype": dtype_name(t),
         "shape": list(getattr(t, "shape", ())), "values": to_array(t).reshape(-1)}
        for t in tensors
    ]
    return entry


@safe_probe
def probe_make_dataset(namespace):
    function, error = lookup(namespace, "make_dataset")
    if error:
        return {"missing": error}
    observations = {}
    for name, kwargs in inputs.DATASET_CALLS.items():
        np.random.seed(inputs.DATASET_GLOBAL_SEEDS[name])
        torch.manual_seed(inputs.DATASET_GLOBAL_SEEDS[name])
        value, error, _ = quiet_call(function, **kwargs)
        observations[name] = {"error": error} if error else describe_dataset(value)
        if name in ("default", "exact", "noisy") and not error:
            observations[name]["own_target"] = own_target(namespace, observations[name])
    return observations


def own_target(namespace, entry):
    """The student's target_function at the dataset's x (None if it fails).

    make_dataset is judged against the student's own target function too, so a
    wrong formula costs target_function's points only.
    """
    function = namespace.get("target_function")
    if function is None or not entry.get("tensors"):
        return None
    x = entry["tensors"][0]["values"]
    for argument in (x.copy(), torch.tensor(x, dtype=torch.float32)):
        value, error, _ = quiet_call(function, argument)
        if error is None:
            try:
                values = to_array(value).reshape(-1)
            except Exception:  # noqa: BLE001 - not numeric: no own target
                return None
            return values if values.shape == x.shape else None
    return None


def batch_ids(batch):
    """The item ids of a batch of inputs.id_dataset (x is the id)."""
    x = batch[0] if isinstance(batch, (tuple, list)) else batch
    return [int(round(v)) for v in torch.as_tensor(x).reshape(-1).tolist()]


def dataset_ids(dataset):
    """The ids of a (sub)dataset in its own sequential order."""
    return [batch_ids(dataset[i])[0] for i in range(len(dataset))]


@safe_probe
def probe_make_loaders(namespace):
    function, error = lookup(namespace, "make_loaders")
    if error:
        return {"missing": error}
    observations = {}
    for name, (n, kwargs, seed_before, seed_iterate, epochs) in inputs.LOADER_CALLS.items():
        torch.manual_seed(seed_before)
        np.random.seed(seed_before)
        value, error, _ = quiet_call(function, inputs.id_dataset(n), **kwargs)
        if error:
            observations[name] = {"error": error}
            continue
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            observations[name] = {"not_pair": type_name(value)}
            continue
        train_loader, val_loader = value
        # Other code uses the global generators between building and iterating.
        torch.manual_seed(seed_iterate)
        np.random.seed(seed_iterate)
        entry = {}
        for role, loader in (("train", train_loader), ("val", val_loader)):
            epochs_seen, error = [], None
            for _ in range(epochs):
                batches, error, _ = quiet_call(lambda: [batch_ids(b) for b in loader])
                if error:
                    break
                epochs_seen.append(batches)
            sequential, _, _ = quiet_call(lambda: dataset_ids(loader.dataset))
            entry[role] = {"error": error, "epochs": epochs_seen, "dataset_order": sequential}
        observations[name] = entry
    return observations


def describe_parameters(model):
    return [
        {"name": name, "shape": list(p.shape), "requires_grad": bool(p.requires_grad),
         "values": to_array(p).reshape(-1)}
        for name, p in model.named_parameters()
    ]


def probe_network(name):
    @safe_probe
    def probe(namespace):
        cls, error = lookup(namespace, name)
        if error:
            return {"missing": error}
        torch.manual_seed(inputs.MODEL_INIT_SEED)
        model, error, _ = quiet_call(cls)
        if error:
            return {"construct_error": error}
        observations = {"type": type_name(model), "is_module": isinstance(model, nn.Module)}
        if not observations["is_module"]:
            return observations
        observations["parameters"] = describe_parameters(model)
        x = torch.tensor(inputs.MODEL_XS, dtype=torch.float32)
        with torch.no_grad():
            out, error, _ = quiet_call(model, x)
            one, error_one, _ = quiet_call(model, x[:1])
        observations["forward"] = {"error": error, "shape": list(getattr(out, "shape", [])),
                                   "values": to_array(out).reshape(-1) if error is None else None}
        observations["forward_one"] = {"error": error_one,
                                       "shape": list(getattr(one, "shape", []))}
        return observations
    return probe


@safe_probe
def probe_count_parameters(namespace):
    function, error = lookup(namespace, "count_parameters")
    if error:
        return {"missing": error}
    observations = {}
    for name, model in inputs.count_models().items():
        value, error, _ = quiet_call(function, model)
        got, kind = number(value)
        observations[name] = {"error": error, "value": got, "type": kind}
    return observations


def probe_variable(name):
    @safe_probe
    def probe(namespace):
        if name not in namespace:
            return {"missing": True}
        value, kind = number(namespace[name])
        return {"missing": False, "value": value, "type": kind}
    return probe


PROBES = {
    "target_function": probe_target_function,
    "make_dataset": probe_make_dataset,
    "make_loaders": probe_make_loaders,
    "SimpleNet": probe_network("SimpleNet"),
    "LargeNet": probe_network("LargeNet"),
    "count_parameters": probe_count_parameters,
    "simple_net_parameter_count": probe_variable("simple_net_parameter_count"),
    "large_net_parameter_count": probe_variable("large_net_parameter_count"),
}
