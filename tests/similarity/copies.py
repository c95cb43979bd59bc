'''A test class for the similarity ranking: disguised copies and independent solutions.

Independent backprop solutions: the bank's hidden-not-divided variant (the
reference's layout, other statements), its einsum and recursive variants, an
own loop with insert(0, ...) (the bank's correct_own_loop_backprop.py), and
the original lecture's code (tests/autograders/bank/numpy_net/
lecture_original.py, from the lecture in shared/lecture.md) moved into the
contract's signature. Copies:
- ``own-loop-copy``: the own loop with every variable renamed, its comments
  moved and reworded, and the layout changed;
- ``einsum-copy``: the einsum variant renamed and reformatted;
- ``lecture-copy``: the lecture's code again with small edits (the hidden
  layers' missing division added, names shortened, comments dropped), as
  the public copies of that lecture are;
and train_and_evaluate: the lecture's, a lightly edited copy of it, and two
independent bank variants (deepcopy_best_model, while_loop_manual_mse).
'''
import ast
from pathlib import Path

from autograders.similarity.extract import source_pieces

BANK = Path(__file__).resolve().parents[1] / "autograders" / "bank"


def bank_piece(relative, name):
    return source_pieces((BANK / relative).read_text(), {name})[name]


OWN_LOOP = bank_piece("numpy_net/correct_own_loop_backprop.py", "backprop")
OWN_LOOP_COPY = bank_piece("numpy_net/correct_own_loop_backprop_copy.py", "backprop")

EINSUM_COPY = '''\
def backprop(y_target, y_layers, df_layers, weights):
    """Gradients of the cost."""
    B = len(y_target)
    err = (y_layers[-1] - y_target) * df_layers[-1]
    gw, gb = [], []
    for k in range(len(weights) - 1, -1, -1):
        gw.insert(0,
                  np.einsum('bi,bj->ij', y_layers[k], err) / B)
        gb.insert(0, np.einsum('bj->j', err) / B)  # bias gradient
        if k:
            err = np.einsum('bj,ij->bi', err, weights[k]) * df_layers[k - 1]
    return gw, gb
'''

LECTURE_COPY = '''\
def backprop(y_target, y_layer, df_layer, Weights):
    L = len(Weights)
    bs = np.shape(y_target)[0]
    dw = [None] * L
    db = [None] * L
    delta = (y_layer[-1] - y_target) * df_layer[-1]
    dw[-1] = np.dot(np.transpose(y_layer[-2]), delta) / bs
    db[-1] = delta.sum(0) / bs
    for j in range(L - 1):
        delta = backward_step(delta, Weights[-1 - j], df_layer[-2 - j])
        dw[-2 - j] = np.dot(np.transpose(y_layer[-3 - j]), delta) / bs
        db[-2 - j] = delta.sum(0) / bs
    return dw, db
'''


def lecture_train_copy():
    """The lecture's train_and_evaluate with small edits: renamed, no comments, a
    best-weights copy in memory instead of the file."""
    source = bank_piece("training/lecture_original.py", "train_and_evaluate")
    lines = [line.split("#")[0].rstrip() for line in source.splitlines()]
    text = "\n".join(line for line in lines if line.strip())
    for old, new in (("running_train", "tr_sum"), ("running_val", "va_sum"),
                     ("best_val", "lowest"), ("wait", "bad_epochs"), ("xb", "inputs"),
                     ("yb", "targets")):
        text = text.replace(old, new)
    text = text.replace("torch.save(model.state_dict(), 'best_model.pt')",
                        "best_state = copy.deepcopy(model.state_dict())")
    return text.replace("model.load_state_dict(torch.load('best_model.pt'))",
                        "model.load_state_dict(best_state)")


def copy_class():
    """{student: {item: source}}, and the copy pairs each item must rank first."""
    backprop = {
        "ref-like": bank_piece("numpy_net/backprop_hidden_not_divided.py", "backprop"),
        "einsum": bank_piece("numpy_net/correct_einsum_backprop.py", "backprop"),
        "einsum-copy": EINSUM_COPY,
        "recursive": bank_piece("numpy_net/correct_recursive_backprop.py", "backprop"),
        "own-loop": OWN_LOOP,
        "own-loop-copy": OWN_LOOP_COPY,
        "lecture": bank_piece("numpy_net/lecture_original.py", "backprop"),
        "lecture-copy": LECTURE_COPY,
    }
    train = {
        "lecture": bank_piece("training/lecture_original.py", "train_and_evaluate"),
        "lecture-copy": lecture_train_copy(),
        "einsum": bank_piece("training/deepcopy_best_model.py", "train_and_evaluate"),
        "own-loop": bank_piece("training/while_loop_manual_mse.py", "train_and_evaluate"),
    }
    pieces = {}
    for item, students in (("backprop", backprop), ("train_and_evaluate", train)):
        for student, source in students.items():
            ast.parse(source)
            pieces.setdefault(student, {})[item] = source
    copies = {"backprop": {("einsum", "einsum-copy"), ("lecture", "lecture-copy"),
                           ("own-loop", "own-loop-copy")},
              "train_and_evaluate": {("lecture", "lecture-copy")}}
    return pieces, copies
