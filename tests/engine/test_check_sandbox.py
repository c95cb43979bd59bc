"""check-sandbox: every hostile probe blocked in each isolating tier here, and not without one
(so the check can fail)."""
import pytest

from autograders.sandbox import check
from tests.engine.sandbox_support import needs_bwrap, needs_landlock

pytestmark = pytest.mark.filterwarnings("ignore::autograders.sandbox.pool.SandboxWarning")
PROBES = 10


def checked(sandbox):
    lines = []
    status = check.run(sandbox, out=lines.append)
    rows = {line.split("  ")[1].strip(): line for line in lines[1:-1]}
    return status, lines, rows


@pytest.mark.parametrize("sandbox", [pytest.param("bwrap", marks=needs_bwrap()),
                                     pytest.param("landlock", marks=needs_landlock())])
def test_every_probe_is_blocked_in_an_isolating_tier(sandbox):
    status, lines, rows = checked(sandbox)
    assert lines[0].startswith(f"Sandbox tier here: {sandbox}")
    assert len(rows) == PROBES and not [line for line in rows.values() if "NOT BLOCKED" in line]
    assert status == 0 and lines[-1] == "Every probe was blocked."


def test_without_isolation_the_check_fails_and_says_what_got_through():
    status, lines, rows = checked("none")
    assert status == 1 and "probes were not blocked: student code is not isolated" in lines[-1]
    for probe in ("read the hidden tests", "read the gradebook", "read the autograders package",
                  "connect to the grader's machine"):
        assert "NOT BLOCKED" in rows[probe], rows[probe]
