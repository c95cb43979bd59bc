"""Benchmark: how long the solution notebooks take, top to bottom.

    python bench/notebooks.py

Target (issue 2): all four in under 60 s in total on 2 cores, each in a
fresh python3 kernel with the Agg backend, demonstrations included.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograders.items import NOTEBOOKS  # noqa: E402
from course_build.build import source_dir  # noqa: E402
from course_build.execute import execute_notebook  # noqa: E402

TARGET_SECONDS = 60


def main():
    total = 0.0
    for name in NOTEBOOKS:
        run = execute_notebook(source_dir() / f"{name}.ipynb")
        total += run.seconds
        print(f"{name:<22} {run.seconds:6.1f} s")
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(f"{'total':<22} {total:6.1f} s  ({verdict} the {TARGET_SECONDS} s target)")


if __name__ == "__main__":
    main()
