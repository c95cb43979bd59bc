"""Notebook 4 (fitting): check a settings dictionary, run it, show its result.

A settings dictionary holds the eleven fields of
reference.experiments.ExperimentSettings as plain values, the form students
write. These helpers are inlined into the notebook, where the names they use
(make_dataset, make_loaders, SimpleNet, LargeNet, train_and_evaluate,
target_function, plot_loss_curves, plot_fit) are the student's own
definitions from notebook 3 and the notebook's own LargeNet.
"""
import time

import matplotlib.pyplot as plt
import torch

from reference.plotting import plot_fit, plot_loss_curves
from reference.regression import LargeNet, SimpleNet, make_dataset, make_loaders, target_function
from reference.training import train_and_evaluate


def run_settings(settings):
    """Train the experiment a settings dict describes, with the notebook's functions.

    settings holds the keys model ("SimpleNet" or "LargeNet"), n_points,
    noise_std, val_fraction, batch_size, lr, epochs, early_stop, patience,
    data_seed and model_seed. The data set and the split use data_seed; the
    initial weights are drawn after torch.manual_seed(model_seed): the same
    steps as reference.experiments.run_experiment, which the grader uses.

    Returns a dict with the training "history" (train_and_evaluate's result),
    the trained "model" (holding its best epoch's weights), the "dataset", the
    "val_set" (the validation Subset) and "last_state": the weights of the last
    epoch, which train_and_evaluate replaces by the best ones before it returns
    (empty if it never calls model.load_state_dict).
    """
    models = {"SimpleNet": SimpleNet, "LargeNet": LargeNet}
    s = settings
    dataset = make_dataset(s["n_points"], s["noise_std"], seed=s["data_seed"])
    train_loader, val_loader = make_loaders(dataset, s["val_fraction"], s["batch_size"],
                                            seed=s["data_seed"])
    torch.manual_seed(s["model_seed"])
    model = models[s["model"]]()

    # Only for the figure: copy the weights that the final restore overwrites.
    last_state = {}
    restore = model.load_state_dict

    def remember_then_restore(state_dict, *args, **kwargs):
        last_state.update({k: v.detach().clone() for k, v in model.state_dict().items()})
        return restore(state_dict, *args, **kwargs)

    model.load_state_dict = remember_then_restore
    start = time.perf_counter()
    try:
        history = train_and_evaluate(model, train_loader, val_loader, s["epochs"], s["lr"],
                                     early_stop=s["early_stop"], patience=s["patience"])
    finally:
        del model.load_state_dict  # back to the ordinary method
    print(f"{s['model']}: {history['stopped_epoch']} epochs in "
          f"{time.perf_counter() - start:.1f} s, best epoch {history['best_epoch']}")
    return {"history": history, "model": model, "dataset": dataset,
            "val_set": val_loader.dataset, "last_state": last_state}


def training_steps(settings):
    """SGD steps a settings dict may cost: epochs x training batches per epoch."""
    n_train = settings["n_points"] - int(settings["val_fraction"] * settings["n_points"])
    return settings["epochs"] * -(-n_train // settings["batch_size"])


def validation_batches(settings):
    """Validation batches a settings dict may cost: epochs x validation batches per epoch."""
    n_val = int(settings["val_fraction"] * settings["n_points"])
    return settings["epochs"] * -(-n_val // settings["batch_size"])


def check_settings(settings, max_steps=3750, max_validation_batches=3750, max_points=250_000):
    """Assert that a settings dict is complete, well typed, sensible and cheap.

    The eleven keys and their types are those of the settings table; an int
    is a fine float, a bool is never a number. The grader's budgets: max_steps
    bounds training_steps(settings), max_validation_batches
    validation_batches(settings), max_points epochs x n_points.
    """
    types = {"model": str, "n_points": int, "noise_std": float, "val_fraction": float,
             "batch_size": int, "lr": float, "epochs": int, "early_stop": bool,
             "patience": int, "data_seed": int, "model_seed": int}
    assert isinstance(settings, dict), "the settings must be a dict"
    missing, unknown = set(types) - set(settings), set(settings) - set(types)
    assert not missing and not unknown, \
        f"keys missing: {sorted(missing)}, unknown: {sorted(unknown)}"
    for key, kind in types.items():
        value = settings[key]
        allowed = (int, float) if kind is float else kind
        assert isinstance(value, allowed) and (kind is bool or not isinstance(value, bool)), \
            f"{key!r} must be of type {kind.__name__}, not {type(value).__name__}"
    s = settings
    assert s["model"] in ("SimpleNet", "LargeNet"), "model: 'SimpleNet' or 'LargeNet'"
    assert 0 < s["val_fraction"] < 1, "val_fraction lies strictly between 0 and 1"
    assert 1 <= int(s["val_fraction"] * s["n_points"]) < s["n_points"] <= 2000, \
        "both the training and the validation set need points (and 2000 points at most)"
    assert min(s["batch_size"], s["epochs"], s["patience"]) >= 1, \
        "batch_size, epochs and patience are at least 1"
    assert s["lr"] > 0 and s["noise_std"] >= 0, "lr is positive, noise_std not negative"
    assert min(s["data_seed"], s["model_seed"]) >= 0, "seeds are not negative"
    assert training_steps(s) <= max_steps, (
        f"{training_steps(s)} SGD steps: at most {max_steps}, please "
        "(fewer epochs or larger batches)")
    assert validation_batches(s) <= max_validation_batches, (
        f"{validation_batches(s)} validation batches: at most {max_validation_batches}, please "
        "(fewer epochs, larger batches or a smaller validation set)")
    assert s["epochs"] * s["n_points"] <= max_points, (
        f"{s['epochs'] * s['n_points']} points through the network (epochs x n_points): at "
        f"most {max_points}, please (fewer epochs or fewer points)")


def plot_run(run, title):
    """Loss curves (left) and the fit (right) of a run_settings result.

    The fit panel shows the data (validation points circled), the true
    function, the returned model (best epoch) and, if different, the network
    as it was at the last epoch. Returns the Figure.
    """
    history = run["history"]
    best, last = history["best_epoch"], history["stopped_epoch"]
    fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(13, 4))
    plot_loss_curves(history, title=f"{title}: loss per epoch", ax=ax_loss)
    plot_fit(run["model"], run["dataset"], target_function, title=f"{title}: fit", ax=ax_fit)
    ax_fit.lines[-1].set_label(f"model returned (epoch {best})")  # plot_fit's red curve
    if run["last_state"] and last != best:
        x = torch.linspace(-2, 2, 400).reshape(-1, 1)  # (400, 1)
        with torch.no_grad():
            y = torch.func.functional_call(run["model"], run["last_state"], (x,))
        ax_fit.plot(x.numpy(), y.numpy(), color="purple", linewidth=1.2,
                    label=f"network at the last epoch ({last})")
    val_points = torch.stack([torch.cat(pair) for pair in run["val_set"]])  # (N_val, 2)
    ax_fit.scatter(val_points[:, 0], val_points[:, 1], s=70, facecolors="none",
                   edgecolors="orange", label="validation points")
    ax_fit.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig
