"""The misconception catalogue: one entry per known mistake.

Entries live beside the checks that detect them, in each topic's
``misconceptions.py``; this module gathers them into one registry so that ids
are unique and every judge's message comes from the same place.
"""
from dataclasses import dataclass
import importlib


@dataclass(frozen=True)
class Misconception:
    """A known mistake: what it is, and a hint that teaches without the code."""
    id: str
    item: str
    summary: str
    hint: str

    def message(self, **facts):
        """The student-facing text; facts fill {placeholders} in the summary."""
        return f"{self.summary.format(**facts)} Hint: {self.hint}"


TOPICS = ("activations", "numpy_net", "regression", "training", "fitting")


def topic_module(topic, name):
    """autograders.topics.<topic>.<name>, or None while that topic is not written yet.

    Only the absence of the topic's own module counts: an import error inside
    it is a bug and propagates.
    """
    module_name = f"autograders.topics.{topic}.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name in (f"autograders.topics.{topic}", module_name):
            return None
        raise


def _load():
    catalogue = {}
    for topic in TOPICS:
        module = topic_module(topic, "misconceptions")
        if module is None:
            continue
        for entry in module.MISCONCEPTIONS:
            if entry.id in catalogue:
                raise ValueError(f"duplicate misconception id {entry.id!r}")
            catalogue[entry.id] = entry
    return catalogue


_CATALOGUE = None


def catalogue():
    """All misconceptions by id (loaded once)."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _load()
    return _CATALOGUE


def lookup(misconception_id):
    return catalogue()[misconception_id]
