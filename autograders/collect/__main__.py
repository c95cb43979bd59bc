"""``python -m autograders.collect classroom DIR [--course C] [--prefix P]``: see classroom.py."""
import argparse
import sys
from pathlib import Path

from autograders.collect.classroom import collect_classroom


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograders.collect",
                                     description="Copy students' notebooks into submitted/.")
    commands = parser.add_subparsers(dest="command", required=True)
    classroom = commands.add_parser(
        "classroom", help="a folder of GitHub Classroom repositories, one clone per student")
    classroom.add_argument("repos", metavar="DIR", help="the folder of cloned repositories")
    classroom.add_argument("--course", default=".", metavar="DIR",
                           help="the nbgrader course root (default: here)")
    classroom.add_argument("--prefix", default=None,
                           help="the part of the repository names before the user name "
                                "(default: the names' common prefix, up to a '-')")
    args = parser.parse_args(argv)
    if not Path(args.repos).is_dir():
        print(f"error: {args.repos}: no such folder", file=sys.stderr)
        return 2
    collected = collect_classroom(args.repos, args.course, args.prefix)
    print(f"{len(collected)} submissions in {Path(args.course).resolve() / 'submitted'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
