"""Does nothing: notebook 3's training run copied unchanged.

A stub with the right types and shapes and no computation earns no points.
expect: early_stop_settings -> zero
"""
early_stop_settings = {
    "model": "SimpleNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
    "batch_size": 32, "lr": 0.05, "epochs": 400, "early_stop": False, "patience": 5,
    "data_seed": 0, "model_seed": 0,
}
