"""Which students' graded functions share code: a ranking for a human to look at.

For each item whose reference solution is long enough to mean something
(at least ITEM_MIN_TOKENS normalised tokens: backprop, train_and_evaluate,
apply_net, ...; sigmoid, cost or forward_step are one or two lines, which
independent students write alike), every student's piece of at least
PIECE_MIN_TOKENS tokens is fingerprinted (fingerprint.py) less the
fingerprints of the release's code for that item. Similarity of two pieces
is the Jaccard index of their fingerprint sets: 1 = the same code up to
names, comments, docstrings, strings and layout.

No pairwise loop: students with the same fingerprints form one group, an
inverted index (fingerprint -> groups) proposes the candidate pairs. A
fingerprint held by more than MAX_SHARED groups (a common idiom, or a large
copy ring: 25 lightly edited copies of one source) proposes no pairs of its
own; the groups holding such fingerprints are instead compared all with all
at once (``_crowded_pairs``: one matrix product over the fingerprints they
share) and each is paired with its closest one, so every member of a copy
ring of any size is listed, and an idiom shared by the class adds at most
one pair per student, no flood. Each piece is also compared with the reference solution; a pair that
the reference explains as well (both students at least as close to the
reference, less REFERENCE_MARGIN) is left to the reference list instead.
Pairs and reference matches below MIN_REPORTED are not reported.
"""
from collections import defaultdict
from dataclasses import dataclass
import functools
import itertools

import numpy as np

from autograders.similarity.fingerprint import fingerprints, tokens

ITEM_MIN_TOKENS = 60
PIECE_MIN_TOKENS = 30
MAX_SHARED = 20
ROWS_AT_ONCE = 512   # groups per block of _crowded_pairs' matrix product
MIN_REPORTED = 0.3
REFERENCE_MARGIN = 0.05


@dataclass(frozen=True)
class Pair:
    item: str
    student_a: str
    student_b: str
    similarity: float


@dataclass(frozen=True)
class Ranking:
    items: tuple          # the items compared, in the order given
    skipped: tuple        # (item, why) of the items left out
    pairs: tuple          # Pair, most similar first
    reference: tuple      # Pair with student_b == REFERENCE, most similar first


REFERENCE = "(reference)"   # never a student id (ids start with a letter, digit or _)


@functools.lru_cache(maxsize=4096)
def _prints(source, template):
    return fingerprints(source, template)


@functools.lru_cache(maxsize=4096)
def _length(source):
    return len(tokens(source))


def rank(pieces, reference, release, items):
    """The ranking of a class.

    pieces: {student: {item: source}}; reference, release: {item: source}
    (the solution, and the release's code of the item, if any); items: the
    item ids to consider, in report order.
    """
    compared, skipped, pairs, matches = [], [], [], []
    for item in items:
        solution = reference.get(item)
        if solution is None or _length(solution) < ITEM_MIN_TOKENS:
            skipped.append((item, f"the reference solution has fewer than {ITEM_MIN_TOKENS} "
                                  "tokens: short code is written alike without copying"))
            continue
        compared.append(item)
        template = _prints(release.get(item, ""), frozenset())
        code = {student: own[item] for student, own in pieces.items()
                if item in own and _length(own[item]) >= PIECE_MIN_TOKENS}
        item_pairs, item_matches = _rank_item(item, code, _prints(solution, template), template)
        pairs += item_pairs
        matches += item_matches
    order = lambda pair: (-pair.similarity, pair.item, pair.student_a, pair.student_b)  # noqa: E731
    return Ranking(tuple(compared), tuple(skipped), tuple(sorted(pairs, key=order)),
                   tuple(sorted(matches, key=order)))


def _rank_item(item, code, solution, template):
    groups = defaultdict(list)          # fingerprints -> students with exactly those
    for student in sorted(code):
        prints = _prints(code[student], template)
        if prints:
            groups[prints].append(student)
    keys = list(groups)
    to_reference = {prints: _jaccard(prints, solution) for prints in keys}
    candidates = set()
    index = defaultdict(list)
    for number, prints in enumerate(keys):
        for value in prints:
            index[value].append(number)
    crowded = set()
    for holders in index.values():
        if 1 < len(holders) <= MAX_SHARED:
            candidates.update(itertools.combinations(holders, 2))
        elif len(holders) > MAX_SHARED:
            crowded.update(holders)
    candidates.update(_crowded_pairs(keys, sorted(crowded), index))
    candidates.update((number, number) for number in range(len(keys)))  # the same code
    pairs = []
    for first, second in sorted(candidates):
        a, b = keys[first], keys[second]
        similarity = 1.0 if first == second else _jaccard(a, b)
        if similarity < MIN_REPORTED or _explained(similarity, to_reference[a], to_reference[b]):
            continue
        students = (itertools.combinations(groups[a], 2) if first == second
                    else itertools.product(groups[a], groups[b]))
        pairs += [Pair(item, *sorted(pair), round(similarity, 3)) for pair in students]
    matches = [Pair(item, student, REFERENCE, round(to_reference[prints], 3))
               for prints in keys for student in groups[prints]
               if to_reference[prints] >= MIN_REPORTED]
    return pairs, matches


def _crowded_pairs(keys, crowded, index):
    """For each crowded group (one holding a fingerprint of more than MAX_SHARED groups),
    (first, second) with the crowded group most similar to it, when their Jaccard index
    reaches MIN_REPORTED: a copy ring of any size is listed (each member with its
    closest copy: at most one pair per member, not all n(n-1)/2), and idioms shared
    by the whole class propose no flood of weak pairs. Computed exactly: intersections
    from a 0/1 matrix (groups x the fingerprints two of them share), ROWS_AT_ONCE rows
    at a time."""
    if len(crowded) < 2:
        return set()
    row = {number: position for position, number in enumerate(crowded)}
    columns = [rows for rows in ([row[n] for n in holders if n in row]
                                 for holders in index.values()) if len(rows) > 1]
    matrix = np.zeros((len(crowded), len(columns)), np.float32)
    for column, rows in enumerate(columns):
        matrix[rows, column] = 1.0
    sizes = np.array([len(keys[number]) for number in crowded], np.float32)
    found = set()
    for start in range(0, len(crowded), ROWS_AT_ONCE):
        shared = matrix[start:start + ROWS_AT_ONCE] @ matrix.T
        similarity = shared / (sizes[start:start + ROWS_AT_ONCE, None] + sizes[None, :] - shared)
        rows = np.arange(similarity.shape[0])
        similarity[rows, rows + start] = -1.0          # not with itself
        closest = similarity.argmax(axis=1)
        # A hair below MIN_REPORTED: float rounding never drops a pair (_jaccard decides).
        for a in np.nonzero(similarity[rows, closest] >= MIN_REPORTED - 1e-6)[0].tolist():
            found.add(tuple(sorted((crowded[start + a], crowded[int(closest[a])]))))
    return found


def _explained(similarity, reference_a, reference_b):
    return min(reference_a, reference_b) >= similarity - REFERENCE_MARGIN


def _jaccard(a, b):
    union = len(a | b)
    return len(a & b) / union if union else 0.0
