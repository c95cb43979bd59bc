"""Judge for train_and_evaluate: 8 points over eight aspects, per device.

Expected values come from running the same scenarios with
``reference.train_and_evaluate`` (cached: it never depends on the student).
Loss values are judged against the student's *own* logged trajectory, so one
mistake (say, a missing zero_grad) costs its own aspect and not every other.
Each device the probe ran on is judged alone; an aspect passes only if it
passes on every device.
"""
import functools

import numpy as np

import reference
from autograders.topics.aspects import Aspect, build_verdict, error_text
from autograders.topics.training import mutants, scenarios
from autograders.topics.training.scenarios import TRAIN, VAL

ITEM = "train_and_evaluate"
ASPECTS = (
    ("trajectory", "parameter trajectory of SGD on the MSE loss (zero_grad, lr)", 2.0),
    ("train_losses", "training losses: size-weighted mean, before each update", 1.0),
    ("val_losses", "validation losses: size-weighted mean after each epoch", 1.0),
    ("modes", "train mode for training, eval mode for validation", 0.5),
    ("no_graph", "validation without building a graph", 0.5),
    ("stopping", "best_epoch, stopped_epoch, patience and ties", 1.5),
    ("best_weights", "best weights restored on return, not aliased", 1.0),
    ("returns", "Python floats, no files written, model and batches on the device", 0.5),
)
SUPPORTING = ("returns",)  # earns its points only beside a passing core aspect
FIT_ASPECTS = ("trajectory", "train_losses", "val_losses", "modes", "no_graph")
RESULT_ASPECTS = ("train_losses", "val_losses", "stopping", "returns")
STATE_RTOL, STATE_ATOL = 1e-4, 1e-6
LOSS_RTOL, LOSS_ATOL = 2e-4, 1e-6


# ------------------------------------------------------------------ reading a log
class ParsedRun:
    """A scenario's log cut into epochs: each epoch is a run of training calls
    followed by the validation calls after it (leading validation is ignored)."""

    def __init__(self, observations):
        log = observations["log"]
        self.kind, self.training, self.grad = log["kind"], log["training"], log["grad"]
        self.on_device = log["on_device"]
        offsets = log["id_offsets"]
        self.ids = [tuple(int(i) for i in log["ids"][a:b]) for a, b in zip(offsets[:-1], offsets[1:])]
        self.states = np.asarray(log["states"], dtype=np.float64)
        self.epochs = []
        train = []
        for index, kind in enumerate(self.kind):
            if kind == TRAIN:
                train.append(index)
            elif train:
                self.epochs.append({"train": train, "val": [index]})
                train = []
            elif self.epochs:
                self.epochs[-1]["val"].append(index)

    @property
    def epoch_end_states(self):
        return [self.states[e["val"][0]] for e in self.epochs]


def close(a, b, rtol=STATE_RTOL, atol=STATE_ATOL):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def first_mismatch(got, want):
    """Index of the first epoch whose state differs (or is missing); None if equal."""
    for i in range(max(len(got), len(want))):
        if i >= len(got) or i >= len(want) or not close(got[i], want[i]):
            return i
    return None


# ------------------------------------------------------------------ reference runs
@functools.lru_cache(maxsize=None)
def reference_runs():
    """The scenarios run with the reference on the CPU (deterministic)."""
    return scenarios.run_scenarios(reference.train_and_evaluate, "cpu")


@functools.lru_cache(maxsize=None)
def mutant_fit_states(index):
    """Epoch-end states of the fit scenario under TRAJECTORY_MUTANTS[index]."""
    trainer = mutants.TRAJECTORY_MUTANTS[index][2]
    model, train_loader, val_loader = scenarios.fit_setup("cpu")
    observed = scenarios.run(trainer, model, train_loader, val_loader, scenarios.FIT_EPOCHS,
                             scenarios.FIT_LR, False, 5, "cpu")
    return ParsedRun(observed).epoch_end_states


def reference_result(name=None):
    runs = reference_runs()
    run = runs["fit"] if name is None else runs["scripted"][name]
    return run["result"]


# ------------------------------------------------------------------ loss candidates
def _mse(state, ids):
    x, y = scenarios.fit_data()
    ids = list(ids)
    return float(np.mean((scenarios.fit_forward(state, x[ids]) - y[ids]) ** 2))


def _batch_states(run, epoch):
    """Pre-update state for each training batch of one epoch (None if not found)."""
    train_batches, _ = scenarios.fit_batches()
    events = [i for i in run.epochs[epoch]["train"] if run.grad[i]]
    states = []
    for ids in train_batches:
        match = next((i for i in events if run.ids[i] == tuple(ids)), None)
        if match is None:
            return None
        states.append(run.states[match])
    return states


def train_candidates(run):
    """{misconception or "correct": per-epoch training losses} from the student's log."""
    train_batches, _ = scenarios.fit_batches()
    sizes = np.array([len(b) for b in train_batches], dtype=np.float64)
    total = sizes.sum()
    found = {k: [] for k in ("correct", "train_and_evaluate.mean_of_batch_means",
                             "train_and_evaluate.divided_by_batches",
                             "train_and_evaluate.loss_not_weighted",
                             "train_and_evaluate.train_loss_after_update",
                             "train_and_evaluate.train_loss_after_epoch",
                             "train_and_evaluate.train_loss_last_batch")}
    ends = run.epoch_end_states
    for epoch in range(len(run.epochs)):
        pre = _batch_states(run, epoch)
        if pre is None:
            return None
        post = pre[1:] + [ends[epoch]]
        before = np.array([_mse(s, ids) for s, ids in zip(pre, train_batches)])
        after = np.array([_mse(s, ids) for s, ids in zip(post, train_batches)])
        at_end = np.array([_mse(ends[epoch], ids) for ids in train_batches])
        found["correct"].append(float((sizes * before).sum() / total))
        found["train_and_evaluate.mean_of_batch_means"].append(float(before.mean()))
        found["train_and_evaluate.divided_by_batches"].append(float((sizes * before).sum() / len(sizes)))
        found["train_and_evaluate.loss_not_weighted"].append(float(before.sum() / total))
        found["train_and_evaluate.train_loss_after_update"].append(float((sizes * after).sum() / total))
        found["train_and_evaluate.train_loss_after_epoch"].append(float((sizes * at_end).sum() / total))
        found["train_and_evaluate.train_loss_last_batch"].append(float(before[-1]))
    return found


def val_candidates(run):
    """{misconception or "correct": per-epoch validation losses} from the student's log."""
    _, val_batches = scenarios.fit_batches()
    sizes = np.array([len(b) for b in val_batches], dtype=np.float64)
    total = sizes.sum()
    found = {k: [] for k in ("correct", "train_and_evaluate.mean_of_batch_means",
                             "train_and_evaluate.divided_by_batches",
                             "train_and_evaluate.loss_not_weighted",
                             "train_and_evaluate.val_loss_before_update")}
    for epoch in run.epochs:
        end, start = run.states[epoch["val"][0]], run.states[epoch["train"][0]]
        losses = np.array([_mse(end, ids) for ids in val_batches])
        before = np.array([_mse(start, ids) for ids in val_batches])
        found["correct"].append(float((sizes * losses).sum() / total))
        found["train_and_evaluate.mean_of_batch_means"].append(float(losses.mean()))
        found["train_and_evaluate.divided_by_batches"].append(float((sizes * losses).sum() / len(sizes)))
        found["train_and_evaluate.loss_not_weighted"].append(float(losses.sum() / total))
        found["train_and_evaluate.val_loss_before_update"].append(float((sizes * before).sum() / total))
    return found


def _first_difference(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g is None or not np.isclose(g, w, rtol=LOSS_RTOL, atol=LOSS_ATOL):
            return i
    return 0


def judge_losses(aspect, values, candidates, which, wrong_id):
    """Match the student's per-epoch losses against the candidate definitions."""
    if candidates is None:
        aspect.fail(wrong_id, epoch=1, expected="(see the trajectory)", got="(no batches found)",
                    note="the training batches could not be found in the calls to the model")
        return
    expected = candidates["correct"]
    if len(values) != len(expected):
        aspect.fail("train_and_evaluate.losses_length", got=len(values), expected=len(expected))
        return
    numeric = [v for v in values if v is not None]
    if len(numeric) == len(values) and close(values, expected, LOSS_RTOL, LOSS_ATOL):
        return
    for misconception, candidate in candidates.items():
        if misconception != "correct" and len(numeric) == len(values) and close(
                values, candidate, LOSS_RTOL, LOSS_ATOL) and not close(candidate, expected, LOSS_RTOL, LOSS_ATOL):
            aspect.fail(misconception, which=which)
            return
    i = _first_difference(values, expected)
    aspect.fail(wrong_id, epoch=i + 1, expected=f"{expected[i]:.6g}",
                got="None" if values[i] is None else f"{values[i]:.6g}")


# ------------------------------------------------------------------ one device
def _call_text(name, device):
    if name is None:
        return (f"a small network for {scenarios.FIT_EPOCHS} epochs, lr={scenarios.FIT_LR}, "
                f"early_stop=False, device='{device}'")
    s = scenarios.SCRIPTED[name]
    passed = "".join(f"{k}={getattr(s, k)}, " for k in ("early_stop", "patience")
                     if k not in s.omit)
    return f"{s.what} (epochs={s.epochs}, {passed}device='{device}')"


def _result_problem(result):
    """None if the returned value has the contract's shape; else a description."""
    if result is None:
        return None
    if not result["is_dict"]:
        return "None" if result["type"] == "NoneType" else f"a {result['type']}"
    missing = [k for k in scenarios.RESULT_KEYS if k not in result["keys"]]
    if missing:
        return "a dict without " + ", ".join(missing)
    for key in ("train_losses", "val_losses"):
        if result[key]["values"] is None:
            return f"{key} that is not a list"
    for key in ("best_epoch", "stopped_epoch"):
        if result[key]["value"] is None:
            return f"a {key} that is not a number ({result[key]['type']})"
    return None


def judge_device(observations):
    """The eight aspects for one device's observations."""
    device = observations["device"]
    aspects = {key: Aspect(label, points, supporting=key in SUPPORTING)
               for key, label, points in ASPECTS}
    fit = observations["fit"]
    scripted = observations["scripted"]

    # Crashes and malformed returns first: they decide what can still be judged.
    if fit["error"]:
        for key in FIT_ASPECTS:
            aspects[key].fail(f"{ITEM}.error", error=error_text(fit["error"]), call=_call_text(None, device))
    crashed = next(((n, o) for n, o in scripted.items() if o["error"]), None)
    if crashed:
        for key in ("stopping", "best_weights"):
            aspects[key].fail(f"{ITEM}.error", error=error_text(crashed[1]["error"]),
                              call=_call_text(crashed[0], device))
    for name, run in [(None, fit), *scripted.items()]:
        problem = _result_problem(run["result"])
        if problem:
            for key in RESULT_ASPECTS:
                aspects[key].fail(f"{ITEM}.bad_return", got=problem)
            break

    fit_run = ParsedRun(fit)
    runs = {name: ParsedRun(o) for name, o in scripted.items()}
    all_runs = [fit_run, *runs.values()]

    # Nothing observed is no evidence of right behaviour: aspects fail, not pass.
    if not any(run.epochs for run in all_runs) and not fit["error"]:
        trained = any((run.kind == TRAIN).any() for run in all_runs)
        which = "validation" if trained else "training"
        for key in ("trajectory", "modes", "no_graph", "best_weights"):
            aspects[key].fail(f"{ITEM}.model_not_called", which=which)
    if all(o["error"] for o in [fit, *scripted.values()]):
        aspects["returns"].fail(f"{ITEM}.error", error=error_text(fit["error"]),
                                call=_call_text(None, device))

    # Trajectory: epoch-end parameters against the reference's.
    if not fit["error"] and fit_run.epochs:
        want = ParsedRun(reference_runs()["fit"]).epoch_end_states
        got = fit_run.epoch_end_states
        k = first_mismatch(got, want)
        if k is not None:
            for index, (misconception, how, _trainer) in enumerate(mutants.TRAJECTORY_MUTANTS):
                if first_mismatch(got, mutant_fit_states(index)) is None:
                    aspects["trajectory"].fail(misconception, how=how)
                    break
            else:
                aspects["trajectory"].fail(f"{ITEM}.trajectory_differs", epoch=k + 1)

    # Loss values, against the student's own trajectory.
    if not fit["error"] and fit["result"] and not _result_problem(fit["result"]):
        result = fit["result"]
        judge_losses(aspects["train_losses"], result["train_losses"]["values"],
                     train_candidates(fit_run) if fit_run.epochs else None,
                     "training", f"{ITEM}.train_loss_wrong")
        judge_losses(aspects["val_losses"], result["val_losses"]["values"],
                     val_candidates(fit_run) if fit_run.epochs else None,
                     "validation", f"{ITEM}.val_loss_wrong")
        for name, observed in scripted.items():
            if aspects["val_losses"].failures:
                break
            if observed["error"] or _result_problem(observed["result"]):
                continue
            got = observed["result"]["val_losses"]["values"]
            want = scenarios.SCRIPTED[name].val_losses
            for i, (g, w) in enumerate(zip(got, want)):
                if g is None or not np.isclose(g, w, rtol=1e-6, atol=1e-9):
                    aspects["val_losses"].fail(f"{ITEM}.val_loss_wrong", epoch=i + 1, expected=w,
                                               got=g, note=f"in {scenarios.SCRIPTED[name].what}")
                    break

    # Modes and graphs, over every call of every scenario.
    for run in all_runs:
        val = run.kind == VAL
        trained = (run.kind == TRAIN) & (run.grad == 1)
        if (run.training[val] == 1).any():
            aspects["modes"].fail(f"{ITEM}.val_train_mode")
        if (run.training[trained] == 0).any():
            aspects["modes"].fail(f"{ITEM}.train_mode_not_restored")
        if (run.grad[val] == 1).any():
            aspects["no_graph"].fail(f"{ITEM}.val_builds_graph")

    # Early stopping: (best_epoch, stopped_epoch, epochs run) per scripted run.
    if not crashed and not aspects["stopping"].misconception:
        judge_stopping(aspects["stopping"], fit, scripted)

    # Best weights: the final state is the state at the end of best_epoch.
    if not crashed and not aspects["best_weights"].failures:
        judge_best_weights(aspects["best_weights"], scripted, runs)

    # Returns and side effects.
    for run_obs in [fit, *scripted.values()]:
        result = run_obs["result"]
        if result and not _result_problem(result):
            types = result["train_losses"]["types"] + result["val_losses"]["types"]
            bad = [t for t in types if t != "float"]
            if bad:
                aspects["returns"].fail(f"{ITEM}.losses_not_floats", got=bad[0])
    files = sorted({f for run_obs in [fit, *scripted.values()] for f in run_obs["files"]})
    if files:
        aspects["returns"].fail(f"{ITEM}.writes_files", got=", ".join(files[:5]))
    if any((run.on_device == 0).any() for run in all_runs):
        aspects["returns"].fail(f"{ITEM}.ignores_device", device=repr(device))
    return [aspects[key] for key, _label, _points in ASPECTS]


def _triple(result):
    return (result["best_epoch"]["value"], result["stopped_epoch"]["value"],
            len(result["val_losses"]["values"]))


def _fit_expected(result):
    """(best_epoch, stopped_epoch, epochs run) the plain run's own losses imply."""
    values = result["val_losses"]["values"]
    if len(values) != scenarios.FIT_EPOCHS or any(v is None for v in values):
        return (None, scenarios.FIT_EPOCHS, scenarios.FIT_EPOCHS)
    return mutants.simulate(values, scenarios.FIT_EPOCHS, False, 5)


def judge_stopping(aspect, fit, scripted):
    expected = {name: _triple(reference_result(name)) for name in scripted}
    got = {name: _triple(o["result"]) for name, o in scripted.items()}
    wrong = [name for name in scripted if got[name] != expected[name]]
    lengths = [name for name, o in scripted.items()
               if len(o["result"]["train_losses"]["values"]) != got[name][2]]
    # The plain run is judged on the student's own validation losses: a different
    # trajectory (judged elsewhere) legitimately moves the best epoch.
    fit_ok = not fit["error"] and fit["result"] and not _result_problem(fit["result"])
    fit_expected = _fit_expected(fit["result"]) if fit_ok else None
    if fit_ok and _triple(fit["result"]) != fit_expected:
        wrong.insert(0, None)
    if not wrong and not lengths:
        return
    if not wrong:
        o = scripted[lengths[0]]["result"]
        aspect.fail(f"{ITEM}.losses_length", got=len(o["train_losses"]["values"]),
                    expected=got[lengths[0]][2])
        return
    first = next((n for n in wrong if n is not None), None)

    def case(name):
        if name is None:
            return "the plain training run"
        s = scenarios.SCRIPTED[name]
        return (f"{s.what}, validation losses {s.val_losses}: expected "
                f"{_fmt_triple(expected[name])}; got {_fmt_triple(got[name])}")

    for misconception, how, options in mutants.STOPPING_MUTANTS:
        if all(mutants.simulate(s.val_losses, s.epochs, s.early_stop, s.patience, **options)
               == got[name] for name, s in scenarios.SCRIPTED.items() if name in got):
            aspect.fail(misconception, how=how, case=case(first))
            return
    if first is None:
        aspect.fail(f"{ITEM}.early_stopping_wrong",
                    case=f"a plain run of {scenarios.FIT_EPOCHS} epochs without early stopping",
                    expected=_fmt_triple(fit_expected), got=_fmt_triple(_triple(fit["result"])))
    else:
        s = scenarios.SCRIPTED[first]
        aspect.fail(f"{ITEM}.early_stopping_wrong",
                    case=f"{s.what} (validation losses {s.val_losses})",
                    expected=_fmt_triple(expected[first]), got=_fmt_triple(got[first]))


def _fmt_triple(triple):
    best, stopped, run = triple
    show = lambda v: "?" if v is None else f"{v:g}"  # noqa: E731
    return f"best_epoch={show(best)}, stopped_epoch={show(stopped)}, {run} epochs run"


def judge_best_weights(aspect, scripted, runs):
    for name, observed in scripted.items():
        best, stopped, _ = _triple(reference_result(name))
        if best == stopped:
            continue
        run = runs[name]
        ends = run.epoch_end_states
        final = observed["final_state"]
        allowed = {int(best) - 1}
        result = observed["result"]
        if result and not _result_problem(result):
            student_best = result["best_epoch"]["value"]
            if float(student_best).is_integer():
                allowed.add(int(student_best) - 1)
        if any(0 <= i < len(ends) and close(final, ends[i]) for i in allowed):
            continue
        what = scenarios.SCRIPTED[name].what
        p = scenarios.SCRIPTED_PARAMETERS
        if ends and close(final, ends[-1]):
            if observed["loads"] == 0:
                aspect.fail(f"{ITEM}.best_not_restored", case=what)
            else:
                aspect.fail(f"{ITEM}.best_state_aliased", case=what)
        elif any(0 <= i < len(ends) and close(final[:p], ends[i][:p]) for i in allowed):
            aspect.fail(f"{ITEM}.buffers_not_restored", case=what)
        else:
            aspect.fail(f"{ITEM}.restored_wrong_epoch", case=what)
        return


# ------------------------------------------------------------------ the item
def judge_train_and_evaluate(observations):
    aspects = [Aspect(label, points, supporting=key in SUPPORTING)
               for key, label, points in ASPECTS]
    if "missing" in observations:
        for aspect in aspects:
            aspect.fail(f"{ITEM}.missing")
        return build_verdict(ITEM, aspects)
    if "probe_error" in observations:
        for aspect in aspects:
            aspect.fail(f"{ITEM}.error", error=error_text(observations["probe_error"]),
                        call="the grader's scenarios")
        return build_verdict(ITEM, aspects)
    per_device = {device: judge_device(o) for device, o in observations["devices"].items()}
    devices = list(per_device)
    for index, aspect in enumerate(aspects):
        for device in devices:
            for failure in per_device[device][index].failures:
                note = failure.note
                if len(devices) > 1:
                    note = f"on {device}" + (f"; {note}" if note else "")
                aspect.fail(failure.misconception, note, **failure.facts)
    if devices == ["cpu"]:
        preface = "Checked on the CPU only (no CUDA device on the grading machine)."
    else:
        preface = "Checked on: " + ", ".join(devices) + "; every device must pass."
    verdict = build_verdict(ITEM, aspects, preface)
    verdict.details["loss_curves"] = loss_curves(observations["devices"][devices[0]]["fit"])
    verdict.details["devices"] = {
        device: [{"name": a.name, "passed": a.passed, "misconceptions": a.misconceptions}
                 for a in found]
        for device, found in per_device.items()
    }
    return verdict


def loss_curves(fit):
    """The plain run's per-epoch losses, the student's beside the reference's.

    For the feedback page's plot; a side that crashed or returned something
    else than the contract's dict is None, and non-numbers are None.
    """
    def curves(result):
        if not result or _result_problem(result):
            return None
        return {key: [v if v is not None and np.isfinite(v) else None
                      for v in result[key]["values"][:scenarios.FIT_EPOCHS * 10]]
                for key in ("train_losses", "val_losses")}
    return {"student": None if fit["error"] else curves(fit["result"]),
            "reference": curves(reference_result()), "epochs": scenarios.FIT_EPOCHS,
            "lr": scenarios.FIT_LR}


JUDGES = {ITEM: judge_train_and_evaluate}
# The reference's scenario runs never depend on the student: the engine computes them
# while the sandbox's workers start (the first optimiser of a process imports torch._dynamo: ~1 s).
WARM = (reference_runs,)
