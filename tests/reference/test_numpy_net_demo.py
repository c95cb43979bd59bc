"""The helpers of the NumPy network's 2-D demo, and the demo's claim.

The notebook inlines these helpers in a setup cell (with the constants LOW,
HIGH, EXTENT repeated in the cell body); the last tests run that generated
cell and the demo's training settings.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from course_build.notebook import cell_source  # noqa: E402
from course_build.build import TEMPLATES  # noqa: E402
from course_build.template import parse  # noqa: E402
from reference import numpy_net_demo as demo  # noqa: E402
from reference.numpy_net import apply_net, init_network, train_net  # noqa: E402


def test_target_is_the_lectures_function():
    assert demo.target_2d(0.0, 0.0) == 0.0
    x0, x1 = 0.1, 0.2
    assert np.isclose(demo.target_2d(x0, x1), np.exp(-7 * 0.05) * 0.4)
    assert np.isclose(demo.target_2d(0.2, -0.4), 0.0), "zero on the line x1 = -2 x0"
    grid = np.linspace(-0.5, 0.5, 11)
    assert np.all(demo.target_2d(*np.meshgrid(grid, grid)) >= 0)


def test_make_batch_shapes_range_targets_and_seed():
    inputs, targets = demo.make_batch(np.random.default_rng(0), 50)
    assert inputs.shape == (50, 2) and targets.shape == (50, 1)
    assert np.all((inputs >= -0.5) & (inputs < 0.5))
    assert np.allclose(targets[:, 0], demo.target_2d(inputs[:, 0], inputs[:, 1]))
    again, _ = demo.make_batch(np.random.default_rng(0), 50)
    assert np.array_equal(inputs, again)
    assert demo.make_batch(np.random.default_rng(0))[0].shape == (100, 2)


def test_grid_rows_are_x1_and_columns_are_x0():
    points, shape = demo.grid_points(5)
    assert points.shape == (25, 2) and shape == (5, 5)
    assert np.allclose(points[:5, 0], np.linspace(-0.5, 0.5, 5)) and np.allclose(points[:5, 1], -0.5)
    image = demo.target_image(5)
    axis = np.linspace(-0.5, 0.5, 5)
    assert np.isclose(image[4, 1], demo.target_2d(axis[1], axis[4]))  # row = x1, column = x0


def test_prediction_image_reshapes_a_models_outputs():
    exact = demo.prediction_image(lambda y: demo.target_2d(y[:, 0], y[:, 1])[:, None], n=7)
    assert np.allclose(exact, demo.target_image(7))
    assert demo.relative_rms_error(exact, demo.target_image(7)) == 0.0
    assert np.isclose(demo.relative_rms_error(np.zeros((7, 7)), demo.target_image(7)), 1.0)


def test_snapshot_figure_has_cost_images_and_colorbar():
    target = demo.target_image(8)
    fig = demo.plot_training_snapshots([1.0, 0.5, 0.2], [(0, 0 * target), (3, target)], target)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["Cost during training", "network after 0 steps",
                          "network after 3 steps", "target"]
    assert fig.axes[1].images[0].get_extent() == list(demo.EXTENT)
    plt.close(fig)


def notebook_helper_cell():
    specs = parse((TEMPLATES / "02_numpy_network.py").read_text())
    (spec,) = [s for s in specs if s.kind == "setup" and s.module == "reference.numpy_net_demo"]
    return spec


def test_notebook_setup_cell_defines_the_same_helpers_and_constants():
    namespace = {"np": np, "plt": plt}
    exec(cell_source(notebook_helper_cell()), namespace)
    assert (namespace["LOW"], namespace["HIGH"], namespace["EXTENT"]) == (
        demo.LOW, demo.HIGH, demo.EXTENT)
    assert np.array_equal(namespace["target_image"](6), demo.target_image(6))


def test_demo_settings_learn_the_target():
    """The notebook trains [2, 100, 1] with eta 0.5 for 10 000 batches of 100."""
    rng = np.random.default_rng(42)  # the notebook's seed
    weights, biases = init_network([2, 100, 1], rng)
    for _ in range(10_000):
        train_net(*demo.make_batch(rng, 100), weights, biases, 0.5)
    image = demo.prediction_image(lambda y: apply_net(y, weights, biases)[0])
    assert demo.relative_rms_error(image, demo.target_image()) < 0.2
