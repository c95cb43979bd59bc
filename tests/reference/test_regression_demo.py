"""The figure helper of notebook 3 (reference/regression_demo.py)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from reference.regression import make_dataset, make_loaders, target_function  # noqa: E402
from reference.regression_demo import plot_target  # noqa: E402


def test_plot_target_curve_only():
    fig = plot_target(target_function)
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    x, y = line.get_data()
    assert x[0] == -2 and x[-1] == 2
    assert np.allclose(y, 0.1 * x**3 - 0.5 * x**2 + 2 * np.sin(3 * x))
    plt.close(fig)


def test_plot_target_shows_both_subsets_at_their_points():
    train_loader, val_loader = make_loaders(make_dataset(), seed=0)
    fig = plot_target(target_function, train_loader.dataset, val_loader.dataset)
    _, train_line, val_line = fig.axes[0].get_lines()
    assert len(train_line.get_xdata()) == 160 and len(val_line.get_xdata()) == 40
    assert np.allclose(val_line.get_ydata(), target_function(val_line.get_xdata()), atol=1e-5)
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert "training (160 points)" in labels and "validation (40 points)" in labels
    plt.close(fig)


def test_plot_target_draws_into_a_given_axes():
    fig, ax = plt.subplots()
    assert plot_target(target_function, ax=ax) is fig
    plt.close(fig)


def test_notebook_final_demo_fits_well():
    """Run notebook 3's training demo cell on the reference: the text promises a good fit."""
    import time

    import torch

    from course_build.build import TEMPLATES
    from course_build.template import parse
    from reference import plotting, regression, training

    specs = parse((TEMPLATES / "03_pytorch_training.py").read_text())
    (demo,) = [s for s in specs if s.kind == "demo" and "train_and_evaluate(" in s.body]
    namespace = {"time": time, "np": np, "plt": plt, "torch": torch}
    for module in (regression, training, plotting):
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    exec(compile(demo.body, "<notebook 3 demo>", "exec"), namespace)  # noqa: S102
    history = namespace["history"]
    assert min(history["val_losses"]) < 0.03
    assert history["val_losses"][0] > 1.0, "the curves should show a fall of orders of magnitude"
    x, y = namespace["dataset"].tensors
    with torch.no_grad():
        assert (namespace["model"](x) - y).abs().max() < 0.6
    plt.close("all")
