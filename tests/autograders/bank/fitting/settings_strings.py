"""
Writes the numbers of the under-fitting settings as strings.

expect: underfit_settings -> underfit_settings.bad_value
"""
underfit_settings = {
    "model": "SimpleNet", "n_points": "200", "noise_std": "0.0", "val_fraction": "0.2",
    "batch_size": "32", "lr": "0.01", "epochs": "5", "early_stop": False, "patience": "5",
    "data_seed": "0", "model_seed": "0",
}
