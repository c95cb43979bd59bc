"""``python -m autograders``: see autograders.cli."""
import sys

from autograders.cli import main

if __name__ == "__main__":
    sys.exit(main())
