"""Benchmark: from `nbgrader submit` to the feedback `nbgrader fetch_feedback` returns, one student.

    python bench/watch_latency.py [--poll S]

Releases a copy of the course into an nbgrader exchange in a temporary folder
(as tests/watch/ does), starts `python -m autograders watch` and waits for its
first poll (the watcher idle, as on a course server), then one student submits
the reference solution. Prints the seconds from the start of `nbgrader
submit` until the exchange holds the released feedback (fetchable) and until
`nbgrader fetch_feedback` has returned it, and the watcher's log. The poll
interval adds up to itself to the time (a course would poll every 30 s).
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_build.sample_class import CLASS, nbgrader_env, released_copy  # noqa: E402
from tests.watch.exchange import (exchange_course, fetch_feedback, notebooks_of,  # noqa: E402
                                  submit)


def events(course):
    path = course / "watcher" / "log.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def wait_for(condition, timeout=900):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"nothing after {timeout} s")
        time.sleep(0.2)
    return time.monotonic()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poll", type=float, default=5.0, help="the watcher's poll interval")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watch-latency-") as tmp:
        released = released_copy(Path(tmp) / "released")
        course, exchange = exchange_course(released, Path(tmp) / "run")
        watcher = subprocess.Popen(
            [sys.executable, "-m", "autograders", "watch", "--course", str(course),
             "--poll", str(args.poll)], env=nbgrader_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        try:
            watcher.stdout.readline()        # "started"
            watcher.stdout.readline()        # the first progress line: the first poll is done
            student = CLASS[0]
            texts = notebooks_of(course, student)
            start = time.monotonic()
            submit(course, exchange, student.id, texts)
            submitted = time.monotonic()
            released_at = wait_for(lambda: any(e["event"] == "released full"
                                               for e in events(course)))
            pages = fetch_feedback(exchange, student.id)
            fetched = time.monotonic()
        finally:
            watcher.terminate()
            watcher.wait(120)
        for entry in events(course):
            print(entry["time"], entry["event"], entry.get("student") or "")
        print(f"\nnbgrader submit: {submitted - start:.1f} s; feedback released (fetchable) "
              f"{released_at - start:.1f} s after the submit began; fetch_feedback returned "
              f"{len(pages)} pages {fetched - start:.1f} s after it (poll every {args.poll:g} s)")


if __name__ == "__main__":
    main()
