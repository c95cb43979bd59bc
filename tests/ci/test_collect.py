"""Getting notebooks into submitted/: GitHub Classroom repositories and a Gradescope zip."""
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograders.collect import __main__ as collect_cli
from autograders.collect.classroom import classroom_prefix, collect_classroom, student_id
from autograders.items import ASSIGNMENT
from tests.ci.course_repo import RELEASE, ROOT, runner_environment

NOTEBOOKS = sorted(path.name for path in RELEASE.glob("*.ipynb"))
FIRST = NOTEBOOKS[0]
PLAIN_REGEXP = r".*/submission_(?P<student_id>\d+)/(?P<file_id>[^/]+\.ipynb)$"
METADATA = """\
submission_111:
  :submitters:
  - :name: Alice Example
    :sid: '1001'
    :email: alice@example.edu
  :created_at: 2025-01-20 12:00:00.123456789 -08:00
  :score: ''
submission_222:
  :submitters:
  - :name: Bob Example
    :sid: ''
    :email: bob.b@example.edu
  - :name: Carol Example
    :sid: '1003'
    :email: carol@example.edu
  :created_at: 2025-01-21 09:30:00.000000000 +01:00
"""


def course(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "release", root / "release")
    return root


def submitted(root):
    return sorted(str(p.relative_to(root / "submitted")) for p in (root / "submitted").rglob("*")
                  if p.is_file())


# -- GitHub Classroom ---------------------------------------------------------------

def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_DATE="2025-01-20T12:00:00+00:00",
               GIT_COMMITTER_DATE="2025-01-20T12:00:00+00:00")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=s", "-c", "user.email=s@x",
                    *args], check=True, capture_output=True, env=env)


def test_classroom_repositories_land_in_submitted(tmp_path):
    root, repos = course(tmp_path), tmp_path / "neural-networks-submissions"
    alice = repos / "neural-networks-alice"          # notebooks at the root, with history
    alice.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(RELEASE / name, alice / name)
    (alice / "scratch.ipynb").write_text("{}")         # not an assignment notebook
    git(alice, "init", "-q")
    git(alice, "add", ".")
    git(alice, "commit", "-q", "-m", "done")
    bob = repos / "neural-networks-bob" / ASSIGNMENT   # in a subfolder, one notebook, no git
    bob.mkdir(parents=True)
    shutil.copy(RELEASE / FIRST, bob / FIRST)
    (repos / "neural-networks-empty").mkdir()
    stale = root / "submitted" / "bob" / ASSIGNMENT / "old.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")

    lines = []
    collected = collect_classroom(repos, root, log=lines.append)

    assert sorted(collected) == ["alice", "bob"]
    assert submitted(root) == sorted(
        [f"alice/{ASSIGNMENT}/{name}" for name in NOTEBOOKS]
        + [f"alice/{ASSIGNMENT}/timestamp.txt", f"bob/{ASSIGNMENT}/{FIRST}"])
    timestamp = root / "submitted" / "alice" / ASSIGNMENT / "timestamp.txt"
    assert timestamp.read_text() == "2025-01-20 12:00:00.000000 UTC\n"
    assert any("neural-networks-empty: no assignment notebooks" in line for line in lines)
    assert any(line.startswith("neural-networks-bob") and "missing" in line for line in lines)


def test_the_command_line_names_students_by_the_given_prefix(tmp_path):
    root, repos = course(tmp_path), tmp_path / "repos"
    (repos / "nn-2025-dave").mkdir(parents=True)
    shutil.copy(RELEASE / FIRST, repos / "nn-2025-dave" / FIRST)
    assert collect_cli.main(["classroom", str(repos), "--course", str(root),
                             "--prefix", "nn-2025-"]) == 0
    assert submitted(root) == [f"dave/{ASSIGNMENT}/{FIRST}"]
    assert collect_cli.main(["classroom", str(tmp_path / "nowhere")]) == 2


@pytest.mark.parametrize("names, prefix", [
    (["hw-ann", "hw-anna"], "hw-"),
    (["neural-networks-x", "neural-networks-y"], "neural-networks-"),
    (["alone"], ""),
    (["abc", "abd"], ""),
])
def test_classroom_prefix(names, prefix):
    assert classroom_prefix(names) == prefix


def test_student_ids_are_safe_folder_names():
    assert student_id("hw-J. Doe/..", "hw-") == "J.-Doe"
    assert student_id("hw-", "hw-") == "unnamed"


# -- Gradescope export zip, through nbgrader zip_collect ---------------------------------

def gradescope_export(root, metadata=True):
    """A zip laid out as Gradescope's "Export Submissions", in zip_collect's archive folder."""
    archive = root / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "submissions.zip", "w") as export:
        top = "assignment_4242_export"
        for name in NOTEBOOKS:
            export.write(RELEASE / name, f"{top}/submission_111/{name}")
        export.write(RELEASE / FIRST, f"{top}/submission_222/{FIRST}")
        export.writestr(f"{top}/submission_222/notes.txt", "not a notebook")
        if metadata:
            export.writestr(f"{top}/submission_metadata.yml", METADATA)


def zip_collect(root, *options):
    # `python -m nbgrader`, as docs/ci.md says: the course root is then importable.
    os.symlink(ROOT / "autograders", root / "autograders")
    result = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", ASSIGNMENT,
                             *options], cwd=root, env=runner_environment(root.parent),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
def test_gradescope_zip_with_the_collector_names_students_by_sid(tmp_path):
    root = course(tmp_path)
    gradescope_export(root)
    zip_collect(root, "--collector=autograders.collect.gradescope.GradescopeCollector")
    # Alice by her SID; Bob has none: his e-mail; the group goes to its first member.
    assert submitted(root) == sorted(
        [f"1001/{ASSIGNMENT}/{name}" for name in NOTEBOOKS]
        + [f"1001/{ASSIGNMENT}/timestamp.txt", f"bob.b/{ASSIGNMENT}/{FIRST}",
           f"bob.b/{ASSIGNMENT}/timestamp.txt"])
    stamp = (root / "submitted" / "1001" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2025-01-20 20:00:00.123456")      # -08:00 turned into UTC
    copied = root / "submitted" / "1001" / ASSIGNMENT / FIRST
    assert copied.read_bytes() == (RELEASE / FIRST).read_bytes()


@pytest.mark.slow
def test_gradescope_zip_with_nbgraders_plain_regexp(tmp_path):
    root = course(tmp_path)
    gradescope_export(root, metadata=False)
    zip_collect(root, f"--FileNameCollectorPlugin.named_regexp={PLAIN_REGEXP}")
    assert submitted(root) == sorted([f"111/{ASSIGNMENT}/{name}" for name in NOTEBOOKS]
                                     + [f"222/{ASSIGNMENT}/{FIRST}"])
