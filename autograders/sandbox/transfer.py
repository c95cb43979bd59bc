"""Copying files across the sandbox boundary without trusting them.

Used four times: the parent copies a submission into a worker's jobs folder,
the worker copies it into the child's private scratch space, the worker copies
observations back out, and the parent reads them into its own folder. Each
copy takes regular files and folders only: a symbolic link (say, to the
gradebook) or a FIFO is skipped, never followed, and every open is relative to
an already opened folder, so a path cannot be swapped for a link halfway.
Sizes are capped, so a submission cannot fill the disk on its way in or out.
"""
import os
import shutil
import stat
import sys

CHUNK = 1 << 20
MAX_FILES = 10000
MAX_DEPTH = 32
_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK


class TooLarge(Exception):
    """The tree holds more bytes or files than allowed."""


def copy_tree(source, destination, max_bytes, max_files=MAX_FILES):
    """Copy source's regular files and folders into destination (created).

    Returns the number of bytes copied; raises TooLarge past max_bytes or
    max_files, and FileNotFoundError / NotADirectoryError when source is not
    a real folder.
    """
    budget = {"bytes": max_bytes, "files": max_files}
    source_fd = os.open(source, _OPEN_DIR)
    try:
        os.makedirs(destination, exist_ok=True)
        _copy_folder(source_fd, str(destination), budget, 0)
    finally:
        os.close(source_fd)
    return max_bytes - budget["bytes"]


def _copy_folder(folder_fd, destination, budget, depth):
    if depth > MAX_DEPTH:
        raise TooLarge(f"folders nested deeper than {MAX_DEPTH}")
    with os.scandir(folder_fd) as entries:
        names = sorted(entry.name for entry in entries)
    for name in names:
        budget["files"] -= 1
        if budget["files"] < 0:
            raise TooLarge("too many files")
        mode = os.stat(name, dir_fd=folder_fd, follow_symlinks=False).st_mode
        target = os.path.join(destination, name)
        if stat.S_ISDIR(mode):
            child_fd = os.open(name, _OPEN_DIR, dir_fd=folder_fd)
            try:
                os.mkdir(target)
                _copy_folder(child_fd, target, budget, depth + 1)
            finally:
                os.close(child_fd)
        elif stat.S_ISREG(mode):
            _copy_file(folder_fd, name, target, budget)


def _copy_file(folder_fd, name, target, budget):
    source_fd = os.open(name, _OPEN_FILE, dir_fd=folder_fd)
    try:
        if not stat.S_ISREG(os.fstat(source_fd).st_mode):
            return
        target_fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            while chunk := os.read(source_fd, CHUNK):
                budget["bytes"] -= len(chunk)
                if budget["bytes"] < 0:
                    raise TooLarge("too many bytes")
                os.write(target_fd, chunk)
        finally:
            os.close(target_fd)
    finally:
        os.close(source_fd)


def copy_failure(error):
    """The message of a submission whose copy for grading failed with an OSError:
    not the student's doing (a full disk, most often), so grading it again may work."""
    reason = error.strerror or type(error).__name__
    return (f"the submission could not be copied for grading ({reason}): a problem of the "
            "grading machine, not of the notebooks; grading it again may work")


def chown_tree(path, uid, gid):
    """Give a freshly copied tree (no links in it) to the sandbox user."""
    os.chown(path, uid, gid)
    for root, folders, files in os.walk(path):
        for name in folders + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)


def remove_tree(path):
    """Delete a tree the sandbox wrote to, whatever modes it left behind."""
    def make_writable_and_retry(function, failed_path, _):
        try:
            os.chmod(os.path.dirname(failed_path), 0o700)
            function(failed_path)
        except FileNotFoundError:
            pass
    handler = "onexc" if sys.version_info >= (3, 12) else "onerror"
    if os.path.lexists(path):
        shutil.rmtree(path, **{handler: make_writable_and_retry})
