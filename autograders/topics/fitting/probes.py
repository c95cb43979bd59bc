"""Probes for the settings dictionaries: only numbers cross from the student.

No ``reference`` import and no student code runs here beyond reading three
variables: each settings dict is copied as plain JSON values with their type
names. The judge validates them and runs the experiment itself.
"""
import dataclasses
import math

import numpy as np

from autograders.topics.torch_common import safe_probe, type_name

MAX_KEYS = 50
# Ints longer than Python's int-to-text limit (4300 digits) cannot cross as JSON;
# one beyond HUGE is sent as +-HUGE, which the judge refuses as it would refuse
# the real value: too large for a float, a seed or a budget (a batch size that
# large is the whole set either way, a patience that large never ends a run).
HUGE = 10**400


def plain(value):
    """(JSON value or None, type name) for one settings value."""
    kind = type_name(value)
    if isinstance(value, bool):
        return value, "bool"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value, kind
    if isinstance(value, int):
        return max(-HUGE, min(value, HUGE)), kind
    if isinstance(value, float):
        return (value if math.isfinite(value) else repr(value)), kind
    if isinstance(value, str):
        return value[:100], kind
    return None, kind


def probe_settings(name):
    @safe_probe
    def probe(namespace):
        if name not in namespace:
            return {"missing": True}
        value = namespace[name]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if not isinstance(value, dict):
            return {"missing": False, "is_dict": False, "type": type_name(value)}
        entries = {}
        for key, item in list(value.items())[:MAX_KEYS]:
            got, kind = plain(item)
            entries[str(key)[:100]] = {"value": got, "type": kind}
        return {"missing": False, "is_dict": True, "entries": entries}
    return probe


PROBES = {
    "underfit_settings": probe_settings("underfit_settings"),
    "overfit_settings": probe_settings("overfit_settings"),
    "early_stop_settings": probe_settings("early_stop_settings"),
}
