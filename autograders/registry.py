"""Item id -> (probe, judge), gathered from the topic packages.

Each topic's ``probes.py`` defines PROBES = {item_id: probe(namespace) -> dict}
and its ``judges.py`` defines JUDGES = {item_id: judge(observations) -> Verdict}.
A probe runs beside student code and returns plain observations; a judge runs
in trusted code and computes expected values from ``reference``. A judges
module may also define PREFETCH (slow reference values the engine computes
ahead: autograders.reference_runs) and WARM (callables that compute, ahead,
expected values that never depend on the student).
"""
from autograders import observations as obs_io
from autograders.catalogue import TOPICS, topic_module
from autograders.items import ITEMS_BY_ID


def _collect(module_name, attribute, optional=False):
    found = {}
    for topic in TOPICS:
        module = topic_module(topic, module_name)
        if module is None:  # a topic not written yet: its items are not graded
            continue
        entries = getattr(module, attribute, {}) if optional else getattr(module, attribute)
        for item_id, function in entries.items():
            if item_id not in ITEMS_BY_ID:
                raise ValueError(f"{topic}.{module_name}: unknown item {item_id!r}")
            found[item_id] = function
    return found


def probes():
    return _collect("probes", "PROBES")


def judges():
    return _collect("judges", "JUDGES")


def prefetch_hooks():
    """item id -> (ReferenceCache, keys_of(observations)), from the judges modules
    that define PREFETCH (see autograders.reference_runs)."""
    return _collect("judges", "PREFETCH", optional=True)


def warm_hooks():
    """Callables that compute the judges' expected values no student changes (the
    engine runs them while the sandbox starts), from judges modules' WARM tuples."""
    hooks = []
    for topic in TOPICS:
        module = topic_module(topic, "judges")
        hooks += list(getattr(module, "WARM", ())) if module else []
    return hooks


def judge_modules():
    """The judges modules' names, for preloading them in other trusted processes."""
    return [module.__name__ for module in (topic_module(t, "judges") for t in TOPICS) if module]


def grade_item(item_id, namespace, scratch_dir):
    """Probe, round-trip the observations through safe files, judge.

    The round trip is what the sandboxed engine does too, so every grading
    path checks that observations survive without pickle.
    """
    observations = probes()[item_id](namespace)
    observations = obs_io.round_trip(observations, scratch_dir)
    return judges()[item_id](observations)
