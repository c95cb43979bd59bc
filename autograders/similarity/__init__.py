"""Similar code between students: extraction, fingerprints, the ranking (rank.py)."""
