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
assert isinstance(large_net_parameter_count, (int, np.integer)), "write a whole number, e.g. 123"
assert large_net_parameter_count > 0
print("large_net_parameter_count: visible test passed (type only)")

# %% markdown
# ## Experiments as settings dictionaries
#
# Every experiment in this notebook is described by a dictionary with the same
# **eleven keys**, all of them required. The last column is the original lecture's
# setting (notebook 3's data):
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
# | `"data_seed"` | seed of the noise, the split and the shuffling | int | `0` |
# | `"model_seed"` | seed of the initial weights | int | `0` |
#
# Written as Python, with the 1000 epochs and the `LargeNet` of the lecture's
# over-fitting attempt:
#
# ```python
# lecture_settings = {"model": "LargeNet", "n_points": 200, "noise_std": 0.0,
#                     "val_fraction": 0.2, "batch_size": 32, "lr": 0.01, "epochs": 1000,
#                     "early_stop": False, "patience": 5, "data_seed": 0, "model_seed": 0}
# ```
#
# `run_settings(settings)`, defined below, runs one experiment with *your* functions:
#
# ```python
# dataset = make_dataset(n_points, noise_std, seed=data_seed)
# train_loader, val_loader = make_loaders(dataset, val_fraction, batch_size, seed=data_seed)
# torch.manual_seed(model_seed)
# model = LargeNet()  # or SimpleNet()
# history = train_and_evaluate(model, train_loader, val_loader, epochs, lr, early_stop, patience)
# ```
#
# and `plot_run` draws the loss curves next to the fit. Because every random choice
# is seeded, the same dictionary always gives the same curves. The grader runs your
# dictionaries in exactly this way with the reference solution of notebook 3 and
# checks that each one shows what it is asked to show. Each run must stay cheap: at
# most **3750 SGD steps** (`epochs` times the number of training batches per epoch;
# `training_steps(settings)` computes it), at most 3750 validation batches (`epochs`
# times the validation batches per epoch) and at most 250,000 points through the
# network (`epochs` times `n_points`), which the visible tests check with
# `check_settings(settings)`, along with the keys and their types. The lecture's
# setting above, 1000 epochs of 5 batches, is already too expensive.
#
# The helpers after `run_settings` measure the curves in the numbers the grader
# uses: `relative_final_losses` divides the last training and validation losses by the
# variance of $y$ (2.04 for the noise-free target), which is the loss of a model that
# always predicts the mean; `overfitting_rise` is how far the last validation loss
# lies above its minimum (0.15 means 15 % above); `training_drop_after_best` is the
# last training loss divided by the one at the best epoch (below 1: still falling).

# %% setup plotting from reference.plotting:plot_loss_curves,plot_fit

# %% setup experiments from reference.fitting_demo:training_steps,validation_batches,check_settings,run_settings,plot_run

# %% setup measures from reference.experiments:target_variance,relative_final_losses,overfitting_rise,training_drop_after_best

# %% markdown
# ## Under-fitting
#
# A model under-fits when it has not captured the pattern in the data: the error is
# high on the training points **and** on the validation points, and the two are
# similar. The network has not even learned what it was shown, so there is nothing to
# generalise yet. The usual causes are too little capacity (too few units) or too
# little training (too few epochs, or a learning rate too small to get anywhere).
#
# The lecture's example trains `SimpleNet` on notebook 3's data (200 noise-free points,
# 80/20 split, batches of 32, learning rate 0.01) for only **5 epochs**: with 160
# training points in batches of 32 that is 25 SGD steps, far too few for the network to
# leave the neighbourhood of its random start.
#
# **Your task.** Write the lecture's under-fitting example (or another setting that
# under-fits) as a dictionary with the eleven keys, `underfit_settings = {...}`. The
# grader checks that at the end of training *both* losses are still high: at least half
# the variance of $y$ (`relative_final_losses(history)` both at least 0.5, plus
# `noise_std**2 / 2.04` if you add noise, the part no model can explain). Trained
# properly, `SimpleNet` gets far below that: notebook 3's demonstration ends near 0.04,
# about 2 % of the variance.

# %% solution underfit_settings from reference.experiments:UNDERFIT

# %% tests underfit_settings
check_settings(underfit_settings)
if training_steps(underfit_settings) <= 500:  # cheap enough to run here, with your functions
    train_rel, val_rel = relative_final_losses(run_settings(underfit_settings)["history"])
    floor = underfit_settings["noise_std"] ** 2 / target_variance()
    assert min(train_rel, val_rel) - floor >= 0.5, \
        f"not under-fitting: final losses are {train_rel:.2f} and {val_rel:.2f} times the variance of y"
print("underfit_settings: visible tests passed")

# %% demo
run = run_settings(underfit_settings)
train_rel, val_rel = relative_final_losses(run["history"])
print(f"last losses / variance of y: training {train_rel:.2f}, validation {val_rel:.2f}")
plot_run(run, "Under-fitting")
plt.show()

# %% markdown
# Both losses fall, but they end close to the variance of $y$: the network is barely
# better than a horizontal line at the mean, and the fit on the right shows exactly
# that. Training longer, with a larger learning rate, cures it, as notebook 3's
# demonstration showed.
#
# ## Over-fitting
#
# A model over-fits when it learns the training points *too* well: it fits their
# noise as if it were signal. The training loss keeps falling, but the curve the
# network draws between the training points wanders away from the truth, so the
# validation loss, after reaching a minimum, **rises** again. The signature is in the
# loss curves: two curves that part ways.
#
# ### Why the lecture's over-fitting demo did not over-fit
#
# The lecture claimed over-fitting for a 512-unit network trained for 1000 epochs on
# notebook 3's data, `lecture_settings` above. Two things went wrong. First, its code
# defined `LargeNet` and then built `model_over = SimpleNet()`, so the large model was
# never trained. Second, and more instructive, even the *right* model does not
# over-fit there: trained with `LargeNet` and exactly those settings, the validation
# loss is still falling at epoch 1000, where it has reached 0.0157. There is nothing to
# over-fit:
#
# * **No noise.** Every training target is the exact value $f(x_i)$. Memorising the
#   training points *is* learning the function; there is no error to memorise.
# * **Dense sampling.** The points are $4/199 \approx 0.02$ apart, so every validation
#   point sits between two training points very close by, where $f$ is almost a
#   straight line. A network that passes through (or near) the training points cannot
#   go far wrong in such small gaps.
#
# Over-fitting needs three ingredients together: **noisy targets** (something wrong to
# learn), **few training points** (wide gaps where the curve is free to wander, and few
# noise values to memorise) and **a model with capacity to spare** (`LargeNet`'s 1537
# parameters against a dozen points), trained long enough. The lecture's description
# of its result, a fit that "oscillates wildly, chasing every noisy point", cannot come
# from data that have no noise.
#
# **Your task.** Starting from `lecture_settings`, which does *not* over-fit, write
# `overfit_settings = {...}` (eleven keys, `"early_stop": False`) that over-fits: after
# its minimum, the validation loss must rise by **at least 15 %**
# (`overfitting_rise(history) >= 0.15`) while the training loss keeps falling
# (`training_drop_after_best(history) < 1`), within 3750 SGD steps. Hints:
#
# * a few tens of points with noise of standard deviation about 1, half of them held out
#   for validation;
# * **full batch** (`batch_size` at least the number of training points): one exact
#   gradient step per epoch gives a smooth validation curve, whereas with small batches
#   it jumps up and down so much that its minimum is a lucky dip and the "rise" after it
#   mostly noise;
# * a small learning rate: with few noisy points, SGD on `LargeNet` first shoots the
#   losses up to hundreds for learning rates of 0.01 and above; 0.005 is safe;
# * a few thousand epochs, so that the training loss can keep falling long after the
#   validation minimum;
# * which points land in the training set matters a lot: if the validation loss is
#   still falling at the end, or is lowest after a few epochs, try other `data_seed`s.

# %% solution overfit_settings from reference.experiments:OVERFIT

# %% tests overfit_settings
check_settings(overfit_settings)
assert overfit_settings["model"] == "LargeNet", "over-fitting needs the large model"
assert overfit_settings["noise_std"] > 0, "without noise there is nothing to over-fit"
assert overfit_settings["early_stop"] is False, "train without early stopping"
print("overfit_settings: visible tests passed (keys, types, cost; the demo below runs it)")

# %% demo
run = run_settings(overfit_settings)
history = run["history"]
rise, drop = overfitting_rise(history), training_drop_after_best(history)
print(f"validation loss: lowest {min(history['val_losses']):.3f} at epoch {history['best_epoch']}, "
      f"last {history['val_losses'][-1]:.3f}, a rise of {100 * rise:.0f} % (at least 15 % needed)")
print(f"training loss: last / best epoch's = {drop:.2f} (below 1 needed)")
print("over-fits" if rise >= 0.15 and drop < 1 else "does NOT over-fit yet")
plot_run(run, "Over-fitting")
plt.show()

# %% markdown
# On the left, the two curves part ways after the best epoch (red dashed line): the
# training loss goes on falling while the validation loss climbs. On the right, the
# purple curve is the network at the last epoch: it bends towards individual noisy
# training points and away from the true function. `train_and_evaluate` returns the
# weights of the best epoch (red), a smoother curve closer to the truth.
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
#   so far: it then becomes the best epoch, its weights are kept and the counter goes
#   back to 0;
# * otherwise the counter goes up by one, and when it reaches `patience` training stops.
#
# So a run that stops early stops at exactly epoch `best_epoch + patience`: the
# counter restarts at every improvement, and only `patience` failures *in a row* end
# training. A validation loss jumps up and down from epoch to epoch, the more so the
# smaller the validation set; the patience is how many bad epochs we tolerate before we
# believe the trend. Too small, and a random bump ends training before the real
# minimum; too large, and we train far past it for nothing.
#
# When training stops, the network's weights are those of the *last* epoch, `patience`
# epochs after the best one, and on a rising validation curve they are worse than the
# best. That is why `train_and_evaluate` keeps a copy of the best weights and loads them
# back before it returns. (The lecture saved them to a file `best_model.pt` in the
# working folder, where two runs at the same time, such as a grader checking several
# notebooks, overwrite each other's file; notebook 3's version keeps them in memory.)
#
# **Your task.** Write `early_stop_settings = {...}` (eleven keys, `"early_stop": True`)
# that stops early: **well before** `epochs` (after at most 80 % of them), at epoch
# `best_epoch + patience`, within 3750 SGD steps. Your over-fitting setting with early
# stopping switched on and a patience of a few tens of epochs is a good start. The
# visible test checks the keys and the cost; the demonstration after it runs your
# setting with your notebook-3 functions and checks both (the hidden test does too).

# %% solution early_stop_settings from reference.experiments:EARLY_STOP

# %% tests early_stop_settings
check_settings(early_stop_settings)
assert early_stop_settings["early_stop"] is True, "switch early stopping on"
assert early_stop_settings["patience"] < early_stop_settings["epochs"], \
    "with patience >= epochs training can never stop early"
print("early_stop_settings: visible tests passed (keys, types, cost; the demo below runs it)")

# %% demo
run = run_settings(early_stop_settings)  # with your notebook-3 functions
history = run["history"]
assert history["stopped_epoch"] <= 0.8 * early_stop_settings["epochs"], \
    "training did not stop early (within 80 % of the epochs): more epochs, smaller patience?"
assert history["stopped_epoch"] == history["best_epoch"] + early_stop_settings["patience"], \
    "a run that stops early stops at best_epoch + patience: check your train_and_evaluate"
print(f"stopped at epoch {history['stopped_epoch']} of at most {early_stop_settings['epochs']}: "
      f"best epoch {history['best_epoch']} + patience {early_stop_settings['patience']}")
print(f"validation loss: {min(history['val_losses']):.3f} at the best epoch, "
      f"{history['val_losses'][-1]:.3f} at the last one")
plot_run(run, "Early stopping")
plt.show()

# %% markdown
# The red dashed line on the left marks the best epoch; training ran `patience` epochs
# past it and stopped. If your early-stopping setting is your over-fitting setting with
# early stopping switched on, its epochs up to the stop are exactly those of the
# over-fitting run: with the same seeds, training is the same, and early stopping only
# decides where it ends. On the right, the returned model (red) is the one of the best
# epoch and the purple curve the network at the stop. Where the validation curve is
# still nearly flat `patience` epochs after its minimum, the two almost coincide; the
# longer training runs on, the further they drift apart (compare the last epoch of the
# over-fitting run). Restoring the best weights is what makes a generous patience safe.
#
# ### Question
#
# Early stopping ends training when the validation loss has not improved for
# `patience` epochs. Why does `train_and_evaluate` then load the weights of the best
# epoch instead of returning the model as it is? And why not simply stop at the first
# epoch that brings no improvement (a patience of 1)?

# %% answer why_restore_best
# **Model answer.** Training stops only after `patience` epochs in a row without
# improvement, so at that moment the weights are `patience` epochs past the best
# epoch; on a rising validation curve (over-fitting) they are worse on unseen data than
# the best ones. Early stopping is meant to pick the model that generalises best, so
# the weights of the best epoch are kept and restored; without the restore we would
# return a model `patience` epochs into over-fitting, and the larger the patience, the
# worse. A patience of 1 is no way out: the validation loss fluctuates from epoch to
# epoch, so a single worse epoch is not a trend, and training would end at a random
# bump, possibly long before the real minimum. Restoring the best weights lets us use a
# generous patience without paying for it in the final model.
#
# **Mark scheme (2 points).** 1 point: the weights at the stop are `patience` epochs
# after the best epoch, so (on a rising validation curve) they are worse than the best
# ones; restoring returns the best-generalising model. 1 point: a patience larger than
# 1 is needed because the validation loss fluctuates (one worse epoch is not a trend),
# and restoring makes that patience free.
