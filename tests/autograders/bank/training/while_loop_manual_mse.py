"""
A while loop with its own epoch counter, the squared error written out by hand
(same mean), model.zero_grad() instead of the optimiser's, validation in a
helper decorated with torch.no_grad(), and copy.deepcopy of the state_dict.

expect: full marks
"""
import copy

import torch


@torch.no_grad()
def validation_loss(model, loader, device):
    model.eval()
    total, n = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        total += ((model(xb) - yb) ** 2).sum().item()
        n += yb.numel()
    return total / n


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    result = {"train_losses": [], "val_losses": []}
    best_loss = float("inf")
    best_epoch = 0
    best_weights = None
    since_best = 0
    epoch = 0
    while epoch < epochs:
        epoch += 1
        model.train()
        total, n = 0.0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            model.zero_grad()
            loss = ((model(xb) - yb) ** 2).mean()
            loss.backward()
            optimizer.step()
            total += float(loss) * yb.shape[0]
            n += yb.shape[0]
        result["train_losses"].append(total / n)
        val = validation_loss(model, val_loader, device)
        result["val_losses"].append(val)
        if val < best_loss:
            best_loss, best_epoch, since_best = val, epoch, 0
            best_weights = copy.deepcopy(model.state_dict())
        else:
            since_best += 1
        if early_stop and since_best >= patience:
            break
    model.load_state_dict(best_weights)
    result["best_epoch"] = best_epoch
    result["stopped_epoch"] = epoch
    return result
