"""Probe-side helpers shared by the PyTorch topics (regression, training, fitting).

Nothing here imports ``reference``: probes run beside student code (in the
next issue inside a sandbox where ``reference`` is hidden). Everything a probe
returns goes through these converters, so observations are plain data: JSON
scalars, lists, dicts and non-object NumPy arrays.
"""
import contextlib
import io
import numbers

import numpy as np
import torch

from autograders.observe import missing, safe_probe  # noqa: F401 - shared with the NumPy topics
from autograders.student_call import call


def lookup(namespace, name):
    """(object, error): the student's definition of name, or a NameError dict."""
    if name not in namespace:
        return None, missing(name)
    return namespace[name], None


def quiet_call(function, *args, **kwargs):
    """student_call.call with the student's prints swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return call(function, *args, **kwargs)


def type_name(value):
    """'tensor', 'ndarray', 'float', 'int', ... : the kind of a returned value."""
    if isinstance(value, torch.Tensor):
        return "tensor"
    if isinstance(value, np.ndarray):
        return "ndarray"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):  # np.float64 is a Python float subclass
        return "float"
    if isinstance(value, int):
        return "int"
    if isinstance(value, np.generic):
        return f"numpy.{type(value).__name__}"
    return type(value).__name__


def to_array(value):
    """A tensor / array / number / nested list as a float64 NumPy array."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().to(torch.float64).numpy().copy()
    return np.asarray(value, dtype=np.float64).copy()


def dtype_name(value):
    """'float32', 'float64', ... for tensors and arrays; None otherwise."""
    if isinstance(value, torch.Tensor):
        return str(value.dtype).replace("torch.", "")
    if isinstance(value, np.ndarray):
        return str(value.dtype)
    return None


def number(value):
    """(float or None, type name): a returned scalar as a plain number."""
    kind = type_name(value)
    try:
        if isinstance(value, torch.Tensor):
            if value.numel() != 1:
                return None, kind
            return float(value.detach().cpu().item()), kind
        if isinstance(value, (numbers.Real, np.generic)) and not isinstance(value, bool):
            return float(value), kind
    except Exception:  # noqa: BLE001 - an odd object is simply not a number
        return None, kind
    return None, kind


def numbers_list(values):
    """A returned list of numbers: {"values": [...], "types": [...], "type": ...}."""
    kind = type_name(values)
    try:
        items = list(values)
    except TypeError:
        return {"values": None, "types": [], "type": kind}
    converted = [number(v) for v in items]
    return {
        "values": [v for v, _ in converted],
        "types": [t for _, t in converted],
        "type": kind,
    }
