"""nbgrader configuration of the neural-networks course.

An instructor who knows nbgrader changes nothing: `nbgrader generate_assignment
neural_networks`, `nbgrader validate`, `nbgrader autograde` and formgrader all
read this file from the course root.
"""
import os
import sys

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "nn-lecture"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The gradebook lives at the course root (sqlite); any SQLAlchemy URL works.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")

# Release stubs: the def line and docstring stay; the body becomes this.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True

# Every notebook runs in the standard python3 kernel, with a generous per-cell
# timeout (the demonstration cells train for a few seconds on 2 cores). A failing
# cell does not stop the run: nbgrader's Execute always allows errors (not a setting).
c.Execute.kernel_name = "python3"
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# nbgrader gives 0 points to a test cell with *any* stderr output. PyTorch and
# NumPy print warnings there (deprecations, thread settings) on correct code, so
# stderr chunks that are warnings are dropped before grading. Errors are still
# errors: they arrive as "error" outputs, not on stderr.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning\b|^\[W\d+"

# The hidden test cells import autograders and reference: make this course's
# copies importable in the kernels nbgrader starts (an installed package works too).
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [c.CourseDirectory.root, os.environ.get("PYTHONPATH", "")]))

# Plots draw to memory while grading or validating; no display is needed.
os.environ.setdefault("MPLBACKEND", "Agg")

# The release must never contain the hidden tests' source.
c.ClearHiddenTests.enforce_metadata = True

# Students' feedback (`nbgrader generate_feedback`, then `release_feedback`) shows
# each test cell without its hidden part: nbgrader's own ClearHiddenTests joins the
# feedback pipeline (its default GetGrades, CSSHTMLHeaderPreprocessor). Formgrader
# still shows the hidden part to the instructor. Only nbgrader's commands need the
# classes (nbgrader is imported by then); the engine reads this file without them.
if "nbgrader" in sys.modules:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
