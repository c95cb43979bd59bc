"""The batches of a DataLoader, gathered by tensor indexing: the judge's reference runs, faster.

The fitting judges train the reference on each student's settings, up to
3750 steps; a third of that time went into the DataLoader fetching and
collating one point at a time. ``IndexedLoader`` yields exactly the batches
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
from torch.utils.data import BatchSampler, SequentialSampler, Subset, TensorDataset
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
        for batch in self.loader.batch_sampler:
            index = torch.as_tensor(batch, dtype=torch.int64)
            yield [tensor[index] for tensor in self._tensors]


def _is_plain(loader):
    dataset = loader.dataset
    return (isinstance(dataset, Subset) and type(dataset.dataset) is TensorDataset
            and type(loader.batch_sampler) is BatchSampler and loader.num_workers == 0
            and loader.collate_fn is default_collate)


def _subset_tensors(loader):
    subset = loader.dataset
    index = torch.as_tensor(subset.indices, dtype=torch.int64)
    return [tensor[index] for tensor in subset.dataset.tensors]
