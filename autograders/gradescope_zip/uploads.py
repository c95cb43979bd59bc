"""The student's notebooks in what they uploaded to Gradescope.

Students upload the notebooks themselves, a folder holding them, or a zip of
either. Notebooks are found by their release names (``01_activations.ipynb``)
at any depth, inside uploaded zips too; ``__MACOSX``, hidden files,
``.ipynb_checkpoints``, links and other files are ignored. Where one name is
found twice, the shallowest copy is graded (the others are named in the
notes). A notebook under another name (``01_activations (1).ipynb``) is
graded in place of a missing one when its cells' grade ids say which one it
is (as ``grade`` does with loose files); the notes say so, and name the
expected file names for every notebook still missing.

Nothing of the upload runs here: zips are read member by member (no paths
from the archive are used on disk), within size caps.
"""
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograders.course import NOTEBOOK_SUFFIX, notebooks_in
from autograders.items import NOTEBOOKS

IGNORED_PARTS = ("__MACOSX", ".ipynb_checkpoints")
MAX_NOTEBOOK_BYTES = 64 * 2 ** 20     # a larger file is not graded (named in the notes)
MAX_ZIP_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 256 * 2 ** 20   # all notebooks unpacked from one zip, together


@dataclass
class Found:
    files: dict = field(default_factory=dict)   # release name -> path (staged copy or upload)
    notes: list = field(default_factory=list)   # what the student should know, one line each

    @property
    def missing(self):
        return [name for name in NOTEBOOKS if name not in self.files]


@dataclass(frozen=True)
class _Candidate:
    shown: str        # the path as the student knows it, e.g. "hw/01_activations.ipynb"
    path: Path        # where its bytes are (an upload, or extracted from a zip)

    @property
    def depth(self):
        return len(PurePosixPath(self.shown).parts)


def expected_names():
    return ", ".join(f"{name}{NOTEBOOK_SUFFIX}" for name in NOTEBOOKS)


def find(upload_dir, scratch):
    """Found notebooks of the upload at upload_dir; zips are unpacked under scratch."""
    upload_dir, scratch = Path(upload_dir), Path(scratch)
    candidates, found = [], Found()
    for path in sorted(upload_dir.rglob("*")) if upload_dir.is_dir() else []:
        shown = path.relative_to(upload_dir).as_posix()
        if _ignored(shown) or path.is_symlink() or not path.is_file():
            continue
        if path.suffix == NOTEBOOK_SUFFIX:
            candidates.append(_Candidate(shown, path))
        elif path.suffix.lower() == ".zip":
            candidates += _from_zip(path, shown, scratch / f"zip-{len(candidates)}", found.notes)
    _choose(candidates, found)
    return found


def _ignored(shown):
    parts = PurePosixPath(shown).parts
    return any(part in IGNORED_PARTS or part.startswith(".") for part in parts)


def _from_zip(path, shown, into, notes):
    """The notebooks inside an uploaded zip, written to into/<n>.ipynb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        notes.append(f"{shown} could not be opened as a zip ({exc}).")
        return []
    taken, unpacked = [], 0
    with archive:
        members = archive.infolist()[:MAX_ZIP_MEMBERS]
        for member in sorted(members, key=lambda m: m.filename):
            inner = member.filename.rstrip("/")
            if member.is_dir() or _ignored(inner) or not inner.endswith(NOTEBOOK_SUFFIX):
                continue
            if member.file_size > MAX_NOTEBOOK_BYTES:
                notes.append(f"{shown}/{inner} is larger than {MAX_NOTEBOOK_BYTES >> 20} MB: "
                             "not graded.")
                continue
            room = min(MAX_NOTEBOOK_BYTES, MAX_UNPACKED_BYTES - unpacked)
            into.mkdir(parents=True, exist_ok=True)
            target = into / f"{len(taken)}{NOTEBOOK_SUFFIX}"
            try:
                with archive.open(member) as source:
                    data = source.read(room + 1)  # the header's size may lie
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
                notes.append(f"{shown}/{inner} could not be unpacked ({exc}).")
                continue
            if len(data) > room:
                notes.append(f"{shown}/{inner}: the zip unpacks to too much: not graded.")
                continue
            unpacked += len(data)
            target.write_bytes(data)
            taken.append(_Candidate(f"{shown}/{inner}", target))
    return taken


def _choose(candidates, found):
    by_name, others = {}, []
    for candidate in candidates:
        name = PurePosixPath(candidate.shown).name[:-len(NOTEBOOK_SUFFIX)]
        if candidate.path.stat().st_size > MAX_NOTEBOOK_BYTES:
            found.notes.append(f"{candidate.shown} is larger than {MAX_NOTEBOOK_BYTES >> 20} MB: "
                               "not graded.")
        elif name in NOTEBOOKS:
            by_name.setdefault(name, []).append(candidate)
        else:
            others.append(candidate)
    for name in NOTEBOOKS:
        if name in by_name:
            chosen, *rest = sorted(by_name[name], key=lambda c: (c.depth, c.shown))
            found.files[name] = chosen.path
            if rest:
                found.notes.append(f"{name}{NOTEBOOK_SUFFIX} was uploaded more than once: "
                                   f"graded {chosen.shown}, not "
                                   + ", ".join(c.shown for c in rest) + ".")
    _misnamed(others, found)


def _misnamed(others, found):
    """Files under other names: graded in place of a missing notebook their cells identify."""
    for candidate in others:
        held = notebooks_in(candidate.path)
        if len(held) == 1 and held[0] not in found.files:
            found.files[held[0]] = candidate.path
            found.notes.append(f"{candidate.shown} was graded as {held[0]}{NOTEBOOK_SUFFIX} "
                               "(its cells are that notebook's); please upload it under that name.")
        else:
            found.notes.append(f"{candidate.shown} is not one of the assignment's notebooks: "
                               "not graded.")
    if found.missing:
        found.notes.append("Not found in your upload: "
                           + ", ".join(f"{name}{NOTEBOOK_SUFFIX}" for name in found.missing)
                           + f". Upload the notebooks under these names: {expected_names()}.")
