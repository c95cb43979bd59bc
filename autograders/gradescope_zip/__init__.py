"""The Gradescope autograder: a zip an instructor uploads, and what it runs per submission.

- ``build``: ``python -m autograders gradescope`` makes the zip (setup.sh,
  run_autograder, the autograders and reference packages, the pinned
  requirements, the course's nbgrader_config.py, settings.json), byte-identical
  for the same course.
- ``layout``: Gradescope's folders (/autograder/source, submission, results).
- ``uploads``: the student's notebooks, wherever in the upload they are.
- ``run``: what run_autograder starts: grade the one student with the engine,
  sandboxed as ``grade`` does, and always leave results/results.json.
"""
