"""Fitting: the student's under-fitting, over-fitting and early-stopping settings,
run in trusted code with the reference implementation and judged by the
properties of the loss curves."""
