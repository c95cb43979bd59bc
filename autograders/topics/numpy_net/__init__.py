"""The NumPy network from scratch (notebook 02): probes, judges and misconceptions."""
