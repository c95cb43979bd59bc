"""Execute the solution notebooks and write them, run, as .ipynb and HTML.

    python -m course_build.run_notebooks --out demo-output
"""
import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from autograders.items import NOTEBOOKS
from course_build.build import source_dir
from course_build.execute import execute_notebook


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo-output", help="folder for the executed notebooks")
    args = parser.parse_args(argv)
    out = Path(args.out) / "solutions"
    out.mkdir(parents=True, exist_ok=True)
    total = 0.0
    for name in NOTEBOOKS:
        run = execute_notebook(source_dir() / f"{name}.ipynb")
        total += run.seconds
        nbformat.write(run.notebook, out / f"{name}.ipynb")
        html, _ = HTMLExporter().from_notebook_node(run.notebook)
        (out / f"{name}.html").write_text(html)
        print(f"  {name:<22} {run.seconds:5.1f} s  -> {out / name}.html")
    print(f"Solution notebooks executed in {total:.1f} s in total.")
    print(f"Executed notebooks and HTML pages: {out.resolve()}")
    print(f"Student release: {Path('release').resolve() / 'neural_networks'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
