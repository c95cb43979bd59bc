"""Run a GitHub Actions workflow's jobs on this machine, step by step, as the runner would.

A small stand-in for GitHub's runner, enough for the course's templates:
- ``run:`` steps run with bash (``-e``, plus ``-o pipefail`` under
  ``shell: bash``, as GitHub does) in the workspace, with the workflow's, the
  job's and the step's ``env`` and the ``${{ }}`` expressions filled in;
  ``skip(command)`` may leave out a command (package installs: the test's venv
  has everything) and each one left out is recorded;
- ``uses: ./path`` (a local composite action) runs the action's steps with its
  inputs; ``actions/upload-artifact`` and ``actions/download-artifact`` copy
  folders to and from an artifact store folder the way v4 lays them out;
  ``actions/checkout`` and ``actions/setup-python`` do nothing (each job
  starts in a fresh checkout made by ``checkout(folder)``, and the interpreter
  is this venv's, first on PATH);
- a matrix job runs once per combination, in order; a job whose ``if:`` is
  false, or that needs a self-hosted runner, is recorded as skipped.
The expressions understood are those of ``evaluate`` and ``condition``; any
other one is an error, so the lint can prove the templates use no more.
"""
import fnmatch
import glob
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
DOTTED_PATH = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+)+$")
CHECKOUT, SETUP_PYTHON = "actions/checkout@", "actions/setup-python@"
UPLOAD, DOWNLOAD = "actions/upload-artifact@", "actions/download-artifact@"


class WorkflowError(Exception):
    """Something in a workflow this runner does not understand, or a failed step."""


def load(path):
    """The workflow (or action) file as a dict; YAML 1.1 reads the key `on` as True."""
    data = yaml.safe_load(Path(path).read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


# -- expressions ------------------------------------------------------------------

def lookup(path, context):
    """matrix.shard, strategy.job-total, inputs.cuda, env.X, github.event_name ..."""
    value = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise WorkflowError(f"unknown value in an expression: {path}")
        value = value[part]
    return value


def evaluate(expression, context):
    """A ${{ }} substitution: a dotted path, or a condition (see condition)."""
    if DOTTED_PATH.match(expression):
        return lookup(expression, context)
    return condition(expression, context)


def condition(expression, context):
    """An ``if:``: terms joined by &&, each a status function, a comparison or a path."""
    expression = EXPRESSION.sub(lambda m: m.group(1), expression.strip())
    return all(_term(term.strip(), context) for term in expression.split("&&"))


def _term(term, context):
    status = {"always()": True, "success()": context["job"]["ok"],
              "failure()": not context["job"]["ok"], "!cancelled()": True, "cancelled()": False}
    if term in status:
        return status[term]
    if "==" in term:
        left, right = (side.strip() for side in term.split("==", 1))
        return _value(left, context) == _value(right, context)
    if term.startswith("!"):
        return not _value(term[1:].strip(), context)
    return bool(_value(term, context))


def _value(text, context):
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if DOTTED_PATH.match(text):
        return lookup(text, context)
    raise WorkflowError(f"unsupported expression: {text}")


def substitute(text, context):
    def value(match):
        result = evaluate(match.group(1), context)
        return str(result).lower() if isinstance(result, bool) else str(result)
    return EXPRESSION.sub(value, str(text))


def expressions(node):
    """Every ${{ }} expression and every if: in a workflow or action, for the lint."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":
                yield ("if", str(value))
            else:
                yield from expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from expressions(value)
    elif isinstance(node, str):
        for match in EXPRESSION.finditer(node):
            yield ("value", match.group(1))


# -- running ----------------------------------------------------------------------

@dataclass
class StepRecord:
    job: str
    name: str
    outcome: str                 # "ran", "failed", "skipped" (left out), "not-run" (if:), "no-op"
    command: str = ""
    returncode: int = 0
    output: str = ""


@dataclass
class Runner:
    """Runs jobs of workflows found under repo (the folder holding .github/)."""
    repo: Path                   # where ./.github/actions/... are found
    checkout: object             # checkout(folder): make a fresh checkout of the repository there
    home: Path                   # the runner's own folder: workspaces, artifacts, step summary
    env: dict                    # the process environment of every step
    event: str = "push"
    inputs: dict = field(default_factory=dict)
    skip: object = None          # skip(command) -> bool: leave a run: step out
    records: list = field(default_factory=list)
    workspace: Path = None       # the current job's checkout

    @property
    def artifacts(self):
        return self.home / "artifacts"

    @property
    def step_summary(self):
        return self.home / "step-summary.md"

    def run_workflow(self, workflow):
        """Every job of a workflow (a path, or the dict load() returns), in `needs` order.

        Returns {job id: True (passed), False (failed) or None (skipped)}.
        """
        if not isinstance(workflow, dict):
            workflow = load(workflow)
        outcomes = {}
        for job_id in _job_order(workflow["jobs"]):
            job = workflow["jobs"][job_id]
            context = self._context(workflow, job, {}, {}, ok=all(
                outcomes[need] is True for need in _needs(job)))
            runs_on = job.get("runs-on")
            if not condition(str(job.get("if", "success()")), context):
                outcomes[job_id] = None
            elif "self-hosted" in (runs_on if isinstance(runs_on, list) else [runs_on]):
                outcomes[job_id] = None
            else:
                outcomes[job_id] = self.run_job(workflow, job_id)
            if outcomes[job_id] is None:
                self.records.append(StepRecord(job_id, "(job)", "skipped"))
        return outcomes

    def run_job(self, workflow, job_id):
        """All matrix combinations of one job; True when every step of each passed."""
        job = workflow["jobs"][job_id]
        combos = _matrix(job.get("strategy", {}).get("matrix"))
        ok = True
        for index, matrix in enumerate(combos):
            # Each job (each matrix combination) runs on a fresh machine with a fresh checkout.
            self.workspace = self.home / f"work-{job_id}-{index + 1}"
            self.checkout(self.workspace)
            self.artifacts.mkdir(parents=True, exist_ok=True)
            strategy = {"job-index": index, "job-total": len(combos)}
            context = self._context(workflow, job, matrix, strategy, ok=True)
            ok &= self._steps(job_id, job["steps"], context, {**workflow.get("env", {}),
                                                              **job.get("env", {})})
        return ok

    def _context(self, workflow, job, matrix, strategy, ok):
        return {"matrix": matrix, "strategy": strategy, "inputs": dict(self.inputs),
                "env": {**workflow.get("env", {}), **job.get("env", {})},
                "github": {"event_name": self.event, "workspace": str(self.workspace),
                           "ref": "refs/heads/main"},
                "runner": {"temp": str(self.home)}, "job": {"ok": ok}}

    def _steps(self, job_id, steps, context, env):
        for step in steps:
            # As on GitHub: a step without if: runs only while every step before it passed.
            if not condition(str(step.get("if", "success()")), context):
                self.records.append(StepRecord(job_id, _step_name(step), "not-run"))
                continue
            name = substitute(_step_name(step), context)
            if not self._step(job_id, name, step, context, env):
                context["job"]["ok"] = False
        return context["job"]["ok"]

    def _step(self, job_id, name, step, context, env):
        step_env = {**env, **step.get("env", {})}
        if "run" in step:
            return self._run(job_id, name, step, context, step_env)
        uses = step["uses"]
        inputs = {key: substitute(value, context) for key, value in step.get("with", {}).items()}
        if uses.startswith("./"):
            return self._composite(job_id, uses, inputs, context, step_env)
        if uses.startswith((CHECKOUT, SETUP_PYTHON)):
            self.records.append(StepRecord(job_id, name, "no-op"))
            return True
        if uses.startswith(UPLOAD):
            return self._upload(job_id, name, inputs)
        if uses.startswith(DOWNLOAD):
            return self._download(job_id, name, inputs)
        raise WorkflowError(f"{job_id}: the runner does not know the action {uses}")

    def _composite(self, job_id, uses, inputs, context, env):
        action = load(self.repo / uses / "action.yml")
        declared = action.get("inputs", {})
        unknown = set(inputs) - set(declared)
        if unknown:
            raise WorkflowError(f"{uses}: unknown inputs {sorted(unknown)}")
        values = {key: inputs.get(key, spec.get("default", "")) for key, spec in declared.items()}
        inner = {**context, "inputs": values}
        return self._steps(job_id, action["runs"]["steps"], inner, env)

    def _run(self, job_id, name, step, context, env):
        command = substitute(step["run"], context)
        if self.skip and self.skip(command):
            self.records.append(StepRecord(job_id, name, "skipped", command))
            return True
        bash = ["bash", "--noprofile", "--norc", "-e"]
        if step.get("shell") == "bash":
            bash += ["-o", "pipefail"]
        elif step.get("shell") not in (None, "bash"):
            raise WorkflowError(f"{job_id}: unsupported shell {step['shell']}")
        cwd = self.workspace / step.get("working-directory", ".")
        environment = {**self.env, **{k: substitute(v, context) for k, v in env.items()},
                       "GITHUB_WORKSPACE": str(self.workspace),
                       "GITHUB_STEP_SUMMARY": str(self.step_summary)}
        result = subprocess.run([*bash, "-c", command], cwd=cwd, env=environment,
                                capture_output=True, text=True)
        outcome = "ran" if result.returncode == 0 else "failed"
        self.records.append(StepRecord(job_id, name, outcome, command, result.returncode,
                                       result.stdout + result.stderr))
        return result.returncode == 0

    def _upload(self, job_id, name, inputs):
        """actions/upload-artifact@v4: the matched files, relative to their common folder."""
        files = []
        for pattern in filter(None, (line.strip() for line in inputs["path"].splitlines())):
            for match in sorted(glob.glob(str(self.workspace / pattern), recursive=True)):
                match = Path(match)
                files += sorted(p for p in match.rglob("*") if p.is_file()) if match.is_dir() \
                    else [match]
        if not files:
            if inputs.get("if-no-files-found", "warn") == "error":
                self.records.append(StepRecord(job_id, name, "failed", output="no files"))
                return False
            self.records.append(StepRecord(job_id, name, "ran", output="no files"))
            return True
        root = Path(os.path.commonpath([str(p.parent) for p in files]))
        target = self.artifacts / inputs["name"]
        if target.exists():
            raise WorkflowError(f"artifact {inputs['name']} uploaded twice")
        for path in files:
            destination = target / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
        self.records.append(StepRecord(job_id, name, "ran", output=f"{len(files)} files"))
        return True

    def _download(self, job_id, name, inputs):
        """actions/download-artifact@v4: a named one into path, or each matching one into path/<name>."""
        path = self.workspace / inputs.get("path", ".")
        if "name" in inputs:
            shutil.copytree(self.artifacts / inputs["name"], path, dirs_exist_ok=True)
        else:
            pattern = inputs.get("pattern", "*")
            for artifact in sorted(self.artifacts.iterdir()):
                if fnmatch.fnmatch(artifact.name, pattern):
                    shutil.copytree(artifact, path / artifact.name, dirs_exist_ok=True)
        self.records.append(StepRecord(job_id, name, "ran"))
        return True


def _step_name(step):
    return step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]


def _needs(job):
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _job_order(jobs):
    order, left = [], dict(jobs)
    while left:
        ready = [job_id for job_id, job in left.items() if set(_needs(job)) <= set(order)]
        if not ready:
            raise WorkflowError(f"jobs with unsatisfiable needs: {sorted(left)}")
        order += ready
        for job_id in ready:
            del left[job_id]
    return order


def _matrix(matrix):
    """The combinations of a matrix (lists only; include/exclude are not used here)."""
    if not matrix:
        return [{}]
    if set(matrix) & {"include", "exclude"}:
        raise WorkflowError("matrix include/exclude: not supported by this runner")
    keys = list(matrix)
    return [dict(zip(keys, values)) for values in itertools.product(*(matrix[k] for k in keys))]
