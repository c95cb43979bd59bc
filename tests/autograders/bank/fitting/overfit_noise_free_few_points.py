"""
Follows the hints half-way: few points and a full batch, but no noise. The
validation loss keeps falling with the training loss.

expect: overfit_settings -> overfit_settings.no_noise
"""
overfit_settings = {
    "model": "LargeNet", "n_points": 24, "noise_std": 0.0, "val_fraction": 0.5,
    "batch_size": 24, "lr": 0.005, "epochs": 1500, "early_stop": False, "patience": 5,
    "data_seed": 37, "model_seed": 0,
}
