"""Probe for train_and_evaluate: run the shared scenarios with the student's code.

On every available device (CPU always, CUDA when present). No ``reference``
import; observations are the scenario logs and the returned values.
"""
from autograders.topics.torch_common import lookup, safe_probe
from autograders.topics.training import scenarios


@safe_probe
def probe_train_and_evaluate(namespace):
    function, error = lookup(namespace, "train_and_evaluate")
    if error:
        return {"missing": error}
    return {"devices": {device: scenarios.run_scenarios(function, device)
                        for device in scenarios.devices()}}


PROBES = {"train_and_evaluate": probe_train_and_evaluate}
