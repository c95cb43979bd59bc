"""Judges for the NumPy network: expected values from ``reference``.

Thresholds
- Values (f and df, forward pass, cost, backward_step, parameter updates):
  |got - expected| <= 1e-9 + 1e-7 |expected|, entry by entry.
- backprop: each dw_layers[j] and db_layers[j] is compared with central
  differences (h = 1e-5, float64) of the reference cost, using CS231n's
  rel_error = max |a - n| / max(1e-8, |a| + |n|). A case passes when every
  layer's rel_error is <= 1e-6. CS231n reads > 1e-2 as "probably wrong" and
  < 1e-7 as right for smooth functions; the reference reaches <= 5e-8 on
  these cases (the inputs keep ReLU's kink more than h away), while the
  smallest mistake looked for, a factor 2, gives 1/3. The per-layer table
  is in Verdict.details["rel_errors"].
- A wrong gradient is named by its pattern: the factor between it and the
  true one per layer (B on the hidden layers only, B everywhere, 2, -1), or
  equality with a known wrong implementation (mutants.py).

Composite items (apply_net, train_net) are compared with the student's own
parts as well: a result that is wrong only because a part is wrong (and
graded on its own) costs the composite nothing.
"""
import dataclasses
import functools

import numpy as np

import reference as ref
from autograders.compare import (close, compare_array, compare_arrays, describe, fmt,
                                 is_ratio, scale_factor, to_array, unpack)
from autograders.topics.activations.judges import (ATOL, RTOL, array_compare, error_failure,
                                                   evaluate, fail, judge_calls, unrunnable)
from autograders.topics.aspects import Aspect, Failure, build_verdict
from autograders.topics.numpy_net import cases, mutants
from reference.gradient_check import eval_numerical_gradient, rel_error

REL_ERROR_MAX = 1e-6
FINITE_DIFFERENCE_H = 1e-5
PYTHON_FLOAT_TYPES = ("float", "float64")  # np.float64 subclasses float


# --- helpers --------------------------------------------------------------------
def pair_compare(name, parts, with_inputs=False):
    """compare(got, expected, args) for a function returning a pair of arrays."""
    def compare(got, expected, args):
        items, message = unpack(name, got, 2, f"a pair ({parts[0]}, {parts[1]})")
        if items is None:
            return False, message
        for part, g, e in zip(parts, items, expected):
            ok, message = compare_array(part, g, e, ATOL, RTOL, input_name="z",
                                        inputs=args[0] if with_inputs else None)
            if not ok:
                return False, message
        return True, ""
    return compare


def scalar(value):
    """A one-element array or list as its number (judged for its value; the
    returned type is a separate check); anything else unchanged."""
    array = to_array(value)
    return float(array.reshape(-1)[0]) if array is not None and array.size == 1 else value


def scalar_compare(name):
    """compare(got, expected, args) for a function returning a number."""
    def compare(got, expected, args):
        return compare_array(name, scalar(got), expected)
    return compare


def float_check(item_id):
    """extra check: the contract row names a Python float."""
    def check(call, facts):
        if call["type"] in PYTHON_FLOAT_TYPES:
            return None
        return Failure(f"{item_id}.not_a_float", "", dict(facts, type=call["type"]))
    return check


def same_outcome(a, b, parts):
    """Two observed calls ended alike: close values, or the same error raised
    inside one of the student's functions named in parts (so a composite that
    itself raises is not excused by a part raising the same thing)."""
    if a.get("error") or b.get("error"):
        return bool(a.get("error") and b.get("error")
                    and a["error"]["type"] == b["error"]["type"]
                    and a["error"]["message"] == b["error"]["message"]
                    and any(f", in {part}\n" in a["error"]["traceback"] for part in parts))
    return close(a.get("value"), b.get("value"))


APPLY_NET_PARTS = ("forward_step",)
TRAIN_NET_PARTS = ("apply_net", "cost", "backprop", "gradient_step")


def matching_mutant(got, candidates, args, select=lambda value: value):
    """The misconception of the first mutant whose (selected) output equals got."""
    for misconception, mutant in candidates:
        value = evaluate(mutant, args)
        if value is not None and close(got, select(value)):
            return misconception
    return None


def _copies(arrays):
    return [np.array(a, dtype=float, copy=True) for a in arrays]


# --- element-wise pairs, forward_step, cost, backward_step ----------------------
def judge_net_f_df_sigmoid(observations):
    return judge_calls(
        "net_f_df_sigmoid", observations, cases.f_df_calls(), ref.net_f_df_sigmoid,
        [("f and df on a grid including 0 and on a 3-D array", 0.5, (0, 1)),
         ("finite and free of RuntimeWarning at ±1e4", 0.5, (2,))],
        pair_compare("net_f_df_sigmoid(z)", ("f", "df"), with_inputs=True),
        mutants.NET_F_DF_SIGMOID, warning_id="net_f_df_sigmoid.overflow_warning")


def judge_net_f_df_relu(observations):
    return judge_calls(
        "net_f_df_relu", observations, cases.f_df_calls(), ref.net_f_df_relu,
        [("f and df on a grid including 0, on a 3-D array and at ±1e4", 1, (0, 1, 2))],
        pair_compare("net_f_df_relu(z)", ("f", "df"), with_inputs=True),
        mutants.NET_F_DF_RELU)


def judge_forward_step(observations):
    return judge_calls(
        "forward_step", observations, cases.forward_step_calls(), ref.forward_step,
        [("y_next and df with f_df = tanh and with the default", 1, (0, 1))],
        pair_compare("forward_step(y, w, b, f_df)", ("y_next", "df")), mutants.FORWARD_STEP)


def judge_cost(observations):
    return judge_calls(
        "cost", observations, cases.cost_calls(), ref.cost,
        [("a Python float, right for batches of 1, 7 and 100", 1, (0, 1, 2))],
        scalar_compare("cost(y_out, y_target)"), mutants.COST,
        extra=float_check("cost"))


def judge_backward_step(observations):
    return judge_calls(
        "backward_step", observations, cases.backward_step_calls(), ref.backward_step,
        [("values for a non-square and a square w", 1, (0, 1))],
        array_compare("backward_step(delta, w, df)", with_inputs=False),
        mutants.BACKWARD_STEP)


# --- init_network ---------------------------------------------------------------
UNIFORM_STD = 0.2 / np.sqrt(12.0)


def _init_structure(value, sizes):
    """Failure for a malformed (weights, biases), else None."""
    items, message = unpack("init_network(...)", value, 2, "a pair (weights, biases)")
    if items is None:
        return Failure("init_network.wrong_result", message)
    weights, biases = items
    pairs = list(zip(sizes[:-1], sizes[1:]))
    for name, got, count in (("weights", weights, len(pairs)), ("biases", biases, len(pairs))):
        if not isinstance(got, list) or len(got) != count:
            return Failure("init_network.wrong_result",
                           f"'{name}' should be a list of {count} arrays, got {describe(got)}")
    for j, (n_in, n_out) in enumerate(pairs):
        w, b = to_array(weights[j]), to_array(biases[j])
        if w is not None and w.shape == (n_out, n_in) and n_in != n_out:
            return Failure("init_network.transposed_weights", "",
                           {"detail": f"weights[{j}] is {w.shape}, expected {(n_in, n_out)}"})
        for name, got, shape in ((f"weights[{j}]", w, (n_in, n_out)),
                                 (f"biases[{j}]", b, (n_out,))):
            if got is None or got.shape != shape:
                return Failure("init_network.wrong_result",
                               f"'{name}' should have shape {shape}, got {describe(got)}")
        if np.any(b != 0):
            return Failure("init_network.nonzero_biases")
    return None


def _weights_of(run):
    return [to_array(w) for w in run["value"][0]]


def _spread_problem(weights):
    """Why the pooled weights are not U(-0.1, 0.1)-like, or ''."""
    values = np.concatenate([w.ravel() for w in weights])
    low, high, mean, std = values.min(), values.max(), values.mean(), values.std()
    stats = (f"{values.size} weights from {fmt(low)} to {fmt(high)}, mean {fmt(mean)}, "
             f"standard deviation {fmt(std)}")
    if low < -0.1 or high > 0.1:
        return stats + ", some outside [-0.1, 0.1]"
    if low > -0.09 or high < 0.09 or abs(mean) > 0.01 or abs(std - UNIFORM_STD) > 0.005:
        return stats + f", unlike U(-0.1, 0.1) (standard deviation {fmt(UNIFORM_STD)})"
    return ""


def judge_init_network(observations):
    aspect = Aspect("shapes, zero biases, U(-0.1, 0.1) weights drawn from rng only", 1)
    verdict = unrunnable("init_network", observations, [aspect])
    if verdict:
        return verdict
    runs = observations["runs"]
    labels = {"first": f"layer_sizes {cases.INIT_SIZES}", "same seed": "the same seed again",
              "other seed": "another seed", "large": f"layer_sizes {cases.INIT_LARGE}"}
    failure = None
    for name, run in runs.items():
        if run["error"]:
            failure = error_failure("init_network", run["error"], labels[name])
        else:
            sizes = cases.INIT_LARGE if name == "large" else cases.INIT_SIZES
            failure = _init_structure(run["value"], sizes)
            if failure:
                failure.facts.setdefault("call", labels[name])
        if failure:
            break
    if failure is None:
        failure = _init_randomness(runs)
    if failure:
        fail(aspect, failure)
    return build_verdict("init_network", [aspect])


def _init_randomness(runs):
    """Failure for draws that ignore rng, use np.random, or are not U(-0.1, 0.1)."""
    first = _weights_of(runs["first"])
    if any(run["global_random_used"] for run in runs.values()):
        return Failure("init_network.uses_global_random", "",
                       {"detail": "calling it advanced np.random's global state"})
    if not close(first, _weights_of(runs["same seed"])):  # e.g. an unseeded default_rng()
        return Failure("init_network.ignores_rng", "", {
            "detail": "two generators with the same seed gave different weights"})
    if close(first, _weights_of(runs["other seed"])) or not runs["first"]["rng_used"]:
        return Failure("init_network.ignores_rng", "", {
            "detail": "generators with different seeds gave the same weights, or rng "
                      "was not drawn from"})
    problem = _spread_problem(first + _weights_of(runs["large"]))
    if problem:
        return Failure("init_network.wrong_range", "", {"detail": problem})
    return None


# --- apply_net -----------------------------------------------------------------
def _layer_parts(value, expected):
    """(ok, message) for (y_out, y_layers) and for df_layers."""
    ok, message = compare_array("y_out", value[0], expected[0])
    if ok:
        ok, message = compare_arrays("y_layers", value[1], list(expected[1]))
    ok_df, message_df = compare_arrays("df_layers", value[2], list(expected[2]))
    return (ok, message), (ok_df, message_df)


def judge_apply_net(observations):
    aspects = [Aspect("y_out and y_layers (L + 1 arrays, input first)", 1),
               Aspect("df_layers (L arrays)", 1)]
    verdict = unrunnable("apply_net", observations, aspects)
    if verdict:
        return verdict
    notes = []
    for (label, args), call in zip(cases.apply_net_calls(), observations["calls"]):
        facts = {"call": label}
        own_note = (f"With {label}, apply_net agrees with chaining your own forward_step, "
                    "which is graded on its own.")
        if call["error"]:
            if same_outcome(call, call["own"], APPLY_NET_PARTS):
                notes.append(own_note)
                continue
            for aspect in aspects:
                fail(aspect, error_failure("apply_net", call["error"], label))
            continue
        value, message = unpack("apply_net(...)", call["value"], 3,
                                "a triple (y_out, y_layers, df_layers)")
        if value is None:
            for aspect in aspects:
                fail(aspect, Failure("apply_net.wrong_result", message, facts))
            continue
        checks = _layer_parts(value, ref.apply_net(*args))
        if all(ok for ok, _ in checks):
            continue
        if same_outcome(call, call["own"], APPLY_NET_PARTS):
            notes.append(own_note)
            continue
        # Mutants are matched part by part: a mistaken layer list leaves df_layers right.
        outputs = matching_mutant(value[:2], mutants.APPLY_NET, args, lambda v: list(v[:2]))
        slopes = matching_mutant(value[2], mutants.APPLY_NET, args, lambda v: v[2]) or outputs
        for aspect, (ok, part_message), cause in zip(aspects, checks, (outputs, slopes)):
            if not ok:
                fail(aspect, Failure(cause or "apply_net.wrong_result", part_message, facts))
    return build_verdict("apply_net", aspects, preface=" ".join(notes))


# --- backprop -------------------------------------------------------------------
def numerical_gradients(given, f_df):
    """Central differences of the reference cost w.r.t. every weight and bias."""
    weights, biases = _copies(given["weights"]), _copies(given["biases"])

    def cost():
        y_out = ref.apply_net(given["y_in"], weights, biases, f_df)[0]
        return ref.cost(y_out, given["y_target"])

    def gradient(x):
        return eval_numerical_gradient(cost, x, FINITE_DIFFERENCE_H)
    return [gradient(w) for w in weights], [gradient(b) for b in biases]


@functools.lru_cache(maxsize=None)
def gradient_truth(index):
    """(inputs, analytic (dw, db), numerical (dw, db)) of a gradient case; cached."""
    case = cases.GRADIENT_CASES[index]
    given = case.inputs()
    analytic = ref.backprop(given["y_target"], given["y_layers"], given["df_layers"],
                            given["weights"])
    return given, analytic, numerical_gradients(given, cases.F_DF[case.activation])


def _structure_problem(value, n_layers):
    """Why value is not a pair of lists of n_layers items, or ''."""
    items, message = unpack("backprop(...)", value, 2, "a pair (dw_layers, db_layers)")
    if items is None:
        return message
    for name, part in zip(("dw_layers", "db_layers"), items):
        if not isinstance(part, list) or len(part) != n_layers:
            return f"'{name}' should be a list of {n_layers} arrays, got {describe(part)}"
    return ""


def _layer_arrays(value, n_layers):
    """[[dw_0..], [db_0..]] as arrays (None where missing or not numeric)."""
    items, _ = unpack("backprop", value, 2, "")
    if items is None:
        return None
    return [[to_array(part[j]) if isinstance(part, list) and len(part) == n_layers else None
             for j in range(n_layers)] for part in items]


def rel_error_table(got, numerical):
    """Per layer {"layer", "dw_rel_error", "db_rel_error"}; None where shapes differ."""
    rows = []
    for j in range(len(numerical[0])):
        row = {"layer": j}
        for k, name in enumerate(("dw", "db")):
            a = got[k][j] if got else None
            error = (rel_error(a, numerical[k][j])
                     if a is not None and a.shape == numerical[k][j].shape else None)
            row[f"{name}_rel_error"] = error if error is None or np.isfinite(error) else None
        rows.append(row)
    return rows


def _passes(table):
    return all(row[key] is not None and row[key] <= REL_ERROR_MAX
               for row in table for key in ("dw_rel_error", "db_rel_error"))


def scale_pattern(ratios, batch):
    """(misconception, facts) from per-layer factors [[dw..], [db..]], or None."""
    flat = ratios[0] + ratios[1]
    if any(c is None for c in flat):
        return None

    def all_are(target, values=flat):
        return all(is_ratio(c, target) for c in values)
    if all_are(-1):
        return "backprop.wrong_sign", {}
    for factor in (2, 0.5):
        if all_are(factor):
            return "backprop.off_by_two", {"factor": fmt(factor)}
    if batch > 1:
        if all_are(batch):
            return "backprop.not_divided_by_batch", {}
        if all_are(1 / batch):
            return "backprop.divided_by_batch_twice", {}
        output = [ratios[0][-1], ratios[1][-1]]
        hidden_dw, hidden_db = ratios[0][:-1], ratios[1][:-1]
        if (hidden_dw and all_are(1, output) and all_are(batch, hidden_dw)
                and all(is_ratio(c, 1) or is_ratio(c, batch) for c in hidden_db)):
            return "backprop.hidden_not_divided_by_batch", {}
    return None


def describe_layers(got, analytic):
    """"'dw_layers[0]' is 100x the true gradient; ..." for the wrong layers."""
    notes = []
    for k, name in enumerate(("dw_layers", "db_layers")):
        for j, expected in enumerate(analytic[k]):
            a = got[k][j]
            ok, message = compare_array(f"{name}[{j}]", a, expected, 1e-10, 1e-6)
            if ok:
                continue
            c = scale_factor(a, expected)
            notes.append(f"'{name}[{j}]' is {fmt(c)}x the true gradient" if c is not None
                         else message)
    return "; ".join(notes)


def judge_gradient_case(index, call):
    """(Failure or None, table row) of one backprop case."""
    case = cases.GRADIENT_CASES[index]
    given, analytic, numerical = gradient_truth(index)
    facts = {"call": case.label, "batch": case.batch}
    row = {"case": case.label, "layer_sizes": list(case.sizes), "batch": case.batch,
           "activation": case.activation}
    n_layers = len(case.sizes) - 1
    got = None if call["error"] else _layer_arrays(call["value"], n_layers)
    row["layers"] = rel_error_table(got, numerical)
    row["passed"] = _passes(row["layers"])
    if row["passed"]:
        return None, row
    if call["error"]:
        return error_failure("backprop", call["error"], case.label), row
    message = _structure_problem(call["value"], n_layers)
    if message:
        return Failure("backprop.wrong_result", message, facts), row
    args = (given["y_target"], given["y_layers"], given["df_layers"], given["weights"])
    note = describe_layers(got, analytic)
    misconception = matching_mutant(call["value"], mutants.BACKPROP, args, list)
    if misconception:
        return Failure(misconception, note, facts), row
    ratios = [[scale_factor(a, e) for a, e in zip(got[k], analytic[k])] for k in (0, 1)]
    pattern = scale_pattern(ratios, case.batch)
    if pattern:
        return Failure(pattern[0], note, dict(facts, **pattern[1])), row
    return Failure("backprop.wrong_result", note, facts), row


def judge_backprop(observations):
    aspects = [Aspect(case.label, 1) for case in cases.GRADIENT_CASES]
    verdict = unrunnable("backprop", observations, aspects)
    if verdict:
        return verdict
    table = []
    for index, (aspect, call) in enumerate(zip(aspects, observations["cases"])):
        failure, row = judge_gradient_case(index, call)
        table.append(row)
        if failure:
            fail(aspect, failure)
    verdict = build_verdict("backprop", aspects)
    details = dict(verdict.details, rel_errors=table, rel_error_max=REL_ERROR_MAX,
                   finite_difference_h=FINITE_DIFFERENCE_H)
    return dataclasses.replace(verdict, details=details)


# --- gradient_step -----------------------------------------------------------------
def judge_gradient_step(observations):
    aspect = Aspect("the caller's lists hold theta - eta * dtheta", 1)
    verdict = unrunnable("gradient_step", observations, [aspect])
    if verdict:
        return verdict
    label = f"weights and biases of a {list(cases.STEP_SIZES)} network, eta = {cases.STEP_ETA}"
    weights, biases, dw_layers, db_layers = cases.gradient_step_inputs()
    expected = _copies(weights), _copies(biases)
    ref.gradient_step(*expected, dw_layers, db_layers, cases.STEP_ETA)
    got = [observations["weights_after"], observations["biases_after"]]
    if observations["call"]["error"]:
        fail(aspect, error_failure("gradient_step", observations["call"]["error"], label))
        return build_verdict("gradient_step", [aspect])
    ok, message = compare_arrays("weights", got[0], expected[0])
    if ok:
        ok, message = compare_arrays("biases", got[1], expected[1])
    if not ok:
        candidates = mutants.gradient_step_mutants(weights, biases, dw_layers, db_layers,
                                                   cases.STEP_ETA)
        misconception = next((m for m, value in candidates if close(got, list(value))),
                             "gradient_step.wrong_result")
        fail(aspect, Failure(misconception, message, {"call": label}))
    return build_verdict("gradient_step", [aspect])


# --- train_net -------------------------------------------------------------------------
def _train_expectation(f_df):
    """(cost before, weights after, biases after) of one reference step."""
    y_in, y_target, weights, biases = cases.train_inputs()
    before = ref.cost(ref.apply_net(y_in, weights, biases, f_df)[0], y_target)
    ref.train_net(y_in, y_target, weights, biases, cases.TRAIN_ETA, f_df)
    return before, weights, biases


@functools.lru_cache(maxsize=None)
def reference_run():
    """(costs, weights, biases) of the seeded run with the default f_df."""
    weights, biases = cases.run_start()
    costs = [ref.train_net(*cases.run_batch(k), weights, biases, cases.RUN_ETA)
             for k in range(cases.RUN_STEPS)]
    return costs, weights, biases


def _cost_after(step):
    """The reference cost at the parameters the student's step left, or None."""
    y_in, y_target, _, _ = cases.train_inputs()
    try:
        weights = [to_array(w) for w in step["weights_after"]]
        biases = [to_array(b) for b in step["biases_after"]]
        f_df = cases.F_DF[cases.TRAIN_ACTIVATION]
        return ref.cost(ref.apply_net(y_in, weights, biases, f_df)[0], y_target)
    except Exception:  # noqa: BLE001 - malformed parameters have no cost
        return None


def _train_returned_cost(step, own, expected, relu_cost, label):
    """Failure of 'returns the cost before the update', and a note."""
    if step["error"]:
        if same_outcome(step, own, TRAIN_NET_PARTS):
            return None, ("train_net fails inside your own apply_net, cost, backprop or "
                          "gradient_step, which are graded on their own.")
        return error_failure("train_net", step["error"], label), ""
    ok, message = compare_array("train_net(...)", scalar(step["value"]), expected)
    if ok:
        if step["type"] in PYTHON_FLOAT_TYPES or step["type"] == own.get("type"):
            return None, ""
        return Failure("train_net.not_a_float", "", {"call": label, "type": step["type"]}), ""
    value = scalar(step["value"])
    if not own["error"] and close(value, scalar(own["value"])):
        return None, "train_net returns what your own cost gives, which is graded on its own."
    if close(value, _cost_after(step)):
        return Failure("train_net.returns_cost_after_update", message, {"call": label}), ""
    if close(value, relu_cost):
        return Failure("train_net.ignores_f_df", message, {"call": label}), ""
    return Failure("train_net.wrong_result", message, {"call": label}), ""


def _train_parameters(step, own, expected, relu_expected, start, label):
    """Failure of 'updates the parameters by one gradient step', the note, and
    whether the step equals the reference's."""
    got = [step["weights_after"], step["biases_after"]]
    ok, message = compare_arrays("weights", got[0], expected[0])
    if ok:
        ok, message = compare_arrays("biases", got[1], expected[1])
    if ok:
        return None, "", True
    if step["error"]:
        if same_outcome(step, own, TRAIN_NET_PARTS):
            return None, "", False
        return error_failure("train_net", step["error"], label), "", False
    if not own["error"] and close(got, [own["weights_after"], own["biases_after"]]):
        return None, ("train_net's update agrees with your own apply_net, backprop and "
                      "gradient_step, which are graded on their own."), False
    for misconception, candidate in (("train_net.no_update", start),
                                     ("train_net.ignores_f_df", relu_expected)):
        if close(got, list(candidate)):
            return Failure(misconception, message, {"call": label}), "", False
    return Failure("train_net.wrong_result", message, {"call": label}), "", False


def _train_run(run, label, check_costs):
    """Failure of the seeded 20-step run with the default f_df, or None.

    The returned costs are compared only when the one-step cost matched the
    reference: a cost consistent with the student's own (wrong) cost is
    charged to cost alone.
    """
    if run["error"]:
        return error_failure("train_net", run["error"], label)
    costs, weights, biases = reference_run()
    ok, message = compare_arrays("weights", run["weights_after"], weights, ATOL, 1e-6)
    if ok:
        ok, message = compare_arrays("biases", run["biases_after"], biases, ATOL, 1e-6)
    if ok and check_costs:
        returned = [scalar(c) for c in run["costs"]]
        ok, message = compare_array("the costs train_net returned", returned, costs, ATOL, 1e-6)
    return None if ok else Failure("train_net.wrong_result", message, {"call": label})


def judge_train_net(observations):
    aspects = [Aspect("returns the cost before the update", 1),
               Aspect("one gradient step per call; the cost falls over 20 seeded steps", 1)]
    verdict = unrunnable("train_net", observations, aspects)
    if verdict:
        return verdict
    label = (f"one step on a {list(cases.TRAIN_SIZES)} network, batch {cases.TRAIN_BATCH}, "
             f"eta = {cases.TRAIN_ETA}, f_df = sigmoid")
    run_label = (f"{cases.RUN_STEPS} steps on the lecture's problem, "
                 f"{list(cases.RUN_SIZES)} network, default f_df")
    step, own = observations["step"], observations["own"]
    f_df = cases.F_DF[cases.TRAIN_ACTIVATION]
    before, weights, biases = _train_expectation(f_df)
    relu_before, relu_weights, relu_biases = _train_expectation(ref.net_f_df_relu)
    _, _, start_weights, start_biases = cases.train_inputs()
    failure, note_cost = _train_returned_cost(step, own, before, relu_before, label)
    if failure:
        fail(aspects[0], failure)
    cost_exact = failure is None and not note_cost
    failure, note_step, exact = _train_parameters(
        step, own, (weights, biases), (relu_weights, relu_biases),
        (start_weights, start_biases), label)
    if failure is None and exact:
        failure = _train_run(observations["run"], run_label, cost_exact)
    if failure:
        fail(aspects[1], failure)
    costs = observations["run"]["costs"]
    trend = (f"Over the seeded run your train_net's cost went from {fmt(costs[0])} to "
             f"{fmt(costs[-1])}." if costs and not exact and failure is None else "")
    preface = " ".join(n for n in (note_cost, note_step, trend) if n)
    return build_verdict("train_net", aspects, preface=preface)


JUDGES = {
    "net_f_df_sigmoid": judge_net_f_df_sigmoid,
    "net_f_df_relu": judge_net_f_df_relu,
    "init_network": judge_init_network,
    "forward_step": judge_forward_step,
    "apply_net": judge_apply_net,
    "cost": judge_cost,
    "backward_step": judge_backward_step,
    "backprop": judge_backprop,
    "gradient_step": judge_gradient_step,
    "train_net": judge_train_net,
}
