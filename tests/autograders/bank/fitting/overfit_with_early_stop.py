"""
Turns early stopping on in the over-fitting experiment, so the rise of the
validation loss is cut off.

expect: overfit_settings -> overfit_settings.early_stop_on
"""
overfit_settings = {**overfit_settings, "early_stop": True}
