"""Hidden autograders and the grading engine for the neural-networks course.

Data path: submission -> probes (student code, sandboxable, plain
observations) -> judges (trusted, expected values from ``reference``) ->
score and feedback. ``items`` is the points table every part shares.
"""
