"""
Early stopping on the under-fitting settings: the validation loss is still
falling after 5 epochs, so training never stops early.

expect: early_stop_settings -> early_stop_settings.not_stopped
"""
early_stop_settings = {**underfit_settings, "early_stop": True, "patience": 3}
