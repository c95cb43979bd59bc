"""
The lecture's own train_and_evaluate, moved into the contract's signature:
the loaders and the device are now arguments instead of notebook globals,
and it returns the contract's dict (the lecture's `#return best_epoch` was
commented out). The plotting moved to the notebook's plotting helper. The
training, validation and early-stopping code is the lecture's, unchanged.

Its bugs against the contract:
- it saves the best weights to best_model.pt in the working directory and
  loads them back, instead of keeping them in memory;
- it ignores `device` (the lecture had no device argument): the model and the
  batches stay where they are, which only a machine with CUDA can see.

expect: train_and_evaluate -> train_and_evaluate.writes_files
expect-on-cuda: train_and_evaluate -> train_and_evaluate.ignores_device
"""
import torch
import torch.nn as nn


def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    """
    Trains `model` for up to `epochs` with LR `lr`.
    If `early_stop=True`, monitors validation loss and stops after `patience` non-improving epochs.
    Always reloads the best model before plotting.
    """
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

    train_losses, val_losses = [], []
    best_val = float('inf')
    best_epoch = 0
    wait = 0

    for epoch in range(1, epochs + 1):
        # — Training —
        model.train()
        running_train = 0.0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            running_train += loss.item() * xb.size(0)
        train_losses.append(running_train / len(train_loader.dataset))

        # — Validation —
        model.eval()
        running_val = 0.0
        with torch.no_grad():
            for xb, yb in val_loader:
                running_val += criterion(model(xb), yb).item() * xb.size(0)
        val_loss = running_val / len(val_loader.dataset)
        val_losses.append(val_loss)

        # — Check for improvement —
        if val_loss < best_val:
            best_val = val_loss
            best_epoch = epoch
            wait = 0
            torch.save(model.state_dict(), 'best_model.pt')
        else:
            wait += 1
            if early_stop and wait >= patience:
                print(f"→ Early stopping at epoch {epoch} (best at {best_epoch})")
                break

    # Reload the best‐seen weights
    model.load_state_dict(torch.load('best_model.pt'))

    return {"train_losses": train_losses, "val_losses": val_losses,
            "best_epoch": best_epoch, "stopped_epoch": epoch}
