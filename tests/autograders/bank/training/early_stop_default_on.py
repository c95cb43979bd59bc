"""early_stop defaults to True, not the contract's False (found by the audit: the
scenarios always passed early_stop, so a changed default went unseen).

expect: train_and_evaluate -> train_and_evaluate.early_stopping_wrong
"""
import torch
from torch import nn


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=True, patience=5, device="cpu"):
    model.to(device)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = {"train_losses": [], "val_losses": [], "best_epoch": 0, "stopped_epoch": 0}
    best_loss, best_state, epochs_without_improvement = float("inf"), None, 0

    for epoch in range(1, epochs + 1):
        model.train()
        weighted_sum, count = 0.0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            weighted_sum += loss.item() * len(xb)
            count += len(xb)
        history["train_losses"].append(weighted_sum / count)

        val_loss = evaluate(model, val_loader, criterion, device)
        history["val_losses"].append(val_loss)
        history["stopped_epoch"] = epoch

        # The first epoch is always the best so far; later ones must be strictly lower.
        if best_state is None or val_loss < best_loss:
            best_loss, history["best_epoch"] = val_loss, epoch
            # Clone: state_dict() returns views of the live parameters.
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
            if early_stop and epochs_without_improvement >= patience:
                break

    model.load_state_dict(best_state)
    return history
