"""
The lecture's over-fitting experiment as settings: LargeNet on 200 noise-free,
evenly spaced points, 80/20 split, 1000 epochs. It does not over-fit (the
validation points lie between dense training points and there is no noise to
memorise), and its 5000 SGD steps are above the grader's budget, so the
grader refuses to run it and also names the missing noise.

expect: overfit_settings -> overfit_settings.no_noise
"""
overfit_settings = {
    "model": "LargeNet", "n_points": 200, "noise_std": 0.0, "val_fraction": 0.2,
    "batch_size": 32, "lr": 0.01, "epochs": 1000, "early_stop": False, "patience": 5,
    "data_seed": 0, "model_seed": 0,
}
