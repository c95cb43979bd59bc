"""What the worker knows about a running submission, from the child's events.

One child runs a submission's notebooks in turn (a fork costs ~20-40 ms of
CPU, more than most notebooks' own work). It reports each notebook and each
step as it starts and ends (cell i, the probe of an item). The worker
timestamps the events itself, so it knows which step is running and since
when; when it must kill a child that ignored its alarm, or
the child dies, the message says where ("timed out after 30 s in cell 7
(grade id backprop)", "... in the probe of `backprop`"). Cells are numbered
from 1 in messages, as a student counts them; CellRun.index is 0-based.

Events come from a process that runs student code, so they are checked and
can at worst misreport that student's own notebook.
"""
from autograders.result import CellRun, NotebookRun, STATUSES


def where_cell(index, grade_id):
    return f"cell {index + 1}" + (f" (grade id {grade_id})" if grade_id else "")


def where_probe(item):
    return f"the probe of `{item}`"


def timed_out(seconds, where):
    return f"timed out after {seconds:g} s in {where}"


class Step:
    def __init__(self, kind, key, grade_id, started, limit):
        self.kind = kind            # "cell" or "probe"
        self.key = key              # cell index or item id
        self.grade_id = grade_id
        self.started = started
        self.limit = limit

    @property
    def where(self):
        return where_cell(self.key, self.grade_id) if self.kind == "cell" else where_probe(self.key)


class SubmissionProgress:
    """Routes a child's events to the notebook it is running; keeps each notebook's clock."""

    def __init__(self, notebooks):
        self.notebooks = list(notebooks)   # NotebookProgress, in order
        self.current = None
        self.started = None
        self.child_finished = False

    def pending(self):
        return [notebook for notebook in self.notebooks if not notebook.finished]

    def handle(self, event, now):
        kind = event.get("event")
        if kind == "notebook":
            self.stop_clock(now)
            name = event.get("name")
            self.current = next((n for n in self.pending() if n.run.name == name), None)
            self.started = now
        elif kind == "notebook_end":
            if self.current is not None:
                self.current.finished = True
            self.stop_clock(now)
        elif kind == "finished":
            self.child_finished = True
        elif self.current is not None:
            self.current.handle(event, now)

    def stop_clock(self, now):
        """The current notebook stopped running (it ended, or its child did)."""
        if self.current is not None:
            self.current.run.seconds += now - self.started
        self.current = None

    def deadline(self):
        return self.current.deadline() if self.current is not None else None


class NotebookProgress:
    """Events -> NotebookRun, probe errors, and what a re-forked child must skip."""

    def __init__(self, notebook, items, limits):
        self.run = NotebookRun(notebook)
        self.items = list(items)          # to probe, in order
        self.limits = limits
        self.step = None
        self.finished = False
        self.attempts = 0                 # children that started on this notebook
        self.probed = []                  # items whose observations were written
        self.probe_errors = {}            # item -> message
        self.skip_cells = set()

    # -- events -----------------------------------------------------------
    def handle(self, event, now):
        kind = event.get("event")
        if kind == "cell" and isinstance(event.get("index"), int):
            grade_id = str(event.get("grade_id", ""))[:100]
            self.step = Step("cell", event["index"], grade_id, now, self.limits.cell_timeout)
        elif kind == "probe" and event.get("item") in self.items:
            self.step = Step("probe", event["item"], "", now, self.limits.probe_timeout)
        elif kind == "cell_end":
            self._cell_end(event)
        elif kind == "probe_end":
            self._probe_end(event)
        elif kind == "unreadable" and event.get("status") in ("unreadable", "missing"):
            self._fail(event["status"], str(event.get("message", ""))[:500])

    def _end_step(self, kind):
        """The step that just ended, if it is the kind the event says."""
        step, self.step = self.step, None
        return step if step is not None and step.kind == kind else None

    def _cell_end(self, event):
        step = self._end_step("cell")
        if step and event.get("outcome") == "timeout":
            self._cell_timeout(step)
        elif step and event.get("outcome") == "error":
            message = str(event.get("error", ""))[:1000]
            self.run.cells.append(CellRun(step.key, step.grade_id, "error", message))

    def _probe_end(self, event):
        step = self._end_step("probe")
        if step and event.get("outcome") == "ok":
            self.probed.append(step.key)
        elif step and event.get("outcome") == "timeout":
            self._probe_timeout(step)
        elif step:
            self.probe_errors[step.key] = str(event.get("error", ""))[:1000] or "the probe failed"

    # -- the worker's verdicts on the child --------------------------------
    def deadline(self):
        """When the running step must be over, hard kill included (None: no step)."""
        if self.step is None:
            return None
        return self.step.started + self.step.limit + self.limits.kill_grace

    def killed_for_step(self):
        """The child ignored its alarm; the step is skipped when re-forked."""
        step, self.step = self.step, None
        if step.kind == "cell":
            self._cell_timeout(step)
        else:
            self._probe_timeout(step)
        return step

    def killed_for_submission(self, seconds):
        message = f"timed out after {seconds:g} s (the submission's time limit)"
        if self.step is not None:
            message += f" in {self.step.where}"
        if self.step is not None and self.step.kind == "probe":
            self.probe_errors[self.step.key] = message
        self.step = None
        self._fail("timeout", message)

    def not_started(self, message):
        self._fail("timeout", message)
        self.finished = True

    def give_up(self, attempts):
        """Killed or crashed too often: keep what was gathered, stop re-running it."""
        self._fail("crashed", f"stopped after {attempts} runs")
        self.finished = True

    def crashed(self, how):
        """The child died without finishing (how: 'was killed by SIGSEGV')."""
        step, self.step = self.step, None
        if step is None:
            self._fail("crashed", f"crashed between steps: the process {how}")
            return None
        message = f"crashed in {step.where}: the process {how}"
        if step.kind == "cell":
            self.skip_cells.add(step.key)
            self.run.cells.append(CellRun(step.key, step.grade_id, "error", message))
        else:
            self.probe_errors[step.key] = message
        self._fail("crashed", message)
        return step

    def _cell_timeout(self, step):
        self.skip_cells.add(step.key)
        message = timed_out(step.limit, step.where)
        self.run.cells.append(CellRun(step.key, step.grade_id, "timeout", message))
        self._fail("timeout", message)

    def _probe_timeout(self, step):
        message = timed_out(step.limit, step.where)
        self.probe_errors[step.key] = message
        self._fail("timeout", message)

    def _fail(self, status, message):
        """Record a problem; the notebook keeps its worst status and first message."""
        if STATUSES.index(status) > STATUSES.index(self.run.status):
            self.run.status = status
        if not self.run.message:
            self.run.message = message

    # -- what is left ------------------------------------------------------
    def skipped_description(self):
        """'cell 7 and the probe of `backprop`': what a re-run leaves out."""
        parts = [f"cell {index + 1}" for index in sorted(self.skip_cells)]
        parts += [where_probe(item) for item in self.probe_errors]
        return " and ".join(parts) or "nothing"

    def remaining_items(self):
        return [item for item in self.items
                if item not in self.probed and item not in self.probe_errors]

    def close(self):
        """Items never probed get the notebook's problem as their error."""
        reason = self.run.message or "the notebook did not finish"
        for item in self.remaining_items():
            self.probe_errors[item] = f"not probed: {reason}"
        return self.run
