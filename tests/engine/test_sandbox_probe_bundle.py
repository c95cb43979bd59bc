"""The probe bundle holds what the sandbox needs and nothing that knows the answers."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograders.catalogue import TOPICS
from autograders.sandbox import bootstrap, probe_bundle


@pytest.fixture(scope="module")
def bundle_files():
    return probe_bundle.bundle_files()


def test_the_bundle_has_the_probes_core_and_sandbox_side(bundle_files):
    for topic in TOPICS:
        if (probe_bundle.PACKAGE_DIR / "topics" / topic / "probes.py").exists():
            assert f"autograders.topics.{topic}.probes" in bundle_files
    for name in ("observations", "observe", "registry", "items", "student_call"):
        assert f"autograders.{name}" in bundle_files
    assert "autograders.sandbox.worker" in bundle_files


def test_no_judge_no_reference_and_no_parent_side_module(bundle_files):
    for name, path in bundle_files.items():
        assert not probe_bundle.is_forbidden(name), name
        imported = probe_bundle.imported_modules(path)
        assert not [m for m in imported if probe_bundle.is_forbidden(m)], name
    for parent_only in ("pool", "bwrap", "worker_process", "probe_bundle"):
        assert f"autograders.sandbox.{parent_only}" not in bundle_files


def test_a_module_importing_reference_is_left_out(bundle_files):
    # numpy_net/mutants.py imports reference: it is a real tainted topic module.
    mutants = probe_bundle.PACKAGE_DIR / "topics" / "numpy_net" / "mutants.py"
    assert "reference" in probe_bundle.imported_modules(mutants)
    assert "autograders.topics.numpy_net.mutants" not in bundle_files


def test_imports_are_resolved_statically_relative_and_lazy(tmp_path):
    package = tmp_path / "autograders" / "topics" / "demo"
    package.mkdir(parents=True)
    source = package / "probes.py"
    source.write_text(textwrap.dedent("""
        from . import cases
        from ..numpy_net import judges as j
        def later():
            import reference.numpy_net
    """))
    original = probe_bundle.PACKAGE_DIR
    try:
        probe_bundle.PACKAGE_DIR = tmp_path / "autograders"
        found = probe_bundle.imported_modules(source)
    finally:
        probe_bundle.PACKAGE_DIR = original
    assert {"autograders.topics.demo.cases", "autograders.topics.numpy_net.judges",
            "reference.numpy_net"} <= found


def test_every_autograders_module_the_bundle_imports_is_in_it(bundle_files):
    candidates = probe_bundle.candidate_files()
    every_module = {probe_bundle.module_name(p)
                    for p in probe_bundle.PACKAGE_DIR.rglob("*.py")} | set(candidates)
    for name, path in bundle_files.items():
        for imported in probe_bundle.imported_modules(path):
            if imported.startswith("autograders") and imported in every_module:
                assert imported in bundle_files, f"{name} imports {imported}, not bundled"


def test_the_bundle_is_deterministic():
    assert probe_bundle.build() == probe_bundle.build()


@pytest.mark.slow
def test_everything_imports_from_the_bundle_alone_with_reference_unavailable(tmp_path):
    """A fresh interpreter, outside the repository, with only the bundle."""
    (tmp_path / "bundle.zip").write_bytes(probe_bundle.build())
    script = textwrap.dedent(f"""
        import importlib, importlib.util, sys, zipfile
        repository = {str(probe_bundle.PACKAGE_DIR.parent)!r}
        sys.path[:] = [p for p in sys.path if p not in ("", repository)]
        spec = importlib.util.spec_from_file_location("boot", {bootstrap.__file__!r})
        boot = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(boot)  # stdlib only: loads without the package
        boot.install(open("bundle.zip", "rb").read())
        names = [n[:-3].replace("/", ".").removesuffix(".__init__")
                 for n in zipfile.ZipFile("bundle.zip").namelist()]
        for name in names:
            importlib.import_module(name)
        from autograders import registry
        probes = registry.probes()
        assert probes, "no probes"
        for refused in ("reference", "autograders.topics.numpy_net.judges"):
            try:
                importlib.import_module(refused)
            except ModuleNotFoundError:
                pass
            else:
                raise AssertionError(refused + " was importable")
        loaded = [m for m in sys.modules if m.startswith("reference") or m.endswith("judges")]
        assert not loaded, loaded
        print(len(names), "modules", len(probes), "probes")
    """)
    done = subprocess.run([sys.executable, "-s", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "probes" in done.stdout
    assert Path(tmp_path / "bundle.zip").exists()
