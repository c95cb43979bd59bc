# %% markdown
# # 1. Activation functions
#
# A neuron computes a weighted sum of its inputs plus a bias, $z = \sum_j w_j y_j + b$,
# and passes $z$ through an **activation function** $f$. Without a non-linear $f$,
# a stack of layers collapses into a single linear map, however deep it is: the
# activation is what lets a network bend.
#
# In this notebook you implement six activation functions in NumPy. Each one works
# **element-wise on arrays of any shape** (a scalar, a vector, a batch of images)
# and returns floats.
#
# | name | formula | typical use |
# | --- | --- | --- |
# | sigmoid | $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ | probabilities, gates |
# | tanh | $\tanh(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}$ | zero-centred hidden units |
# | ReLU | $\max(0, x)$ | the default for hidden layers |
# | leaky ReLU | $x$ if $x > 0$, else $\alpha x$ | ReLU without "dead" units |
# | linear | $x$ | regression outputs |
# | step | $1$ if $x \ge 0$, else $0$ | the historical perceptron |
#
# Run the cell below first. Cells marked *visible tests* check your work; the
# grader runs further hidden checks of the same kind.

# %% setup imports
import numpy as np
import matplotlib.pyplot as plt

# %% markdown
# ## Sigmoid, without overflow
#
# The textbook formula `1 / (1 + np.exp(-x))` is mathematically right but
# numerically fragile: for $x = -1000$, `np.exp(1000)` overflows to `inf` and NumPy
# prints a `RuntimeWarning`. The result happens to be 0, but a warning in the middle
# of training hides real problems, and the same expression inside a derivative,
# `np.exp(-x) * sigmoid(x)**2`, gives `inf * 0 = nan`.
#
# The fix is to only ever exponentiate a non-positive number. With $e = e^{-|x|} \in (0, 1]$:
#
# $$\sigma(x) = \begin{cases} \dfrac{1}{1 + e} & x \ge 0 \\[2mm] \dfrac{e}{1 + e} & x < 0 \end{cases}$$
#
# Both branches are the same function (multiply the top and bottom of
# $\frac{1}{1+e^{-x}}$ by $e^{x}$ for the second). `np.where` picks a branch per element.
#
# Implement `sigmoid` so that it is accurate to $10^{-9}$ and raises no warning for
# $|x|$ up to $10^4$.

# %% solution sigmoid from reference.activations:sigmoid

# %% tests sigmoid
# Visible tests: values, symmetry and extreme inputs.
import warnings
assert np.allclose(sigmoid(np.array([0.0, 2.0, -2.0])), [0.5, 0.8807970779778823, 0.11920292202211755])
assert sigmoid(np.zeros((2, 3))).shape == (2, 3), "sigmoid must keep the input's shape"
with warnings.catch_warnings():
    warnings.simplefilter("error")  # any RuntimeWarning fails this test
    extremes = sigmoid(np.array([-1e4, 1e4]))
assert np.all(np.isfinite(extremes)) and np.allclose(extremes, [0.0, 1.0])
print("sigmoid: visible tests passed")

# %% markdown
# ## tanh, ReLU, leaky ReLU, linear and step
#
# These are short, but read the definitions carefully: the edge cases are where
# mistakes hide.
#
# * `tanh` is a rescaled sigmoid, $\tanh(x) = 2\sigma(2x) - 1$, with outputs in $(-1, 1)$.
#   NumPy has it built in.
# * `relu` is $\max(0, x)$. Its derivative is 0 for $x < 0$ and 1 for $x > 0$.
# * `leaky_relu` keeps a small slope `alpha` for negative inputs; the default is
#   0.01, and the function must work for any $0 \le \alpha < 1$. Positive inputs are
#   passed through unchanged.
# * `linear` is the identity. It looks pointless, but it is the usual output
#   activation for regression: a sigmoid output could never predict $y = 3$.
# * `step` is 1 where $x \ge 0$, **including at 0**, and 0 elsewhere.

# %% solution tanh from reference.activations:tanh

# %% tests tanh
assert np.allclose(tanh(np.array([-1.0, 0.0, 1.0])), [-0.7615941559557649, 0.0, 0.7615941559557649])
assert tanh(np.ones((4, 1))).shape == (4, 1)
print("tanh: visible tests passed")

# %% solution relu from reference.activations:relu

# %% tests relu
assert np.allclose(relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
assert relu(np.ones((2, 2, 2))).shape == (2, 2, 2)
print("relu: visible tests passed")

# %% solution leaky_relu from reference.activations:leaky_relu

# %% tests leaky_relu
assert np.allclose(leaky_relu(np.array([-2.0, 0.0, 3.0])), [-0.02, 0.0, 3.0])
assert np.allclose(leaky_relu(np.array([-2.0, 3.0]), alpha=0.5), [-1.0, 3.0])
print("leaky_relu: visible tests passed")

# %% solution linear from reference.activations:linear

# %% tests linear
assert np.allclose(linear(np.array([-2.0, 0.0, 3.0])), [-2.0, 0.0, 3.0])
print("linear: visible tests passed")

# %% solution step from reference.activations:step

# %% tests step
assert np.allclose(step(np.array([-2.0, 0.0, 3.0])), [0.0, 1.0, 1.0]), "step(0) must be 1"
print("step: visible tests passed")

# %% markdown
# ## All six side by side
#
# The helper below draws each function on $[-5, 5]$. Notice which ones are
# bounded, which are zero-centred, and where each is flat: a flat region means
# a zero derivative, and a zero derivative means no learning signal passes
# through that unit during backpropagation.

# %% setup plotting from reference.plotting:plot_activations

# %% demo
plot_activations({
    "sigmoid": sigmoid, "tanh": tanh, "ReLU": relu,
    "leaky ReLU (alpha=0.1)": lambda x: leaky_relu(x, alpha=0.1),
    "linear": linear, "step": step,
})
plt.show()

# %% markdown
# ## Question
#
# Explain in two or three sentences why the formula `1 / (1 + np.exp(-x))` fails
# for large negative inputs, and why your implementation does not. Mention which
# quantity you exponentiate and why it cannot overflow.

# %% answer why_stable_sigmoid
# **Model answer.** For $x \ll 0$, $-x$ is large and positive, so `np.exp(-x)`
# exceeds the largest float64 (about $e^{709}$) and overflows to `inf`, with a
# `RuntimeWarning`; derived expressions such as `exp(-x) * sigmoid(x)**2` then give
# `nan`. The stable version only evaluates $e^{-|x|}$, which lies in $(0, 1]$ and
# can at worst underflow harmlessly to 0, and uses the algebraically equivalent
# form $e^{x}/(1+e^{x})$ for negative inputs.
#
# **Mark scheme (2 points).** 1 point: identifies overflow of `exp(-x)` for large
# negative $x$ (mentions `inf`, the warning or the float range). 1 point: explains that
# the fix exponentiates only non-positive numbers ($e^{-|x|} \le 1$) using an
# equivalent formula per sign. No point for "use np.clip" without saying why it is
# accurate enough.
