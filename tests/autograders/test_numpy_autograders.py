"""Unit tests of the NumPy half of the grading engine.

- observations survive the safe round trip and pickles are refused;
- observe() turns any returned object into plain data;
- compare's messages;
- the probes run with ``reference`` blocked (as in the sandbox), and what they
  write there is judged full marks outside;
- probes and judges survive hostile student code (hypothesis);
- the cases the judges rely on are sound: deterministic, ReLU kinks away from
  the finite-difference step, reference gradients agree with central
  differences, the seeded training run lowers the cost;
- one submission's NumPy grading takes well under a second of CPU.
"""
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference
from autograders import observations as obs_io
from autograders import registry
from autograders.compare import close, compare_array, compare_arrays, scale_factor
from autograders.observe import observe, outcome
from autograders.topics.numpy_net import cases
from autograders.topics.numpy_net.judges import FINITE_DIFFERENCE_H, gradient_truth
from tests.autograders import bank
from tests.autograders.test_bank_numpy import NUMPY_ITEMS, grade

ROOT = Path(__file__).resolve().parents[2]


# --- observations ----------------------------------------------------------------
def test_round_trip_keeps_arrays_numbers_and_special_floats(tmp_path):
    observations = {"a": np.arange(6.0).reshape(2, 3), "mask": np.array([True, False]),
                    "pair": (np.float64(1.5), [float("nan"), float("-inf")]), "none": None}
    back = obs_io.round_trip(observations, tmp_path)
    assert np.array_equal(back["a"], observations["a"]) and back["mask"].dtype == bool
    assert back["pair"][0] == 1.5 and np.isnan(back["pair"][1][0])
    assert back["pair"][1][1] == -np.inf and back["none"] is None


def test_dump_refuses_object_arrays(tmp_path):
    with pytest.raises(TypeError):
        obs_io.dump({"x": np.array([{}, 1], dtype=object)}, tmp_path)
    with pytest.raises(TypeError):
        obs_io.dump({"f": len}, tmp_path)


def test_load_refuses_pickled_arrays_bad_indices_and_cut_records(tmp_path):
    np.save(tmp_path / "arrays.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "observations.json").write_text(json.dumps({"x": {"__npy__": 0}}))
    with pytest.raises(ValueError, match="object arrays"):
        obs_io.load(tmp_path)
    obs_io.dump({"x": np.arange(3.0)}, tmp_path)
    for index in ("arrays.npy", 1, -1, 0.0, True):
        (tmp_path / "observations.json").write_text(json.dumps({"x": {"__npy__": index}}))
        with pytest.raises(ValueError, match="bad array index"):
            obs_io.load(tmp_path)
    (tmp_path / "observations.json").write_text(json.dumps({"x": {"__npy__": 0}}))
    data = (tmp_path / "arrays.npy").read_bytes()
    (tmp_path / "arrays.npy").write_bytes(data[:-1])
    with pytest.raises(ValueError, match="cut short"):
        obs_io.load(tmp_path)
    # A header may claim any shape: refused before anything that size is allocated.
    header = data[:data.index(b"(3,)")] + b"(4000000000000,)" + data[data.index(b"(3,)") + 4:]
    (tmp_path / "arrays.npy").write_bytes(header)
    with pytest.raises(ValueError):
        obs_io.load(tmp_path)


def test_arrays_of_one_probe_share_one_file_in_order(tmp_path):
    observations = {"w": [np.full((2, 2), k, dtype=np.float32) for k in range(5)],
                    "f": np.asfortranarray(np.arange(6).reshape(2, 3)), "empty": np.zeros((0, 3))}
    back = obs_io.round_trip(observations, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npy", "observations.json"]
    assert [a[0, 0] for a in back["w"]] == [0, 1, 2, 3, 4] and back["w"][0].dtype == np.float32
    assert np.array_equal(back["f"], observations["f"]) and back["empty"].shape == (0, 3)
    back["w"][0][0, 0] = 9.0  # judges get arrays of their own, writable


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix
def test_observe_makes_plain_data():
    class Odd:
        def __repr__(self):
            raise RuntimeError("no repr")
    observed = observe((np.int64(3), np.array([1, 2], dtype=object), Odd(), np.matrix([[1.0]])))
    assert observed[0] == 3 and type(observed[0]) is int
    assert observed[1].dtype == float
    assert observed[2] == {"unobservable": "Odd", "repr": "<repr failed>"}
    assert type(observed[3]) is np.ndarray
    assert observe(np.array(["a", {}], dtype=object))["unobservable"] == "ndarray"


def test_outcome_records_errors_warnings_and_resets_numpy_errstate():
    old = np.seterr(all="ignore")  # a notebook cell may do this
    try:
        result = outcome(lambda x: 1 / (1 + np.exp(-x)), np.array([-1e4]))
    finally:
        np.seterr(**old)
    assert result["warnings"] and "overflow" in result["warnings"][0]
    failed = outcome(lambda: 1 / 0)
    assert failed["error"]["type"] == "ZeroDivisionError" and failed["value"] is None


# --- compare -------------------------------------------------------------------------
@pytest.mark.parametrize("got, expected_text", [
    (None, "is None: is a `return` missing?"),
    (np.zeros((3, 2)), "wrong shape: got (3, 2), expected (2, 3) (the transpose)"),
    (np.array([[0, np.nan, 0], [0, 0, 0]]),
     "non-finite values (nan or inf), first at index (0, 1)"),
    ([[0, 0, 0], [0, 0, 7]], "at index (1, 2) got 7, expected 0 (1 of 6 entries differ)"),
    ("text", "should be an array of shape (2, 3), got a str"),
])
def test_compare_array_messages(got, expected_text):
    ok, message = compare_array("dw", got, np.zeros((2, 3)))
    assert not ok and expected_text in message and message.startswith("'dw'")


def test_compare_accepts_values_not_types():
    assert compare_array("step(x)", np.array([True, False]), [1.0, 0.0])[0]
    assert compare_arrays("pair", [[1, 2], np.array([3.0])], [np.array([1, 2]), [3]])[0]
    assert close([np.ones(2), (1, 2)], (np.ones(2), [1.0, 2.0]))
    assert not close([np.ones(2)], [np.ones(3)]) and not close(None, 0.0)
    ok, message = compare_array("f(x)", [0.0, 1.0], [0.0, 2.0], inputs=[5.0, 6.0])
    assert "(where x = 6)" in message


def test_scale_factor():
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    assert scale_factor(100 * expected, expected) == pytest.approx(100)
    assert scale_factor(-expected, expected) == pytest.approx(-1)
    assert scale_factor(expected + 1, expected) is None
    assert scale_factor(expected.T, expected) is None


# --- the sandbox boundary -----------------------------------------------------------------
SANDBOX_SCRIPT = textwrap.dedent("""
    import sys
    sys.modules["reference"] = None  # as in the sandbox: any import of it fails
    from pathlib import Path
    from autograders import observations
    from autograders.topics.activations.probes import PROBES as A
    from autograders.topics.numpy_net.probes import PROBES as N
    namespace = {"__name__": "__main__"}
    for name in ("activations", "numpy_net"):
        source = Path("reference", name + ".py").read_text()
        source = "\\n".join(line for line in source.splitlines()
                           if not line.startswith("from reference"))
        exec(compile(source, name, "exec"), namespace)
    out = Path(sys.argv[1])
    for item, probe in {**A, **N}.items():
        observations.dump(probe(namespace), out / item)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("reference", "torch"))
    print(loaded)
""")


def test_probes_run_without_reference_and_their_files_judge_full_marks(tmp_path):
    result = subprocess.run([sys.executable, "-c", SANDBOX_SCRIPT, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['reference']"  # only the blocking entry; no torch
    judges = registry.judges()
    for item in NUMPY_ITEMS:
        verdict = judges[item](obs_io.load(tmp_path / item))
        assert verdict.passed, f"{item}: {verdict.message}"


# --- hostile student code -----------------------------------------------------------------
JUNK = st.one_of(
    st.none(), st.text(max_size=3), st.integers(), st.floats(), st.booleans(),
    st.lists(st.floats(), max_size=3),
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=3)),
    st.tuples(st.none(), hnp.arrays(np.int8, 2)),
    st.just("raise"), st.just(object()),
)


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(junk=JUNK)
def test_junk_results_never_crash_the_grader_and_never_score(junk, tmp_path_factory):
    def student(*args, **kwargs):
        if isinstance(junk, str) and junk == "raise":
            raise RuntimeError("student bug")
        return junk
    namespace = {name: student for name in reference.CONTRACT_NAMES}
    for item, verdict in grade(namespace, tmp_path_factory.mktemp("junk")).items():
        assert verdict.points < verdict.max_points, item
        assert verdict.misconceptions and verdict.message


def test_missing_definitions_are_named(tmp_path):
    for item, verdict in grade({}, tmp_path).items():
        assert verdict.points == 0 and verdict.misconceptions == (f"{item}.missing",)


# --- the cases ---------------------------------------------------------------------------
def test_cases_are_deterministic():
    first, second = cases.GRADIENT_CASES[2].inputs(), cases.GRADIENT_CASES[2].inputs()
    assert all(close(first[key], second[key]) for key in first)
    assert close(cases.cost_calls()[1][1], cases.cost_calls()[1][1])


@pytest.mark.parametrize("index", range(len(cases.GRADIENT_CASES)))
def test_gradient_cases_are_sound(index):
    case = cases.GRADIENT_CASES[index]
    given_, analytic, numerical = gradient_truth(index)
    if case.activation == "relu":  # a kink within h would spoil central differences
        for y, w, b in zip(given_["y_layers"], given_["weights"], given_["biases"]):
            assert np.abs(y @ w + b).min() > 2 * FINITE_DIFFERENCE_H
    for k in (0, 1):
        for a, n in zip(analytic[k], numerical[k]):
            assert reference.gradient_check.rel_error(a, n) < 5e-8
            assert np.abs(a).max() > 1e-6  # no dead layer: every mistake would hide there


def test_reference_run_lowers_the_cost():
    from autograders.topics.numpy_net.judges import reference_run
    costs, _, _ = reference_run()
    assert costs[-1] < 0.5 * costs[0]


def test_grading_leaves_numpy_global_state_alone(tmp_path):
    np.random.seed(7)
    state = np.random.get_state()
    grade(bank.reference_namespace(), tmp_path)
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1]) and state[2] == after[2]


def test_one_submission_takes_well_under_a_second_of_cpu(tmp_path):
    namespace = bank.reference_namespace()
    grade(namespace, tmp_path / "warm")  # first use fills the judges' caches
    start = time.process_time()
    grade(namespace, tmp_path / "timed")
    assert time.process_time() - start < 0.5


def test_a_name_error_inside_student_code_is_not_a_missing_definition(tmp_path):
    namespace = bank.reference_namespace()
    exec("def gradient_step(weights, biases, dw_layers, db_layers, eta):\n"
         "    weights[0] -= learning_rate * dw_layers[0]\n", namespace)
    verdict = registry.grade_item("gradient_step", namespace, tmp_path)
    assert verdict.misconceptions == ("gradient_step.error",)
    assert "NameError" in verdict.message
