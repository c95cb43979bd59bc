import pytest

from course_build.template import TemplateError, parse


def test_cells_and_markdown_bodies_are_parsed():
    cells = parse(
        "# %% markdown\n# # Title\n#\n# text\n\n"
        "# %% solution relu from reference.activations:relu\n\n"
        "# %% tests relu\nassert relu(1) == 1\n"
    )
    assert [c.kind for c in cells] == ["markdown", "solution", "tests"]
    assert cells[0].body == "# Title\n\ntext"
    assert (cells[1].module, cells[1].names, cells[1].body) == ("reference.activations", ("relu",), "")
    assert cells[2].id == "relu" and cells[2].body == "assert relu(1) == 1"


@pytest.mark.parametrize("text, message", [
    ("# %% nonsense\n", "bad cell header"),
    ("# %% tests\n", "needs an id"),
    ("x = 1\n# %% code\n", "before the first cell"),
    ("# %% markdown\nnot a comment\n", "does not start with"),
])
def test_malformed_templates_are_refused(text, message):
    with pytest.raises(TemplateError, match=message):
        parse(text)
