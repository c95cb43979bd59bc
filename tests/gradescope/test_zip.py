"""The autograder zip: complete, deterministic, and a setup.sh that cannot ship with a typo."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograders.course import Course
from autograders.gradescope_zip.build import FILES, build
from tests.gradescope.support import unpack

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ("setup.sh", "run_autograder")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("zip") / "autograder.zip", Course.load(ROOT))[0]


def test_same_course_gives_a_byte_identical_zip(built, tmp_path):
    again, _ = build(tmp_path / "again.zip", Course.load(ROOT))
    assert again.read_bytes() == built.read_bytes()


def test_contents_at_the_root_with_fixed_modes_and_times(built):
    with zipfile.ZipFile(built) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        settings = json.loads(archive.read("settings.json"))
        requirements = archive.read("requirements.txt").decode()
    assert names == sorted(names)
    assert {"setup.sh", "run_autograder", "requirements.txt", "nbgrader_config.py",
            "settings.json", "autograders/engine.py", "reference/__init__.py",
            "autograders/gradescope_zip/run.py"} <= set(names)
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".ipynb"))]
    for info in infos:
        mode = (info.external_attr >> 16) & 0o777
        assert mode == (0o755 if info.filename in SCRIPTS else 0o644), info.filename
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
    assert "torch==2.13.0\n" in requirements and "jupyterlab" not in requirements
    assert settings["visibility"] == "visible" and settings["sandbox"] == "isolated"
    assert settings["timeout"] < 10 * 60  # well below Gradescope's default limit


def test_command_line_builds_it_and_refuses_a_bad_visibility(tmp_path):
    run = [sys.executable, "-m", "autograders", "gradescope", "--course", str(ROOT)]
    done = subprocess.run(run + ["--out", str(tmp_path / "a.zip"), "--visibility", "hidden"],
                          capture_output=True, text=True, cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "a.zip") in done.stdout
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert json.loads(archive.read("settings.json"))["visibility"] == "hidden"
    bad = subprocess.run(run + ["--visibility", "secret"], capture_output=True, text=True,
                         cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert bad.returncode == 2 and not (tmp_path / "autograder.zip").exists()


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_parse(script):
    assert subprocess.run(["bash", "-n", str(FILES / script)]).returncode == 0


@pytest.mark.skipif(shutil.which("shellcheck") is None,
                    reason="shellcheck is not installed (Debian/Ubuntu: apt install shellcheck)")
def test_scripts_pass_shellcheck():
    done = subprocess.run(["shellcheck", *(str(FILES / s) for s in SCRIPTS)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_setup_sh_dry_run_in_a_scratch_root(built, tmp_path):
    source = tmp_path / "autograder" / "source"
    unpack(built, source)
    done = subprocess.run(["bash", str(source / "setup.sh")], capture_output=True, text=True,
                          cwd=tmp_path, env=dict(os.environ, AUTOGRADERS_SETUP_DRY_RUN="1"))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("+ apt-get install") and "bubblewrap" in line for line in lines)
    cpu = [line for line in lines if "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
           in line]
    assert cpu, done.stdout
    assert any(line.endswith("pip install --quiet -r requirements.txt") for line in lines)
    assert lines[-1] == "setup.sh: done"


def test_setup_sh_refuses_an_incomplete_zip(built, tmp_path):
    source = tmp_path / "source"
    unpack(built, source)
    (source / "requirements.txt").unlink()
    done = subprocess.run(["bash", str(source / "setup.sh")], capture_output=True, text=True,
                          env=dict(os.environ, AUTOGRADERS_SETUP_DRY_RUN="1"))
    assert done.returncode == 1 and "requirements.txt is missing" in done.stderr


FAKE_TOOL = '''#!/usr/bin/env bash
# Stands in for {name}: logs its arguments; fails where FAIL_PATTERN matches them.
echo "{name} $*" >> "$TOOL_LOG"
if [ -n "${{FAIL_PATTERN:-}}" ] && [[ "$*" == *"$FAIL_PATTERN"* ]]; then exit 1; fi
if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi
'''


def fake_tools(folder, names=("apt-get", "python3.11", "bwrap", "add-apt-repository")):
    folder.mkdir()
    for name in names:
        path = folder / name
        path.write_text(FAKE_TOOL.format(name=name))
        path.chmod(0o755)
    return folder


def run_setup(built, tmp_path, fail_pattern):
    """setup.sh run for real against stand-in tools failing where fail_pattern matches;
    (the finished process, the tools' calls)."""
    source = tmp_path / "source"
    unpack(built, source)
    tools, log = fake_tools(tmp_path / "bin"), tmp_path / "tools.log"
    env = dict(os.environ, PATH=f"{tools}:{os.environ['PATH']}", TOOL_LOG=str(log),
               FAIL_PATTERN=fail_pattern, AUTOGRADERS_GRADESCOPE_VENV=str(tmp_path / "v"))
    done = subprocess.run(["bash", str(source / "setup.sh")], capture_output=True, text=True,
                          env=env)
    return done, log.read_text().splitlines() if log.exists() else []


def test_setup_sh_falls_back_to_plain_torch(built, tmp_path):
    """PyTorch's CPU index unreachable."""
    done, calls = run_setup(built, tmp_path, "download.pytorch.org")
    assert done.returncode == 0, done.stdout + done.stderr
    pip = [call for call in calls if " -m pip install" in call]
    assert "--index-url https://download.pytorch.org/whl/cpu" in pip[1]
    assert pip[2].endswith("pip install --quiet torch==2.13.0")     # the fallback
    assert pip[3].endswith("-r requirements.txt")
    assert any(call.endswith("-m autograders check-sandbox --sandbox isolated") for call in calls)
    assert "unreachable" in done.stdout


def test_setup_sh_fails_the_build_where_no_sandbox_tier_works(built, tmp_path):
    """The instructor sees it on upload, instead of every student getting 0."""
    done, _ = run_setup(built, tmp_path, "check-sandbox")
    assert done.returncode == 1
    assert "no sandbox tier isolates student code in this container" in done.stderr
