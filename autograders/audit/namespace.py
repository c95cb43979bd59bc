"""The reference solution as one notebook-like namespace (trusted code).

Every reference module's source runs in one dict, as the solution cells of
the notebooks run in one kernel, so a function that calls another (train_net
calling backprop) finds it in that dict: replacing the callee there (a bank
variant, a mutant) changes the caller too, as in a notebook.
"""
import dataclasses
import inspect

import reference.activations
import reference.experiments
import reference.numpy_net
import reference.regression
import reference.training

REFERENCE_MODULES = (
    reference.activations, reference.numpy_net, reference.regression, reference.training,
)


def reference_namespace():
    """The reference solution as one notebook-like namespace."""
    namespace = {"__name__": "__main__"}
    for module in REFERENCE_MODULES:
        exec(compile(inspect.getsource(module), module.__file__, "exec"), namespace)
    namespace.update(solution_values())
    return namespace


def solution_values():
    """The answers students assign to variables rather than define as functions."""
    regression = reference.regression
    return {
        "simple_net_parameter_count": regression.count_parameters(regression.SimpleNet()),
        "large_net_parameter_count": regression.count_parameters(regression.LargeNet()),
        "underfit_settings": dataclasses.asdict(reference.experiments.UNDERFIT),
        "overfit_settings": dataclasses.asdict(reference.experiments.OVERFIT),
        "early_stop_settings": dataclasses.asdict(reference.experiments.EARLY_STOP),
    }


def with_definition(source, label="<mutant>"):
    """The reference namespace with source (a definition) run on top."""
    namespace = reference_namespace()
    exec(compile(source, label, "exec"), namespace)
    return namespace
