"""What a judge returns: points, the misconceptions found, and a message."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    """The outcome of judging one graded item.

    - item: the item id (see items.py)
    - points, max_points: the score
    - misconceptions: catalogue ids of the mistakes detected, most specific first
    - message: feedback for the student (never hidden test source)
    - details: JSON-able extras for reports (e.g. a per-layer error table)
    """
    item: str
    points: float
    max_points: float
    misconceptions: tuple = ()
    message: str = ""
    details: dict = field(default_factory=dict)

    @property
    def passed(self):
        return self.points == self.max_points

    def to_json(self):
        return {
            "item": self.item, "points": self.points, "max_points": self.max_points,
            "misconceptions": list(self.misconceptions), "message": self.message,
            "details": self.details,
        }
