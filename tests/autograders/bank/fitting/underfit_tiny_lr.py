"""
Under-fits by a learning rate far too small to get anywhere in 20 epochs.

expect: full marks
"""
underfit_settings = {
    "model": "SimpleNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
    "batch_size": 32, "lr": 1e-4, "epochs": 20, "early_stop": False, "patience": 5,
    "data_seed": 0, "model_seed": 0,
}
