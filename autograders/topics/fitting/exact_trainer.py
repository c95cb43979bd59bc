"""The reference's train_and_evaluate without autograd: the same float32 operations, 5x faster.

The fitting judges train the reference on each student's settings: up to
3750 SGD steps of a 1 -> 512 -> 1 network on a dozen points. The arithmetic
is tiny; nearly all of the time went into eager PyTorch's per-operation
overhead (autograd's graph and engine, nn.Module calls, the optimiser's
bookkeeping). ``train_and_evaluate`` here runs the same operations on the
same tensors in the same order, called directly:
- forward: ``F.linear`` (addmm), ``relu``, ``F.linear``, ``F.mse_loss``, as
  the modules call them;
- backward: the kernels autograd's formulas call for these operations
  (``mse_loss_backward``; for each ``addmm``: the bias gradient summed over
  the batch, the weight gradient ``grad.t().mm(input)`` as for a transposed
  weight, the input gradient ``grad.mm(weight)``; ``threshold_backward`` for
  ReLU);
- the step: ``param.add_(grad, alpha=-lr)`` per parameter, as SGD does on
  the CPU (no momentum, no weight decay: the contract's optimiser);
- losses, best epoch, early stopping and the weights handed back exactly as
  reference.training.train_and_evaluate, whose loop this follows line by line.
Batches come from IndexedLoader (the DataLoader's own batches and random
draws). tests/autograders/test_exact_trainer.py checks, run for run, that
the loss histories and the final weights are bitwise those of the reference
(so a torch whose kernels or formulas change fails there). Models other than
the reference's Linear-ReLU-Linear, or devices other than the CPU, are
trained by the reference itself.
"""
import torch
from torch import nn
from torch.nn import functional

import reference.experiments as experiments
from autograders.topics.fitting.indexed_loader import IndexedLoader

MEAN = 1  # torch's Reduction::Mean, as nn.MSELoss() passes it


def layers_of(model):
    """(first Linear, second Linear) of a reference model, or None for anything else."""
    if type(model) not in experiments.MODELS.values():
        return None
    net = getattr(model, "net", None)
    kinds = [type(layer) for layer in net] if isinstance(net, nn.Sequential) else []
    if kinds != [nn.Linear, nn.ReLU, nn.Linear]:
        return None
    first, _, second = net
    if first.bias is None or second.bias is None:
        return None
    if [id(p) for p in model.parameters()] != [id(p) for p in (
            first.weight, first.bias, second.weight, second.bias)]:
        return None
    return first, second


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    """reference.training.train_and_evaluate, same arguments, same result, bitwise."""
    train_batches, val_batches = IndexedLoader(train_loader), IndexedLoader(val_loader)
    layers = layers_of(model)
    if layers is None or torch.device(device).type != "cpu":
        return experiments.train_and_evaluate(model, train_batches, val_batches, epochs, lr,
                                              early_stop=early_stop, patience=patience,
                                              device=device)
    with torch.no_grad():
        return _train(model, layers, train_batches, val_batches, epochs, lr, early_stop,
                      patience)


def _forward(parameters, xb):
    w1, b1, w2, b2 = parameters
    hidden = torch.relu(functional.linear(xb, w1, b1))
    return hidden, functional.linear(hidden, w2, b2)


def _mse_loss(out, target):
    """F.mse_loss(out, target) of same-shaped tensors: the kernel it calls, without its checks."""
    return torch._C._nn.mse_loss(out, target, MEAN)


def _step(parameters, xb, yb, lr, one):
    """One SGD step on a batch; returns the batch's loss before the step."""
    w1, b1, w2, b2 = parameters
    hidden, out = _forward(parameters, xb)
    loss = _mse_loss(out, yb)
    grad_out = torch.ops.aten.mse_loss_backward(one, out, yb, MEAN)
    grad_w2 = grad_out.t().mm(hidden)
    grad_b2 = grad_out.sum(0)
    grad_hidden = torch.ops.aten.threshold_backward(grad_out.mm(w2), hidden, 0)
    grad_w1 = grad_hidden.t().mm(xb)
    grad_b1 = grad_hidden.sum(0)
    for parameter, grad in zip(parameters, (grad_w1, grad_b1, grad_w2, grad_b2)):
        parameter.add_(grad, alpha=-lr)
    return loss.item()


def _evaluate(parameters, val_batches):
    """reference.training.evaluate: the batch-size-weighted mean loss."""
    weighted_sum, count = 0.0, 0
    for xb, yb in val_batches:
        weighted_sum += _mse_loss(_forward(parameters, xb)[1], yb).item() * len(xb)
        count += len(xb)
    if count == 0:
        raise ValueError("the validation loader is empty")
    return weighted_sum / count


def _train(model, layers, train_batches, val_batches, epochs, lr, early_stop, patience):
    first, second = layers
    parameters = [p.detach() for p in (first.weight, first.bias, second.weight, second.bias)]
    one = torch.ones((), dtype=parameters[0].dtype)  # what loss.backward() starts from
    history = {"train_losses": [], "val_losses": [], "best_epoch": 0, "stopped_epoch": 0}
    best_loss, best_state, epochs_without_improvement = float("inf"), None, 0

    for epoch in range(1, epochs + 1):
        weighted_sum, count = 0.0, 0
        for xb, yb in train_batches:
            weighted_sum += _step(parameters, xb, yb, lr, one) * len(xb)
            count += len(xb)
        history["train_losses"].append(weighted_sum / count)

        val_loss = _evaluate(parameters, val_batches)
        history["val_losses"].append(val_loss)
        history["stopped_epoch"] = epoch

        if best_state is None or val_loss < best_loss:
            best_loss, history["best_epoch"] = val_loss, epoch
            best_state = [p.clone() for p in parameters]
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
            if early_stop and epochs_without_improvement >= patience:
                break

    for parameter, kept in zip(parameters, best_state):
        parameter.copy_(kept)
    model.eval()  # as the reference leaves it (its last call was evaluate)
    return history
