"""Probes for the activation functions: call the student's code, observe.

Runs beside student code (later in a sandbox): never imports ``reference``.
Each call's observation is {"label", "value", "error", "warnings",
"input_modified"}; the judge replays the same inputs from ``cases``.
"""
import numpy as np

from autograders.observe import lookup, outcome, safe_probe
from autograders.topics.activations import cases


def elementwise_probe(name, calls):
    """A probe calling namespace[name] on each (label, args) of calls()."""
    @safe_probe
    def probe(namespace):
        function, error = lookup(namespace, name)
        if error:
            return {"error": error}
        observed = []
        for label, args in calls():
            before = np.array(args[0], copy=True)
            result = outcome(function, *args)
            result["label"] = label
            # In-place edits of the caller's array are a bug of their own.
            result["input_modified"] = not np.array_equal(args[0], before, equal_nan=True)
            observed.append(result)
        return {"calls": observed}
    probe.__name__ = f"probe_{name}"
    return probe


PROBES = {
    item: elementwise_probe(item, lambda item=item: cases.calls(item))
    for item in cases.CALLS
}
