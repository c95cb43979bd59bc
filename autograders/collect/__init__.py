"""Bring students' notebooks into the course's submitted/ folder.

- GitHub Classroom (``classroom.py``): a folder of cloned student repositories,
  ``python -m autograders.collect classroom DIR``;
- Gradescope's "Export Submissions" zip (``gradescope.py``): a collector
  plugin for nbgrader's own ``zip_collect``;
- nbgrader's exchange: ``nbgrader collect`` itself.
docs/ci.md shows each, step by step.
"""
