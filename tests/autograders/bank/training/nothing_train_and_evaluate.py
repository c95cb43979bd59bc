"""Does nothing: a well-formed result dict, no training, no evaluation.

A stub with the right types and shapes and no computation earns no points.
expect: train_and_evaluate -> zero
"""
def train_and_evaluate(model, train_loader, val_loader, epochs, lr,
                       early_stop=False, patience=5, device="cpu"):
    return {"train_losses": [1.0] * epochs, "val_losses": [1.0] * epochs, "best_epoch": 1,
            "stopped_epoch": epochs}
