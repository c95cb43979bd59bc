"""Safe serialisation of probe observations: JSON plus .npy, never pickle.

Observations are nested dicts/lists of JSON scalars and NumPy arrays. Arrays
are written as separate ``.npy`` files (allow_pickle=False) and replaced in the
JSON by {"__npy__": "<file name>"}; object arrays are refused. Loading
validates the structure, so nothing a sandboxed probe writes can execute code
in the trusted process.
"""
import json
import math
from pathlib import Path

import numpy as np

NPY_KEY = "__npy__"
SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def dump(observations, directory):
    """Write observations to directory/observations.json (+ .npy files)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = []

    def encode(value):
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise TypeError("object arrays cannot be observations")
            name = f"array_{len(arrays)}.npy"
            arrays.append((name, value))
            return {NPY_KEY: name}
        if isinstance(value, dict):
            return {str(k): encode(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [encode(v) for v in value]
        if isinstance(value, (np.generic,)):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return {"__float__": repr(value)}
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise TypeError(f"not an observation type: {type(value).__name__}")

    document = encode(observations)
    for name, array in arrays:
        np.save(directory / name, array, allow_pickle=False)
    (directory / "observations.json").write_text(json.dumps(document))


def load(directory):
    """Read what dump wrote; arrays come back as NumPy arrays."""
    directory = Path(directory)
    document = json.loads((directory / "observations.json").read_text())

    def decode(value):
        if isinstance(value, dict):
            if set(value) == {NPY_KEY}:
                name = value[NPY_KEY]
                if "/" in name or "\\" in name or not name.endswith(".npy"):
                    raise ValueError(f"bad array file name {name!r}")
                return np.load(directory / name, allow_pickle=False)
            if set(value) == {"__float__"}:
                return float(value["__float__"])
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(document)


def round_trip(observations, directory):
    """dump then load: what a judge sees of a sandboxed probe's observations."""
    dump(observations, directory)
    return load(directory)
