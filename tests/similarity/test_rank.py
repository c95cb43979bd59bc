"""The similarity ranking: copies first, starter code and short functions no match."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograders.similarity import fingerprint
from autograders.similarity.extract import notebook_pieces, source_pieces
from autograders.similarity.rank import ITEM_MIN_TOKENS, REFERENCE, rank
from tests.similarity.copies import OWN_LOOP, OWN_LOOP_COPY, copy_class

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / "neural_networks"
RELEASE = ROOT / "release" / "neural_networks"
ITEMS = ("backprop", "train_and_evaluate")


def course_pieces(folder):
    return {**notebook_pieces(folder / "02_numpy_network.ipynb", ["backprop", "cost"]),
            **notebook_pieces(folder / "03_pytorch_training.ipynb", ["train_and_evaluate"])}


@pytest.fixture(scope="module")
def solution():
    return course_pieces(SOURCE), course_pieces(RELEASE)


def test_the_copies_rank_first_for_their_function(solution):
    pieces, copies = copy_class()
    ranking = rank(pieces, *solution, ITEMS)
    for item, expected in copies.items():
        ranked = [(p.student_a, p.student_b) for p in ranking.pairs if p.item == item]
        assert set(ranked[:len(expected)]) == expected, (item, ranked)
        others = [p.similarity for p in ranking.pairs
                  if p.item == item and (p.student_a, p.student_b) not in expected]
        lowest_copy = min(p.similarity for p in ranking.pairs
                          if p.item == item and (p.student_a, p.student_b) in expected)
        assert all(s < lowest_copy - 0.2 for s in others), (item, ranking.pairs)


def test_renamed_recommented_reformatted_code_is_the_same_code():
    assert fingerprint.tokens(OWN_LOOP) == fingerprint.tokens(OWN_LOOP_COPY)
    assert fingerprint.fingerprints(OWN_LOOP) == fingerprint.fingerprints(OWN_LOOP_COPY)


def test_strings_docstrings_and_comments_do_not_count():
    one = 'def f(x):\n    """Doc."""\n    return g(x, "alpha")  # note\n'
    two = "def f(y):\n    return g(y, 'beta')\n"
    assert fingerprint.tokens(one) == fingerprint.tokens(two) == ["return", "g", "(", "V", ",",
                                                                  "S", ")", ";"]


def test_the_release_code_of_every_function_is_no_match(solution):
    """Students who only keep the release's stub share nothing."""
    _, release = solution
    stub = release["backprop"]
    pieces = {"a": {"backprop": stub}, "b": {"backprop": stub}}
    ranking = rank(pieces, *solution, ["backprop"])
    assert ranking.pairs == () and ranking.reference == ()


def test_template_fingerprints_are_taken_away():
    body = "    total = 0\n    for value in values:\n        total = total + value * value\n" \
           "    return total\n"
    given = f"def f(values):\n{body}"
    template = fingerprint.fingerprints(given)
    assert template
    assert fingerprint.fingerprints(given + "    # more\n", template) == frozenset()


def test_short_functions_are_left_out(solution):
    reference, release = solution
    pieces = {"a": {"cost": reference["cost"]}, "b": {"cost": reference["cost"]}}
    ranking = rank(pieces, reference, release, ["cost"])
    assert ranking.items == () and ranking.skipped[0][0] == "cost"
    assert str(ITEM_MIN_TOKENS) in ranking.skipped[0][1]


def test_students_with_the_reference_are_listed_against_it_not_as_pairs(solution):
    reference, release = solution
    pieces = {name: {"backprop": reference["backprop"]} for name in ("a", "b", "c")}
    ranking = rank(pieces, reference, release, ["backprop"])
    assert ranking.pairs == ()
    assert [(p.student_a, p.student_b, p.similarity) for p in ranking.reference] == [
        (name, REFERENCE, 1.0) for name in ("a", "b", "c")]


def test_fingerprints_are_the_same_in_every_process():
    script = ("from tests.similarity.copies import OWN_LOOP;"
              "from autograders.similarity.fingerprint import fingerprints;"
              "print(sorted(fingerprints(OWN_LOOP)))")
    runs = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                           text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1


@pytest.mark.parametrize("source", ["def backprop(:\n", "x = 1\n", "", "def other():\n pass\n",
                                    "(" * 500 + ")" * 500])
def test_code_that_does_not_parse_or_define_the_item_has_no_piece(source):
    assert source_pieces(source, {"backprop"}) == {}


def test_a_notebook_that_is_not_json_has_no_pieces(tmp_path):
    broken = tmp_path / "02_numpy_network.ipynb"
    broken.write_text('{"cells": [')
    assert notebook_pieces(broken, ["backprop"]) == {}
    assert notebook_pieces(tmp_path / "absent.ipynb", ["backprop"]) == {}


HUGE_CELL = json.dumps({"cells": [{"cell_type": "code",
                                   "source": "def backprop():\n" + "    x = 1\n" * 40_000}]})
ODD = ['{"cells": 3}', "[1, 2]", '{"cells": [1, {"cell_type": "code"}]}',
       '{"cells": [{"cell_type": "code", "metadata": {"tags": 7}, "source": [1, 2]}]}',
       "\u0000", HUGE_CELL]


@pytest.mark.parametrize("content", ODD)
def test_odd_notebook_json_has_no_pieces_and_raises_nothing(tmp_path, content):
    """Notebooks with unexpected types anywhere, and one huge cell, are no piece."""
    path = tmp_path / "02_numpy_network.ipynb"
    path.write_text(content)
    assert notebook_pieces(path, ["backprop"]) == {}


def test_a_large_copy_ring_of_one_source_is_shown(solution):
    """25 students hand in one non-reference source, each with an edit of their own:
    every fingerprint of it is held by more than MAX_SHARED groups, and the ring must
    still be listed (each member with its closest copy), not vanish as a common idiom."""
    from autograders.similarity.rank import MAX_SHARED
    head, _, rest = OWN_LOOP.partition("\n")
    ring = {f"s{i:02}": {"backprop": head + "\n" + "".join(
        f"    audit_{i}_{k}(weights, y_target)\n" for k in range(4)) + rest} for i in range(25)}
    assert len({fingerprint.fingerprints(own["backprop"]) for own in ring.values()}) == 25
    assert len(ring) > MAX_SHARED
    ranking = rank(ring, *solution, ["backprop"])
    paired = {student for p in ranking.pairs for student in (p.student_a, p.student_b)}
    assert paired == set(ring)                   # every member, each with its closest copy
    assert len(ranking.pairs) < 25 * 24 // 2     # not all 300 pairs: no flood
    assert min(p.similarity for p in ranking.pairs) > 0.7


def test_a_ring_of_identical_copies_is_one_group_and_always_was_shown(solution):
    """The issue's reading, corrected: 25 copies the same up to names and layout are one
    group, whose pairs never went through the MAX_SHARED cut (this passed before the
    fix too); a ring vanished only when its copies differ a little (the test above)."""
    ring = {f"s{i:02}": {"backprop": OWN_LOOP_COPY if i % 2 else OWN_LOOP} for i in range(25)}
    ranking = rank(ring, *solution, ["backprop"])
    assert len(ranking.pairs) == 25 * 24 // 2 and {p.similarity for p in ranking.pairs} == {1.0}
