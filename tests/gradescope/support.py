"""A Gradescope container, played in a temporary folder: the zip unpacked as Gradescope does.

``Container(root, zip)`` unpacks the zip into root/source (modes kept) and
copies run_autograder to root/run_autograder, as Gradescope's image build
does; ``grade()`` runs run_autograder on what ``upload`` put in
root/submission, with this interpreter (not setup.sh's venv; set
AUTOGRADERS_TEST_GRADESCOPE_PYTHON to the venv a real setup.sh made, to check
that the zip's requirements suffice) and returns the exit status, the log and
results.json. The root variable moves /autograder there (tests only).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograders.gradescope_zip.layout import ROOT_VARIABLE, Layout

RUN_SECONDS = 300
PYTHON = os.environ.get("AUTOGRADERS_TEST_GRADESCOPE_PYTHON") or sys.executable


@dataclass
class Graded:
    returncode: int
    log: str
    results: dict

    @property
    def output(self):
        """The overview as Gradescope shows it (its Markdown's escapes undone)."""
        return shown(self.results["output"])


def shown(markdown):
    """Text of as_markdown's output as a reader sees it: backslash escapes and entities undone."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def unpack(zip_path, folder):
    """Extract with each entry's Unix mode (zipfile's extractall drops it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = folder / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            target.chmod((info.external_attr >> 16) & 0o777)


class Container:
    def __init__(self, root, zip_path):
        self.layout = Layout(Path(root))
        unpack(zip_path, self.layout.source)
        shutil.copy2(self.layout.source / "run_autograder", self.layout.run_autograder)
        self.layout.submission.mkdir()
        (self.layout.root / "submission_metadata.json").write_text(
            json.dumps({"id": 1, "users": [{"name": "A Student"}]}))

    def upload(self, files):
        """files: {path in the upload: bytes}."""
        for name, data in files.items():
            target = self.layout.submission / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def grade(self, env=None, wrapper=()):
        """Run run_autograder (under `wrapper`, a command prefix: the Docker emulation)."""
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith("PYTHON")}
        environment.update({ROOT_VARIABLE: str(self.layout.root),
                            "AUTOGRADERS_GRADESCOPE_PYTHON": PYTHON}, **(env or {}))
        done = subprocess.run([*wrapper, shutil.which("bash"), str(self.layout.run_autograder)],
                              env=environment,
                              cwd=self.layout.root, capture_output=True, text=True,
                              timeout=RUN_SECONDS)
        log = done.stdout + done.stderr
        results_file = self.layout.results_file
        assert results_file.is_file(), f"no results.json; the log:\n{log}"
        return Graded(done.returncode, log, json.loads(results_file.read_text()))


def notebooks_of(folder):
    """{file name: bytes} of a submitted/<student>/<assignment>/ folder's notebooks."""
    return {path.name: path.read_bytes() for path in sorted(Path(folder).glob("*.ipynb"))}
