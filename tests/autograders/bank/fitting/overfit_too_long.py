"""
The engineering notes' first over-fitting recipe (20 noisy points, batch 4,
3000 epochs): it takes several times the grader's budget of SGD steps.

expect: overfit_settings -> overfit_settings.too_expensive
"""
overfit_settings = {
    "model": "LargeNet", "n_points": 20, "noise_std": 0.5, "val_fraction": 0.5,
    "batch_size": 4, "lr": 0.01, "epochs": 3000, "early_stop": False, "patience": 5,
    "data_seed": 0, "model_seed": 0,
}
