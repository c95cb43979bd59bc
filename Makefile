# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
# nbgrader shells out to alembic and jupyter: use the venv's.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export MPLBACKEND := Agg

.PHONY: install source release demo test bench audit clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# reference/ + templates -> source/ notebooks
source: install
	$(PY) -m course_build

# source/ -> release/ (nbgrader's own command; the gradebook is gradebook.db)
release: source
	nbgrader generate_assignment neural_networks --force

# The main job: build the release and run the solution notebooks, then
# write a sample class under submitted/ (the reference, buggy students, a
# notebook that is not JSON, a missing notebook, a hostile student) and
# grade it with the engine: reports under $(DEMO_REPORTS)/, scores in the
# gradebook and autograded/ for formgrader. Re-running regrades the class.
# Last, the Gradescope autograder zip ($(GRADESCOPE_ZIP); README: "Grading on Gradescope").
DEMO_REPORTS := autograded-reports
GRADESCOPE_ZIP := autograder.zip

demo: release
	$(PY) -m course_build.run_notebooks --out demo-output
	$(PY) -m course_build.sample_class
	$(PY) -m autograders grade --out $(DEMO_REPORTS)
	@echo "Sample class graded. Class report: $(CURDIR)/$(DEMO_REPORTS)/class.html"
	@echo "(similar code: similarity.csv; data: class.json). Feedback pages: $(CURDIR)/$(DEMO_REPORTS)/<student>/feedback.html;"
	@echo "scores also in gradebook.db (formgrader, nbgrader export) and autograded/."
	$(PY) -m autograders gradescope --out $(GRADESCOPE_ZIP)

test: install
	$(PY) -m pytest

# The figures of the README's "Measured figures" (about 10 minutes; a quiet machine).
bench: release
	$(PY) bench/notebooks.py
	$(PY) bench/autograder_one_submission.py
	$(PY) bench/sandbox_overhead.py
	$(PY) bench/engine_vs_nbgrader.py --n 10
	$(PY) bench/engine_vs_nbgrader.py --n 100 --engine-only
	$(PY) bench/gradescope_submission.py

# The autograders audit themselves (README: "Auditing the autograders"): mutants of the
# reference solution graded as a class; audit/audit.html and audit/audit.json.
audit: install
	$(PY) -m autograders audit --out audit

# Back to a fresh clone (the venv stays): everything `make demo` wrote, the
# sample class and its gradebook included. Not for a course holding real
# submissions: it deletes submitted/ and gradebook.db.
clean:
	rm -rf demo-output build gradebook.db submitted autograded feedback $(DEMO_REPORTS) \
		$(GRADESCOPE_ZIP) audit
