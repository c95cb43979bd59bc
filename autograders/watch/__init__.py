"""``python -m autograders watch``: grade each submission as it arrives, release its feedback.

Data path, one poll (loop.py):
  the exchange's inbound/ (nbgrader's own collect picks each student's latest
  submission; sources.py) or submitted/ directly
  -> per student, new or changed: nbgrader collect for that student
  -> the engine grades the new ones (cli's grade, in this process; reports and
     gradebook as ``grade`` writes them), the class-wide reports redone from
     every stored result
  -> per student: nbgrader generate_feedback + release_feedback (feedback.py),
     scores hidden until the due date if asked (diagnoses.py), or a page saying
     why not yet (rate limit, feedback after the due date; pages.py)
State (state.py): ``<course>/watcher/state.json`` (what was collected, graded
and released, per student), ``log.jsonl`` (every action, with student and
time) and ``lock`` (one watcher per course).
"""
