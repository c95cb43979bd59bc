"""IndexedLoader yields exactly a DataLoader's batches (the judges' runs: test_exact_trainer.py).

If a new torch changes how a DataLoader draws from its generators, the
batch-for-batch comparison fails here instead of the fitting judges quietly
training on other batches than the reference would.
"""
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from autograders.topics.fitting.indexed_loader import IndexedLoader
from reference.regression import make_dataset, make_loaders


def loaders(n_points, val_fraction, batch_size, seed):
    return make_loaders(make_dataset(n_points, 0.5, seed), val_fraction, batch_size, seed)


def epochs_of(loader, epochs=3):
    torch.manual_seed(11)  # the validation loader draws from the global generator
    batches = [[list(batch) for batch in loader] for _ in range(epochs)]
    return batches, torch.get_rng_state()


def assert_same_batches(expected, got):
    (expected_epochs, expected_state), (got_epochs, got_state) = expected, got
    assert [len(e) for e in expected_epochs] == [len(g) for g in got_epochs]
    for expected_epoch, got_epoch in zip(expected_epochs, got_epochs):
        for expected_batch, got_batch in zip(expected_epoch, got_epoch):
            assert len(expected_batch) == len(got_batch) == 2
            for e, g in zip(expected_batch, got_batch):
                assert e.dtype == g.dtype and torch.equal(e, g)
    assert torch.equal(expected_state, got_state)


@pytest.mark.parametrize("n_points, val_fraction, batch_size, seed", [
    (24, 0.5, 24, 37),    # the over-fitting setting: one full batch
    (23, 0.2, 5, 0),      # a partial last batch
    (200, 0.2, 32, 3),
    (10, 0.3, 64, 1),     # batch larger than the set
])
def test_the_batches_are_the_dataloaders(n_points, val_fraction, batch_size, seed):
    for which in (0, 1):  # training (shuffled, seeded) and validation loader
        plain = loaders(n_points, val_fraction, batch_size, seed)[which]
        indexed = IndexedLoader(loaders(n_points, val_fraction, batch_size, seed)[which])
        assert len(indexed) == len(plain) and indexed._tensors is not None
        assert_same_batches(epochs_of(plain), epochs_of(indexed))


def not_a_subset():
    data = TensorDataset(torch.arange(10.0).reshape(-1, 1), torch.zeros(10, 1))
    return DataLoader(data, batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(0))


def own_collation():
    return DataLoader(loaders(20, 0.2, 4, 0)[0].dataset, batch_size=4,
                      collate_fn=lambda items: [torch.stack(t) for t in zip(*items)])


@pytest.mark.parametrize("make", [not_a_subset, own_collation])
def test_other_loaders_are_iterated_as_they_are(make):
    indexed = IndexedLoader(make())
    assert indexed._tensors is None
    assert_same_batches(epochs_of(make()), epochs_of(indexed))


@pytest.mark.parametrize("options", [
    {"batch_size": 4, "drop_last": True},    # the partial last batch dropped
    {"batch_size": 5, "drop_last": True},
    {"batch_size": 50, "drop_last": True},   # every batch dropped
    {"batch_size": 3},
    {"batch_size": 3, "generator": None},    # the sampler draws its seed from the global generator
])
def test_shuffled_batches_are_the_random_samplers_draws(options):
    def make():
        subset = loaders(30, 0.2, 4, 5)[0].dataset
        generator = options.get("generator", torch.Generator().manual_seed(8))
        return DataLoader(subset, shuffle=True, generator=generator,
                          **{k: v for k, v in options.items() if k != "generator"})
    indexed = IndexedLoader(make())
    assert indexed._tensors is not None
    assert_same_batches(epochs_of(make()), epochs_of(indexed))
