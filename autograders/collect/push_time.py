"""When a GitHub Classroom repository's work was handed in, by a clock the student cannot set.

A commit's dates (author and committer) are whatever the student's machine
wrote: ``GIT_COMMITTER_DATE=... git commit`` back-dates a late commit, so
neither is used. In order of preference:
1. "GitHub's push time": when GitHub received the push that made the
   collected commit the tip of a branch, from GitHub's repository activity
   API (``gh api repos/OWNER/REPO/activity``: the instructor's GitHub CLI,
   already used for ``gh classroom clone``). GitHub's own clock: the student
   can push late but cannot make the push early.
2. "the clone's fetch time": when the instructor's clone first held the
   collected commit, from the clone's reflog (written by the instructor's
   git when it cloned or pulled). Never earlier than the push, so a student
   is never made on time by it; a clone made long after the due date makes
   everyone late, so clone at the due date (or use 1).
Neither available (not a clone, no reflog): no submission time, said loudly.
"""
import datetime
import json
import re
import subprocess

GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<repo>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")
PUSH_SOURCE = "GitHub's push time"
FETCH_SOURCE = "the clone's fetch time"


def _git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def head_commit(repo):
    """The collected commit's id, or None (not a git repository, no commits)."""
    try:
        return _git(repo, "rev-parse", "--verify", "HEAD").strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def github_repository(repo):
    """'owner/name' of the clone's origin on GitHub, or None."""
    try:
        url = _git(repo, "remote", "get-url", "origin").strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    match = GITHUB_REMOTE.search(url)
    return match.group("repo") if match else None


def gh_activity(owner_repo):
    """GitHub's activity list of a repository (pushes, force pushes...), via the GitHub CLI;
    None when it cannot be had (no gh, not logged in, no network)."""
    try:
        done = subprocess.run(["gh", "api", "--paginate", "--slurp",
                               f"repos/{owner_repo}/activity?per_page=100"],
                              capture_output=True, text=True, check=True, timeout=120)
        pages = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return [entry for page in pages for entry in (page if isinstance(page, list) else [])]


def push_time(activity, commit):
    """The earliest time GitHub's activity shows a push making commit a branch's tip, or None.

    activity: entries of the repository activity API ({"after": sha,
    "timestamp": "2025-01-20T12:00:00Z", ...}).
    """
    times = [_parse(entry.get("timestamp")) for entry in activity or ()
             if isinstance(entry, dict) and entry.get("after") == commit]
    times = [moment for moment in times if moment is not None]
    return min(times) if times else None


def fetch_time(repo, commit):
    """When the clone's HEAD last became commit (its reflog: the instructor's git), or None."""
    try:
        lines = _git(repo, "log", "-g", "--date=unix", "--format=%H %gd", "HEAD").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None
    since = None
    for line in lines:   # newest first: the oldest entry of the latest run of commit
        sha, _, selector = line.partition(" ")
        if sha != commit:
            break
        match = re.search(r"@\{(\d+)\}", selector)
        if match:
            since = datetime.datetime.fromtimestamp(int(match.group(1)), datetime.timezone.utc)
    return since


def submission_time(repo, activity_of=gh_activity):
    """(time, which time it is: PUSH_SOURCE or FETCH_SOURCE) of the repository's
    collected commit, or (None, why there is none). activity_of: owner/name ->
    GitHub's activity list or None (gh_activity; tests pass their own)."""
    commit = head_commit(repo)
    if commit is None:
        return None, "not a git repository with commits"
    owner_repo = github_repository(repo)
    if owner_repo is not None:
        moment = push_time(activity_of(owner_repo), commit)
        if moment is not None:
            return moment, PUSH_SOURCE
    moment = fetch_time(repo, commit)
    if moment is not None:
        return moment, FETCH_SOURCE
    return None, "no push time from GitHub and no reflog in the clone"


def nbgrader_timestamp(moment):
    """timestamp.txt's text, as nbgrader parses it."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _parse(text):
    try:
        moment = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
