"""Judges for the settings dictionaries: run them with the reference, judge curves.

Only numbers cross from the student: the probe copies the dict, and this
trusted judge validates it against the fields of
``reference.experiments.ExperimentSettings``, refuses runs above the budgets
below (so a reference run's time is bounded by its settings, deterministically),
runs the experiment with the *reference* implementation
(``reference.experiments.run_experiment``, cached per distinct settings; trained
by exact_trainer.py, the reference's arithmetic without autograd's overhead,
on batches gathered by indexing, see indexed_loader.py) and
judges by properties of the loss curves, computed with the helpers
``reference.experiments`` exposes (training_cost, relative_final_losses,
overfitting_rise, training_drop_after_best, stopped_fraction,
validation_loss), so that the notebook's text, the reference tests and this
judge share one definition.

Properties (thresholds below, taken from reference.experiments when it
defines them):
- under-fitting: at the end, the training and the validation loss, each
  relative to the variance of the noise-free target and less the noise's
  share (noise_std**2 / that variance, the floor no model can beat), both
  stay at or above UNDERFIT_THRESHOLD (0.5: the model explains less than
  half of what predicting the mean leaves);
- over-fitting: early_stop off; the validation loss ends at least
  OVERFIT_MIN_RISE (15 %) above its minimum, while the training loss ends
  below its value at the best epoch;
- early stopping: early_stop on; the run stops at best_epoch + patience, at
  most EARLY_FRACTION (80 %) of the way through its epochs, and hands back the
  model of the best epoch (its validation loss is the best one).
"""
import dataclasses
import functools
import math

import torch

import reference.experiments as experiments
from autograders.reference_runs import ReferenceCache
from autograders.topics.fitting import exact_trainer
from autograders.topics.aspects import Aspect, build_verdict

SETTINGS_CLASS = experiments.ExperimentSettings
FIELDS = {f.name: f for f in dataclasses.fields(SETTINGS_CLASS)}
KINDS = {"str": str, "int": int, "float": float, "bool": bool}
MODELS = tuple(experiments.MODELS)
MAX_POINTS = 2000  # larger data sets are refused before any run

# What a reference run may cost; each budget bounds one part of its time, so every
# accepted run is cheap whatever the settings: measured side by side (one thread,
# the 2-core test machine), the worst accepted runs (batch 1 at the step budget, or
# all three budgets at their limits at once) take 1.2 times as long as the
# reference over-fitting run (0.8 s unloaded).
# - SGD steps (epochs x training batches): at most 1.5 times those of the
#   reference over-fitting run, the figure the notebook states (3750).
STEP_BUDGET = getattr(experiments, "OVERFIT_BUDGET",
                      int(1.5 * experiments.training_cost(experiments.OVERFIT)))
# - validation batches (epochs x validation batches): each epoch's validation pass
#   costs a forward pass per batch (batch 1 on 8 points: 3748 steps and 3748
#   validation batches, about 3 s; without this budget a tiny training split,
#   batch 1 and 2000 validation points fitted the step budget and took minutes).
VALIDATION_BUDGET = STEP_BUDGET
# - points through the network (epochs x n_points, training and validation):
#   large batches are few steps but each costs its points (125 full-batch epochs
#   on 2000 points: about 3 s; 3750 of them took 27 s). The notebooks' settings use
#   at most 80 000.
POINT_BUDGET = 250_000
# Seeds seed torch.Generator and torch.manual_seed, which take at most 2**64 - 1.
MAX_SEED = 2**64 - 1
# The weights are float32: a larger learning rate cannot even scale a gradient.
MAX_LR = float(torch.finfo(torch.float32).max)
UNDERFIT_THRESHOLD = getattr(experiments, "UNDERFIT_THRESHOLD", 0.5)
OVERFIT_MIN_RISE = getattr(experiments, "OVERFIT_MIN_RISE", 0.15)
EARLY_FRACTION = getattr(experiments, "EARLY_STOP_FRACTION", 0.8)


# ------------------------------------------------------------------ validation
def _kind(name):
    kind = FIELDS[name].type
    return kind if isinstance(kind, type) else KINDS[str(kind)]


def _article(word):
    return "an" if word[0] in "aeiou" else "a"


def _count(number):
    """A count for a message: its digits, or a bound for one too long to read."""
    return str(number) if number <= 10**12 else "more than 10^12"


def validate(item, observations):
    """(settings dict of Python values, None) or (None, (misconception, facts)).

    All eleven keys are required, as the notebook's table and visible test say.
    Values are compared, not types: an int-valued float is a fine int, an int a
    fine float; strings, None and bools for numbers are not.
    """
    if observations.get("probe_error") or observations.get("missing"):
        return None, (f"{item}.missing", {})
    if not observations["is_dict"]:
        return None, (f"{item}.not_dict", {"got": observations["type"]})
    entries = observations["entries"]
    missing = sorted(set(FIELDS) - set(entries))
    unknown = sorted(set(entries) - set(FIELDS))
    if missing or unknown:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(unknown)}"] if unknown else [])
        return None, (f"{item}.keys", {"got": "; ".join(parts)})
    settings = {}
    for name in FIELDS:
        value, kind = entries[name]["value"], _kind(name)
        bad = (f"{name!r} must be {_article(kind.__name__)} {kind.__name__}, "
               f"not {_article(entries[name]['type'])} {entries[name]['type']}")
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is bool and not isinstance(value, bool):
            return None, (f"{item}.bad_value", {"got": bad})
        if kind is int:
            if not numeric or (isinstance(value, float) and not value.is_integer()):
                return None, (f"{item}.bad_value", {"got": bad})
            value = int(value)
        if kind is float:
            if not numeric:
                return None, (f"{item}.bad_value", {"got": bad})
            try:
                value = float(value)
            except OverflowError:  # an int beyond the largest float
                return None, (f"{item}.bad_value", {"got": f"{name!r} is too large for a float"})
            if not math.isfinite(value):
                return None, (f"{item}.bad_value", {"got": bad})
        if kind is str and not isinstance(value, str):
            return None, (f"{item}.bad_value", {"got": bad})
        settings[name] = value
    s = settings
    for wrong, text in (
        (s["model"] not in MODELS, f"'model' must be one of {', '.join(MODELS)}, not {s['model']!r}"),
        (not 0 < s["val_fraction"] < 1, "'val_fraction' must lie strictly between 0 and 1"),
        (s["n_points"] < 2, "'n_points' must be at least 2"),
        (s["batch_size"] < 1, "'batch_size' must be at least 1"),
        (s["epochs"] < 1, "'epochs' must be at least 1"),
        (s["patience"] < 1, "'patience' must be at least 1"),
        (s["lr"] <= 0, "'lr' must be positive"),
        (s["noise_std"] < 0, "'noise_std' must not be negative"),
        (min(s["data_seed"], s["model_seed"]) < 0, "the seeds must not be negative"),
        (s["data_seed"] > MAX_SEED, f"'data_seed' must be at most {MAX_SEED} (torch's seeds)"),
        (s["model_seed"] > MAX_SEED, f"'model_seed' must be at most {MAX_SEED} (torch's seeds)"),
        (s["lr"] > MAX_LR, f"'lr' must be at most {MAX_LR:.3g}, the largest float32"),
    ):
        if wrong:
            return None, (f"{item}.bad_value", {"got": text})
    try:
        n_val = int(s["val_fraction"] * s["n_points"])
    except OverflowError:  # n_points beyond the largest float
        return None, (f"{item}.too_expensive", {
            "got": f"'n_points' = {_count(s['n_points'])}", "budget": f"{MAX_POINTS} points"})
    if not 1 <= n_val < s["n_points"]:
        return None, (f"{item}.bad_value", {
            "got": f"int(val_fraction * n_points) = {n_val} leaves no validation or no "
                   "training points"})
    # A batch larger than its set is the whole set, as DataLoader makes it; torch's
    # BatchSampler refuses sizes above sys.maxsize, so the run gets the set's size.
    s["batch_size"] = min(s["batch_size"], s["n_points"])
    return _within_budgets(item, s)


def _within_budgets(item, s):
    """(settings, None) for settings whose run fits every budget, else (None, problem)."""
    steps = experiments.training_cost(SETTINGS_CLASS(**s))
    n_val = int(s["val_fraction"] * s["n_points"])
    validation_batches = s["epochs"] * -(-n_val // s["batch_size"])
    points = s["epochs"] * s["n_points"]
    for over, got, budget in (
        (s["n_points"] > MAX_POINTS or steps > STEP_BUDGET,
         f"{_count(steps)} SGD steps (epochs times training batches per epoch) on "
         f"{_count(s['n_points'])} points", f"{STEP_BUDGET} steps and {MAX_POINTS} points"),
        (validation_batches > VALIDATION_BUDGET,
         f"{_count(validation_batches)} validation batches (epochs times validation batches "
         f"per epoch: {n_val} validation points in batches of {s['batch_size']})",
         f"{VALIDATION_BUDGET} validation batches"),
        (points > POINT_BUDGET,
         f"{_count(points)} points through the network ('epochs' times 'n_points')",
         f"{POINT_BUDGET} points"),
    ):
        if over:
            return None, (f"{item}.too_expensive", {"got": got, "budget": budget})
    return s, None


# ------------------------------------------------------------------ running
def _finite(history):
    return all(math.isfinite(v) for v in history["train_losses"] + history["val_losses"])


def _reference_run(frozen):
    """(history, validation loss of the model handed back) of the reference run of
    frozen settings (sorted (name, value) pairs, see _run_key); module-level, so that
    the engine can compute it ahead in another process (autograders.reference_runs)."""
    settings = SETTINGS_CLASS(**dict(frozen))
    model, _dataset, history = experiments.run_experiment(
        settings, trainer=exact_trainer.train_and_evaluate)
    # The validation loss of the model the run hands back (its kept weights).
    kept = experiments.validation_loss(model, settings) if _finite(history) else None
    return history, kept


def _run_key(settings):
    """The cache key of the reference run of validated settings: sorted (name, value)
    pairs, without patience when early stopping is off (it changes nothing then)."""
    return tuple(sorted((name, value) for name, value in settings.items()
                        if settings["early_stop"] or name != "patience"))


# The invariant that makes early stopping free: train_and_evaluate's epochs do
# not depend on early_stop and patience (they only decide when to break), so a
# run with early stopping is the run without it, cut at the first epoch where
# `patience` epochs in a row brought no strictly lower validation loss; its best
# epoch is the best of that prefix, and the model it hands back holds that
# epoch's weights, whose validation loss training measured at that epoch.
# tests/autograders/test_fitting_runs.py checks cut runs against full ones.
def _without_early_stop(key):
    """(key of the same run without early stopping, cut) for a run with early stopping."""
    settings = dict(key)
    if not settings.get("early_stop"):
        return None
    full = {name: value for name, value in settings.items() if name != "patience"}
    return _run_key(dict(full, early_stop=False)), functools.partial(
        cut_at_early_stop, patience=settings["patience"])


def cut_at_early_stop(run, patience):
    """The (history, kept validation loss) early stopping with patience makes of a
    run without early stopping, following reference.training.train_and_evaluate."""
    history, _kept = run
    val = history["val_losses"]
    best_loss, best_epoch, without_improvement = math.inf, 0, 0
    for epoch, loss in enumerate(val, start=1):
        if best_epoch == 0 or loss < best_loss:  # the first epoch is always the best so far
            best_loss, best_epoch, without_improvement = loss, epoch, 0
        else:
            without_improvement += 1
            if without_improvement >= patience:
                break
    cut = {"train_losses": history["train_losses"][:epoch], "val_losses": val[:epoch],
           "best_epoch": best_epoch, "stopped_epoch": epoch}
    return cut, (val[best_epoch - 1] if _finite(cut) else None)


# Runs are deterministic: one per settings.
REFERENCE_RUNS = ReferenceCache(_reference_run, derive=_without_early_stop)


def run(settings):
    """(history, validation loss of the model handed back) of the reference run
    of validated settings; cached."""
    return REFERENCE_RUNS.get(_run_key(settings))


def _curve_facts(history):
    """The run's curves in one line, for messages."""
    v, t, b = history["val_losses"], history["train_losses"], history["best_epoch"]
    return (f"validation loss {min(v):.3g} at the best epoch {b}, {v[-1]:.3g} at the last "
            f"epoch {len(v)} ({100 * experiments.overfitting_rise(history):+.0f} %); training "
            f"loss {t[b - 1]:.3g} at the best epoch, {t[-1]:.3g} at the last")


# Misconceptions that fail every aspect before anything runs, by item.
EARLY_CHECKS = {
    "overfit_settings": lambda s: "overfit_settings.early_stop_on" if s["early_stop"] else None,
    "early_stop_settings": lambda s: None if s["early_stop"] else "early_stop_settings.not_enabled",
}


def _runs_needed(item):
    """keys_of(observations): the reference run the item's judge will look up, if any."""
    def keys_of(observations):
        settings, problem = validate(item, observations)
        check = EARLY_CHECKS.get(item)
        if problem or (check and check(settings)):
            return ()
        return (_run_key(settings),)
    return keys_of


def _prepare(item, observations, aspects):
    """(settings, history) of a valid run; otherwise the aspects are failed."""
    settings, problem = validate(item, observations)
    if problem:
        misconception, facts = problem
        for aspect in aspects:
            aspect.fail(misconception, **facts)
        return None, None, problem
    check = EARLY_CHECKS.get(item)
    early = check(settings) if check else None
    if early:
        for aspect in aspects:
            aspect.fail(early)
        return settings, None, None
    history, kept = run(settings)
    if not _finite(history):
        for aspect in aspects[1:]:
            aspect.fail(f"{item}.diverged")
        return settings, None, None
    return settings, dict(history, kept_val_loss=kept), None


# ------------------------------------------------------------------ the items
def judge_underfit(observations):
    item = "underfit_settings"
    aspects = [Aspect("eleven valid settings within the step budget",
                      0.5, supporting=True),
               Aspect(f"both final losses at least {UNDERFIT_THRESHOLD:g} times the target's "
                      "variance (above the noise)", 1.5)]
    settings, history, _ = _prepare(item, observations, aspects)
    if history is None:
        return build_verdict(item, aspects)
    variance = experiments.target_variance()
    floor = settings["noise_std"] ** 2 / variance
    relative = dict(zip(("training", "validation"), experiments.relative_final_losses(history)))
    which = min(relative, key=relative.get)
    if relative[which] - floor < UNDERFIT_THRESHOLD:
        got = f"{relative[which] * variance:.3g} ({relative[which]:.2f} times the variance " \
              f"{variance:.3g} of the noise-free target" + (
                  f"; the noise alone accounts for {floor:.2f})" if floor else ")")
        aspects[1].fail(f"{item}.not_underfit", which=which, got=got,
                        threshold=f"{UNDERFIT_THRESHOLD:g} times that variance" + (
                            " above the noise" if floor else ""))
    return build_verdict(item, aspects)


def judge_overfit(observations):
    item = "overfit_settings"
    aspects = [Aspect("eleven valid settings within the step budget, early stopping off",
                      0.5, supporting=True),
               Aspect(f"validation loss ends at least {OVERFIT_MIN_RISE:.0%} above its minimum",
                      1.5),
               Aspect("training loss keeps falling after the best epoch", 1.0)]
    settings, history, problem = _prepare(item, observations, aspects)
    noise = observations.get("entries", {}).get("noise_std", {}).get("value")
    if problem and problem[0] == f"{item}.too_expensive" and noise == 0:
        aspects[1].fail(f"{item}.no_noise", result="however long it trains, noise-free data "
                        "give the model nothing wrong to memorise")
    if history is None:
        return build_verdict(item, aspects)
    facts = _curve_facts(history)
    falling = experiments.training_drop_after_best(history) < 1.0
    why = (f"{item}.no_noise" if settings["noise_std"] == 0 else
           f"{item}.small_model" if settings["model"] != "LargeNet" else f"{item}.no_rise")
    if experiments.overfitting_rise(history) < OVERFIT_MIN_RISE:
        aspects[1].fail(why, result=facts)
        if history["best_epoch"] == len(history["val_losses"]):
            aspects[2].fail(why, result=facts)  # no epoch after the best: nothing to fall
    elif not falling:
        # A validation rise while the training loss rises too is an unstable run (e.g. a
        # spike of SGD noise near the end), not over-fitting: the curves do not part.
        aspects[1].fail(why if why != f"{item}.no_rise" else f"{item}.train_not_falling",
                        result=facts)
    if not falling and not aspects[2].failures:
        aspects[2].fail(f"{item}.train_not_falling", result=facts)
    return build_verdict(item, aspects)


def judge_early_stop(observations):
    item = "early_stop_settings"
    aspects = [Aspect("eleven valid settings within the step budget, early stopping on",
                      0.5, supporting=True),
               Aspect(f"training stops early, within {EARLY_FRACTION:.0%} of its epochs", 1.5),
               Aspect("it stops patience epochs after the best epoch and keeps the best model",
                      1.0)]
    settings, history, _ = _prepare(item, observations, aspects)
    if history is None:
        return build_verdict(item, aspects)
    epochs, stopped, best = settings["epochs"], history["stopped_epoch"], history["best_epoch"]
    facts = _curve_facts(history)
    if stopped >= epochs:
        for aspect in aspects[1:]:
            aspect.fail(f"{item}.not_stopped", epochs=epochs, result=facts)
        return build_verdict(item, aspects)
    if experiments.stopped_fraction(history, SETTINGS_CLASS(**settings)) > EARLY_FRACTION:
        aspects[1].fail(f"{item}.stopped_too_late", stopped=stopped, epochs=epochs, result=facts)
    kept_is_best = math.isclose(history["kept_val_loss"], history["val_losses"][best - 1],
                                rel_tol=1e-5, abs_tol=1e-7)
    if stopped != best + settings["patience"] or not kept_is_best:
        aspects[2].fail(f"{item}.wrong_model_kept", result=facts)
    return build_verdict(item, aspects)


JUDGES = {
    "underfit_settings": judge_underfit,
    "overfit_settings": judge_overfit,
    "early_stop_settings": judge_early_stop,
}
# The engine computes these reference runs ahead, on every core (autograders.reference_runs).
PREFETCH = {item: (REFERENCE_RUNS, _runs_needed(item)) for item in JUDGES}
