"""The batches of a DataLoader, gathered by tensor indexing: the judge's reference runs, faster.

The fitting judges train the reference on each student's settings, up to
3750 steps; a third of that time went into the DataLoader fetching and
collating one point at a time, and much of the rest into the samplers'
Python lists of indices. ``IndexedLoader`` yields exactly the batches
the DataLoader would, in the same order, with the same draws from the same
random generators, for loaders as ``reference.regression.make_loaders`` makes
them (a Subset of a TensorDataset, default sampler and collation, no worker
processes); anything else is iterated as it is. A loader that does not
shuffle (SequentialSampler) gives the same batches every epoch: they are
gathered once and handed out again (consumers only read them; the epoch's
draw from the global generator still happens). tests/autograders/
test_indexed_loader.py checks batch for batch and run for run that nothing
changes, so a new torch whose DataLoader draws differently fails there.
"""
import torch
from torch.utils.data import (BatchSampler, RandomSampler, SequentialSampler, Subset,
                              TensorDataset)
from torch.utils.data.dataloader import default_collate


class IndexedLoader:
    """Iterates like ``loader`` (a DataLoader); len, dataset and batch_size as it has them."""

    def __init__(self, loader):
        self.loader = loader
        self.dataset, self.batch_size = loader.dataset, loader.batch_size
        self._tensors = _subset_tensors(loader) if _is_plain(loader) else None
        self._fixed = type(loader.sampler) is SequentialSampler
        self._batches = None  # the batches of a loader that does not shuffle, once gathered

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        if self._tensors is None:
            yield from self.loader
            return
        # A DataLoader iterator draws a base seed for its workers before sampling.
        torch.empty((), dtype=torch.int64).random_(generator=self.loader.generator)
        if self._fixed:
            if self._batches is None:
                self._batches = list(self._gather())
            yield from self._batches
            return
        yield from self._gather()

    def _gather(self):
        for index in self._indices():
            yield [tensor[index] for tensor in self._tensors]

    def _indices(self):
        """Each batch's indices (an int64 tensor), as the batch sampler draws them."""
        sampler, batch_sampler = self.loader.sampler, self.loader.batch_sampler
        if not _is_seeded_shuffle(sampler):
            for batch in batch_sampler:
                yield torch.as_tensor(batch, dtype=torch.int64)
            return
        # RandomSampler's draws without its Python lists: one permutation for its
        # n samples, then the permutation it draws for the remaining n % n = 0.
        n, size = len(sampler.data_source), batch_sampler.batch_size
        order = torch.randperm(n, generator=sampler.generator)
        torch.randperm(n, generator=sampler.generator)
        stop = n - n % size if batch_sampler.drop_last else n
        for start in range(0, stop, size):
            yield order[start:start + size]


def _is_plain(loader):
    dataset = loader.dataset
    return (isinstance(dataset, Subset) and type(dataset.dataset) is TensorDataset
            and type(loader.batch_sampler) is BatchSampler and loader.num_workers == 0
            and loader.collate_fn is default_collate)


def _is_seeded_shuffle(sampler):
    """A RandomSampler drawing each sample once per epoch from its own generator."""
    return (type(sampler) is RandomSampler and not sampler.replacement
            and sampler.generator is not None and sampler.num_samples == len(sampler.data_source))


def _subset_tensors(loader):
    subset = loader.dataset
    index = torch.as_tensor(subset.indices, dtype=torch.int64)
    return [tensor[index] for tensor in subset.dataset.tensors]
