"""Slow reference computations of the judges: cached, and computed ahead on every core.

Some judges need an expensive expected value that depends on what the student
chose: the fitting judges train a network, with the reference implementation,
on the student's settings (up to 2.5 s each). A judge keeps such values in a
``ReferenceCache``: computed on first use, in the judging process, and reused
for every student who chose the same key.

A class where every student picks their own settings would run them one after
the other in the engine's parent. The ``Prefetcher`` asks ahead instead: as
each submission's observations arrive, the keys its judges will need are
computed in a pool of trusted processes, while the sandbox goes on with the
next students. The pool's processes start from a clean forkserver (no student
code, no observations; the judges' modules preloaded) and receive only the
keys (tuples of plain values); they return plain values. When the pool
cannot start or a computation fails there, nothing is lost: the judge
computes the value itself, and a real failure is reported by the judge as an
engine error, as without the pool.

A judges module opts in with ``PREFETCH = {item_id: (cache, keys_of)}``, where
``keys_of(observations)`` lists the cache keys the item's judge will look up
(see autograders.registry.prefetch_hooks).

Some values follow from another one at no cost (the fitting judges derive a
run with early stopping from the run without it; judges.py states the rule
beside that code): a cache made with ``derive`` computes such a key from its
base key's value when it has that value, and the Prefetcher then computes the
base alone when the same submission asks for both.
"""
import contextlib
import multiprocessing
import sys
import warnings
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor


class ReferenceCache:
    """key -> compute(key), computed once. compute must be a module-level function
    (the Prefetcher sends it to other processes by name) and deterministic.

    derive(key): None, or (base key, make) where make(value of the base key)
    equals compute(key); used when the base's value is there already.
    """

    def __init__(self, compute, derive=None):
        self.compute = compute
        self.derive = derive or (lambda key: None)
        self._values = {}

    def get(self, key):
        if key not in self._values:
            derived = self.derive(key)
            if derived is not None and derived[0] in self._values:
                self._values[key] = derived[1](self._values[derived[0]])
            else:
                with _one_thread():
                    self._values[key] = self.compute(key)
        return self._values[key]

    def base_of(self, key):
        """The key this one is derived from, or None."""
        derived = self.derive(key)
        return None if derived is None else derived[0]

    def __contains__(self, key):
        return key in self._values

    def put(self, key, value):
        self._values.setdefault(key, value)

    def clear(self):
        self._values.clear()


def _single_threaded():
    # One thread per process: the pool already uses every core, and a fixed
    # thread count keeps the reference's floating-point sums the same run to run.
    import torch
    torch.set_num_threads(1)


@contextlib.contextmanager
def _one_thread():
    """One torch thread while a value is computed here, as in the pool's processes."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


class Prefetcher:
    """Computes the values a submission's judges will need, ahead, in trusted processes.

        with Prefetcher(workers, registry.prefetch_hooks()) as prefetch:
            wanted = prefetch.ask(run.observations)     # as each run arrives
            ...
            if prefetch.ready(wanted):                  # or prefetch.wait(wanted)
                prefetch.store(wanted)                  # into the caches; then judge
    """

    def __init__(self, workers, hooks, preload=()):
        self._hooks = hooks
        self._futures = {}   # (id(cache), key) -> (cache, key, future)
        self._pool = None
        if not hooks or workers < 1:
            return
        try:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(preload))
            self._pool = ProcessPoolExecutor(workers, mp_context=context,
                                             initializer=_single_threaded)
        except (ValueError, OSError) as exc:  # no forkserver here: the judges compute inline
            warnings.warn(f"reference runs are not computed ahead ({exc}); grading goes on")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def ask(self, observations):
        """Start computing what the judges of these observations ({item: obs}) will
        look up; returns the wanted entries, for ready, wait and store."""
        asked = []  # (cache, key)
        for item_id, observed in sorted(observations.items()):
            if item_id not in self._hooks or self._pool is None:
                continue
            cache, keys_of = self._hooks[item_id]
            try:
                asked += [(cache, key) for key in keys_of(observed)]
            except Exception:  # noqa: BLE001 - the judge meets the same problem and reports it
                continue
        wanted = []
        for cache, key in self._bases_first(asked):
            if key in cache:
                continue
            entry = self._futures.get((id(cache), key))
            if entry is None:
                entry = self._submit(cache, key)
            if entry is not None and entry not in wanted:
                wanted.append(entry)
        return tuple(wanted)

    def _bases_first(self, asked):
        """The keys to compute: a derivable key's base instead of it, when the base
        is asked for too, computing or computed."""
        chosen = []
        for cache, key in asked:
            base = cache.base_of(key)
            if base is not None and ((cache, base) in asked or base in cache
                                     or (id(cache), base) in self._futures):
                key = base
            chosen.append((cache, key))
        return chosen

    def _submit(self, cache, key):
        try:
            future = self._pool.submit(cache.compute, key)
        except Exception as exc:  # noqa: BLE001 - a broken pool: compute inline from now on
            warnings.warn(f"reference runs are no longer computed ahead ({exc})")
            self.close()
            return None
        entry = self._futures[(id(cache), key)] = (cache, key, future)
        return entry

    @staticmethod
    def ready(wanted):
        return all(future.done() for _, _, future in wanted)

    @staticmethod
    def wait(wanted):
        for _, _, future in wanted:
            try:
                future.exception()  # waits; a failure is left for the judge to meet
            except Exception:  # noqa: BLE001 - cancelled (pool closed): the judge computes it
                pass

    @staticmethod
    def wait_any(wanteds):
        """Wait until one of these runs' wanted entries (a list of ask's results) are all
        done: at once when one is already, or when there is nothing to wait for."""
        if not wanteds or any(Prefetcher.ready(wanted) for wanted in wanteds):
            return
        futures.wait({future for wanted in wanteds for _, _, future in wanted
                      if not future.done()}, return_when=futures.FIRST_COMPLETED)

    @staticmethod
    def store(wanted):
        """Put the finished values into their caches (failed ones are left out)."""
        for cache, key, future in wanted:
            if future.done() and not future.cancelled() and future.exception() is None:
                cache.put(key, future.result())
