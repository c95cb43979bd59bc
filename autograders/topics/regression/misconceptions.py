"""Known mistakes in the PyTorch regression set-up (data, loaders, models, counts)."""
from autograders.catalogue import Misconception
from autograders.topics.aspects import standard_entries

M = Misconception

MISCONCEPTIONS = [
    *standard_entries("target_function", "`target_function`"),
    M("target_function.wrong_formula", "target_function",
      "`target_function` does not compute 0.1 x^3 - 0.5 x^2 + 2 sin(3x): at x = {x} it "
      "returns {got}, expected {expected}.",
      "Check each term against the formula, in particular the factor inside the sine "
      "and the signs and coefficients of the polynomial part."),
    M("target_function.torch_only", "target_function",
      "`target_function` fails on a NumPy array ({error}).",
      "torch.sin accepts only tensors. Pick the sine that matches the input's type "
      "(e.g. with isinstance), so NumPy arrays and tensors both work."),
    M("target_function.numpy_only", "target_function",
      "`target_function` fails on a tensor ({error}).",
      "Functions such as math.sin work on one number only; use an element-wise sine "
      "that matches the input's type."),
    M("target_function.wrong_type", "target_function",
      "`target_function` returns a {got} for a {given} input; the contract asks for "
      "the same kind of object as the input.",
      "Do not convert the input: apply the formula to it directly, so arrays stay "
      "arrays and tensors stay tensors."),

    *standard_entries("make_dataset", "`make_dataset`"),
    M("make_dataset.not_tensor_dataset", "make_dataset",
      "`make_dataset` returns a {got}, not a TensorDataset(X, Y).",
      "Wrap the two tensors with torch.utils.data.TensorDataset so DataLoader can "
      "batch (x, y) pairs."),
    M("make_dataset.not_float32", "make_dataset",
      "The tensors of `make_dataset` are {got}, not float32.",
      "torch.from_numpy keeps NumPy's float64; PyTorch layers hold float32 weights, "
      "so convert the tensors (e.g. with .float())."),
    M("make_dataset.wrong_shape", "make_dataset",
      "The tensors of `make_dataset` have shape {got}; expected (N, 1).",
      "nn.Linear(1, ...) expects one feature per sample: a column of N rows, one "
      "value each (reshape the evenly spaced points)."),
    M("make_dataset.wrong_defaults", "make_dataset",
      "`make_dataset()` with its default arguments returns {got} points; the defaults "
      "are n_points=200, noise_std=0.0, seed=0.",
      "Copy the default values from the task's def line."),
    M("make_dataset.grid_without_endpoint", "make_dataset",
      "The x values stop at {last} instead of 2: the end point 2 is missing.",
      "np.arange and linspace(..., endpoint=False) leave out the end; the task wants "
      "N evenly spaced points that include both -2 and 2."),
    M("make_dataset.wrong_grid", "make_dataset",
      "The x values are not N evenly spaced points from -2 to 2 (first {first}, last "
      "{last}).",
      "np.linspace(start, stop, num) gives num evenly spaced points including both "
      "ends; sort order matters too (from -2 up to 2)."),
    M("make_dataset.wrong_targets", "make_dataset",
      "With noise_std=0 the y values are not target_function(x): at x = {x} got "
      "{got}, expected {expected}.",
      "Without noise, y must be exactly the target curve at each x; check that you "
      "apply target_function to the same x you return."),
    M("make_dataset.noise_std", "make_dataset",
      "The noise added to y has standard deviation {got} for noise_std={expected}.",
      "noise_std is a standard deviation: scale standard-normal draws by it (not by "
      "its square), or pass it as the scale of a normal distribution."),
    M("make_dataset.noise_mean", "make_dataset",
      "The noise added to y has mean {got}; Gaussian noise here has mean 0.",
      "Draw from a normal distribution centred at zero."),
    M("make_dataset.unseeded", "make_dataset",
      "Two calls with the same seed return different data.",
      "Draw the noise from a generator created from `seed` (np.random.default_rng(seed) "
      "or torch.Generator().manual_seed(seed)); the global random state changes "
      "between calls."),
    M("make_dataset.seed_ignored", "make_dataset",
      "Calls with different seeds return identical noisy data.",
      "The seed must choose the noise: create the generator from the `seed` argument, "
      "not from a fixed number."),

    *standard_entries("make_loaders", "`make_loaders`"),
    M("make_loaders.not_loaders", "make_loaders",
      "`make_loaders` returns {got}; expected a pair (train_loader, val_loader) of "
      "DataLoaders.",
      "Return the two DataLoader objects, the training one first."),
    M("make_loaders.val_size", "make_loaders",
      "With {n} items and val_fraction={fraction} the validation set has {got} items; "
      "the contract asks for int(val_fraction * len(dataset)) = {expected}.",
      "Compute the validation size with int(...) (it rounds down), and give the rest "
      "to training."),
    M("make_loaders.split_incomplete", "make_loaders",
      "The training and validation sets overlap or miss items of the dataset.",
      "random_split(dataset, [n_train, n_val], ...) gives two disjoint subsets that "
      "together hold every item."),
    M("make_loaders.drop_last", "make_loaders",
      "The last partial batch is missing: batch sizes {got}, expected {expected}.",
      "DataLoader keeps the last, smaller batch unless drop_last=True; every item "
      "must be seen once per epoch."),
    M("make_loaders.batch_size", "make_loaders",
      "The {loader} loader's batch sizes are {got}; expected {expected}.",
      "Pass batch_size to both DataLoaders."),
    M("make_loaders.split_not_reproducible", "make_loaders",
      "Two calls with the same seed give different train/validation splits.",
      "Give random_split a generator made from the seed: "
      "generator=torch.Generator().manual_seed(seed)."),
    M("make_loaders.seed_ignored", "make_loaders",
      "Different seeds give the same train/validation split.",
      "Create the split's generator from the `seed` argument."),
    M("make_loaders.split_not_random", "make_loaders",
      "The validation set is a contiguous block of the dataset ({got}), not a random "
      "split.",
      "Slicing takes the first or last items, which on this data set are one end of "
      "the x range; random_split draws the validation items from everywhere."),
    M("make_loaders.train_not_reshuffled", "make_loaders",
      "The training loader yields the items in the same order every epoch.",
      "Use shuffle=True for the training loader so each epoch sees a new order."),
    M("make_loaders.shuffle_not_seeded", "make_loaders",
      "Two training loaders made with the same seed shuffle differently when other "
      "code has used the global random generator in between.",
      "Give the training DataLoader its own generator made from the seed; otherwise it "
      "draws from torch's global generator, which model creation and dropout also use."),
    M("make_loaders.val_shuffled", "make_loaders",
      "The validation loader changes the order of its items.",
      "The validation loss does not depend on the order; use shuffle=False (the "
      "default) for the validation loader."),

    *standard_entries("SimpleNet", "`SimpleNet`"),
    *standard_entries("LargeNet", "`LargeNet`"),
    *[entry for name, size in (("SimpleNet", 32), ("LargeNet", 512)) for entry in (
        M(f"{name}.not_module", name,
          f"`{name}()` is a {{got}}, not an nn.Module.",
          "Subclass nn.Module and call super().__init__() first in __init__."),
        M(f"{name}.unregistered_layers", name,
          f"`{name}` has no trainable parameters: its layers are not registered.",
          "Assign layers as attributes of self (or wrap a list in nn.ModuleList or "
          "nn.Sequential); layers kept in a plain Python list are invisible to "
          ".parameters() and to the optimiser."),
        M(f"{name}.wrong_hidden_size", name,
          f"`{name}` has a hidden layer of {{got}} units; expected {size}.",
          f"The hidden layer is nn.Linear(1, {size}) followed by nn.Linear({size}, 1)."),
        M(f"{name}.wrong_architecture", name,
          f"`{name}`'s parameters have shapes {{got}}; expected those of "
          f"Linear(1, {size}), ReLU, Linear({size}, 1): {{expected}}.",
          "One hidden Linear layer from 1 input to the hidden units, then one from the "
          "hidden units to 1 output, both with biases."),
        M(f"{name}.no_activation", name,
          f"`{name}`'s output is a straight line in x: the ReLU between the layers is "
          "missing.",
          "Two Linear layers without a non-linearity between them compose to a single "
          "linear map; apply ReLU to the hidden layer."),
        M(f"{name}.wrong_activation", name,
          f"`{name}` uses {{got}} between the layers, not ReLU.",
          "Use nn.ReLU() (or torch.relu) on the hidden layer."),
        M(f"{name}.wrong_forward", name,
          f"`{name}`'s forward pass does not compute Linear, ReLU, Linear with its own "
          "parameters (max. difference {got}).",
          "forward should apply the first Linear, then ReLU, then the second Linear, "
          "once each, to the input x."),
        M(f"{name}.output_shape", name,
          f"`{name}` maps an input of shape {{given}} to shape {{got}}; expected "
          "(B, 1).",
          "Do not squeeze or flatten the output: the targets have shape (B, 1) and "
          "MSELoss would otherwise broadcast."),
    )],

    *standard_entries("count_parameters", "`count_parameters`"),
    M("count_parameters.wrong_count", "count_parameters",
      "`count_parameters` returns {got} for {model}; expected {expected}.",
      "Sum the number of elements (numel) of every trainable parameter tensor."),
    M("count_parameters.counts_tensors", "count_parameters",
      "`count_parameters` counts parameter tensors ({got}), not their elements "
      "({expected}).",
      "Each weight matrix holds many numbers: add p.numel() for each parameter, not 1."),
    M("count_parameters.counts_frozen", "count_parameters",
      "`count_parameters` also counts frozen parameters (requires_grad=False): {got} "
      "instead of {expected}.",
      "Only trainable parameters count: skip those whose requires_grad is False."),
    M("count_parameters.counts_buffers", "count_parameters",
      "`count_parameters` counts entries of the state_dict ({got} instead of "
      "{expected} for {model}): buffers such as BatchNorm's running statistics and "
      "shared layers listed twice are not trainable parameters.",
      "model.parameters() yields each trainable tensor once; state_dict() also holds "
      "buffers and repeats shared tensors."),
    M("count_parameters.counts_shared_twice", "count_parameters",
      "`count_parameters` counts a layer used twice two times ({got} instead of "
      "{expected}).",
      "model.parameters() lists a shared parameter once; it is one set of numbers "
      "that the optimiser updates."),

    *[entry for name, net, right in (
        ("simple_net_parameter_count", "SimpleNet", 97),
        ("large_net_parameter_count", "LargeNet", 1537),
    ) for entry in (
        M(f"{name}.missing", name,
          f"`{name}` is not set (or not a number).",
          f"Assign the number of trainable parameters of {net} to `{name}`."),
        M(f"{name}.weights_only", name,
          f"`{name}` = {{got}} counts the weights but not the biases.",
          "Each Linear(n_in, n_out) layer has n_in*n_out weights and n_out biases."),
        M(f"{name}.no_output_bias", name,
          f"`{name}` = {{got}} misses the output layer's bias.",
          "The output layer Linear(hidden, 1) has one bias too."),
        M(f"{name}.wrong_value", name,
          f"`{name}` = {{got}} is not the number of trainable parameters of {net}.",
          "Count per layer: weights n_in*n_out plus n_out biases, and add the layers "
          "(count_parameters can check your arithmetic)."),
    )],
]
