"""Averages the batch losses without weighting them by the batch sizes.

expect: train_and_evaluate -> train_and_evaluate.mean_of_batch_means
"""
import torch
from torch import nn


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    model.to(device)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_val, best_epoch, best_state, wait = float("inf"), 0, None, 0
    stopped_epoch = 0
    for epoch in range(1, epochs + 1):
        model.train()
        batch_losses = []
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        train_losses.append(sum(batch_losses) / len(batch_losses))

        model.eval()
        running = 0.0
        with torch.no_grad():
            for xb, yb in val_loader:
                xb, yb = xb.to(device), yb.to(device)
                running += criterion(model(xb), yb).item() * xb.size(0)
        val_loss = running / len(val_loader.dataset)
        val_losses.append(val_loss)
        stopped_epoch = epoch

        if val_loss < best_val:
            best_val, best_epoch, wait = val_loss, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            wait += 1
            if early_stop and wait >= patience:
                break

    model.load_state_dict(best_state)
    return {"train_losses": train_losses, "val_losses": val_losses,
            "best_epoch": best_epoch, "stopped_epoch": stopped_epoch}
