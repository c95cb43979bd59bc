"""Judges for the activation functions: replay the probe's inputs on ``reference``.

Tolerance: |got - expected| <= 1e-9 + 1e-7 |expected| (the contract bounds
sigmoid's error by 1e-9; the others are exact formulas). A function fails a
call when it raises, edits its input in place, returns the wrong shape or
values, or (sigmoid and net_f_df_sigmoid only) emits a RuntimeWarning. A
wrong result is compared with known wrong implementations ("mutants") to
name the misconception.
The element-wise machinery here also serves net_f_df_sigmoid and
net_f_df_relu (numpy_net), which return pairs.
"""
import re

import numpy as np

import reference
import reference.activations as ref
from autograders.catalogue import catalogue
from autograders.compare import close, compare_array, to_array
from autograders.topics.activations import cases
from autograders.topics.aspects import Aspect, Failure, build_verdict, error_text

ATOL, RTOL = 1e-9, 1e-7
FRAME = re.compile(r'^  File ".*", line \d+, in (\w+)$', re.MULTILINE)  # a traceback line


def fail(aspect, failure):
    """Record a Failure on an aspect."""
    aspect.fail(failure.misconception, failure.note, **failure.facts)


def error_failure(item_id, error, label):
    """The Failure of a call that raised; notes when the error came from
    another graded function of the student's (it is charged here too, since
    this item's result is wrong, but the fix is there)."""
    frames = FRAME.findall(error.get("traceback", ""))
    inner = frames[-1] if frames else None
    note = ""
    if error.get("type") == "NotImplementedError":
        note = "the solution cell still holds the stub: replace its raise with your code"
    elif inner in reference.CONTRACT_NAMES and inner != item_id:
        note = f"the error is raised inside your {inner}, which is graded on its own"
    return Failure(f"{item_id}.error", note, {"call": label, "error": error_text(error)})


def unrunnable(item_id, observations, aspects):
    """The verdict when the probe could not call the function at all, else None.

    observations["error"] is the lookup's (a missing name has no traceback);
    observations["probe_error"] is anything else that stopped the probe.
    """
    error = observations.get("error") or observations.get("probe_error")
    if not error:
        return None
    if error.get("type") == "NameError" and not error.get("traceback"):
        failure = Failure(f"{item_id}.missing")
    else:
        failure = Failure(f"{item_id}.error", "",
                          {"error": error_text(error), "call": "the grader's inputs"})
    for aspect in aspects:
        fail(aspect, failure)
    return build_verdict(item_id, aspects)


def evaluate(function, args):
    """A known (right or wrong) implementation's output, quietly; None if it fails."""
    try:
        with np.errstate(all="ignore"):
            return function(*args)
    except Exception:  # noqa: BLE001 - a mutant that cannot run simply does not match
        return None


def check_call(item_id, call, args, expected, compare, mutants=(), warning_id=None,
               extra=None):
    """The Failures of one observed call: [] when it is right.

    compare(got, expected, args) -> (ok, message); mutants: [(misconception,
    function)]; warning_id: the misconception of a warning during the call
    (reported besides a wrong value: both are seen); extra(call, facts) ->
    Failure or None checks more once the values are right (a type, say).
    """
    facts = {"call": call["label"]}
    if call["error"]:
        return [error_failure(item_id, call["error"], call["label"])]
    if call.get("input_modified"):
        return [Failure(f"{item_id}.modifies_input", "", facts)]
    failures = []
    ok, message = compare(call["value"], expected, args)
    if not ok:
        failures.append(Failure(_wrong_value(item_id, call["value"], args, mutants),
                                message, facts))
    if warning_id and call["warnings"]:
        failures.append(Failure(warning_id, "", dict(facts, warning=call["warnings"][0])))
    if not failures and extra:
        failures.append(extra(call, facts))
    return [f for f in failures if f]


def _wrong_value(item_id, value, args, mutants):
    """The misconception a wrong value shows: a matching mutant, else generic."""
    for misconception, mutant in mutants:
        if close(value, evaluate(mutant, args), ATOL, RTOL):
            return misconception
    if f"{item_id}.not_finite" in catalogue() and _has_non_finite(value):
        return f"{item_id}.not_finite"
    return f"{item_id}.wrong_result"


def _has_non_finite(value):
    values = [value] if not isinstance(value, list) else value
    arrays = [to_array(v) for v in values]
    return any(a is not None and not np.all(np.isfinite(a)) for a in arrays)


def most_specific_first(failures):
    """Named misconceptions before the generic 'wrong result' and 'error'."""
    generic = (".wrong_result", ".error")
    return sorted(failures, key=lambda f: f.misconception.endswith(generic))


def judge_calls(item_id, observations, calls, reference_function, aspect_calls, compare,
                mutants=(), warning_id=None, extra=None):
    """Verdict for an element-wise item.

    calls: the probe's inputs, [(label, args)] (from the topic's cases);
    aspect_calls: [(aspect name, points, indices into calls)].
    """
    aspects = [Aspect(name, points) for name, points, _ in aspect_calls]
    verdict = unrunnable(item_id, observations, aspects)
    if verdict:
        return verdict
    observed = observations["calls"]
    for aspect, (_, _, indices) in zip(aspects, aspect_calls):
        failures = []
        for i in indices:
            (_, args), call = calls[i], observed[i]
            expected = evaluate(reference_function, args)
            failures += check_call(item_id, call, args, expected, compare, mutants,
                                   warning_id, extra)
        for failure in most_specific_first(failures):
            fail(aspect, failure)
    return build_verdict(item_id, aspects)


def array_compare(name, atol=ATOL, rtol=RTOL, with_inputs=True):
    """compare(got, expected, args) for a function returning one array.

    with_inputs: the result has the first argument's shape, so a message can
    say at which x a value is wrong.
    """
    def compare(got, expected, args):
        return compare_array(name, got, expected, atol, rtol,
                             inputs=args[0] if with_inputs else None)
    return compare


def _leaky_default(alpha):
    """leaky_relu whose default alpha is wrong; right when alpha is passed."""
    return lambda x, *given: ref.leaky_relu(x, *(given or (alpha,)))


def _exp_tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


MUTANTS = {
    "sigmoid": [("sigmoid.sign_flipped", lambda x: ref.sigmoid(-x))],
    "tanh": [("tanh.formula_overflows", _exp_tanh),
             ("tanh.missing_factor_two", lambda x: 2 * ref.sigmoid(x) - 1)],
    "relu": [],
    "leaky_relu": [
        ("leaky_relu.alpha_on_wrong_side", lambda x, alpha=0.01: np.where(x > 0, alpha * x, x)),
        ("leaky_relu.ignores_alpha", lambda x, *alpha: ref.leaky_relu(x)),
    ] + [("leaky_relu.wrong_default_alpha", _leaky_default(a))
         for a in (0.1, 0.05, 0.02, 0.001, 0.2, 0.0)],
    "linear": [],
    "step": [("step.wrong_value_at_zero", lambda x: np.where(x > 0, 1.0, 0.0)),
             ("step.wrong_value_at_zero", lambda x: np.heaviside(x, 0.5))],
}

ALL_CALLS = [("values on a grid including 0, on a 3-D array and at ±1e4", 1, (0, 1, 2))]


def judge_sigmoid(observations):
    return judge_calls(
        "sigmoid", observations, cases.calls("sigmoid"), ref.sigmoid,
        [("values on a grid including 0 and on a 3-D array", 1, (0, 1)),
         ("finite and free of RuntimeWarning at ±1e4", 1, (2,))],
        array_compare("sigmoid(x)"), MUTANTS["sigmoid"], warning_id="sigmoid.naive_overflow")


def _simple_judge(item_id, aspect_calls=ALL_CALLS):
    reference_function = getattr(ref, item_id)

    def judge(observations):
        return judge_calls(item_id, observations, cases.calls(item_id), reference_function,
                           aspect_calls, array_compare(f"{item_id}(x)"), MUTANTS[item_id])
    judge.__name__ = f"judge_{item_id}"
    return judge


JUDGES = {
    "sigmoid": judge_sigmoid,
    "tanh": _simple_judge("tanh"),
    "relu": _simple_judge("relu"),
    "leaky_relu": _simple_judge("leaky_relu", [
        ("values for the default alpha and for alpha = 0.2, 0 and 0.5", 1, tuple(range(6)))]),
    "linear": _simple_judge("linear"),
    "step": _simple_judge("step"),
}
