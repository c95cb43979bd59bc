"""The audit: how many mutants of the reference solution the autograders kill.

``python -m autograders audit`` (autograders.audit.run): mutants of every
graded function and class (mutants.py, operators.py) become submissions
(submissions.py), graded by the engine as a class (grade.py), classified
(classify.py; survivors compared with the reference in another process by
equivalence.py) and reported in audit.json and audit.html (report.py).
"""
