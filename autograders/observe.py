"""Probe-side helpers for NumPy code: student results as plain observations.

Probes run beside student code (in the next issue inside a sandbox where
``reference`` is hidden), so nothing here imports ``reference`` or torch.
Everything a probe returns goes through ``observe``: JSON scalars, lists,
dicts and non-object NumPy arrays, nothing else (see observations.py).
"""
import contextlib
import functools
import io

import numpy as np

from autograders.student_call import call, describe_error

MAX_ITEMS = 1000     # longer sequences are cut: no probe needs more
MAX_DEPTH = 6        # deeper nesting is summarised, never recursed into
MAX_TEXT = 300


def missing(name):
    """The error observation for a name the notebook does not define."""
    return {"type": "NameError", "message": f"{name} is not defined", "traceback": ""}


def lookup(namespace, name):
    """(function, error): the student's definition of name, or a NameError dict."""
    function = namespace.get(name)
    if function is None:
        return None, missing(name)
    if not callable(function):
        return None, {"type": "TypeError", "traceback": "",
                      "message": f"{name} is a {type(function).__name__}, not a function"}
    return function, None


def safe_probe(probe):
    """A probe never raises: anything unexpected becomes {"probe_error": ...}.

    Student prints are swallowed so they do not clutter the grading log.
    """
    @functools.wraps(probe)
    def wrapper(namespace):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                return probe(namespace)
        except Exception as exc:  # noqa: BLE001 - any student failure is an outcome
            return {"probe_error": describe_error(exc)}
    return wrapper


def outcome(function, *args, **kwargs):
    """Call student code; return {"value", "error", "warnings", "type"}.

    "type" is the returned object's type name ("float64", "ndarray", ...),
    for the few contract rows that name a type (a Python float: np.float64
    is one, a 0-d array is not).

    NumPy's error state is reset to its defaults for the call, so a notebook
    cell running ``np.seterr(all="ignore")`` cannot hide an overflow (a
    function may still silence its own, locally, with np.errstate).
    """
    with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
        value, error, warnings = call(function, *args, **kwargs)
    return {"value": observe(value), "error": error, "warnings": list(warnings),
            "type": type(value).__name__}


def observe(value, depth=0):
    """Convert a returned value to plain data, keeping numbers and shapes.

    Arrays keep their dtype (bool, int and float all survive .npy without
    pickle); tuples become lists; NumPy scalars become Python numbers; an
    object that is none of these becomes {"unobservable": type, "repr": ...}.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value[:MAX_TEXT] if isinstance(value, str) else value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if depth < MAX_DEPTH:
        if isinstance(value, np.ndarray):
            return _array(value)
        if isinstance(value, (list, tuple)):
            return [observe(v, depth + 1) for v in value[:MAX_ITEMS]]
        if isinstance(value, dict):
            return {str(k): observe(v, depth + 1) for k, v in list(value.items())[:MAX_ITEMS]}
    return unobservable(value)


def _array(value):
    array = np.asarray(value)  # drops subclasses such as np.matrix
    if array.dtype.kind in "biuf":
        return array.copy()
    try:  # an object array of numbers still has numeric values
        return array.astype(float)
    except (TypeError, ValueError):
        return unobservable(value)


def unobservable(value):
    try:
        text = repr(value)[:MAX_TEXT]
    except Exception:  # noqa: BLE001 - a broken __repr__ is still an outcome
        text = "<repr failed>"
    return {"unobservable": type(value).__name__, "repr": text}


def copies(arrays):
    """Fresh copies of a list of arrays, so student code cannot alter our inputs."""
    return [np.array(a, copy=True) for a in arrays]
