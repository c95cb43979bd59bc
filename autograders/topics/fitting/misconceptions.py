"""Known mistakes in the fitting experiments (settings dictionaries)."""
from autograders.catalogue import Misconception

M = Misconception
WHAT = {
    "underfit_settings": "under-fitting",
    "overfit_settings": "over-fitting",
    "early_stop_settings": "early-stopping",
}


def _common(item):
    what = WHAT[item]
    return [
        M(f"{item}.missing", item,
          f"`{item}` is not set.",
          f"Assign a dictionary with the eleven keys of the settings table to `{item}`."),
        M(f"{item}.not_dict", item,
          f"`{item}` is a {{got}}, not a dictionary.",
          "Write the settings as a dict literal, {\"model\": ..., \"n_points\": ..., ...}."),
        M(f"{item}.keys", item,
          f"`{item}` has the wrong keys: {{got}}.",
          "Use exactly the eleven keys of the settings table, spelled as there."),
        M(f"{item}.bad_value", item,
          f"`{item}`: {{got}}.",
          "Check each value against the settings table: its type and its sensible range."),
        M(f"{item}.too_expensive", item,
          f"`{item}` asks for {{got}}; the grader runs at most {{budget}}.",
          f"The {what} effect does not need a long run: use fewer epochs, fewer points or "
          "larger batches."),
        M(f"{item}.diverged", item,
          f"Training with `{item}` diverges: the losses become nan or inf.",
          "The learning rate is too large for this model and data; make it smaller."),
    ]


MISCONCEPTIONS = [
    *_common("underfit_settings"),
    M("underfit_settings.not_underfit", "underfit_settings",
      "These settings do not under-fit: at the end the {which} loss is {got}, below "
      "{threshold}.",
      "Under-fitting means the model has not captured the pattern: train far too briefly "
      "(a few epochs) or with a tiny learning rate, so both losses stay high."),

    *_common("overfit_settings"),
    M("overfit_settings.no_noise", "overfit_settings",
      "These settings use noise-free targets (noise_std = 0), like the lecture's "
      "experiment: {result}.",
      "Over-fitting is fitting the noise of the training points: without noise, "
      "memorising the training points is learning the function. Add noise and use few "
      "training points."),
    M("overfit_settings.early_stop_on", "overfit_settings",
      "These settings turn early stopping on, which stops training before the validation "
      "loss can rise.",
      "Over-fitting is seen over a full run: use \"early_stop\": False."),
    M("overfit_settings.small_model", "overfit_settings",
      "These settings train SimpleNet: {result}.",
      "Over-fitting needs capacity to spare: use the large model."),
    M("overfit_settings.no_rise", "overfit_settings",
      "The validation loss does not rise clearly after its minimum: {result}.",
      "Over-fitting needs noisy targets, few training points (half held out), a large "
      "model and enough epochs at a small learning rate for the training loss to keep "
      "falling well past the validation minimum."),
    M("overfit_settings.train_not_falling", "overfit_settings",
      "The training loss does not keep falling after the best epoch: {result}.",
      "Over-fitting shows as the two curves parting: the training loss must still go down "
      "while the validation loss goes up. Train longer or with a (slightly) larger "
      "learning rate."),

    *_common("early_stop_settings"),
    M("early_stop_settings.not_enabled", "early_stop_settings",
      "These settings do not turn early stopping on (\"early_stop\": False).",
      "Set \"early_stop\": True and a patience of a few epochs."),
    M("early_stop_settings.not_stopped", "early_stop_settings",
      "Training ran all {epochs} epochs: early stopping never triggered ({result}).",
      "Early stopping triggers once the validation loss stops improving for `patience` "
      "epochs: choose settings that over-fit (the validation loss rises after a minimum) "
      "and enough epochs for that to happen, with a moderate patience."),
    M("early_stop_settings.stopped_too_late", "early_stop_settings",
      "Training stopped at epoch {stopped} of {epochs}: that is not well before the end "
      "({result}).",
      "Give the run room to stop early: more epochs than it needs, or a smaller patience."),
    M("early_stop_settings.wrong_model_kept", "early_stop_settings",
      "The model kept at the end is not the one of the best epoch ({result}).",
      "train_and_evaluate must restore the weights of best_epoch before returning."),
]
