"""train_and_evaluate: SGD on MSE with per-epoch losses and early stopping."""
import torch
from torch import nn


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    """Train with SGD on MSE; track losses; keep the best weights.

    Inputs:
    - model: an nn.Module; train_loader, val_loader: DataLoaders of (x, y)
    - epochs: maximum number of epochs (>= 1); lr: SGD learning rate
    - early_stop: stop once `patience` epochs in a row bring no improvement
    - device: "cpu" or "cuda"; the model and every batch are moved there

    Returns a dict with
    - "train_losses": per epoch, the batch-size-weighted mean training loss,
      each batch's loss taken before that batch's update (Python floats)
    - "val_losses": per epoch, the batch-size-weighted mean validation loss
      after the epoch's updates, in eval mode, without a graph
    - "best_epoch": the 1-based epoch with the strictly lowest validation loss
    - "stopped_epoch": the last epoch run
    On return the model holds the weights it had at the end of best_epoch.
    """
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


def evaluate(model, loader, criterion, device="cpu"):
    """Batch-size-weighted mean loss over a loader, in eval mode, no graph."""
    model.eval()
    weighted_sum, count = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            weighted_sum += criterion(model(xb), yb).item() * len(xb)
            count += len(xb)
    if count == 0:
        raise ValueError("the validation loader is empty")
    return weighted_sum / count
