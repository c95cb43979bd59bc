"""Build the nbgrader source notebooks from templates and ``reference``.

Data path: reference/ (solutions, written once) + course_build/templates/
(teaching text, visible tests, cell kinds) -> source/<assignment>/*.ipynb
(nbgrader source notebooks) -> release/ (nbgrader generate_assignment).

The solution cells are generated from the reference objects, so the source
notebooks never hold a second hand-kept copy of a solution.
"""
