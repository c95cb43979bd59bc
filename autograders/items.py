"""The points table: every graded item of the assignment, once.

The source notebooks' grade cells, the hidden autograders and the README's
points table are all derived from this list, so the points cannot drift apart.
An item's ``id`` is the nbgrader grade_id of the solution cell it grades; its
test cell is ``test_<id>``. ``kind`` says how it is graded:
- "auto": a probe and a judge check the student's code or answer;
- "manual": a free-text answer graded by hand with the mark scheme.
"""
from dataclasses import dataclass

ASSIGNMENT = "neural_networks"


@dataclass(frozen=True)
class Item:
    id: str
    notebook: str
    points: int
    kind: str = "auto"

    @property
    def test_id(self):
        return f"test_{self.id}"


NOTEBOOKS = (
    "01_activations",
    "02_numpy_network",
    "03_pytorch_training",
    "04_fitting",
)

ITEMS = (
    # 01_activations
    Item("sigmoid", "01_activations", 2),
    Item("tanh", "01_activations", 1),
    Item("relu", "01_activations", 1),
    Item("leaky_relu", "01_activations", 1),
    Item("linear", "01_activations", 1),
    Item("step", "01_activations", 1),
    Item("why_stable_sigmoid", "01_activations", 2, "manual"),
    # 02_numpy_network
    Item("net_f_df_sigmoid", "02_numpy_network", 1),
    Item("net_f_df_relu", "02_numpy_network", 1),
    Item("init_network", "02_numpy_network", 1),
    Item("forward_step", "02_numpy_network", 1),
    Item("apply_net", "02_numpy_network", 2),
    Item("cost", "02_numpy_network", 1),
    Item("backward_step", "02_numpy_network", 1),
    Item("backprop", "02_numpy_network", 5),
    Item("gradient_step", "02_numpy_network", 1),
    Item("train_net", "02_numpy_network", 2),
    Item("why_batch_size", "02_numpy_network", 2, "manual"),
    # 03_pytorch_training
    Item("target_function", "03_pytorch_training", 1),
    Item("make_dataset", "03_pytorch_training", 2),
    Item("make_loaders", "03_pytorch_training", 2),
    Item("SimpleNet", "03_pytorch_training", 1),
    Item("count_parameters", "03_pytorch_training", 2),
    Item("simple_net_parameter_count", "03_pytorch_training", 1),
    Item("train_and_evaluate", "03_pytorch_training", 8),
    # 04_fitting
    Item("LargeNet", "04_fitting", 1),
    Item("large_net_parameter_count", "04_fitting", 1),
    Item("underfit_settings", "04_fitting", 2),
    Item("overfit_settings", "04_fitting", 3),
    Item("early_stop_settings", "04_fitting", 3),
    Item("why_no_overfitting", "04_fitting", 2, "manual"),
    Item("why_restore_best", "04_fitting", 2, "manual"),
)

ITEMS_BY_ID = {item.id: item for item in ITEMS}


def items_of(notebook):
    """The items graded in one notebook, in notebook order."""
    return [item for item in ITEMS if item.notebook == notebook]


def max_score(notebook=None):
    """Total points of one notebook, or of the whole assignment."""
    return sum(item.points for item in ITEMS if notebook in (None, item.notebook))


def points_table_markdown():
    """The points table as Markdown, as the README shows it."""
    rows = ["| notebook | item | graded | points |", "| --- | --- | --- | --- |"]
    for notebook in NOTEBOOKS:
        for item in items_of(notebook):
            graded = "autograder" if item.kind == "auto" else "by hand (mark scheme)"
            rows.append(f"| {notebook} | `{item.id}` | {graded} | {item.points} |")
        rows.append(f"| {notebook} | **notebook total** | | **{max_score(notebook)}** |")
    rows.append(f"| **assignment** | **total** | | **{max_score()}** |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(points_table_markdown())
