"""Lint of the CI templates: structure, triggers, shards, artifacts and entry points.

The templates are not this repository's CI (that is .ci/run): an instructor
copies ci-templates/instructor/.github/ into the course repository, a
student repository gets ci-templates/student/.github/. Nothing here runs a
job; test_workflow_run.py does.
"""
import ast
import fnmatch
import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograders import cli
from autograders.course import SUBMITTED
from autograders.exports import csv_report, gradescope, html_report, junit, summary
from tests.ci.course_repo import (CHECK_WORKFLOW, COURSE_ENV_ACTION, GRADE_WORKFLOW,
                                  INSTRUCTOR, RELEASE, ROOT)
from tests.ci.workflow_runner import (WorkflowError, condition, evaluate, expressions, load,
                                     substitute)

KNOWN_ACTIONS = ("actions/checkout@v4", "actions/setup-python@v5",
                 "actions/upload-artifact@v4", "actions/download-artifact@v4")
FILES = (GRADE_WORKFLOW, CHECK_WORKFLOW, COURSE_ENV_ACTION)
WORKFLOWS = (GRADE_WORKFLOW, CHECK_WORKFLOW)
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")
# A context holding every value the templates may refer to.
CONTEXT = {"matrix": {"shard": 1}, "strategy": {"job-total": 2, "job-index": 0},
           "inputs": {"cuda": True, "torch-index": "https://download.pytorch.org/whl/cpu"},
           "env": {}, "github": {"event_name": "push", "workspace": "/w", "ref": "refs/heads/main"},
           "runner": {"temp": "/tmp"}, "job": {"ok": True}}


def steps(data):
    if "jobs" in data:
        return [step for job in data["jobs"].values() for step in job["steps"]]
    return data["runs"]["steps"]


def step_using(job, prefix, name=None):
    found = [s for s in job["steps"] if s.get("uses", "").startswith(prefix)
             and (name is None or s.get("with", {}).get("name") == name)]
    assert found, f"no {prefix} step named {name}"
    return found[0]


def step_running(job, text):
    found = [s for s in job["steps"] if text in s.get("run", "")]
    assert len(found) == 1, f"expected one step running {text!r}"
    return found[0]


def commands(run):
    """The simple commands of a run: script (split at newlines, &&, ||, | and ;), as words."""
    for line in run.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words = []
        for token in [*lexer, ";"]:
            if token in ("&&", "||", "|", ";", "&"):
                yield from _without_sudo(words)
                words = []
            else:
                words.append("python" if token == "$(command -v python)" else token)


def _without_sudo(words):
    """sudo [options] command -> command; yields nothing for an empty command."""
    while words and words[0] == "sudo":
        words = words[1:]
        while words and words[0].startswith("-"):
            words = words[1:]
    if words:
        yield words


def requirement_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


GRADE, CHECK, ACTION = load(GRADE_WORKFLOW), load(CHECK_WORKFLOW), load(COURSE_ENV_ACTION)


# -- every file --------------------------------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_have_triggers_jobs_and_steps(path):
    workflow = load(path)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]
    assert workflow["permissions"] == {"contents": "read"}
    for job_id, job in workflow["jobs"].items():
        assert job["runs-on"] and job["steps"], job_id
        assert job.get("timeout-minutes"), f"{job_id}: a hung job would run for 6 hours"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_step_runs_or_uses_something_known(path):
    for step in steps(load(path)):
        assert ("run" in step) != ("uses" in step), step
        uses = step.get("uses", "")
        if uses.startswith("./"):
            assert (INSTRUCTOR / uses / "action.yml").is_file(), uses
        elif uses:
            assert uses in KNOWN_ACTIONS, uses
        if "run" in step and path == COURSE_ENV_ACTION:
            assert step["shell"] == "bash", "composite actions need a shell"
        assert not step.get("continue-on-error"), "a failure must fail the job"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_expression_is_one_the_local_runner_understands(path):
    for kind, text in expressions(load(path)):
        try:
            condition(text, CONTEXT) if kind == "if" else evaluate(text, CONTEXT)
        except WorkflowError as exc:
            pytest.fail(f"{path.name}: {exc}")


def test_no_command_swallows_a_failure():
    for path in FILES:
        for step in steps(load(path)):
            run = step.get("run", "")
            assert "|| true" not in run and "set +e" not in run, run


# -- the instructor's grading workflow ------------------------------------------------------

def test_grading_runs_on_pushed_submissions_and_by_hand():
    assert GRADE["on"]["push"]["paths"] == [f"{SUBMITTED}/**"]
    assert GRADE["on"]["workflow_dispatch"]["inputs"]["cuda"]["type"] == "boolean"


def test_grading_is_a_matrix_of_shards():
    job = GRADE["jobs"]["grade"]
    shards = job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) >= 2
    assert job["strategy"]["fail-fast"] is False, "one shard's failure must not cancel the others"
    grade = step_running(job, "-m autograders grade")
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in grade["run"]
    assert "--sandbox bwrap" in grade["run"], "CI must not silently grade without the sandbox"
    out = re.search(r"--out (\S+)", substitute(grade["run"], CONTEXT)).group(1)
    upload = step_using(job, "actions/upload-artifact@", "shard-${{ matrix.shard }}")
    assert substitute(upload["with"]["path"], CONTEXT) == out
    assert upload["with"]["if-no-files-found"] == "error"
    assert upload["if"] == "${{ !cancelled() }}", "a shard's reports are kept even when it fails"
    installs = [s["run"] for s in job["steps"] if "bubblewrap" in s.get("run", "")]
    assert installs == ["sudo apt-get update -qq && sudo apt-get install -y -qq bubblewrap"]


def test_the_merge_job_reads_every_shard_and_publishes_the_reports():
    job = GRADE["jobs"]["merge"]
    assert job["needs"] == "grade" and job["if"] == "${{ !cancelled() }}"
    download = step_using(job, "actions/download-artifact@")
    pattern = download["with"]["pattern"]
    assert all(fnmatch.fnmatch(f"shard-{shard}", pattern)
               for shard in GRADE["jobs"]["grade"]["strategy"]["matrix"]["shard"])
    merge = step_running(job, "-m autograders merge")
    assert f"{download['with']['path']}/{pattern}" in merge["run"]
    assert merge["shell"] == "bash", "bash with pipefail: `| tee` must keep the exit status"
    out = re.search(r"--out (\S+)", merge["run"]).group(1)
    expected = {
        "grades": {f"{out}/{csv_report.FILE_NAME}", f"{out}/{summary.FILE_NAME}"},
        "gradescope-results": {f"{out}/*/{gradescope.FILE_NAME}"},
        "junit": {f"{out}/{junit.FILE_NAME}"},
        "feedback": {f"{out}/*/{html_report.FILE_NAME}"},
        "grading-reports": {out},
    }
    for name, paths in expected.items():
        upload = step_using(job, "actions/upload-artifact@", name)
        assert set(upload["with"]["path"].split()) == paths, name


def test_the_cuda_job_is_opt_in_on_a_self_hosted_gpu_runner():
    job = GRADE["jobs"]["cuda-checks"]
    assert {"self-hosted", "gpu"} <= set(job["runs-on"])
    assert not condition(job["if"], {**CONTEXT, "github": {"event_name": "push"}})
    assert not condition(job["if"], {**CONTEXT, "github": {"event_name": "workflow_dispatch"},
                                     "inputs": {"cuda": False}})
    assert condition(job["if"], {**CONTEXT, "github": {"event_name": "workflow_dispatch"}})
    env = step_using(job, "./.github/actions/course-env")
    assert "/whl/cu" in env["with"]["torch-index"]
    pytest_words = next(words for step in job["steps"] for words in commands(step.get("run", ""))
                        if words[:3] == ["python", "-m", "pytest"])
    assert pytest_words[3:5] == ["-m", "cuda"]
    folders = [ROOT / word for word in pytest_words[5:]]
    assert folders and all(folder.is_dir() for folder in folders)
    marked = [path for folder in folders for path in folder.rglob("test_*.py")
              if "mark.cuda" in path.read_text()]
    assert marked, "no CUDA-marked tests where the job looks"


def test_the_environment_is_cached_python_with_cpu_torch_from_the_pins():
    setup = step_using(ACTION["runs"], "actions/setup-python@")
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.txt"
    assert sys.version_info[:2] == tuple(map(int, setup["with"]["python-version"].split(".")))
    assert ACTION["inputs"]["torch-index"]["default"] == "https://download.pytorch.org/whl/cpu"
    install = ACTION["runs"]["steps"][1]["run"]
    grep = re.search(r'"\$\((grep [^)]*)\)"', install).group(1)
    pinned = subprocess.run(grep, shell=True, cwd=ROOT, capture_output=True, text=True)
    assert pinned.stdout.split() == [f"torch=={requirement_pins()['torch']}"]
    assert "python -m pip install -r requirements.txt" in install
    for job_id in ("grade", "merge", "cuda-checks"):
        assert step_using(GRADE["jobs"][job_id], "./.github/actions/course-env"), job_id


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_python_command_names_an_entry_point_that_exists(path):
    for step in steps(load(path)):
        script = re.sub(r"\$\{\{.*?\}\}", "1", step.get("run", ""))
        for words in commands(script):
            if words[0] != "python":
                continue
            if words[1] == "-m":
                module = words[2]
                assert module == "pip" or importlib.util.find_spec(module), module
                if module == "autograders":
                    _assert_cli_accepts(words[3:])
            elif words[1] == "-c":
                ast.parse(words[2])
            else:
                script_path = Path(words[1].replace("$ASSIGNMENT_DIR", str(RELEASE)))
                assert script_path.is_file(), words[1]


def _assert_cli_accepts(arguments):
    try:
        cli.build_parser().parse_args(arguments)
    except SystemExit:
        pytest.fail(f"python -m autograders does not accept {arguments}")


# -- the student's workflow -----------------------------------------------------------------

def test_the_student_check_runs_on_push_without_hidden_tests():
    assert "push" in CHECK["on"]
    text = CHECK_WORKFLOW.read_text()
    for hidden in ("autograders", "reference", "nbgrader_bridge", "tests/"):
        assert hidden not in text, hidden
    job = CHECK["jobs"]["check"]
    run = step_running(job, "check.py")["run"]
    assert run == 'python "$ASSIGNMENT_DIR/check.py"' and CHECK["env"]["ASSIGNMENT_DIR"] == "."
    setup = step_using(job, "actions/setup-python@")
    # The pins live in the workflow file itself: its hash is the right cache key.
    assert setup["with"]["cache-dependency-path"] == ".github/workflows/check.yml"
    assert CHECK_WORKFLOW.parts[-3:] == (".github", "workflows", "check.yml")


def student_installs():
    job = CHECK["jobs"]["check"]
    words = [word for step in job["steps"] for cmd in commands(step.get("run", ""))
             if cmd[:4] == ["python", "-m", "pip", "install"] for word in cmd[4:]]
    return dict(PIN.match(word).groups() for word in words if PIN.match(word))


def test_the_student_packages_are_the_course_pins():
    installs, pins = student_installs(), requirement_pins()
    assert installs and all(pins[name.lower()] == version for name, version in installs.items())


def test_the_student_packages_cover_the_notebooks_and_the_check():
    installed = {name.lower() for name in student_installs()}
    needed = {"nbformat", "nbclient", "ipykernel"}
    for path in RELEASE.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse("\n".join(line for line in cell.source.splitlines()
                                           if not line.lstrip().startswith(("%", "!"))))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    needed |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    needed.add(node.module.split(".")[0])
    needed -= set(sys.stdlib_module_names)
    assert needed <= installed, needed - installed
