"""The sandboxed worker's first code: its source is passed as ``python -c``.

The worker gets its code without ``autograders/`` or ``reference/`` being
visible in the sandbox: the parent writes one JSON header line and then the
probe bundle (a zip, see probe_bundle.py) to the worker's stdin. The bundle
is imported from memory, never written to disk, by an importer placed first
on sys.meta_path; it also refuses ``reference`` and any ``autograders``
module not in the bundle (judges), so the worker behaves the same with and
without bwrap. Standard library only: nothing else is importable yet.
"""
import importlib.abc
import importlib.util
import io
import json
import sys
import time
import zipfile

BUNDLE_ROOT = "/<probe-bundle>"
GUARDED = ("autograders", "reference")


class BundleImporter(importlib.abc.MetaPathFinder, importlib.abc.SourceLoader):
    """Imports the bundle's modules from memory; refuses the rest of GUARDED."""

    def __init__(self, files):
        self.files = files  # "autograders/observe.py" -> source bytes

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] not in GUARDED:
            return None
        stem = fullname.replace(".", "/")
        for name, is_package in ((f"{stem}/__init__.py", True), (f"{stem}.py", False)):
            if name in self.files:
                origin = f"{BUNDLE_ROOT}/{name}"
                locations = [origin.rsplit("/", 1)[0]] if is_package else None
                return importlib.util.spec_from_file_location(
                    fullname, origin, loader=self, submodule_search_locations=locations)
        raise ModuleNotFoundError(f"No module named {fullname!r} (not available to "
                                  "submissions)", name=fullname)

    def get_filename(self, fullname):
        stem = fullname.replace(".", "/")
        for name in (f"{stem}/__init__.py", f"{stem}.py"):
            if name in self.files:
                return f"{BUNDLE_ROOT}/{name}"
        raise ImportError(fullname)

    def get_data(self, path):
        try:
            return self.files[path[len(BUNDLE_ROOT) + 1:]]
        except KeyError:
            raise OSError(path) from None


def install(bundle):
    """Put the bundle (zip bytes) first on sys.meta_path; returns the importer."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    importer = BundleImporter(files)
    sys.meta_path.insert(0, importer)
    return importer


def main():
    started = time.monotonic()
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    install(stdin.read(header["bundle_bytes"]))
    installed = time.monotonic()
    from autograders.sandbox import worker  # imports numpy and torch
    worker.main(header["config"], stdin, {"bundle": installed - started,
                                          "numpy_torch_imports": time.monotonic() - installed})


if __name__ == "__main__":
    main()
