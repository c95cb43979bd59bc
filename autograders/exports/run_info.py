"""OUT/run.json: how this run went (timings, workers, shard, sandbox mode).

Everything in it may differ between two runs of the same class; it is the
one report left out when shard outputs are compared with an unsharded run.
"""
import importlib.metadata
import platform
from pathlib import Path

from autograders.exports.common import RUN_INFO_FILE, write_json


def write_run_info(out_dir, info):
    versions = {"python": platform.python_version()}
    for name in ("numpy", "torch"):  # from the metadata: a regrade need not import torch
        versions[name] = importlib.metadata.version(name)
    write_json(Path(out_dir) / RUN_INFO_FILE, {**info, "versions": versions})
