"""Known-wrong training loops and early-stopping rules, to name a mistake.

Trusted, judge-side code. When a student's parameter trajectory differs from
the reference's, the judge replays the "fit" scenario with each mutant below
and reports the misconception of the one that reproduces the student's
trajectory. Early-stopping mistakes are simulated on the scripted validation
losses in plain Python (the reference itself fixes what is right).
"""
import math

import torch
from torch import nn


def mutant_trainer(optimizer="sgd", zero_grad="batch", loss="mse", fixed_lr=None, step=True):
    """A train_and_evaluate with one deliberate deviation from the contract."""
    def train(model, train_loader, val_loader, epochs, lr, early_stop=False, patience=5,
              device="cpu"):
        model.to(device)
        rate = fixed_lr if fixed_lr is not None else lr
        criterion = {"mse": nn.MSELoss(), "l1": nn.L1Loss(), "sum": nn.MSELoss(reduction="sum"),
                     "huber": nn.SmoothL1Loss()}[loss]
        if optimizer == "adam":
            opt = torch.optim.Adam(model.parameters(), lr=rate)
        elif optimizer == "momentum":
            opt = torch.optim.SGD(model.parameters(), lr=rate, momentum=0.9)
        else:
            opt = torch.optim.SGD(model.parameters(), lr=rate)
        for _ in range(epochs):
            model.train()
            if zero_grad == "epoch":
                opt.zero_grad()
            for xb, yb in train_loader:
                xb, yb = xb.to(device), yb.to(device)
                if zero_grad == "batch":
                    opt.zero_grad()
                criterion(model(xb), yb).backward()
                if step:
                    opt.step()
            model.eval()
            with torch.no_grad():
                for xb, _yb in val_loader:
                    model(xb.to(device))
        return {}
    return train


# (misconception id, what the student did, trainer)
TRAJECTORY_MUTANTS = (
    ("train_and_evaluate.missing_zero_grad", "gradients are never reset",
     mutant_trainer(zero_grad="never")),
    ("train_and_evaluate.missing_zero_grad", "gradients are reset once per epoch, not per batch",
     mutant_trainer(zero_grad="epoch")),
    ("train_and_evaluate.no_update", "the optimiser never changes the parameters",
     mutant_trainer(step=False)),
    ("train_and_evaluate.wrong_optimizer", "the trajectory is Adam's",
     mutant_trainer(optimizer="adam")),
    ("train_and_evaluate.wrong_optimizer", "the trajectory is SGD with momentum 0.9",
     mutant_trainer(optimizer="momentum")),
    ("train_and_evaluate.ignores_lr", "the learning rate is fixed at 0.01",
     mutant_trainer(fixed_lr=0.01)),
    ("train_and_evaluate.ignores_lr", "the learning rate is fixed at 0.001",
     mutant_trainer(fixed_lr=0.001)),
    ("train_and_evaluate.wrong_loss", "the loss is the mean absolute error (L1)",
     mutant_trainer(loss="l1")),
    ("train_and_evaluate.wrong_loss", "the loss is the summed, not the mean, squared error",
     mutant_trainer(loss="sum")),
    ("train_and_evaluate.wrong_loss", "the loss is the smooth L1 (Huber) loss",
     mutant_trainer(loss="huber")),
)


def simulate(val_losses, epochs, early_stop, patience, ties=False, patience_slack=0,
             best_offset=0, stopped_offset=0, stopped_is_epochs=False, always_stop=False,
             never_stop=False, no_reset=False):
    """(best_epoch, stopped_epoch, epochs run) under one early-stopping rule."""
    best, best_epoch, wait, run = math.inf, 0, 0, 0
    for epoch in range(1, epochs + 1):
        run = epoch
        loss = val_losses[epoch - 1]
        if loss < best or (ties and loss == best):
            best, best_epoch = loss, epoch
            if not no_reset:
                wait = 0
        else:
            wait += 1
            if (early_stop or always_stop) and not never_stop and wait >= patience + patience_slack:
                break
    stopped = epochs if stopped_is_epochs else run
    return best_epoch + best_offset, stopped + stopped_offset, run


# (misconception id, what the student did, simulate() options)
STOPPING_MUTANTS = (
    ("train_and_evaluate.ties_improve",
     "an epoch that only ties the best loss counts as an improvement", {"ties": True}),
    ("train_and_evaluate.patience_off_by_one",
     "training stops one epoch too late (wait > patience)", {"patience_slack": 1}),
    ("train_and_evaluate.patience_off_by_one",
     "training stops one epoch too early", {"patience_slack": -1}),
    ("train_and_evaluate.epochs_zero_based", "best_epoch is 0-based", {"best_offset": -1}),
    ("train_and_evaluate.epochs_zero_based", "stopped_epoch is 0-based", {"stopped_offset": -1}),
    ("train_and_evaluate.epochs_zero_based", "best_epoch and stopped_epoch are 0-based",
     {"best_offset": -1, "stopped_offset": -1}),
    ("train_and_evaluate.stopped_epoch_wrong",
     "stopped_epoch is the epochs argument, not the last epoch run", {"stopped_is_epochs": True}),
    ("train_and_evaluate.early_stop_ignores_flag",
     "training stops early even with early_stop=False", {"always_stop": True}),
    ("train_and_evaluate.no_early_stopping", "training never stops early", {"never_stop": True}),
    ("train_and_evaluate.patience_not_reset",
     "the count of epochs without improvement is not reset by an improvement", {"no_reset": True}),
)
