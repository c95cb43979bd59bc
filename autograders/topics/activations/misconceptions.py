"""Known mistakes in the activation functions, with hints that teach."""
from autograders.catalogue import Misconception
from autograders.topics.aspects import standard_entries

ITEMS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "step")


def wrong_result_entry(item_id, what, hint=None):
    """The fallback when a wrong result matches no known mistake; the note says where."""
    return Misconception(
        f"{item_id}.wrong_result", item_id,
        f"{what} returns a wrong result for {{call}}.",
        hint or "Evaluate the definition by hand at a few inputs (a negative one, 0, a "
        "positive one) and compare; the result must have the input's shape.",
    )


def generic_entries(item_id, what):
    """Entries every element-wise function has: missing, error, wrong values, in-place."""
    return standard_entries(item_id, what) + [
        wrong_result_entry(item_id, what),
        Misconception(
            f"{item_id}.modifies_input", item_id,
            f"{what} changes the array passed to it ({{call}}): afterwards the caller's "
            "x no longer holds its original values.",
            "Assigning into x[...] or using x *= ... edits the caller's array. Compute "
            "a new array (np.where, np.maximum, arithmetic) and leave x as it was.",
        ),
    ]


MISCONCEPTIONS = [entry for item in ITEMS for entry in generic_entries(item, f"`{item}`")] + [
    Misconception(
        "sigmoid.naive_overflow", "sigmoid",
        "`sigmoid` emits a RuntimeWarning for large inputs ({call}): {warning}.",
        "np.exp(-x) overflows once -x exceeds about 709. Arrange the formula so that "
        "you only exponentiate numbers <= 0, for instance by treating x >= 0 and "
        "x < 0 separately with a mask or np.where.",
    ),
    Misconception(
        "sigmoid.not_finite", "sigmoid",
        "`sigmoid` returns nan or inf for large inputs ({call}).",
        "When exp overflows to inf, expressions like inf / inf give nan. Each of "
        "1/(1+e^-x) and e^x/(1+e^x) is safe on one side of 0 only: use each where "
        "it is safe.",
    ),
    Misconception(
        "sigmoid.sign_flipped", "sigmoid",
        "`sigmoid` computes 1/(1+e^x), the mirror image of the sigmoid: it should "
        "increase with x, with sigmoid(2) about 0.88.",
        "Check the sign in the exponent against the definition 1/(1+e^-x).",
    ),
    Misconception(
        "tanh.formula_overflows", "tanh",
        "`tanh` returns nan for large |x| ({call}): the exponential formula divides "
        "inf by inf.",
        "NumPy's np.tanh is stable for every input; if you want a formula, write it "
        "so that only exponentials of -2|x| appear.",
    ),
    Misconception(
        "tanh.missing_factor_two", "tanh",
        "`tanh` returns 2*sigmoid(x) - 1, which is tanh(x/2), not tanh(x).",
        "In the identity tanh(x) = 2*sigmoid(2x) - 1 the argument is doubled as well.",
    ),
    Misconception(
        "leaky_relu.alpha_on_wrong_side", "leaky_relu",
        "`leaky_relu` scales the positive inputs by alpha and passes the negative "
        "ones unchanged: it is the other way round.",
        "Positive inputs pass through unchanged; only x <= 0 is multiplied by alpha, "
        "which keeps a small slope where ReLU would be flat.",
    ),
    Misconception(
        "leaky_relu.ignores_alpha", "leaky_relu",
        "`leaky_relu` ignores its alpha argument ({call}): the result is the one "
        "for alpha = 0.01.",
        "Use the parameter alpha in the formula; 0.01 is only its default value.",
    ),
    Misconception(
        "leaky_relu.wrong_default_alpha", "leaky_relu",
        "Called without alpha, `leaky_relu` does not use the default alpha = 0.01.",
        "Keep the def line as given in the task: leaky_relu(x, alpha=0.01).",
    ),
    Misconception(
        "step.wrong_value_at_zero", "step",
        "`step` gives the wrong value at x = 0: step(0) must be 1 (1 where x >= 0).",
        "Check the comparison at the boundary: is it > or >= ?",
    ),
]
