"""No points for no work: every auto item has a do-nothing variant in the bank
(``nothing_<item>.py``, expected to score 0 there), and a supporting aspect
(types, "no files written", valid settings) earns nothing on its own."""
import pytest

from autograders.items import ITEMS
from autograders.topics.aspects import Aspect, build_verdict
from tests.autograders import bank

ITEM = "make_dataset"  # 2 points over four aspects of 0.5


def test_every_auto_item_has_a_do_nothing_variant_expected_to_score_zero():
    zero = {}
    for path in bank.variants():
        if path.stem.startswith("nothing_"):
            expectations = bank.parse_expectations(path)
            zero.update({item: path for item, outcome in expectations.items()
                         if outcome == "zero"})
    auto = {item.id for item in ITEMS if item.kind == "auto"}
    assert auto - set(zero) == set(), "auto items without a do-nothing variant"
    for item, path in zero.items():
        assert path.stem == f"nothing_{item}", f"{path.name} expects {item} to score 0"


def aspects(core_passes):
    form = Aspect("float32 tensors", 0.5, supporting=True)
    core = [Aspect(f"behaviour {i}", 0.5) for i in range(3)]
    for aspect in core[int(core_passes):]:
        aspect.fail("make_dataset.wrong_targets", x=0, got=0, expected=1)
    return [form, *core]


def test_a_supporting_aspect_alone_earns_nothing_and_says_so():
    verdict = build_verdict(ITEM, aspects(core_passes=False))
    assert verdict.points == 0
    assert "[float32 tensors: 0 pt] These earn points only once" in verdict.message
    assert [a["points"] for a in verdict.details["aspects"]] == [0, 0, 0, 0]


def test_a_supporting_aspect_counts_beside_a_passing_core_aspect():
    verdict = build_verdict(ITEM, aspects(core_passes=True))
    assert verdict.points == 1.0
    assert "0 pt] These earn" not in verdict.message
    assert [a["points"] for a in verdict.details["aspects"]] == [0.5, 0.5, 0, 0]


def test_an_item_of_supporting_aspects_only_is_refused():
    with pytest.raises(ValueError, match="no core aspect"):
        build_verdict(ITEM, [Aspect(f"form {i}", 0.5, supporting=True) for i in range(4)])
