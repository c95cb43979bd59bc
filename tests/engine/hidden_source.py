"""A check every student-facing report passes: no line of the hidden tests' source in it."""
from pathlib import Path

import autograders
import reference

MIN_LENGTH = 25   # shorter lines ("return verdict") are too common to mean anything


def hidden_source_lines():
    """Distinctive code lines of the probes, judges, reference and hidden test runner."""
    package = Path(autograders.__file__).parent
    hidden = [*package.joinpath("topics").rglob("*.py"), package / "test_autograders.py",
              package / "conftest.py", *Path(reference.__file__).parent.rglob("*.py")]
    lines = set()
    for path in hidden:
        for line in path.read_text().splitlines():
            line = line.strip()
            code = not line.startswith(("#", '"', "'"))
            if len(line) >= MIN_LENGTH and code and any(t in line for t in "(=:"):
                lines.add(line)
    return lines


def assert_no_hidden_source(texts):
    lines = hidden_source_lines()
    for text in texts:
        leaked = [line for line in lines if line in text]
        assert not leaked, f"hidden source in a report: {leaked[:3]}"
