"""
"Under-fitting" settings that train SimpleNet long enough to fit the curve.

expect: underfit_settings -> underfit_settings.not_underfit
"""
underfit_settings = {
    "model": "SimpleNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
    "batch_size": 8, "lr": 0.05, "epochs": 60, "early_stop": False, "patience": 5,
    "data_seed": 0, "model_seed": 0,
}
