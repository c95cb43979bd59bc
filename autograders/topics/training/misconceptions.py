"""Known mistakes in train_and_evaluate (the training loop with early stopping)."""
from autograders.catalogue import Misconception
from autograders.topics.aspects import standard_entries

ITEM = "train_and_evaluate"


def M(name, summary, hint):
    return Misconception(f"{ITEM}.{name}", ITEM, summary, hint)


MISCONCEPTIONS = [
    *standard_entries(ITEM, "`train_and_evaluate`"),
    M("bad_return",
      "`train_and_evaluate` returns {got}; expected a dict with the keys train_losses, "
      "val_losses, best_epoch and stopped_epoch.",
      "Collect the per-epoch losses in lists and return them with the two epoch numbers "
      "in one dict."),

    M("model_not_called",
      "`train_and_evaluate` never runs the model on {which} batches.",
      "Loop over the epochs; in each, run the model on every batch of train_loader "
      "(and update), then on every batch of val_loader."),

    # The parameter trajectory.
    M("missing_zero_grad",
      "Your parameters drift away from plain SGD's from the second batch on: {how}.",
      "loss.backward() adds to the .grad of each parameter; without resetting the "
      "gradients before every batch, each step also repeats all earlier gradients."),
    M("no_update",
      "Training does not change the parameters: {how}.",
      "The update happens in optimizer.step(), after loss.backward(); calling zero_grad "
      "between backward and step wipes the gradients it would use."),
    M("wrong_optimizer",
      "The parameters do not follow plain SGD: {how}.",
      "The contract asks for torch.optim.SGD(model.parameters(), lr=lr), without "
      "momentum or other options."),
    M("ignores_lr",
      "The `lr` argument is not used: {how}.",
      "Pass the function's lr argument to the optimiser instead of a fixed number."),
    M("wrong_loss",
      "The parameters follow another loss than nn.MSELoss(): {how}.",
      "Train on the mean squared error, nn.MSELoss() with its default mean reduction; "
      "other losses or reductions change the gradients."),
    M("trajectory_differs",
      "Given the same model, data and learning rate, your parameters differ from plain "
      "SGD on the mean squared error after epoch {epoch}.",
      "Per batch: zero the gradients, compute the loss of the model's prediction, "
      "backward, one optimiser step. Each batch once per epoch, in the loader's order."),

    # Loss bookkeeping.
    M("mean_of_batch_means",
      "The {which} loss is the plain mean of the batch losses; with a smaller last batch "
      "that over-weights its items.",
      "Weight each batch's mean loss by its number of items, add up, and divide by the "
      "number of items in the whole set."),
    M("divided_by_batches",
      "The {which} loss divides the size-weighted sum by the number of batches, not by "
      "the number of items.",
      "The weighted sum adds up per-item losses, so divide it by the number of items "
      "(e.g. len(loader.dataset))."),
    M("loss_not_weighted",
      "The {which} loss adds the batch means without weighting them by the batch sizes "
      "before dividing by the number of items.",
      "A batch's mean loss stands for all of its items: multiply it by the batch size "
      "before adding it up."),
    M("train_loss_after_update",
      "The training loss of each batch is computed after that batch's update.",
      "Record loss.item() of the loss you called backward on; recomputing it after "
      "optimizer.step() measures the already updated model."),
    M("train_loss_after_epoch",
      "The training loss is measured on the model at the end of the epoch, not on each "
      "batch before its update.",
      "Accumulate the loss of every batch as the loop trains on it; no extra pass over "
      "the training data is needed."),
    M("train_loss_last_batch",
      "The training loss is the loss of the epoch's last batch only.",
      "Accumulate over all batches of the epoch, then divide once per epoch."),
    M("train_loss_wrong",
      "The training losses do not match the batch-size-weighted mean of the batch losses "
      "before each update (epoch {epoch}: expected {expected}, got {got}).",
      "For each batch add loss.item() * batch size; after the epoch divide by the number "
      "of training items."),
    M("val_loss_before_update",
      "The validation loss is measured before the epoch's updates, not after them.",
      "Validate after the training loop of the epoch has finished."),
    M("val_loss_wrong",
      "The validation losses do not match the batch-size-weighted mean loss over the "
      "validation set after each epoch (epoch {epoch}: expected {expected}, got {got}).",
      "Evaluate every validation batch after the epoch's updates, weight each batch's "
      "mean loss by its size and divide by the number of validation items."),
    M("losses_length",
      "The loss lists hold {got} entries for {expected} epochs run.",
      "Append exactly one training and one validation loss per epoch."),

    # Modes and graphs.
    M("val_train_mode",
      "Validation runs with the model in training mode.",
      "Call model.eval() before validating: dropout and batch normalisation behave "
      "differently in training mode, so the validation loss would be noisy or biased."),
    M("train_mode_not_restored",
      "After the first validation the model trains in evaluation mode.",
      "Call model.train() at the start of every epoch's training loop, since validation "
      "switched the model to eval mode."),
    M("val_builds_graph",
      "Validation builds an autograd graph.",
      "Wrap validation in torch.no_grad() (or torch.inference_mode()): no gradients are "
      "needed, and recording the graph wastes memory and time."),

    # Early stopping and epoch numbers.
    M("ties_improve",
      "An epoch whose validation loss only equals the best so far counts as an "
      "improvement ({case}).",
      "An epoch improves only when its loss is strictly lower than the best so far; "
      "compare with <, not <=."),
    M("patience_off_by_one",
      "Early stopping waits the wrong number of epochs: {how} ({case}).",
      "Count consecutive epochs without improvement; stop as soon as the count reaches "
      "patience, so patience=1 stops right after the first bad epoch."),
    M("epochs_zero_based",
      "Epoch numbers are 0-based: {how} ({case}).",
      "Epochs are numbered from 1: the first epoch is epoch 1 (e.g. loop over "
      "range(1, epochs + 1))."),
    M("stopped_epoch_wrong",
      "stopped_epoch is not the last epoch run: {how} ({case}).",
      "Record the number of the epoch in which the loop ends, early or not."),
    M("early_stop_ignores_flag",
      "Training stops early although early_stop=False ({case}).",
      "Only stop early when early_stop is True; otherwise run all epochs (still keeping "
      "the best weights)."),
    M("no_early_stopping",
      "Training does not stop early when early_stop=True ({case}).",
      "After each non-improving epoch, increase a counter; with early_stop=True, leave "
      "the epoch loop once it reaches patience."),
    M("patience_not_reset",
      "The count of epochs without improvement is not reset by an improvement ({case}).",
      "Patience counts epochs without improvement in a row: set the counter back to 0 "
      "whenever the validation loss improves."),
    M("early_stopping_wrong",
      "best_epoch / stopped_epoch / the number of epochs run are wrong for {case}: "
      "expected {expected}, got {got}.",
      "best_epoch is the 1-based epoch with the strictly lowest validation loss; with "
      "early_stop, stop once patience epochs in a row bring no improvement."),

    # The best weights.
    M("best_not_restored",
      "On return the model holds the weights of the last epoch, not those of best_epoch "
      "({case}).",
      "Keep a copy of the state whenever the validation loss improves, and load it into "
      "the model (model.load_state_dict) before returning; the caller's model object must "
      "end up with the best weights."),
    M("best_state_aliased",
      "The saved best state changes as training goes on: model.state_dict() returns "
      "references to the live tensors, so the restored weights are the last epoch's "
      "({case}).",
      "Store a real copy: clone every tensor of the state_dict (or deep-copy it) when "
      "the loss improves."),
    M("buffers_not_restored",
      "On return the parameters are best_epoch's but the buffers (e.g. BatchNorm's "
      "running statistics) are not ({case}).",
      "Save and restore the whole state_dict, which holds buffers as well as "
      "parameters."),
    M("restored_wrong_epoch",
      "On return the model holds weights that are neither those of best_epoch nor the "
      "last epoch's ({case}).",
      "Save the state right after the validation that found the new best loss, and "
      "load exactly that state at the end."),

    # Returns and side effects.
    M("losses_not_floats",
      "The loss lists hold {got} values, not Python floats.",
      "Use loss.item() to turn a one-element tensor into a Python float; keeping tensors "
      "also keeps their graphs (and GPU memory) alive."),
    M("writes_files",
      "`train_and_evaluate` writes files ({got}); the best weights must be kept in memory.",
      "Keep the best state in a variable (a cloned state_dict or a deep copy of the "
      "model). Files collide between runs and the grader's folder is not yours to fill."),
    M("ignores_device",
      "The model or some batches are not moved to device={device}.",
      "Move the model with model.to(device) and every batch with xb.to(device), "
      "yb.to(device), in training and in validation."),
]
