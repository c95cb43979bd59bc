"""Safe serialisation of probe observations: JSON plus .npy, never pickle.

Observations are nested dicts/lists of JSON scalars and NumPy arrays. The
arrays are written one after another, as .npy records (allow_pickle=False),
into one file, ``arrays.npy``, and replaced in the JSON by {"__npy__": <their
index in it>}; object arrays are refused. One file per probe rather than one
per array: a submission's probes make hundreds of arrays, and the engine
copies and opens every file a sandbox hands back. Loading validates the
structure, so nothing a sandboxed probe writes can execute code in the
trusted process.
"""
import io
import json
import math
from pathlib import Path

import numpy as np

NPY_KEY = "__npy__"
DOCUMENT = "observations.json"
ARRAYS = "arrays.npy"
READ_HEADER = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}


def dump(observations, directory):
    """Write observations to directory/observations.json (+ arrays.npy)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = []

    def encode(value):
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise TypeError("object arrays cannot be observations")
            arrays.append(value)
            return {NPY_KEY: len(arrays) - 1}
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
    if arrays:
        with open(directory / ARRAYS, "wb") as file:
            for array in arrays:
                np.lib.format.write_array(file, np.asanyarray(array), allow_pickle=False)
    (directory / DOCUMENT).write_text(json.dumps(document))


def load(directory):
    """Read what dump wrote; arrays come back as NumPy arrays."""
    directory = Path(directory)
    document = json.loads((directory / DOCUMENT).read_text())
    arrays = _read_arrays(directory / ARRAYS)

    def decode(value):
        if isinstance(value, dict):
            if set(value) == {NPY_KEY}:
                index = value[NPY_KEY]
                if type(index) is not int or not 0 <= index < len(arrays):
                    raise ValueError(f"bad array index {index!r}")
                return arrays[index]
            if set(value) == {"__float__"}:
                return float(value["__float__"])
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(document)


def _read_arrays(path):
    """The .npy records of path, in order ([] when there is no such file);
    ValueError for anything but whole records of pickle-free arrays."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    stream, arrays = io.BytesIO(data), []
    while stream.tell() < len(data):
        version = np.lib.format.read_magic(stream)
        if version not in READ_HEADER:
            raise ValueError(f"unsupported .npy version {version}")
        shape, fortran, dtype = READ_HEADER[version](stream)
        if dtype.hasobject:
            raise ValueError("object arrays cannot be observations")
        count = math.prod(shape)
        start = stream.tell()
        # Checked before anything is allocated: a header may claim any shape.
        if count * dtype.itemsize > len(data) - start:
            raise ValueError("an array record is cut short")
        array = np.frombuffer(data, dtype, count, start).copy()
        arrays.append(array.reshape(shape, order="F" if fortran else "C"))
        stream.seek(start + count * dtype.itemsize)
    return arrays


def round_trip(observations, directory):
    """dump then load: what a judge sees of a sandboxed probe's observations."""
    dump(observations, directory)
    return load(directory)
