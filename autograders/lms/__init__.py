"""Grades into the course's LMS: a CSV for Canvas's or Moodle's grade import.

Data path: the roster is the gradebook CSV the instructor exported from the
LMS (formats.py says how each LMS lays it out); the marks are one per
student, from the nbgrader gradebook (``nbgrader export`` with the plugins of
plugin.py) or from the engine's grades.csv (``python -m autograders export``,
command.py) (marks.py); fill.py matches the two by a column the instructor
chooses and writes the import CSV, with a report of every student on either
side that has no match, has no submission, or whose score is not written.
"""
