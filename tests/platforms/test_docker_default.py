"""Grading where Docker's defaults deny namespaces (Gradescope), emulated here (docker_default.py).

Under the emulation bwrap cannot start, so the namespace-free tier grades:
- the Gradescope zip, laid out as Gradescope does, gives the reference full
  marks, the lecture's own backprop (hidden layers not divided by the batch)
  fewer with its diagnosis, and the layout attack (read /autograder/source,
  forge results.json, edit run_autograder, open a socket) exactly its honest
  twin's marks; an empty upload prints the sandbox check, every probe blocked;
- with Landlock's calls failing too (an older kernel), a root grader still
  keeps /autograder unreadable (its own user id, mode 0700) and says that
  Landlock is missing; where Python is then unreadable to other users no tier
  starts and nothing is graded (results.json says so);
- the hostile bank passes in the namespace-free tier under the emulation.
Needs root (the emulation drops capabilities from a full set).
"""
import os
import subprocess
import sys

import pytest

from tests.engine.sandbox_support import ROOT
from tests.gradescope.test_run_autograder import (FULL, autograder_zip, check_layout_attack_gained_nothing,  # noqa: F401 - fixtures
                                                  check_valid, container, course, layout_attack,
                                                  submitted)
from tests.platforms.docker_default import wrapper

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the emulation needs root")]
DOCKER = wrapper()
DOCKER_OLD_KERNEL = wrapper("--no-landlock", "--readable-python")
DOCKER_OLD_KERNEL_CLOSED_PYTHON = wrapper("--no-landlock")


def test_the_emulation_denies_namespaces():
    done = subprocess.run([*DOCKER, "bwrap", "--ro-bind", "/", "/", "true"],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "Operation not permitted" in done.stderr
    status = subprocess.run([*DOCKER, "grep", "CapBnd", "/proc/self/status"],
                            capture_output=True, text=True).stdout
    assert status.split()[-1] == "00000000a80425fb"


def test_gradescope_grades_in_the_namespace_free_tier(course, autograder_zip, tmp_path):
    reference = container(tmp_path / "reference", autograder_zip)
    reference.upload(submitted(course, "alice"))
    graded = reference.grade(wrapper=DOCKER)
    assert graded.returncode == 0, graded.log
    check_valid(graded.results)
    assert graded.results["score"] == FULL
    assert graded.results["extra_data"]["isolation"] == "landlock"
    assert "sandbox tier: landlock" in graded.log

    buggy = container(tmp_path / "buggy", autograder_zip)
    buggy.upload(submitted(course, "bob"))
    graded = buggy.grade(wrapper=DOCKER)
    assert graded.returncode == 0, graded.log
    tests = {test["name"]: test for test in graded.results["tests"]}
    assert graded.results["score"] < FULL
    assert tests["backprop"]["score"] < tests["backprop"]["max_score"]
    assert graded.results["extra_data"]["misconceptions"]["backprop"][0] in graded.output

    attack = container(tmp_path / "attack", autograder_zip)
    attack.upload(layout_attack(course, attack))
    check_layout_attack_gained_nothing(attack, wrapper=DOCKER)  # any success costs tanh


def test_test_autograder_button_prints_the_sandbox_check(autograder_zip, tmp_path):
    box = container(tmp_path, autograder_zip)
    graded = box.grade(wrapper=DOCKER)  # nothing uploaded
    assert graded.returncode == 0, graded.log
    assert "Sandbox tier here: landlock" in graded.log
    assert "Every probe was blocked." in graded.log and "NOT BLOCKED" not in graded.log
    assert graded.results["score"] == 0 and not graded.results["extra_data"]["engine_error"]


def test_an_older_kernel_as_root_keeps_autograder_unreadable(course, autograder_zip, tmp_path):
    attack = container(tmp_path, autograder_zip)
    attack.upload(layout_attack(course, attack))
    graded = check_layout_attack_gained_nothing(attack, wrapper=DOCKER_OLD_KERNEL)
    assert graded.results["extra_data"]["isolation"] == "landlock"
    assert "which lacks: Landlock (the kernel has none)" in graded.log


def test_no_tier_no_grading(course, autograder_zip, tmp_path):
    """No Landlock, and a Python other users cannot read: nothing is graded unisolated."""
    box = container(tmp_path, autograder_zip)
    box.upload(submitted(course, "alice"))
    graded = box.grade(wrapper=DOCKER_OLD_KERNEL_CLOSED_PYTHON)
    assert graded.returncode == 1
    assert graded.results["score"] == 0 and graded.results["extra_data"]["engine_error"]
    assert "the sandbox cannot start" in graded.log and "no Landlock" in graded.log


def test_the_hostile_bank_under_docker_defaults():
    done = subprocess.run([*DOCKER, sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-o", "addopts=", "-q", "tests/hostile/test_hostile.py",
                           "-k", "landlock"], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, AUTOGRADERS_REQUIRE_BWRAP="1"))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
