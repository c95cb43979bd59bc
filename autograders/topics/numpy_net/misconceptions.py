"""Known mistakes in the NumPy network, with hints that teach without the code."""
from autograders.catalogue import Misconception
from autograders.topics.activations.misconceptions import generic_entries, wrong_result_entry
from autograders.topics.aspects import standard_entries

M = Misconception


def entries(item_id, hint=None):
    return standard_entries(item_id, f"`{item_id}`") + [
        wrong_result_entry(item_id, f"`{item_id}`", hint)]


SHAPES_HINT = ("Write down the shape of every array in the formula (B is the batch size) "
               "and check each against the contract; then compare with a small case you "
               "can compute by hand.")

MISCONCEPTIONS = (
    generic_entries("net_f_df_sigmoid", "`net_f_df_sigmoid`")
    + generic_entries("net_f_df_relu", "`net_f_df_relu`")
    + entries("init_network", SHAPES_HINT) + entries("forward_step", SHAPES_HINT)
    + entries("apply_net", SHAPES_HINT) + entries("cost", SHAPES_HINT)
    + entries("backward_step", SHAPES_HINT)
    + entries("backprop", "Check the gradient numerically: nudge one weight by +-1e-5, "
                          "recompute the cost, and compare the slope with your dw.")
    + entries("gradient_step", SHAPES_HINT) + entries("train_net", SHAPES_HINT)
) + [
    # --- net_f_df_sigmoid ---------------------------------------------------------
    M("net_f_df_sigmoid.overflowing_derivative", "net_f_df_sigmoid",
      "The derivative is nan for large negative z ({call}): exp(-z) overflows to inf "
      "and inf times sigmoid(z)**2 = inf * 0 is nan.",
      "Express the derivative through the sigmoid's value f itself: sigmoid' = "
      "f (1 - f) needs no further exponential once f is computed stably."),
    M("net_f_df_sigmoid.overflow_warning", "net_f_df_sigmoid",
      "`net_f_df_sigmoid` emits a RuntimeWarning for large inputs ({call}): {warning}.",
      "Compute f with the stable sigmoid of notebook 1 (exponentiate only numbers "
      "<= 0) and derive df from f."),
    M("net_f_df_sigmoid.not_finite", "net_f_df_sigmoid",
      "`net_f_df_sigmoid` returns nan or inf for large inputs ({call}).",
      "When exp overflows, inf / inf is nan. Use the stable sigmoid from notebook 1 "
      "for f and compute df from f."),
    M("net_f_df_sigmoid.derivative_uses_z", "net_f_df_sigmoid",
      "The derivative returned is z (1 - z): the formula f (1 - f) is applied to z "
      "instead of to f = sigmoid(z).",
      "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)): both factors use the sigmoid's "
      "value, not its argument."),
    M("net_f_df_sigmoid.swapped_pair", "net_f_df_sigmoid",
      "`net_f_df_sigmoid` returns (df, f): the pair is the wrong way round.",
      "The order is (f, df): value first, derivative second, the order in which "
      "forward_step and apply_net unpack it."),
    # --- net_f_df_relu ------------------------------------------------------------
    M("net_f_df_relu.derivative_at_zero", "net_f_df_relu",
      "`net_f_df_relu` returns df = 1 at z = 0; the contract takes the derivative "
      "to be 1 only where z > 0.",
      "ReLU has no derivative at 0; the convention here (and in most libraries) "
      "takes 0 there. Check the comparison: > or >= ?"),
    M("net_f_df_relu.swapped_pair", "net_f_df_relu",
      "`net_f_df_relu` returns (df, f): the pair is the wrong way round.",
      "The order is (f, df): value first, derivative second."),
    # --- init_network ---------------------------------------------------------------
    M("init_network.uses_global_random", "init_network",
      "`init_network` draws from NumPy's global generator (np.random.*) instead of "
      "the generator rng it is given: {detail}.",
      "Call the methods of the rng argument; then the caller's seed alone decides the "
      "weights, and other code's use of np.random cannot change them."),
    M("init_network.ignores_rng", "init_network",
      "`init_network` does not draw its weights from the generator rng it is given: "
      "{detail}.",
      "Draw every random number from rng itself; creating a new generator inside "
      "the function cuts the link to the caller's seed."),
    M("init_network.wrong_range", "init_network",
      "The weights are not drawn uniformly from [-0.1, 0.1): {detail}.",
      "A uniform draw needs both bounds; U(-0.1, 0.1) has mean 0 and standard "
      "deviation 0.2 / sqrt(12) = 0.058."),
    M("init_network.transposed_weights", "init_network",
      "weights[j] has the transposed shape: {detail}.",
      "Layer j maps layer_sizes[j] units to layer_sizes[j+1] units and forward_step "
      "computes y @ w, so w has one row per input unit."),
    M("init_network.nonzero_biases", "init_network",
      "The biases do not start at zero.",
      "Only the weights are random (to break the symmetry between units); every "
      "bias starts at exactly 0, one per unit of the layer it feeds."),
    # --- forward_step, apply_net ---------------------------------------------------------
    M("forward_step.ignores_f_df", "forward_step",
      "`forward_step` ignores its f_df argument ({call}): the result is ReLU's.",
      "Apply the function passed in as f_df to z; net_f_df_relu is only the default."),
    M("forward_step.missing_bias", "forward_step",
      "`forward_step` leaves out the bias ({call}).",
      "Each unit adds its bias to the weighted sum of its inputs before the "
      "activation: z = y @ w + b."),
    M("apply_net.linear_output_layer", "apply_net",
      "`apply_net` leaves the output layer linear ({call}); the contract applies "
      "f_df to every layer, the output one too.",
      "Run the same forward step for all L layers; do not treat the last one "
      "specially."),
    M("apply_net.missing_input_layer", "apply_net",
      "`y_layers` does not start with the input ({call}): it must hold L + 1 arrays, "
      "y_layers[0] = y_in and y_layers[L] = y_out.",
      "backprop needs the input of every layer, and the first layer's input is "
      "y_in itself."),
    M("apply_net.missing_output_layer", "apply_net",
      "`y_layers` does not end with the output ({call}): it must hold L + 1 arrays, "
      "y_layers[0] = y_in and y_layers[L] = y_out.",
      "backprop reads the output from y_layers[-1]: store each layer's output after "
      "computing it, the last one included."),
    M("apply_net.ignores_f_df", "apply_net",
      "`apply_net` ignores its f_df argument ({call}): every layer uses ReLU.",
      "Pass f_df on to every forward_step; net_f_df_relu is only the default."),
    # --- cost ------------------------------------------------------------------
    M("cost.missing_half", "cost",
      "`cost` is twice the contract's cost ({call}): the factor 1/2 is missing.",
      "The contract's cost is sum((y_out - y_target)**2) / (2B); with the 1/2 its "
      "gradient is simply (y_out - y_target) / B."),
    M("cost.not_divided_by_batch", "cost",
      "`cost` is not divided by the batch size ({call}): it grows with the number "
      "of samples in the batch.",
      "Average over the batch: divide the sum by B, the number of rows, so that "
      "batches of different sizes give comparable costs."),
    M("cost.mean_over_outputs", "cost",
      "`cost` also averages over the output units ({call}).",
      "The division is by 2B, where B counts samples (rows), not by the number of "
      "all entries, which is what a mean over the whole array uses."),
    M("cost.not_a_float", "cost",
      "`cost` returns an object of type {type}, not a Python float ({call}).",
      "Convert the result with float(...); a NumPy float64 is fine, an array of "
      "one element is not."),
    # --- backward_step ------------------------------------------------------------
    M("backward_step.missing_df", "backward_step",
      "`backward_step` leaves out the activation's derivative ({call}): the result "
      "is delta @ w.T without the factor df.",
      "Chain rule: the error reaching a layer's pre-activation z is multiplied by "
      "f'(z) of that layer."),
    M("backward_step.missing_transpose", "backward_step",
      "`backward_step` multiplies delta by w instead of by its transpose ({call}).",
      "delta has one column per unit of the layer above, (B, n_out); to go down to "
      "n_in units, multiply by a matrix of shape (n_out, n_in)."),
    # --- backprop -----------------------------------------------------------------
    M("backprop.hidden_not_divided_by_batch", "backprop",
      "The hidden layers' weight gradients are B = {batch} times too large while the "
      "output layer's are right: the 1/B reaches only the output layer.",
      "If you divide by the batch size where each dw is computed, do it for every "
      "layer, or divide delta by B once at the top so every layer inherits it."),
    M("backprop.not_divided_by_batch", "backprop",
      "Every gradient is B = {batch} times too large: the cost's 1/B is missing.",
      "The cost averages over the batch, so its gradient is the sum over the batch "
      "divided by B."),
    M("backprop.divided_by_batch_twice", "backprop",
      "Every gradient is B = {batch} times too small: the batch size is divided "
      "out twice.",
      "Divide by B exactly once on the way from the cost to each gradient: either "
      "in delta or in dw and db, not both."),
    M("backprop.off_by_two", "backprop",
      "Every gradient is {factor}x the true one.",
      "d/dy_out of (y_out - y_target)**2 / (2B) is (y_out - y_target) / B: the 2 of "
      "the square and the 1/2 of the cost cancel."),
    M("backprop.wrong_sign", "backprop",
      "The gradients have the wrong sign: they point downhill, and gradient_step "
      "would climb the cost.",
      "The derivative of (y_out - y_target)**2 / 2 with respect to y_out is "
      "y_out - y_target, not y_target - y_out."),
    M("backprop.transposed_dw", "backprop",
      "dw_layers[j] is the transpose of the gradient.",
      "dw_layers[j] has the shape of weights[j], (n_j, n_{j+1}): the product of the "
      "layer's input (n_j, B after transposing) with delta (B, n_{j+1})."),
    M("backprop.missing_output_derivative", "backprop",
      "The output layer's delta lacks the factor f'(z).",
      "The output layer has an activation too; the chain rule multiplies "
      "(y_out - y_target) / B by its derivative df_layers[-1]."),
    M("backprop.missing_hidden_derivative", "backprop",
      "delta loses the factor f'(z) on its way down to the hidden layers.",
      "Every step down through a layer multiplies by that layer's derivative "
      "df_layers[j-1] (that is what backward_step does)."),
    M("backprop.wrong_layer_index", "backprop",
      "The gradients match the chain rule with a layer index off by one: weights, "
      "df_layers or y_layers of the neighbouring layer.",
      "Write the shapes for one layer j: delta (B, n_{j+1}); dw_layers[j] uses "
      "y_layers[j]; the step down uses weights[j] and df_layers[j-1]."),
    M("backprop.db_not_summed", "backprop",
      "db_layers[j] is not summed over the batch.",
      "Every sample contributes to each bias's gradient: sum delta over the batch "
      "axis (axis 0), which leaves one number per unit, shape (n_{j+1},)."),
    # --- gradient_step ---------------------------------------------------------------
    M("gradient_step.no_update", "gradient_step",
      "After `gradient_step` the caller's weights and biases lists still hold the old "
      "values: the update did not reach them.",
      "Binding a local name to a new list (weights = [...]) is invisible to the "
      "caller. Update each array in place or assign into the list item."),
    M("gradient_step.wrong_sign", "gradient_step",
      "`gradient_step` moves up the gradient: theta + eta * dtheta.",
      "Gradient descent steps against the gradient, which points uphill."),
    M("gradient_step.biases_not_updated", "gradient_step",
      "`gradient_step` updates the weights but not the biases.",
      "The biases are parameters too: they get the same update with db_layers."),
    M("gradient_step.ignores_eta", "gradient_step",
      "`gradient_step` ignores the learning rate eta.",
      "Scale every gradient by eta before subtracting it."),
    # --- train_net ------------------------------------------------------------------
    M("train_net.returns_cost_after_update", "train_net",
      "`train_net` returns the cost after the gradient step; the contract asks for "
      "the cost before the update.",
      "Take the cost from the forward pass the gradients come from, before "
      "gradient_step changes the weights; no second forward pass is needed."),
    M("train_net.no_update", "train_net",
      "`train_net` does not change the weights and biases.",
      "After backprop, train_net hands the gradients to gradient_step, which "
      "updates the caller's lists."),
    M("train_net.ignores_f_df", "train_net",
      "`train_net` does not use its f_df argument: the result is ReLU's.",
      "Pass f_df on to apply_net; ReLU is only the default."),
    M("train_net.not_a_float", "train_net",
      "`train_net` returns an object of type {type}, not a Python float ({call}).",
      "Return the cost as a Python float (float(...)); a NumPy float64 is fine."),
]
