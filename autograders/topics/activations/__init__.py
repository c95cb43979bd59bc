"""Activation functions (notebook 01): probes, judges and misconceptions."""
