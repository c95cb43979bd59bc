"""
The reference over-fitting recipe with another model seed (other initial
weights, same data): the validation loss still ends well above its minimum.
Some numbers are written as floats with integer values.

expect: full marks
"""
overfit_settings = {
    "model": "LargeNet", "n_points": 24.0, "noise_std": 1, "val_fraction": 0.5,
    "batch_size": 24, "lr": 0.005, "epochs": 2500.0, "early_stop": False, "patience": 5,
    "data_seed": 37, "model_seed": 3,
}
