"""The code the sandbox may see: the probe side of autograders, as a zip.

The worker receives this bundle on stdin (see bootstrap.py); nothing else of
``autograders`` and nothing of ``reference`` reaches the sandbox. It holds the
core modules the probes and the worker need, the sandbox-side modules, and
every topic module except the judges and whatever imports ``reference`` or a
judge, directly or through another autograders module. The rule is computed
from the source (ast), so a new topic module is included or left out without
anyone editing a list; tests/engine/test_sandbox_probe_bundle.py checks it.
"""
import ast
import io
import zipfile
from pathlib import Path

PACKAGE = "autograders"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
CORE = ("__init__", "items", "observations", "student_call", "observe", "submission",
        "result", "verdict", "catalogue", "registry")
SANDBOX_SIDE = ("__init__", "bootstrap", "worker", "child", "progress", "notebook_file",
                "limits", "privileges", "processes", "protocol", "transfer", "namespace_free",
                "landlock", "seccomp")
FORBIDDEN_ROOTS = ("reference",)
JUDGE_MODULE = "judges"
# A fixed timestamp makes the zip's bytes depend on the sources only.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def module_name(path):
    relative = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(path):
    """Absolute names of the modules a source file imports (any depth: lazy ones too)."""
    tree = ast.parse(path.read_text(), str(path))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules
    return found


def _resolve(node, package):
    if not node.level:
        return node.module
    parts = package.split(".")
    base = parts[:len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def is_forbidden(name):
    """reference (any module of it) or a judges module."""
    parts = name.split(".")
    return parts[0] in FORBIDDEN_ROOTS or (parts[0] == PACKAGE and JUDGE_MODULE in parts)


def candidate_files():
    """module name -> file: every module that may go into the bundle.

    The package's top-level modules (not tests), the sandbox-side modules and
    every topic module; parent-only sandbox modules (pool, bwrap...) are not
    candidates.
    """
    files = [path for path in sorted(PACKAGE_DIR.glob("*.py"))
             if not path.name.startswith(("test_", "conftest"))]
    files += [PACKAGE_DIR / "sandbox" / f"{name}.py" for name in SANDBOX_SIDE]
    files += sorted((PACKAGE_DIR / "topics").rglob("*.py"))
    return {module_name(path): path for path in files if path.is_file()}


def bundle_files():
    """module name -> file of the bundle.

    Roots: the core and sandbox-side modules and every topic module; then
    whatever autograders modules those import. A module is tainted when it is
    a judge, imports ``reference`` or a judge, or imports a tainted module;
    tainted modules stay out. A tainted core or sandbox-side module is an
    error, not a silent omission.
    """
    candidates = candidate_files()
    imports = {name: imported_modules(path) for name, path in candidates.items()}
    tainted = {name for name in candidates if is_forbidden(name)
               or any(is_forbidden(imported) for imported in imports[name])}
    changed = True
    while changed:
        changed = False
        for name in candidates:
            if name not in tainted and imports[name] & tainted:
                tainted.add(name)
                changed = True
    required = {module_name(PACKAGE_DIR / f"{n}.py") for n in CORE}
    required |= {module_name(PACKAGE_DIR / "sandbox" / f"{n}.py") for n in SANDBOX_SIDE}
    if required & tainted:
        raise RuntimeError(f"sandbox-side modules import reference or judges: "
                           f"{sorted(required & tainted)}")
    topics = {name for name in candidates if name.startswith(f"{PACKAGE}.topics")}
    chosen, todo = set(), list(required | topics - tainted)
    while todo:
        name = todo.pop()
        if name in chosen:
            continue
        chosen.add(name)
        todo.extend(imported for imported in imports[name]
                    if imported in candidates and imported not in tainted)
    return {name: candidates[name] for name in sorted(chosen)}


def build():
    """The bundle as zip bytes (deterministic for the same sources)."""
    files = bundle_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files.items()):
            arcname = path.relative_to(PACKAGE_DIR.parent).as_posix()
            archive.writestr(zipfile.ZipInfo(arcname, ZIP_DATE), path.read_bytes())
        for package_init in _package_inits(files):
            archive.writestr(zipfile.ZipInfo(package_init, ZIP_DATE), b"")
    return buffer.getvalue()


def _package_inits(files):
    """Empty __init__.py for bundle folders without one (namespace-like topics)."""
    present = {path.relative_to(PACKAGE_DIR.parent).as_posix() for path in files.values()}
    needed = set()
    for name in present:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            init = "/".join(parts[:depth]) + "/__init__.py"
            if init not in present:
                needed.add(init)
    return sorted(needed)
