"""What grading one submission produces, as plain data.

Data path: the sandbox returns a ``SandboxRun`` (statuses, cell failures and
each item's observations, nothing executable); the trusted parent judges it
into a ``SubmissionResult`` (verdicts, scores, statuses), which every export
(Gradescope JSON, CSV, JUnit, HTML, gradebook, summary table) reads.
Both round-trip through JSON, so shard outputs can be merged.
"""
from dataclasses import asdict, dataclass, field

from autograders.verdict import Verdict

# Submission and notebook statuses, worst last. "ok" means the engine ran it;
# the student's code may still have failed cells or lost points.
STATUSES = ("ok", "timeout", "crashed", "unreadable", "missing")
# Not the student's doing: a judge raised, or the sandbox lost the submission.
# Reports show it as the status; the engine exits non-zero.
ENGINE_ERROR = "engine_error"


@dataclass
class CellRun:
    """One notebook cell the sandbox ran (failures and timeouts only are kept)."""
    index: int
    grade_id: str
    status: str            # "error" or "timeout"
    message: str           # e.g. "NameError: name 'x' is not defined"


@dataclass
class NotebookRun:
    name: str              # e.g. "02_numpy_network"
    status: str = "ok"     # one of STATUSES
    message: str = ""      # e.g. "notebook is not valid JSON at line 12"
    cells: list = field(default_factory=list)   # CellRun, failed cells only
    seconds: float = 0.0

    @classmethod
    def from_json(cls, data):
        cells = [c if isinstance(c, CellRun) else CellRun(**c) for c in data.get("cells", [])]
        return cls(data["name"], data.get("status", "ok"), data.get("message", ""), cells,
                   data.get("seconds", 0.0))


@dataclass
class SandboxRun:
    """What comes back from the sandbox for one submission."""
    student_id: str
    assignment: str
    status: str = "ok"
    message: str = ""
    seconds: float = 0.0
    notebooks: dict = field(default_factory=dict)       # name -> NotebookRun
    observations: dict = field(default_factory=dict)    # item id -> observations
    probe_errors: dict = field(default_factory=dict)    # item id -> message (timeout...)
    sandboxed: bool = True                               # False: rlimits only, not isolated
    output: str = ""                                     # captured stdout + stderr, capped
    isolation: str = ""                                  # the tier: bwrap, landlock, none


@dataclass
class Lateness:
    """A submission's late-submission penalty, as nbgrader's gradebook holds it
    (nbgrader_bridge/late.py): seconds after the due date (0: on time) and
    each notebook's penalty in points."""
    seconds_late: float = 0.0
    penalties: dict = field(default_factory=dict)   # notebook name -> points

    @property
    def penalty(self):
        return sum(self.penalties.values())

    def to_json(self):
        return {"seconds_late": self.seconds_late, "penalties": dict(self.penalties)}

    @classmethod
    def from_json(cls, data):
        return cls(float(data["seconds_late"]),
                   {name: float(points) for name, points in data["penalties"].items()})


@dataclass
class SubmissionResult:
    student_id: str
    assignment: str
    status: str
    message: str
    execution_time: float
    verdicts: list                      # Verdict per auto item, in items order
    notebooks: dict                     # name -> NotebookRun (as dicts in JSON)
    sandboxed: bool = True
    engine_errors: dict = field(default_factory=dict)  # item id or "" -> traceback (instructors)
    # Set from the course's gradebook when it is written (None: no gradebook, no penalty).
    late: Lateness = None
    # item id -> the student's source of that function or class (similarity.extract)
    code: dict = field(default_factory=dict)
    isolation: str = ""                 # the tier that ran the student's code (tiers.py)

    @property
    def score(self):
        """The autograded points, before any late penalty."""
        return sum(v.points for v in self.verdicts)

    @property
    def seconds_late(self):
        return self.late.seconds_late if self.late else 0.0

    @property
    def penalty(self):
        return self.late.penalty if self.late else 0.0

    @property
    def final_score(self):
        """The score after the late penalty (never below 0: the penalty nbgrader
        computes may also cover the free-text answers' manual points)."""
        return max(0.0, self.score - self.penalty)

    @property
    def max_score(self):
        return sum(v.max_points for v in self.verdicts)

    def notebook_score(self, notebook_items):
        ids = {item.id for item in notebook_items}
        chosen = [v for v in self.verdicts if v.item in ids]
        return sum(v.points for v in chosen), sum(v.max_points for v in chosen)

    def to_json(self):
        return {
            "student_id": self.student_id, "assignment": self.assignment,
            "status": self.status, "message": self.message,
            "execution_time": self.execution_time, "sandboxed": self.sandboxed,
            "verdicts": [v.to_json() for v in self.verdicts],
            "notebooks": {name: _notebook_json(run) for name, run in self.notebooks.items()},
            "engine_errors": dict(self.engine_errors),
            "late": self.late.to_json() if self.late else None,
            "code": dict(self.code), "isolation": self.isolation,
        }

    @classmethod
    def from_json(cls, data):
        verdicts = [Verdict(d["item"], d["points"], d["max_points"], tuple(d["misconceptions"]),
                            d["message"], d["details"]) for d in data["verdicts"]]
        notebooks = {name: NotebookRun.from_json(nb) for name, nb in data["notebooks"].items()}
        return cls(data["student_id"], data["assignment"], data["status"], data["message"],
                   data["execution_time"], verdicts, notebooks, data.get("sandboxed", True),
                   dict(data.get("engine_errors", {})),
                   Lateness.from_json(data["late"]) if data.get("late") else None,
                   dict(data.get("code", {})),
                   data.get("isolation") or ("bwrap" if data.get("sandboxed", True) else "none"))


def _notebook_json(run):
    return asdict(run) if isinstance(run, NotebookRun) else run
