import ast

from course_build.solution_source import BEGIN, END, solution_source
from reference.experiments import OVERFIT
from reference.numpy_net import backprop
from reference.regression import SimpleNet


def test_function_keeps_signature_and_docstring_outside_the_markers():
    source = solution_source(backprop)
    before, _, rest = source.partition(BEGIN)
    assert before.startswith("def backprop(y_target, y_layers, df_layers, weights):")
    assert '"""' in before
    assert not any(line.strip().startswith("return") for line in before.splitlines())
    assert rest.rstrip().endswith(END)
    ast.parse(source)  # still valid Python


def test_class_methods_each_get_their_own_markers():
    source = solution_source(SimpleNet)
    assert source.count(BEGIN) == source.count(END) == 2
    assert source.splitlines()[0] == "class SimpleNet(nn.Module):"


def test_constant_becomes_an_assignment_inside_the_markers():
    source = solution_source(OVERFIT, variable="overfit_settings")
    namespace = {}
    exec(source, namespace)
    assert namespace["overfit_settings"]["model"] == OVERFIT.model
    assert source.startswith(BEGIN)
