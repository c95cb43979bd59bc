"""Benchmark: the class report's similarity ranking for a class of 500.

    python bench/similarity.py [--students 500] [--pairs 20]

Each student's graded functions are drawn from the bank's variants and the
reference (every bank file that defines the item), each made a student's own
by renaming its variables and inserting one or two statements of its own at
a random place (seeded), so no two students share their code by accident;
``--pairs`` students hand a disguised copy (renamed, reformatted) to one more student.
Times autograders.similarity.rank.rank on all of it (extraction is done at
grading time, not here), from cold caches, and prints the seconds, the
target (10 s on 2 cores) and how many copy pairs rank first for their item.
"""
import argparse
import ast
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograders.exports.class_data import _course_folders, _pieces  # noqa: E402
from autograders.items import ITEMS  # noqa: E402
from autograders.similarity import rank as ranking  # noqa: E402
from autograders.similarity.extract import source_pieces  # noqa: E402
from autograders.similarity.fingerprint import tokens  # noqa: E402

BANK = ROOT / "tests" / "autograders" / "bank"
TARGET_SECONDS = 10.0


def variants(items, reference):
    found = {item: [reference[item]] for item in items if item in reference}
    for path in sorted(BANK.glob("*/*.py")):
        for item, source in source_pieces(path.read_text(), set(found)).items():
            found[item].append(source)
    return found




def own(source, rng, tag, extra=True):
    """The source with its assigned names renamed and (extra) a statement or two of its own."""
    tree = ast.parse(source)
    function = tree.body[0]
    bound = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in bound:
            node.id = f"{node.id}_{tag}"
    for _ in range(rng.randint(1, 2) if extra else 0):
        extra = ast.parse(f"check_{tag} = {rng.randint(2, 10**6)} * {rng.random():.6f}").body[0]
        function.body.insert(rng.randint(0, len(function.body)), extra)
    return ast.unparse(tree)


def make_class(count, pairs, items, pool, rng):
    pieces = {}
    for number in range(count):
        student = f"s{number:03d}"
        pieces[student] = {item: own(rng.choice(pool[item]), rng, f"{number}{item[:2]}")
                           for item in items}
    copies = []
    for number in range(pairs):
        source, copy = f"s{number:03d}", f"c{number:03d}"
        item = rng.choice(items)
        pieces[copy] = {item: own(pieces[source][item], rng, f"x{number}", extra=False)
                        .replace(" = ", "  =  ").replace(", ", " , ")}
        copies.append((item, source, copy))
    return pieces, copies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--pairs", type=int, default=20)
    args = parser.parse_args(argv)
    source, release = _course_folders(None)
    items = [item.id for item in ITEMS if item.kind == "auto"]
    reference, given = _pieces(source, items), _pieces(release, items)
    compared = [item for item in items if item in reference
                and len(tokens(reference[item])) >= ranking.ITEM_MIN_TOKENS]
    rng = random.Random(0)
    pieces, copies = make_class(args.students - args.pairs, args.pairs, compared,
                                variants(compared, reference), rng)
    started = time.perf_counter()
    result = ranking.rank(pieces, reference, given, items)
    seconds = time.perf_counter() - started
    first = 0
    for item, source, copy in copies:
        ranked = [p for p in result.pairs if p.item == item and copy in (p.student_a, p.student_b)]
        top = {ranked[0].student_a, ranked[0].student_b} if ranked else set()
        first += top == {source, copy} or (bool(ranked) and ranked[0].similarity == max(
            p.similarity for p in ranked if {p.student_a, p.student_b} == {source, copy}))
    verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
    print(f"similarity of {len(pieces)} students, {len(compared)} items compared "
          f"({', '.join(compared)}): {seconds:.2f} s ({verdict} the {TARGET_SECONDS:g} s target); "
          f"{len(result.pairs)} pairs and {len(result.reference)} reference matches reported; "
          f"{first} of {len(copies)} copies paired first with their source")
    return 0


if __name__ == "__main__":
    sys.exit(main())
