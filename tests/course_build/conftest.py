import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "neural_networks"


def venv_env():
    """Environment whose PATH finds this interpreter's nbgrader and alembic."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture(scope="session")
def regenerated_release(tmp_path_factory):
    """A temporary course holding a copy of source/ and a freshly generated release/."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    subprocess.run(
        ["nbgrader", "generate_assignment", ASSIGNMENT, "--force",
         f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}"],
        cwd=course, env=venv_env(), check=True, capture_output=True, text=True,
    )
    return course / "release" / ASSIGNMENT
