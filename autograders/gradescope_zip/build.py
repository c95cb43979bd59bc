"""The autograder zip an instructor uploads to Gradescope (``python -m autograders gradescope``).

At its root (Gradescope unpacks it into /autograder/source):
- ``setup.sh``, ``run_autograder`` (files/; executable);
- ``requirements.txt``: the course's pins of the packages grading imports
  (GRADING_PACKAGES: what the judges, the sandbox and the students'
  notebooks import; not the authoring tools);
- ``nbgrader_config.py``: the course's own, as ``grade`` reads it;
- ``settings.json``: visibility, sandbox, per-submission timeout and limits;
- the ``autograders`` and ``reference`` packages, as imported here (no
  caches). The source notebooks are not in it: grading needs none of them
  (the judges compute the expected values with ``reference``), and the zip
  then holds no notebook with the solutions in it.

Deterministic: entries sorted, every timestamp 1980-01-01, modes 0644/0755,
the same compression; the same course gives a byte-identical zip.
"""
import importlib.util
import json
import re
import zipfile
from pathlib import Path

from autograders.course import CONFIG_FILE, CourseError
from autograders.exports.gradescope import VISIBILITIES
from autograders.gradescope_zip.layout import SETTINGS_FILE
from autograders.items import ASSIGNMENT

FILES = Path(__file__).parent / "files"
REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGES = ("autograders", "reference")
GRADING_PACKAGES = ("torch", "numpy", "matplotlib", "torchinfo", "nbformat", "tqdm", "pyseccomp")
EXECUTABLES = ("setup.sh", "run_autograder")
SKIPPED = re.compile(r"(^|/)(__pycache__|\.[^/]*)(/|$)|\.py[co]$")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
DEFAULT_OUT = "autograder.zip"
# Gradescope's default container: 768 MB, half a vCPU, 10 minutes per submission.
TIMEOUT_SECONDS = 240
LIMITS = {"memory_bytes": 1536 * 2 ** 20}
# Measured with bench/gradescope_submission.py (README: "Grading on Gradescope").
CONTAINER = ("Container: Gradescope's default (768 MB, 0.5 vCPU) fits: one submission peaks at "
             "about 630 MB and 3.2 s of CPU; pick a larger one if students need more memory.")


def build(out, course=None, visibility="visible"):
    """Write the zip to out; returns (path, number of entries)."""
    if visibility not in VISIBILITIES:
        raise CourseError(f"--visibility {visibility}: one of {', '.join(VISIBILITIES)}")
    entries = contents(course, visibility)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(entries):
            data, mode = entries[name]
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.create_system = 3      # Unix: the mode below is read
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return out, len(entries)


def contents(course, visibility):
    """{name in the zip: (bytes, mode)}."""
    entries = {name: ((FILES / name).read_bytes(), 0o755) for name in EXECUTABLES}
    entries["requirements.txt"] = (grading_requirements(_requirements(course)).encode(), 0o644)
    if course is not None and (course.root / CONFIG_FILE).is_file():
        entries[CONFIG_FILE] = ((course.root / CONFIG_FILE).read_bytes(), 0o644)
    settings = {"assignment": course.assignment if course else ASSIGNMENT,
                "course_id": course.course_id if course else "",
                "visibility": visibility, "sandbox": "isolated",
                "timeout": TIMEOUT_SECONDS, "limits": LIMITS}
    entries[SETTINGS_FILE] = ((json.dumps(settings, indent=2, sort_keys=True) + "\n").encode(),
                              0o644)
    for package in PACKAGES:
        for name, path in package_files(package).items():
            entries[name] = (path.read_bytes(), 0o644)
    return entries


def package_files(package):
    """{zip name: path} of an importable package's files, without caches and dot files."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise CourseError(f"the {package} package is not importable here")
    folder = Path(list(spec.submodule_search_locations)[0])
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not SKIPPED.search(relative):
            files[f"{package}/{relative}"] = path
    return files


def _requirements(course):
    for folder in ([course.root] if course else []) + [REPOSITORY]:
        if (folder / "requirements.txt").is_file():
            return (folder / "requirements.txt").read_text()
    raise CourseError("no requirements.txt in the course or beside the autograders package")


def grading_requirements(text):
    """The pinned lines of the packages grading needs, in the file's order."""
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*==\s*(\S+)", line)
        if match:
            pins[match.group(1).lower()] = line.strip()
    missing = [name for name in GRADING_PACKAGES if name not in pins]
    if missing:
        raise CourseError(f"requirements.txt pins no version of {', '.join(missing)}")
    return "".join(f"{pins[name]}\n" for name in GRADING_PACKAGES)
