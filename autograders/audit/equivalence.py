"""Survivor vs reference: the same outputs on the judges' inputs and random ones?

    python -m autograders.audit.equivalence MUTANTS.json VERDICTS.json

runs in a process of its own (no sandbox: the mutants are the reference's
own code, slightly changed), one survivor after the other, each with a time
limit. For each survivor, ``compare(mutant)``:
1. (last, as the slowest) the judges' inputs: the item's probe runs on the reference namespace and
   on the mutant's; every observation the judge reads must agree (paths that
   differ between two runs of the reference itself, such as timings, are left
   out);
2. the calls the probe made to the mutated function are recorded and
   replayed on both: as they were, with each optional argument left out in
   turn (a changed default shows), and with random values of the same shapes
   and scale in place of every float (arrays, tensors, numbers); the returned
   values and any argument changed in place must agree;
   a class is built under the same seeds and called on random batches.
Values agree within rtol 1e-7 (float64) or 1e-5 (float32), NaN equal to NaN;
types agree as the contract counts them (a bool or float array with the same
values agrees; a tensor never agrees with an array). Agreeing everywhere:
"probably equivalent"; else the first distinguishing input, described.
"""
import copy
import inspect
import json
import signal
import sys
from contextlib import redirect_stdout
import io

import numpy as np
import torch

from autograders import registry
from autograders.audit.namespace import reference_namespace, with_definition

RANDOM_ROUNDS = 3
MAX_CALLS = 12
SECONDS_PER_MUTANT = 120
IGNORED_KEYS = ("traceback", "message", "seconds")
BATCH_SHAPES = ((7, 1), (33, 1))
MAX_ITEMS = 1000


class Timeout(Exception):
    pass


# ------------------------------------------------------------------ comparing values
def difference(a, b, path="value"):
    """None when a and b agree (see the module's text), else where they first differ."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
            return f"{path}: {type(a).__name__} vs {type(b).__name__}"
        if a.dtype != b.dtype:
            return f"{path}: dtype {a.dtype} vs {b.dtype}"
        return difference(a.detach().cpu().numpy(), b.detach().cpu().numpy(), path)
    if isinstance(a, torch.nn.Module) and isinstance(b, torch.nn.Module):
        return difference(dict(a.state_dict()), dict(b.state_dict()), f"{path}.state_dict()")
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"{path}: keys {sorted(map(str, a))} vs {sorted(map(str, b))}"
        for key in a:
            if key in IGNORED_KEYS:
                continue
            found = difference(a[key], b[key], f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length {len(a)} vs {len(b)}"
        for index, (x, y) in enumerate(zip(a, b)):
            found = difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(a, torch.utils.data.DataLoader) and isinstance(b, torch.utils.data.DataLoader):
        return difference(_loader_view(a), _loader_view(b), path)
    if isinstance(a, torch.utils.data.Dataset) and isinstance(b, torch.utils.data.Dataset):
        return difference(_dataset_view(a), _dataset_view(b), path)
    if _numeric(a) and _numeric(b):
        x, y = np.asarray(a), np.asarray(b)
        if x.shape != y.shape:
            return f"{path}: shape {x.shape} vs {y.shape}"
        x, y = x.astype(np.float64), y.astype(np.float64)
        single = np.float32 in (np.asarray(a).dtype, np.asarray(b).dtype)
        rtol, atol = (1e-5, 1e-7) if single else (1e-7, 1e-12)
        if not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
            return f"{path}: {_short(a)} vs {_short(b)}"
        return None
    if type(a) is not type(b) and not (isinstance(a, str) and isinstance(b, str)):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    return None if a == b else f"{path}: {_short(a)} vs {_short(b)}"


def _dataset_view(dataset):
    """A dataset as its type, length and items (tensors), for comparing."""
    items = [dataset[i] for i in range(min(len(dataset), MAX_ITEMS))]
    return {"type": type(dataset).__name__, "length": len(dataset), "items": items}


def _loader_view(loader):
    """A loader as its batch size, dataset and the batches of two epochs (drawn from a copy)."""
    copied = copy.deepcopy(loader)
    epochs = [[batch for batch in copied] for _ in range(2)]
    return {"batch_size": loader.batch_size, "drop_last": loader.drop_last,
            "dataset": _dataset_view(loader.dataset), "epochs": epochs}


def _numeric(value):
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def _short(value, limit=160):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=8, edgeitems=2)
        return f"array{value.shape} {text}"[:limit]
    return repr(value)[:limit]


def describe(args, kwargs):
    """A short text of a call's arguments."""
    parts = [_describe_value(a) for a in args]
    parts += [f"{k}={_describe_value(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + ")"


def _describe_value(value):
    if isinstance(value, (np.ndarray, torch.Tensor, bool, int, float, str)) or value is None:
        return _short(value, 240)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_describe_value(v) for v in value[:4])
        return f"[{inner}{', ...' if len(value) > 4 else ''}]"
    if isinstance(value, torch.utils.data.DataLoader):
        return f"DataLoader({len(value.dataset)} items, batch_size={value.batch_size})"
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return type(value).__name__


# ------------------------------------------------------------------ running
def _seeded(function, *args, **kwargs):
    """(outcome, arguments after the call): outcome is the value or ('raised', type)."""
    torch.manual_seed(0)
    np.random.seed(0)
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
            value = function(*args, **kwargs)
    except Timeout:
        raise
    except Exception as exc:  # noqa: BLE001 - an exception is an outcome to compare
        value = ("raised", type(exc).__name__)
    return value, (args, kwargs)


def _probe(item, namespace):
    torch.manual_seed(0)
    np.random.seed(0)
    with redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        return registry.probes()[item](namespace)


class Recorder:
    """Wraps a namespace's function: each call's arguments, deep-copied, kept."""

    def __init__(self, function):
        self.function, self.calls = function, []

    def __call__(self, *args, **kwargs):
        if len(self.calls) < MAX_CALLS:
            try:
                self.calls.append(copy.deepcopy((args, kwargs)))
            except Exception:  # noqa: BLE001 - an argument that cannot be copied: not replayed
                pass
        return self.function(*args, **kwargs)


def at_defaults(function, call):
    """The call again with each optional argument left out in turn, then all of them:
    a mutant that changes a default differs there."""
    args, kwargs = call
    parameters = list(inspect.signature(function).parameters.values())
    bound = dict(zip([p.name for p in parameters], args), **kwargs)
    optional = [p.name for p in parameters
                if p.default is not inspect.Parameter.empty and p.name in bound]
    left_out = [(name,) for name in optional] + ([tuple(optional)] if len(optional) > 1 else [])
    return [((), {k: v for k, v in bound.items() if k not in names}) for names in left_out]


def _randomised(value, rng):
    """value with every float replaced by a random one of the same shape and scale."""
    if isinstance(value, torch.Tensor) and value.is_floating_point():
        scale = float(value.detach().abs().max()) if value.numel() else 1.0
        return torch.from_numpy(rng.normal(0, 2 * scale or 1, value.shape)).to(value.dtype)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        scale = float(np.abs(value).max()) if value.size else 1.0
        return rng.normal(0, 2 * scale or 1, value.shape).astype(value.dtype)
    if isinstance(value, float):
        return value * rng.uniform(0.5, 1.5) if value else rng.uniform(-1, 1)
    if isinstance(value, (list, tuple)):
        return type(value)(_randomised(v, rng) for v in value)
    if isinstance(value, dict):
        return {k: _randomised(v, rng) for k, v in value.items()}
    return value


class Reference:
    """What the reference gives, per item and target, computed once."""

    def __init__(self):
        self._observations, self._calls = {}, {}

    def observations(self, item):
        """(observations, paths that differ between two reference runs)."""
        if item not in self._observations:
            first, second = _probe(item, reference_namespace()), _probe(item, reference_namespace())
            unstable = set()
            while (where := difference(_masked(first, unstable), _masked(second, unstable))):
                if where in unstable:
                    break
                unstable.add(where.split(":")[0])
            self._observations[item] = (first, unstable)
        return self._observations[item]

    def calls(self, item, name):
        """The calls the item's probe makes to name, recorded on the reference."""
        if (item, name) not in self._calls:
            namespace = reference_namespace()
            recorder = Recorder(namespace[name])
            namespace[name] = recorder
            _probe(item, namespace)
            self._calls[(item, name)] = recorder.calls
        return self._calls[(item, name)]


def _masked(observations, unstable):
    """The observations with the unstable paths' values replaced by None."""
    if not unstable:
        return observations
    masked = copy.deepcopy(observations)
    for path in unstable:
        keys = [k.strip("'") for k in path[len("value"):].strip("[]").split("][") if k]
        holder = masked
        for key in keys[:-1]:
            holder = holder[int(key)] if isinstance(holder, list) else holder.get(key, {})
        if keys and isinstance(holder, dict):
            holder[keys[-1]] = None
    return masked


def compare(mutant, reference):
    """{'equivalent': bool, 'input': text, 'difference': text} for one survivor.

    The judge's recorded calls come first (a concrete input to show), then
    random ones, then every observation of the item's probe.
    """
    namespace = with_definition(mutant["source"], f"<mutant {mutant['id']}>")
    item, name = mutant["item"], mutant["name"]
    reference_space = reference_namespace()
    if isinstance(reference_space[name], type):
        answer = _compare_classes(reference_space[name], namespace[name])
    else:
        answer = _compare_calls(reference_space[name], namespace[name], name,
                                reference.calls(item, name))
    if not answer["equivalent"]:
        return answer
    expected, unstable = reference.observations(item)
    found = difference(_masked(expected, unstable), _masked(_probe(item, namespace), unstable),
                       "observations")
    if found:
        return {"equivalent": False, "input": f"the judge's own inputs ({item}'s probe)",
                "difference": found}
    return answer


def _compare_calls(reference_function, mutant_function, name, calls):
    """The first call on which the two differ: the judge's recorded calls, then the
    same with optional arguments left out, then random values in their place."""
    rng = np.random.default_rng(0)
    tries = [("the judge's input", call) for call in calls]
    tries += [("the judge's input with defaults", variant) for call in calls
              for variant in at_defaults(reference_function, call)]
    tries += [("a random input", (_randomised(args, rng), _randomised(kwargs, rng)))
              for _ in range(RANDOM_ROUNDS) for args, kwargs in calls]
    for kind, (args, kwargs) in tries:
        want = _seeded(reference_function, *args, **kwargs)
        got = _seeded(mutant_function, *args, **kwargs)
        found = difference(want, got, "(returned, arguments after the call)")
        if found:
            return {"equivalent": False, "input": f"{kind}: {name}{describe(args, kwargs)}",
                    "difference": found}
    return {"equivalent": True, "input": "", "difference": ""}


def _compare_classes(reference_class, mutant_class):
    rng = np.random.default_rng(0)
    for seed in (0, 1):
        torch.manual_seed(seed)
        want = _seeded_build(reference_class, seed)
        got = _seeded_build(mutant_class, seed)
        found = difference(want, got, "model")
        if found:
            return {"equivalent": False, "input": f"{mutant_class.__name__}() under "
                    f"torch.manual_seed({seed})", "difference": found}
        for shape in BATCH_SHAPES:
            x = torch.from_numpy(rng.normal(0, 3, shape)).float()
            outputs = [_seeded(model, x)[0] for model in (want, got)]
            found = difference(*outputs, "output")
            if found:
                return {"equivalent": False, "input": f"{mutant_class.__name__}()(x), x = "
                        f"{_short(x)}", "difference": found}
    return {"equivalent": True, "input": "", "difference": ""}


def _seeded_build(model_class, seed):
    torch.manual_seed(seed)
    try:
        return model_class()
    except Exception as exc:  # noqa: BLE001
        return ("raised", type(exc).__name__)


def _alarm(_signum, _frame):
    raise Timeout()


def compare_all(mutants):
    """{mutant id: compare's answer}, each mutant within SECONDS_PER_MUTANT."""
    reference = Reference()
    answers = {}
    signal.signal(signal.SIGALRM, _alarm)
    for mutant in mutants:
        signal.alarm(SECONDS_PER_MUTANT)
        try:
            answers[mutant["id"]] = compare(mutant, reference)
        except Timeout:
            answers[mutant["id"]] = {"equivalent": False, "input": "the judge's own inputs",
                                     "difference": f"no answer within {SECONDS_PER_MUTANT} s"}
        finally:
            signal.alarm(0)
    return answers


def main(argv=None):
    source, target = argv if argv is not None else sys.argv[1:]
    mutants = json.loads(open(source, encoding="utf-8").read())
    with open(target, "w", encoding="utf-8") as file:
        json.dump(compare_all(mutants), file, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
