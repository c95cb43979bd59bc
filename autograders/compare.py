"""Judge-side comparison of observed values with expected ones.

Judges compare values, not types (contract): a bool or int array with the
right values is right, and so is a list where a tuple or array is expected.
Messages follow PrairieLearn's style and name the value the student sees:

    'dw_layers[0]' has wrong shape: got (3, 2), expected (2, 3)

API (small on purpose, shared by all topics):
- to_array(value): a float64 array, or None when value is not numeric
- describe(value): "an array of shape (3, 2)", "None", "a list of 2 items", ...
- compare_array(name, got, expected, atol, rtol, inputs=None, input_name="x")
  -> (ok, message)
- compare_arrays(name, got, expected_list, atol, rtol) -> (ok, message): a list
- unpack(name, got, count, what) -> (items or None, message): a returned tuple
- close(got, expected, atol, rtol): recursive same-values test (lists, arrays)
- scale_factor(got, expected): c when got == c * expected, else None
- fmt(number): a short number for messages
"""
import numpy as np

ATOL = 1e-9
RTOL = 1e-7


def to_array(value):
    """value as a float64 array, or None (None, text, ragged lists, odd objects)."""
    if value is None or isinstance(value, (str, dict)):
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def describe(value):
    """What a value is, for messages: type and, for arrays, shape."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return f"a number ({fmt(value)})"
    if isinstance(value, str):
        return "a str"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict) and "unobservable" in value:
        return f"a {value['unobservable']} object"
    return f"a {type(value).__name__}"


def fmt(number):
    """A number in at most 6 significant digits; ints stay ints."""
    try:
        number = float(number)
    except (TypeError, ValueError):
        return str(number)
    return f"{number:.6g}"


def compare_array(name, got, expected, atol=ATOL, rtol=RTOL, inputs=None, input_name="x"):
    """(ok, message): does got equal the array expected, value by value?

    - got None: "... is None: is a `return` missing?"
    - not numeric, wrong shape, nan/inf where finite values are due, or wrong
      values: a message naming the first differing entry; inputs, an array
      shaped like expected, adds "where x = ..." (input_name) to it.
    """
    expected = np.asarray(expected, dtype=float)
    if got is None:
        return False, f"'{name}' is None: is a `return` missing?"
    array = to_array(got)
    if array is None:
        return False, f"'{name}' should be an array of shape {expected.shape}, got {describe(got)}"
    if array.shape != expected.shape:
        hint = " (the transpose)" if array.shape == expected.shape[::-1] and array.ndim == 2 else ""
        return False, (f"'{name}' has wrong shape: got {array.shape}, "
                       f"expected {expected.shape}{hint}")
    bad_finite = ~np.isfinite(array) & np.isfinite(expected)
    if bad_finite.any():
        index = _first(bad_finite)
        return False, (f"'{name}' has non-finite values (nan or inf), first at index {index}"
                       f"{_where(inputs, index, input_name)}: is something overflowing?")
    wrong = ~np.isclose(array, expected, atol=atol, rtol=rtol, equal_nan=True)
    if wrong.any():
        index = _first(wrong)
        count = f" ({int(wrong.sum())} of {wrong.size} entries differ)" if wrong.size > 1 else ""
        return False, (f"'{name}' has wrong values: at index {index}"
                       f"{_where(inputs, index, input_name)} "
                       f"got {fmt(array[index])}, expected {fmt(expected[index])}{count}")
    return True, ""


def compare_arrays(name, got, expected_list, atol=ATOL, rtol=RTOL):
    """(ok, message) for a list of arrays; entries are named name[j]."""
    if got is None:
        return False, f"'{name}' is None: is a `return` missing?"
    count = len(expected_list)
    if not isinstance(got, list) or len(got) != count:
        return False, f"'{name}' should be a list of {count} arrays, got {describe(got)}"
    for j, (g, e) in enumerate(zip(got, expected_list)):
        ok, message = compare_array(f"{name}[{j}]", g, e, atol, rtol)
        if not ok:
            return False, message
    return True, ""


def unpack(name, got, count, what):
    """(items, "") when got is a tuple/list of count items, else (None, message).

    what names the items for the message, e.g. "(f, df)".
    """
    if isinstance(got, list) and len(got) == count:
        return got, ""
    return None, f"'{name}' should return {what}, got {describe(got)}"


def _first(mask):
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _where(inputs, index, input_name):
    if inputs is None:
        return ""
    inputs = np.asarray(inputs)
    if inputs.ndim != len(index):
        return ""
    return f" (where {input_name} = {fmt(inputs[index])})"


def close(got, expected, atol=ATOL, rtol=RTOL):
    """Same values and shapes, recursively through lists and tuples.

    Used to recognise a known wrong implementation by its output, so a
    missing value (None) matches only None.
    """
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(close(g, e, atol, rtol) for g, e in zip(got, expected)))
    if expected is None or got is None:
        return got is None and expected is None
    got, expected = to_array(got), to_array(expected)
    return (got is not None and expected is not None and got.shape == expected.shape
            and bool(np.allclose(got, expected, atol=atol, rtol=rtol, equal_nan=True)))


def scale_factor(got, expected, rtol=1e-6):
    """c such that got == c * expected (same shape), or None.

    The least-squares c, accepted only when it explains got to rtol. Says
    "100x the true gradient" where a plain mismatch says only "wrong".
    """
    got, expected = to_array(got), to_array(expected)
    if got is None or expected is None or got.shape != expected.shape:
        return None
    norm = float(np.sum(expected * expected))
    if norm == 0.0 or not np.all(np.isfinite(got)):
        return None
    c = float(np.sum(got * expected)) / norm
    scale = float(np.max(np.abs(expected)))
    if np.allclose(got, c * expected, rtol=rtol, atol=rtol * scale * max(1.0, abs(c))):
        return c
    return None


def is_ratio(c, target, rtol=1e-6):
    """c is target up to rtol (None never is)."""
    return c is not None and abs(c - target) <= rtol * abs(target)
