"""Probes for the NumPy network: call the student's code, observe.

Runs beside student code (later in a sandbox): never imports ``reference``.
Inputs come from ``cases`` (the judge rebuilds them); every array handed to
student code is a fresh copy, so one call cannot spoil the next.

Composite functions (apply_net, train_net) are also replayed from the
student's own parts (forward_step; apply_net, cost, backprop, gradient_step)
so the judge can charge a wrong result to the part that causes it instead of
charging it twice.
"""
import numpy as np

from autograders.observe import copies, lookup, observe, outcome, safe_probe
from autograders.topics.activations.probes import elementwise_probe
from autograders.topics.numpy_net import cases


def _function_probe(name):
    """Decorator: look name up, pass the student's function to the probe body."""
    def decorate(body):
        @safe_probe
        def probe(namespace):
            function, error = lookup(namespace, name)
            if error:
                return {"error": error}
            return body(function, namespace)
        probe.__name__ = f"probe_{name}"
        return probe
    return decorate


def _global_state_equal(a, b):
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and a[2:] == b[2:]


@_function_probe("init_network")
def probe_init_network(init_network, namespace):
    """Four calls: a seed twice (different global seeds), another seed, a big layer."""
    first, other = cases.INIT_SEEDS
    plan = (("first", cases.INIT_SIZES, first, 1), ("same seed", cases.INIT_SIZES, first, 2),
            ("other seed", cases.INIT_SIZES, other, 1), ("large", cases.INIT_LARGE, first, 1))
    saved = np.random.get_state()
    runs = {}
    try:
        for label, sizes, seed, global_seed in plan:
            np.random.seed(global_seed)
            generator = np.random.default_rng(seed)
            rng_before, global_before = generator.bit_generator.state, np.random.get_state()
            result = outcome(init_network, list(sizes), generator)
            result["rng_used"] = generator.bit_generator.state != rng_before
            result["global_random_used"] = not _global_state_equal(
                global_before, np.random.get_state())
            runs[label] = result
    finally:
        np.random.set_state(saved)  # grading must not disturb the global generator
    return {"runs": runs}


def _calls(function, calls):
    """Observe function on each (label, args) of calls."""
    return {"calls": [dict(outcome(function, *args), label=label) for label, args in calls]}


@_function_probe("forward_step")
def probe_forward_step(forward_step, namespace):
    return _calls(forward_step, cases.forward_step_calls())


def chain_forward_steps(forward_step, y_in, weights, biases, *f_df):
    """apply_net's result rebuilt from the student's forward_step."""
    y_layers, df_layers = [y_in], []
    for w, b in zip(weights, biases):
        y, df = forward_step(y_layers[-1], w, b, *f_df)
        y_layers.append(y)
        df_layers.append(df)
    return y_layers[-1], y_layers, df_layers


@_function_probe("apply_net")
def probe_apply_net(apply_net, namespace):
    forward_step, missing = lookup(namespace, "forward_step")
    observed = _calls(apply_net, cases.apply_net_calls())
    for call, (_, args) in zip(observed["calls"], cases.apply_net_calls()):
        call["own"] = (outcome(chain_forward_steps, forward_step, *args) if forward_step
                       else {"error": missing, "value": None})
    return observed


@_function_probe("cost")
def probe_cost(cost, namespace):
    return _calls(cost, cases.cost_calls())


@_function_probe("backward_step")
def probe_backward_step(backward_step, namespace):
    return _calls(backward_step, cases.backward_step_calls())


@_function_probe("backprop")
def probe_backprop(backprop, namespace):
    observed = []
    for case in cases.GRADIENT_CASES:
        given = case.inputs()
        result = outcome(backprop, given["y_target"], copies(given["y_layers"]),
                         copies(given["df_layers"]), copies(given["weights"]))
        observed.append(dict(result, label=case.label))
    return {"cases": observed}


@_function_probe("gradient_step")
def probe_gradient_step(gradient_step, namespace):
    weights, biases, dw_layers, db_layers = cases.gradient_step_inputs()
    result = outcome(gradient_step, weights, biases, dw_layers, db_layers, cases.STEP_ETA)
    # What counts is what the caller's lists hold afterwards.
    return {"call": result, "weights_after": observe(weights), "biases_after": observe(biases)}


def own_train_step(namespace, y_in, y_target, weights, biases, eta, f_df):
    """train_net rebuilt from the student's apply_net, cost, backprop, gradient_step."""
    parts = {}
    for name in ("apply_net", "cost", "backprop", "gradient_step"):
        parts[name], error = lookup(namespace, name)
        if error:
            raise NameError(error["message"])
    y_out, y_layers, df_layers = parts["apply_net"](y_in, weights, biases, f_df)
    batch_cost = parts["cost"](y_out, y_target)
    dw_layers, db_layers = parts["backprop"](y_target, y_layers, df_layers, weights)
    parts["gradient_step"](weights, biases, dw_layers, db_layers, eta)
    return batch_cost


def _train_step(function, *args):
    """One observed training step: its outcome and the parameters afterwards."""
    y_in, y_target, weights, biases = cases.train_inputs()
    result = outcome(function, *args, y_in, y_target, weights, biases,
                     cases.TRAIN_ETA, cases.F_DF[cases.TRAIN_ACTIVATION])
    return dict(result, weights_after=observe(weights), biases_after=observe(biases))


@_function_probe("train_net")
def probe_train_net(train_net, namespace):
    step = _train_step(train_net)
    own = _train_step(own_train_step, namespace)
    weights, biases = cases.run_start()
    run = {"costs": [], "error": None}
    for k in range(cases.RUN_STEPS):  # the default f_df, as in the lecture's loop
        result = outcome(train_net, *cases.run_batch(k), weights, biases, cases.RUN_ETA)
        if result["error"]:
            run["error"] = result["error"]
            break
        run["costs"].append(result["value"])
    run.update(weights_after=observe(weights), biases_after=observe(biases))
    return {"step": step, "own": own, "run": run}


PROBES = {
    "net_f_df_sigmoid": elementwise_probe("net_f_df_sigmoid", cases.f_df_calls),
    "net_f_df_relu": elementwise_probe("net_f_df_relu", cases.f_df_calls),
    "init_network": probe_init_network,
    "forward_step": probe_forward_step,
    "apply_net": probe_apply_net,
    "cost": probe_cost,
    "backward_step": probe_backward_step,
    "backprop": probe_backprop,
    "gradient_step": probe_gradient_step,
    "train_net": probe_train_net,
}
