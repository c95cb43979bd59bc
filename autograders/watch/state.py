"""The watcher's memory in the course: state, log and lock under ``<course>/watcher/``.

state.json: {student_id: {"seen": key, "graded": key, "graded_at": epoch s,
"released": [key, mode], "queued": key, "failures": n}} where a key names one
submission (the inbound file name, or submitted/'s timestamp and files).
Written atomically (a temporary file renamed over it) after every step, so a
watcher killed at any point restarts from the last finished step: what was
collected and not graded is graded, what was graded is never graded again.
"""
import datetime
import fcntl
import json
import os
import sys
from pathlib import Path

FOLDER = "watcher"


class WatcherBusy(Exception):
    pass


def folder(course_root):
    path = Path(course_root) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


class State:
    """Per-student records, saved as JSON on every ``save``."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.students = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.students = {}

    def of(self, student_id):
        return self.students.setdefault(student_id, {})

    def save(self):
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.students, indent=1, sort_keys=True),
                             encoding="utf-8")
        os.replace(temporary, self.path)


def lock(path):
    """Hold an exclusive lock on path for this process's life; WatcherBusy if another holds it."""
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise WatcherBusy(f"another watcher (pid {holder}) runs on this course ({path})") from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class Log:
    """Every action as one JSON line (time, event, student, details) and one line on stderr."""

    def __init__(self, path, stream=sys.stderr):
        self.path, self.stream = Path(path), stream

    def __call__(self, event, student=None, **details):
        time = now().isoformat(timespec="seconds")
        entry = {"time": time, "event": event, "student": student, **details}
        try:
            with open(self.path, "a", encoding="utf-8") as file:
                file.write(json.dumps(entry) + "\n")
        except OSError as error:  # a full disk must not stop the watcher
            print(f"{time} cannot write {self.path}: {error}", file=self.stream)
        words = " ".join(f"{k}={v}" for k, v in details.items())
        print(f"{time} {event}{' ' + student if student else ''}{' ' + words if words else ''}",
              file=self.stream, flush=True)
