"""Each mutant's outcome, from its graded result, and the audit's scores.

Outcomes (in this order of precedence):
- "engine_error": a judge failed on the mutant (a bug in the grader: listed,
  not counted);
- "killed_by_error": the mutant's submission timed out or crashed, or its
  item could not be graded (its notebook or probe failed);
- "killed_on_item": the mutant's own item lost points;
- "killed_elsewhere": only other items lost points;
- "survived": full marks; then, from autograders.audit.equivalence,
  "equivalent" (the same outputs everywhere: not counted) or "missed" (with
  a distinguishing input).
The mutation score is killed / (all - equivalent - engine errors), per item
and overall.
"""
import dataclasses

KILLED = ("killed_on_item", "killed_elsewhere", "killed_by_error")
# Catalogue entries every item has, that name no particular mistake: not a diagnosis.
GENERIC = ("missing", "error", "wrong_result")
OUTCOMES = KILLED + ("equivalent", "missed", "survived", "engine_error")


@dataclasses.dataclass
class Outcome:
    mutant: object          # autograders.audit.mutants.Mutant
    outcome: str
    lost: dict              # item -> [points, max points] of the items that lost points
    misconceptions: list    # catalogue ids of particular mistakes (not GENERIC) the lost
                            # items' verdicts name
    input: str = ""         # a survivor's distinguishing input (missed)
    difference: str = ""

    def to_json(self):
        data = self.mutant.to_json()
        data.update(outcome=self.outcome, lost=self.lost, misconceptions=self.misconceptions,
                    input=self.input, difference=self.difference)
        return data


def outcome_of(mutant, result):
    """The graded outcome (before the survivors are compared) of one mutant."""
    verdicts = {v.item: v for v in result.verdicts}
    lost = {v.item: [v.points, v.max_points] for v in result.verdicts if not v.passed}
    named = sorted({m for v in result.verdicts if not v.passed for m in v.misconceptions
                    if m.rpartition(".")[2] not in GENERIC})
    own = verdicts.get(mutant.item)
    if result.engine_errors:
        kind = "engine_error"
    elif result.status in ("timeout", "crashed") or (
            own is not None and own.details.get("not_graded")):
        kind = "killed_by_error"
    elif mutant.item in lost:
        kind = "killed_on_item"
    elif lost:
        kind = "killed_elsewhere"
    else:
        kind = "survived"
    return Outcome(mutant, kind, lost, named)


def settle(outcome, answer):
    """A survivor's outcome once compared with the reference (equivalence.compare)."""
    if outcome.outcome != "survived" or answer is None:
        return outcome
    kind = "equivalent" if answer["equivalent"] else "missed"
    return dataclasses.replace(outcome, outcome=kind, input=answer["input"],
                               difference=answer["difference"])


def scores(outcomes):
    """Counts and mutation score per item (in the order met) and overall."""
    def summary(group):
        counts = {kind: sum(o.outcome == kind for o in group) for kind in OUTCOMES}
        killed = sum(counts[k] for k in KILLED)
        counted = len(group) - counts["equivalent"] - counts["engine_error"]
        named = [o for o in group if o.outcome in ("killed_on_item", "killed_elsewhere")]
        return {
            "mutants": len(group), **counts, "killed": killed, "counted": counted,
            "score": round(killed / counted, 4) if counted else None,
            "diagnosed": sum(bool(o.misconceptions) for o in named),
            "diagnosed_share": (round(sum(bool(o.misconceptions) for o in named) / len(named), 4)
                                if named else None),
        }
    items = list(dict.fromkeys(o.mutant.item for o in outcomes))
    return {"overall": summary(outcomes),
            "items": {item: summary([o for o in outcomes if o.mutant.item == item])
                      for item in items}}
