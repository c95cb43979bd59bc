"""Getting notebooks into submitted/: GitHub Classroom repositories and a Gradescope zip."""
import datetime
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


def forged_late_clone(tmp_path):
    """Alice's repository: her commit back-dated (GIT_COMMITTER_DATE, before the due date),
    pushed to GitHub, cloned by the instructor (whose git writes the clone's reflog)."""
    origin = tmp_path / "github" / "neural-networks-alice"
    origin.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(RELEASE / name, origin / name)
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "done on time, honest")
    repos = tmp_path / "repos"
    repos.mkdir()
    subprocess.run(["git", "clone", "-q", str(origin), str(repos / origin.name)], check=True)
    clone = repos / origin.name
    subprocess.run(["git", "-C", str(clone), "remote", "set-url", "origin",
                    "https://github.com/nn-course/neural-networks-alice.git"], check=True)
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    return repos, head


def test_the_submission_time_is_githubs_push_time_not_the_commit_date(tmp_path):
    root = course(tmp_path)
    repos, head = forged_late_clone(tmp_path)
    asked, lines = [], []

    def activity(owner_repo):
        asked.append(owner_repo)
        return [{"after": "0" * 40, "timestamp": "2025-01-19T08:00:00Z"},
                {"after": head, "timestamp": "2025-01-22T08:00:00Z", "activity_type": "push"}]
    collect_classroom(repos, root, "neural-networks-", lines.append, activity_of=activity)
    timestamp = root / "submitted" / "alice" / ASSIGNMENT / "timestamp.txt"
    assert asked == ["nn-course/neural-networks-alice"]
    assert timestamp.read_text() == "2025-01-22 08:00:00.000000 UTC\n"
    assert "submitted 2025-01-22 08:00:00.000000 UTC, GitHub's push time" in lines[-1]


def test_without_githubs_push_time_the_clone_time_is_used(tmp_path):
    """No GitHub activity (no gh, offline): when the instructor's clone got the commit,
    never the commit's own (forgeable) date."""
    root = course(tmp_path)
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    repos, _ = forged_late_clone(tmp_path)
    lines = []
    collect_classroom(repos, root, "neural-networks-", lines.append,
                      activity_of=lambda owner_repo: None)
    text = (root / "submitted" / "alice" / ASSIGNMENT / "timestamp.txt").read_text()
    stamp = datetime.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S.%f UTC").replace(
        tzinfo=datetime.timezone.utc)
    assert before <= stamp <= datetime.datetime.now(datetime.timezone.utc)
    assert "the clone's fetch time" in lines[-1]


def test_a_notebook_linking_out_of_the_repository_is_not_collected(tmp_path):
    root, repos = course(tmp_path), tmp_path / "repos"
    alice, bob = repos / "neural-networks-alice", repos / "neural-networks-bob"
    for repo in (alice, bob):
        repo.mkdir(parents=True)
        shutil.copy(RELEASE / FIRST, repo / FIRST)
    (bob / NOTEBOOKS[-1]).write_text('{"bob": "his own work"}')
    (alice / NOTEBOOKS[-1]).symlink_to(f"../neural-networks-bob/{NOTEBOOKS[-1]}")
    (alice / "work").mkdir()
    (alice / "work" / "mine.ipynb").write_text('{"alice": "hers"}')
    (alice / NOTEBOOKS[1]).symlink_to("work/mine.ipynb")      # a link inside her repository
    (repos / "neural-networks-mallory").symlink_to("neural-networks-bob")
    lines = []
    collect_classroom(repos, root, log=lines.append)
    folder = root / "submitted" / "alice" / ASSIGNMENT
    assert not (folder / NOTEBOOKS[-1]).exists()
    assert (folder / NOTEBOOKS[1]).read_text() == '{"alice": "hers"}'
    assert not (root / "submitted" / "mallory").exists()
    (alice_line,) = [line for line in lines if line.startswith("neural-networks-alice")]
    assert f"NOT COPIED, links out of the repository: {NOTEBOOKS[-1]}" in alice_line
    assert any(line.startswith("neural-networks-mallory: a link") for line in lines)


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
