"""Judge-side partial credit for the PyTorch topics: a verdict from aspects.

An item's points are spread over named aspects (e.g. "parameter trajectory",
"early stopping"). An aspect passes, or fails with one or more catalogue ids
(the first is the main diagnosis; later ones are further, independent
mistakes the same aspect saw). The verdict's message lists what passed and,
for each failure, the catalogue's text with the specific facts;
``details["aspects"]`` gives the table.

A *supporting* aspect (types, "no files written", valid settings) checks how the
work is handed back, not the work: it earns its points only when at least one
core aspect passes, so a do-nothing stub with the right types scores 0. Trusted code: it may import the
catalogue, never student code.
"""
from dataclasses import dataclass, field

from autograders.catalogue import Misconception, lookup
from autograders.items import ITEMS_BY_ID
from autograders.verdict import Verdict


@dataclass
class Failure:
    misconception: str
    note: str = ""
    facts: dict = field(default_factory=dict)

    def text(self):
        note = f" ({self.note})" if self.note else ""
        return lookup(self.misconception).message(**self.facts) + note


@dataclass
class Aspect:
    """One checked property of an item and its share of the points; a supporting one
    earns them only beside a passing core aspect."""
    name: str
    points: float
    failures: list = field(default_factory=list)
    supporting: bool = False

    @property
    def passed(self):
        return not self.failures

    @property
    def misconception(self):
        """The main diagnosis (the first failure), or None."""
        return self.failures[0].misconception if self.failures else None

    @property
    def misconceptions(self):
        return [f.misconception for f in self.failures]

    def fail(self, misconception, note="", **facts):
        """Record a failure; a catalogue id already recorded is not repeated."""
        if misconception not in self.misconceptions:
            self.failures.append(Failure(misconception, note, facts))
        return self


def error_text(error):
    """A student exception as one line: 'ValueError: message'."""
    if not error:
        return "an unknown error"
    message = error.get("message", "")
    return f"{error.get('type', 'Error')}: {message}" if message else error.get("type", "Error")


def build_verdict(item_id, aspects, preface=""):
    """Sum the aspects into a Verdict; the points must add up to the item's."""
    max_points = ITEMS_BY_ID[item_id].points
    total = sum(a.points for a in aspects)
    if abs(total - max_points) > 1e-9:
        raise ValueError(f"{item_id}: aspects add up to {total}, not {max_points}")
    if all(a.supporting for a in aspects):
        raise ValueError(f"{item_id}: no core aspect, so no points could ever be earned")
    core_works = any(a.passed for a in aspects if not a.supporting)
    earned = [a.points if a.passed and (core_works or not a.supporting) else 0.0
              for a in aspects]
    points = sum(earned)
    failed = [a for a in aspects if not a.passed]
    misconceptions = tuple(dict.fromkeys(m for a in failed for m in a.misconceptions))
    lines = [preface] if preface else []
    if not failed:
        lines.append("All checks passed: " + "; ".join(a.name for a in aspects) + ".")
    else:
        passed = [a.name for a in aspects if a.passed]
        if passed:
            lines.append("Passed: " + "; ".join(passed) + ".")
        unpaid = [a.name for a, e in zip(aspects, earned) if a.passed and a.points and not e]
        if unpaid:
            lines.append(f"[{'; '.join(unpaid)}: 0 pt] These earn points only once the "
                         "item's behaviour is there.")
        groups = {}  # one line per distinct failure, however many aspects it costs
        for aspect in failed:
            for index, failure in enumerate(aspect.failures):
                text = failure.text()
                groups.setdefault(text, []).append((aspect, index == 0))
        for text, members in groups.items():
            names = "; ".join(a.name for a, _ in members)
            lost = sum(a.points for a, main in members if main)
            cost = f"-{lost:g} pt" if lost else "also"
            lines.append(f"[{names}: {cost}] {text}")
    details = {"aspects": [
        {"name": a.name, "points": e, "max_points": a.points,
         "misconceptions": a.misconceptions, "notes": [f.note for f in a.failures]}
        for a, e in zip(aspects, earned)
    ]}
    return Verdict(item_id, round(points, 6), max_points, misconceptions,
                   "\n".join(lines), details)


def single(item_id, misconception=None, note="", name=None, **facts):
    """A verdict for an all-or-nothing item."""
    aspect = Aspect(name or item_id, ITEMS_BY_ID[item_id].points)
    if misconception:
        aspect.fail(misconception, note, **facts)
    return build_verdict(item_id, [aspect])


def standard_entries(item_id, what):
    """The two catalogue entries every graded definition has: missing, crashing.

    what: how the student names it, e.g. "`make_dataset`".
    """
    return [
        Misconception(
            f"{item_id}.missing", item_id,
            f"{what} is not defined, so it could not be checked.",
            "Run the solution cell (and the cells above it) without errors, and keep "
            "the name given in the task.",
        ),
        Misconception(
            f"{item_id}.error", item_id,
            f"{what} raised {{error}} when called with {{call}}.",
            "Call it yourself with these arguments and read the traceback from the "
            "bottom up: the last line of your own code in it is where to look.",
        ),
    ]
