"""
Early stopping on the over-fitting settings with a longer patience, written
by unpacking the over-fitting dict.

expect: full marks
"""
early_stop_settings = {**overfit_settings, "early_stop": True, "patience": 100}
