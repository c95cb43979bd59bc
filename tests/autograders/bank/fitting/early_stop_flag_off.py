"""
Copies the over-fitting settings for early stopping but forgets to switch
early stopping on.

expect: early_stop_settings -> early_stop_settings.not_enabled
"""
early_stop_settings = {**overfit_settings, "early_stop": False}
