"""
Leaves out the seeds, trusting defaults that the settings table does not have.

expect: underfit_settings -> underfit_settings.keys
"""
underfit_settings = {
    "model": "SimpleNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
    "batch_size": 32, "lr": 0.01, "epochs": 5, "early_stop": False, "patience": 5,
}
