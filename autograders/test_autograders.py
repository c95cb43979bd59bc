"""One test per auto-graded item, worth the item's points (see items.py).

A test loads the submission's notebook (once per session), runs the item's
probe on its definitions, round-trips the observations through the safe
files and judges them. It passes with full marks and otherwise fails with
the verdict's feedback. Items whose topic has no probe yet are skipped.
"""
import pytest

from autograders import registry
from autograders.items import ITEMS

AUTO_ITEMS = [item for item in ITEMS if item.kind == "auto"]


def _param(item):
    # xdist_group keeps each notebook's items on one worker: it is loaded once.
    return pytest.param(item, id=item.id, marks=[pytest.mark.points(item.points),
                                                 pytest.mark.xdist_group(item.notebook)])


@pytest.mark.parametrize("item", [_param(item) for item in AUTO_ITEMS])
def test_item(item, loaded_notebook, tmp_path, request):
    if item.id not in registry.probes():
        pytest.skip(f"no autograder for {item.id!r} yet")
    loaded = loaded_notebook(item.notebook)
    if loaded is None:
        verdict = {"item": item.id, "points": 0, "max_points": item.points}
        request.node.user_properties.append(("verdict", verdict))
        pytest.fail(f"0/{item.points}: the submission has no {item.notebook}.ipynb",
                    pytrace=False)
    verdict = registry.grade_item(item.id, loaded.namespace, tmp_path)
    request.node.user_properties.append(("verdict", verdict.to_json()))
    if not verdict.passed:
        pytest.fail(f"{verdict.points:g}/{verdict.max_points:g} points\n{verdict.message}"
                    f"{_cell_note(loaded, item.id)}", pytrace=False)


def _cell_note(loaded, item_id):
    """The error of the item's own solution cell, if it failed when the notebook ran."""
    for failure in loaded.failures:
        if failure.grade_id == item_id:
            error = failure.error
            return f"\n(The cell {item_id!r} raised {error['type']}: {error['message']})"
    return ""
