"""
Trains on the mean loss but accumulates the epoch's losses with a summed
criterion (reduction='sum') on the same predictions, dividing by the number of
items: the same weighted means, computed another way.

expect: full marks
"""
import torch
from torch import nn


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    model = model.to(device)
    mean_loss = nn.MSELoss()
    summed_loss = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = {"train_losses": [], "val_losses": [], "best_epoch": 0, "stopped_epoch": 0}
    best, best_state, bad_epochs = None, None, 0
    for epoch in range(1, epochs + 1):
        model.train()
        total, count = 0.0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            pred = model(xb)
            mean_loss(pred, yb).backward()
            total += summed_loss(pred.detach(), yb).item()
            count += len(yb)
            optimizer.step()
        history["train_losses"].append(total / count)

        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for xb, yb in val_loader:
                xb, yb = xb.to(device), yb.to(device)
                total += summed_loss(model(xb), yb).item()
                count += len(yb)
        val_loss = total / count
        history["val_losses"].append(val_loss)
        history["stopped_epoch"] = epoch
        if best is None or val_loss < best:
            best, history["best_epoch"], bad_epochs = val_loss, epoch, 0
            best_state = {name: t.detach().clone() for name, t in model.state_dict().items()}
        else:
            bad_epochs += 1
            if early_stop and bad_epochs >= patience:
                break
    model.load_state_dict(best_state)
    return history
