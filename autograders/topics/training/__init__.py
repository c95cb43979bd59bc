"""train_and_evaluate: the PyTorch training loop with losses, early stopping and
the best weights (probe scenarios in ``scenarios``, judge in ``judges``)."""
