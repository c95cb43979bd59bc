# %% markdown
# # 4. Under-fitting, over-fitting and early stopping
#
# A network can fail to generalise in two opposite ways:
#
# * **Under-fitting**: the model has not captured the pattern, so its error is high
#   on the training data *and* on data it has not seen. Either it is too small, or it
#   has not trained long enough.
# * **Over-fitting**: the model has learned the training data *too* well, including
#   its noise, so the training error keeps falling while the error on unseen
#   (validation) data rises.
#
# The training loss alone cannot reveal over-fitting: it measures the network on the
# very points it was fitted to. Comparing it with the loss on held-out validation
# points tells the two failures apart, and **early stopping** uses the validation loss
# to end training at the right moment.
#
# ### This notebook uses your code from notebook 3
#
# The second code cell below runs the set-up and solution cells of
# `03_pytorch_training.ipynb` (it must sit in the same folder as this notebook), so
# `target_function`, `make_dataset`, `make_loaders`, `SimpleNet`, `count_parameters`
# and `train_and_evaluate` here are **your own implementations**; notebook 3's tests
# and demonstrations do not run. **Finish notebook 3 first** and make sure its visible
# tests pass: every experiment below trains with your `train_and_evaluate`. If you
# change notebook 3 later, save it and rerun that cell.

# %% setup imports
import json
import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn

# %% setup notebook_3 from reference.notebook_reuse:run_solution_cells
failed_cells = run_solution_cells("03_pytorch_training.ipynb", globals())
if failed_cells:
    print("Finish these cells of notebook 3 first:", ", ".join(failed_cells))
else:
    print("Loaded your definitions from notebook 3.")

# %% markdown
# ## A network with more capacity
#
# `SimpleNet` has one hidden layer of 32 ReLU units. Each ReLU unit contributes one
# "kink" to the piecewise-linear function the network computes, so 32 units can follow
# a curve only so closely. To study over-fitting we need a model that can follow
# *every* wiggle of the data, noise included: `LargeNet` has the same shape with
# **512** hidden units:
#
# $$x \;\xrightarrow{\text{Linear}(1,\,512)}\; \text{ReLU} \;\xrightarrow{\text{Linear}(512,\,1)}\; \hat y .$$
#
# Implement `LargeNet` like `SimpleNet`: an `nn.Module` that maps a batch of shape
# $(B, 1)$ to predictions of shape $(B, 1)$.

# %% solution LargeNet from reference.regression:LargeNet

# %% tests LargeNet
# Visible tests: parameter shapes and the output shape.
torch.manual_seed(0)
large = LargeNet()
shapes = sorted(tuple(p.shape) for p in large.parameters())
assert shapes == sorted([(512, 1), (512,), (1, 512), (1,)]), f"unexpected parameter shapes {shapes}"
assert large(torch.zeros(7, 1)).shape == (7, 1), "LargeNet must map (B, 1) to (B, 1)"
print("LargeNet: visible tests passed")

# %% markdown
# ### Question: how many parameters?
#
# A layer `nn.Linear(n_in, n_out)` holds a weight matrix of $n_\text{in} \times n_\text{out}$
# numbers and one bias per output, $n_\text{out}$ numbers. For `SimpleNet` that makes
# $(1\cdot 32 + 32) + (32 \cdot 1 + 1) = 97$ trainable parameters.
#
# Work out the number of trainable parameters of `LargeNet` **by hand** and assign it,
# as an integer, to `large_net_parameter_count`. (You can then check it with your
# `count_parameters` from notebook 3.) How many times more parameters than `SimpleNet`
# is that, and how does it compare with the 200 data points of notebook 3?

# %% solution large_net_parameter_count
### BEGIN SOLUTION
large_net_parameter_count = 1537
### END SOLUTION

# %% tests large_net_parameter_count
# Visible test: the type only; the grader checks the value.
assert isinstance(large_net_parameter_count, int), "assign a Python int"
assert large_net_parameter_count > 0
print("large_net_parameter_count: visible test passed (type only)")

# %% markdown
# ## Experiments as settings dictionaries
#
# Every experiment in this notebook is described by a dictionary with the same
# eleven keys. The third column is the setting the original lecture used (notebook 3's
# data, 80/20 split, batches of 32, learning rate 0.01):
#
# | key | meaning | type | lecture |
# | --- | --- | --- | --- |
# | `"model"` | which network: `"SimpleNet"` or `"LargeNet"` | str | `"SimpleNet"` |
# | `"n_points"` | number of evenly spaced samples on $[-2, 2]$ | int | `200` |
# | `"noise_std"` | standard deviation of the Gaussian noise added to $y$ | float | `0.0` |
# | `"val_fraction"` | fraction of the points held out for validation | float | `0.2` |
# | `"batch_size"` | mini-batch size of both loaders | int | `32` |
# | `"lr"` | SGD learning rate | float | `0.01` |
# | `"epochs"` | maximum number of epochs | int | `100` |
# | `"early_stop"` | stop when the validation loss stops improving | bool | `False` |
# | `"patience"` | epochs without improvement before stopping | int | `5` |
# | `"data_seed"` | seed of the noise and of the split | int | `0` |
# | `"model_seed"` | seed of the initial weights | int | `0` |
#
# `run_settings(settings)`, defined in the next cell, runs one experiment with *your*
# functions:
#
# ```python
# dataset = make_dataset(n_points, noise_std, seed=data_seed)
# train_loader, val_loader = make_loaders(dataset, val_fraction, batch_size, seed=data_seed)
# torch.manual_seed(model_seed)
# model = SimpleNet()  # or LargeNet()
# history = train_and_evaluate(model, train_loader, val_loader, epochs, lr, early_stop, patience)
# ```
#
# and `plot_run` draws the loss curves next to the fit. Because every random choice
# is seeded, the same dictionary always gives the same curves. The grader runs your
# dictionaries exactly this way, with the reference implementation of notebook 3,
# and checks that each one shows what it is asked to show.

# %% setup plotting from reference.plotting:plot_loss_curves,plot_fit

# %% setup experiments from reference.fitting_demo:run_settings,plot_run

# %% markdown
# ## Under-fitting
#
# A model under-fits when it has not captured the pattern in the data: the error is
# high on the training points **and** on the validation points, and the two are
# similar. The network has not even learned what it was shown, so there is nothing to
# generalise yet. The usual causes are too little capacity (too few units) or too
# little training (too few epochs, or a learning rate too small to get anywhere).
#
# The lecture's example trains `SimpleNet` on notebook 3's data for only **5 epochs**:
# with 160 training points in batches of 32 that is 25 SGD steps of size 0.01, far too
# few for the network to leave the neighbourhood of its random start. Its prediction
# is close to a flat line, and both losses stay near the variance of $y$.
#
# **Your task.** Set `underfit_settings` to a dictionary with all eleven keys of the
# table above that under-fits in this sense: at the end of training, *both* the
# training and the validation loss are still high (the grader checks that both stay
# above UNDERFIT_THRESHOLD). The lecture's 5-epoch setting is a fine answer; so is any other
# that trains too briefly or too slowly. Keep it cheap: a few hundred SGD steps at most.

# %% solution underfit_settings from reference.experiments:UNDERFIT

# %% tests underfit_settings
SETTINGS_TYPES = {
    "model": str, "n_points": int, "noise_std": float, "val_fraction": float,
    "batch_size": int, "lr": float, "epochs": int, "early_stop": bool,
    "patience": int, "data_seed": int, "model_seed": int,
}
def check_settings(settings):
    """Visible check of a settings dict: the keys, their types and sane ranges."""
    assert isinstance(settings, dict), "the settings must be a dict"
    assert set(settings) == set(SETTINGS_TYPES), \
        f"keys missing: {sorted(set(SETTINGS_TYPES) - set(settings))}, unknown: {sorted(set(settings) - set(SETTINGS_TYPES))}"
    for key, kind in SETTINGS_TYPES.items():
        ok = isinstance(settings[key], kind) and not (kind is int and isinstance(settings[key], bool))
        if kind is float:
            ok = isinstance(settings[key], (int, float)) and not isinstance(settings[key], bool)
        assert ok, f"{key!r} must be a {kind.__name__}, not {type(settings[key]).__name__}"
    assert settings["model"] in ("SimpleNet", "LargeNet"), "model: 'SimpleNet' or 'LargeNet'"
    assert 0 < settings["val_fraction"] < 1 and settings["n_points"] * settings["val_fraction"] >= 1
    assert settings["batch_size"] >= 1 and settings["epochs"] >= 1 and settings["patience"] >= 1
    assert settings["lr"] > 0 and settings["noise_std"] >= 0
check_settings(underfit_settings)
print("underfit_settings: visible tests passed (keys and types; the grader runs the experiment)")

# %% demo
run = run_settings(underfit_settings)
plot_run(run, "Under-fitting")
plt.show()

# %% markdown
# ## Over-fitting
#
# A model over-fits when it learns the training points *too* well: it fits their
# noise as if it were signal. The training loss keeps falling towards zero, but the
# curve it draws between the training points wanders away from the truth, so the
# validation loss, after reaching a minimum, **rises** again. The signature is in the
# loss curves: two curves that part ways.
#
# ### Why the lecture's over-fitting demo did not over-fit
#
# The lecture claimed over-fitting for a 512-unit network trained for 1000 epochs on
# notebook 3's data: 200 noise-free points, evenly spaced, 80/20 split. Two things went
# wrong. First, its code defined `LargeNet` and then built `model_over = SimpleNet()`,
# so the "large" model was never trained. Second, and more instructive, even the
# *right* model does not over-fit there: trained with `LargeNet` and exactly those
# settings, the validation loss is still falling at epoch 1000, where it has reached
# 0.0157. There is nothing to over-fit:
#
# * **No noise.** Every training target is the exact value $f(x_i)$. Memorising the
#   training points *is* learning the function; there is no error to memorise.
# * **Dense sampling.** The points are $4/199 \approx 0.02$ apart, so every validation
#   point sits between two training points very close by, where $f$ is almost a
#   straight line. A ReLU network that passes through (or near) the training points
#   cannot go far wrong in such small gaps.
#
# Over-fitting needs three ingredients together: **noisy targets** (something wrong to
# learn), **few training points** (wide gaps where the curve is free to wander, and a
# noise pattern small enough to memorise) and **a model with capacity to spare**
# (`LargeNet`'s 1537 parameters against a handful of points), trained long enough.
# The lecture's observation, a fit that "oscillates wildly, chasing every noisy
# point", cannot come from data that have no noise.
#
# **Your task.** Set `overfit_settings` to a dictionary with the eleven keys that
# over-fits: after its minimum, the validation loss must rise by **at least 15 %**
# (its last value at least 1.15 times its minimum) while the training loss keeps
# falling (its last value below its value at the best epoch). Use
# `"early_stop": False`. Start from the lecture's setting,
#
# ```python
# {"model": "LargeNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
#  "batch_size": 32, "lr": 0.01, "epochs": 1000, "early_stop": False, "patience": 5,
#  "data_seed": 0, "model_seed": 0}
# ```
#
# which does **not** over-fit, and change it using the ingredients above. Hints: a
# few tens of points with noise of standard deviation around 0.5 and half of them
# held out for validation; small batches; a small learning rate (SGD on `LargeNet`
# with few, noisy points diverges to `nan` for learning rates above about 0.02).
# Keep the run short, a few seconds at most (about OVERFIT_BUDGET SGD steps, i.e.
# epochs times batches per epoch), since the grader runs it too.

# %% solution overfit_settings from reference.experiments:OVERFIT

# %% tests overfit_settings
check_settings(overfit_settings)
assert overfit_settings["model"] == "LargeNet", "over-fitting needs the large model"
assert overfit_settings["noise_std"] > 0, "without noise there is nothing to over-fit"
assert overfit_settings["early_stop"] is False, "train without early stopping"
print("overfit_settings: visible tests passed (keys and types; the grader runs the experiment)")

# %% demo
run = run_settings(overfit_settings)
history = run["history"]
best, last = min(history["val_losses"]), history["val_losses"][-1]
print(f"validation loss: minimum {best:.3f} at epoch {history['best_epoch']}, "
      f"last {last:.3f} ({100 * (last / best - 1):+.0f} %)")
print(f"training loss: {history['train_losses'][history['best_epoch'] - 1]:.3f} at the best epoch, "
      f"last {history['train_losses'][-1]:.3f}")
plot_run(run, "Over-fitting")
plt.show()

# %% markdown
# Note what the figure on the right shows: `train_and_evaluate` hands back the model
# of the **best** epoch, not the over-fitted one of the last epoch, so the red curve is
# the best this network achieved on these data. The loss curves on the left tell the
# story of the rest of the run.
#
# ### Question
#
# In two to four sentences: why does `LargeNet` not over-fit the lecture's data (200
# noise-free points, evenly spaced, 80/20 split), and which changes make it over-fit?

# %% answer why_no_overfitting
# **Model answer.** Over-fitting means fitting the noise of the training set. The
# lecture's targets are exact values of $f$, so there is no noise to fit: matching the
# training points is matching the function. And the 200 points are so dense (spacing
# about 0.02) that each validation point lies between nearby training points, where a
# network that fits the training points is forced close to $f$; so the validation loss
# keeps falling with the training loss (still falling at epoch 1000). To over-fit, add
# noise to the targets, use few training points (wide gaps, few noise values to
# memorise) and a high-capacity model trained long enough: the training loss then keeps
# falling while the validation loss rises after a minimum.
#
# **Mark scheme (2 points).** 1 point: explains the absence of over-fitting by *both*
# the lack of noise (nothing to memorise) and the dense sampling (validation points lie
# between close training points); half a point for only one of them. 1 point: names
# the remedy: noisy targets and few training points with a large model (capacity),
# trained long. No point for "train longer" or "use a bigger model" alone: the lecture
# already did both.

# %% markdown
# ## Early stopping
#
# The over-fitting run wasted most of its epochs: after the validation minimum, every
# further epoch made the model worse on unseen data. **Early stopping** ends training
# once the validation loss has stopped improving. Your `train_and_evaluate` already
# does this with `early_stop=True`:
#
# * keep the best validation loss so far and a counter of epochs without improvement;
# * an epoch **improves** only if its validation loss is *strictly* lower than the best
#   so far: then it becomes the best epoch, its weights are kept and the counter goes
#   back to 0;
# * otherwise the counter goes up by one, and when it reaches `patience` training stops.
#
# So a run that stops early stops at exactly epoch `best_epoch + patience`: the
# counter restarts at every improvement, and only `patience` failures *in a row* end
# training. The validation loss of a small, noisy validation set jumps up and down
# from epoch to epoch; the patience is how many bad epochs we tolerate before we
# believe the trend. Too small, and a random bump ends training before the real
# minimum; too large, and we train far past it for nothing.
#
# When training stops, the network's weights are those of the *last* epoch, `patience`
# epochs after the best one, and on a rising validation curve they are worse than the
# best. That is why `train_and_evaluate` keeps a copy of the best weights and loads them
# back before it returns. (The lecture saved them to a file `best_model.pt` in the
# working folder; two runs at the same time, such as a grader checking several
# notebooks, overwrite each other's file. Notebook 3's version keeps them in memory.)
#
# **Your task.** Set `early_stop_settings` to a dictionary with the eleven keys, with
# `"early_stop": True`, that stops early: well before `epochs` (the grader checks that
# `stopped_epoch` is at most EARLY_FRACTION of `epochs`, and that it equals
# `best_epoch + patience`). The over-fitting setting with early stopping switched on and
# a patience of some tens of epochs is a good start.

# %% solution early_stop_settings from reference.experiments:EARLY_STOP

# %% tests early_stop_settings
check_settings(early_stop_settings)
assert early_stop_settings["early_stop"] is True, "switch early stopping on"
assert early_stop_settings["patience"] < early_stop_settings["epochs"], \
    "with patience >= epochs training can never stop early"
print("early_stop_settings: visible tests passed (keys and types; the grader runs the experiment)")

# %% demo
run = run_settings(early_stop_settings)
history = run["history"]
print(f"stopped at epoch {history['stopped_epoch']} of at most {early_stop_settings['epochs']}; "
      f"best epoch {history['best_epoch']} + patience {early_stop_settings['patience']} "
      f"= {history['best_epoch'] + early_stop_settings['patience']}")
print(f"validation loss: {min(history['val_losses']):.3f} at the best epoch, "
      f"{history['val_losses'][-1]:.3f} at the last one")
plot_run(run, "Early stopping")
plt.show()

# %% markdown
# The red dashed line on the left marks the best epoch; training ran `patience` epochs
# past it and stopped. On the right, the returned model (red) is the one of the best
# epoch, while the purple curve shows the weights the network had when training
# stopped.
#
# ### Question
#
# Early stopping ends training when the validation loss has not improved for
# `patience` epochs. Why does `train_and_evaluate` then load the weights of the best
# epoch instead of returning the model as it is? What would go wrong without it, and
# what would go wrong with a patience of 1?

# %% answer why_restore_best
# **Model answer.** Training stops only after `patience` epochs in a row without
# improvement, so at that moment the weights are `patience` epochs past the best
# epoch; on a rising validation curve (over-fitting) they are worse on unseen data than
# the best ones. Early stopping is meant to pick the model that generalises best, so
# the weights of the best epoch are kept and restored. Without the restore we would
# return a model that is `patience` epochs into over-fitting (and a larger patience
# would make it worse). Shrinking the patience to 1 instead does not help: the
# validation loss is noisy, so a single bad epoch would end training at a random bump,
# possibly long before the real minimum.
#
# **Mark scheme (2 points).** 1 point: the weights at the stop are `patience` epochs
# after the best epoch, so (on a rising or noisy validation curve) they are worse than
# the best ones. 1 point: explains why a patience larger than 1 is needed anyway (the
# validation loss fluctuates, a single worse epoch is not a trend) or, equivalently, that
# restoring lets us use a generous patience without paying for it in the final model.
