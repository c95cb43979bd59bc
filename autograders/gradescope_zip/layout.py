"""Gradescope's folders in the grading container (its autograder specifications).

At image build the zip is unpacked into ``<root>/source`` and setup.sh runs
there; per submission the student's files are in ``<root>/submission``
(``submission_metadata.json`` beside it, in ``<root>``), ``<root>/run_autograder``
runs, and ``<root>/results/results.json`` is what Gradescope reads. The root is
/autograder; ``ROOT_VARIABLE`` moves it, for tests only.
"""
import os
from dataclasses import dataclass
from pathlib import Path

ROOT_VARIABLE = "AUTOGRADERS_GRADESCOPE_ROOT"
DEFAULT_ROOT = "/autograder"
SETTINGS_FILE = "settings.json"     # in source/: what the zip was built with
RESULTS_FILE = "results.json"


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def here(cls):
        return cls(Path(os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT))

    @property
    def source(self):
        return self.root / "source"

    @property
    def submission(self):
        return self.root / "submission"

    @property
    def results(self):
        return self.root / "results"

    @property
    def results_file(self):
        return self.results / RESULTS_FILE

    @property
    def run_autograder(self):
        return self.root / "run_autograder"

    @property
    def settings_file(self):
        return self.source / SETTINGS_FILE

    def hidden(self):
        """What student code must never see: everything of /autograder."""
        return (self.root, self.source, self.submission, self.results)
