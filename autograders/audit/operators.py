"""Mutation operators: each turns one function's or class's AST into mutants.

An operator is a function ``operator(tree) -> [(description, mutated tree)]``
on the ``ast.Module`` holding one reference definition; it never changes the
tree it is given. Operators visit nodes in ``ast.walk`` order, so the same
source gives the same mutants in the same order.

Generic operators (arithmetic, comparison and boolean swaps, constants,
deleted statements, swapped arguments, a different local returned) come
first, then the course's own: mistakes students of this lecture make
(division by the batch size dropped, doubled or moved; ``.sum()`` and
``.mean()`` swapped; an ``axis`` lost or changed; a transpose lost;
``zero_grad()``, ``model.eval()`` or ``torch.no_grad()`` left out or
misplaced; the best state aliased instead of copied; a shuffled validation
set). The patience test's ``>=`` <-> ``>`` comes from the comparison swap.

Written here rather than taken from cosmic-ray (installable from PyPI, and
its ``mutate_code`` works on a source string): it brings about 30 packages
(aiohttp, SQLAlchemy, GitPython, ...) into the grading environment, its
operators are the full cross product of operator swaps (an ``Add`` becomes
each of ten other operators, most of them ``<<``, ``|`` or ``%`` that any
check kills), which multiplies the mutants and the audit's time, and it has
none of the course's operators, which need the AST anyway.
"""
import ast
import copy

BINOP_SWAPS = {ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div, ast.Add),
               ast.Div: (ast.Mult,), ast.Pow: (ast.Mult,), ast.FloorDiv: (ast.Div,),
               ast.MatMult: (ast.Mult,)}
COMPARE_SWAPS = {ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt,), ast.Gt: (ast.GtE, ast.Lt),
                 ast.GtE: (ast.Gt,), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
                 ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,), ast.In: (ast.NotIn,),
                 ast.NotIn: (ast.In,)}
BOOLOP_SWAPS = {ast.And: ast.Or, ast.Or: ast.And}
BATCH_NAMES = ("batch_size", "count", "n_points", "B")
REDUCTIONS = {"sum": "mean", "mean": "sum"}
COPY_METHODS = ("clone", "copy", "detach")


# ------------------------------------------------------------------ helpers
def _nodes(tree):
    """Every node with its position in ast.walk order (a stable numbering)."""
    return list(enumerate(ast.walk(tree)))


def _mutate(tree, index, change):
    """A deep copy of tree with change(node, parents) applied to node number index.

    change returns the replacement node, a list of statements (for a statement),
    or None to leave the copy as it is.
    """
    clone = copy.deepcopy(tree)
    nodes = list(ast.walk(clone))
    target = nodes[index]
    parents = {child: node for node in nodes for child in ast.iter_child_nodes(node)}
    replacement = change(target, parents)
    if replacement is None:
        return None
    if replacement is not target:
        if not _replace(parents[target], target, replacement):
            return None
    return ast.fix_missing_locations(clone)


def _replace(parent, old, new):
    for field, value in ast.iter_fields(parent):
        if isinstance(value, list) and old in value:
            position = value.index(old)
            value[position:position + 1] = new if isinstance(new, list) else [new]
            return True
        if value is old:
            setattr(parent, field, new)
            return True
    return False


def _site(tree, select, describe, change):
    """One mutant per node that select(node) accepts: (describe(node), tree)."""
    found = []
    for index, node in _nodes(tree):
        for option in select(node) or ():
            mutated = _mutate(tree, index, lambda target, parents, o=option: change(
                target, parents, o))
            if mutated is not None:
                found.append((describe(node, option), mutated))
    return found


def _line(node):
    return f"line {getattr(node, 'lineno', '?')}"


def _src(node):
    return ast.unparse(node)


def _is_docstring(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _method_call(node, names):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names)


def _call_statement(node, method):
    return isinstance(node, ast.Expr) and _method_call(node.value, (method,))


def _pass():
    return ast.Pass()


# ------------------------------------------------------------------ generic
def binary_operators(tree):
    return _site(
        tree, lambda n: BINOP_SWAPS.get(type(n.op), ()) if isinstance(n, ast.BinOp) else (),
        lambda n, o: f"{_line(n)}: {type(n.op).__name__} -> {o.__name__} in `{_src(n)}`",
        lambda n, _p, o: ast.BinOp(n.left, o(), n.right))


def augmented_operators(tree):
    return _site(
        tree, lambda n: BINOP_SWAPS.get(type(n.op), ()) if isinstance(n, ast.AugAssign) else (),
        lambda n, o: f"{_line(n)}: {type(n.op).__name__}= -> {o.__name__}= in `{_src(n)}`",
        lambda n, _p, o: ast.AugAssign(n.target, o(), n.value))


def comparisons(tree):
    def select(node):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return COMPARE_SWAPS.get(type(node.ops[0]), ())
        return ()
    return _site(tree, select,
                 lambda n, o: f"{_line(n)}: {type(n.ops[0]).__name__} -> {o.__name__} in "
                              f"`{_src(n)}`",
                 lambda n, _p, o: ast.Compare(n.left, [o()], n.comparators))


def boolean_operators(tree):
    def change(node, _parents, option):
        if option == "swap":
            return ast.BoolOp(BOOLOP_SWAPS[type(node.op)](), node.values)
        return node.operand
    def select(node):
        if isinstance(node, ast.BoolOp):
            return ("swap",)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            return ("drop",)
        return ()
    return _site(tree, select,
                 lambda n, o: f"{_line(n)}: {'and <-> or' if o == 'swap' else 'unary dropped'} "
                              f"in `{_src(n)}`", change)


def _constant_options(value):
    if isinstance(value, bool):
        return (not value,)
    if isinstance(value, int):
        return tuple(dict.fromkeys(v for v in (0, 1, -1, value + 1, value - 1) if v != value))
    if isinstance(value, float):
        return tuple(dict.fromkeys(v for v in (0.0, 1.0, -value) if v != value))
    return ()


def constants(tree):
    def select(node):
        if isinstance(node, ast.Constant) and not isinstance(node.value, str):
            return _constant_options(node.value)
        return ()
    return _site(tree, select,
                 lambda n, o: f"{_line(n)}: constant {n.value!r} -> {o!r}",
                 lambda n, _p, o: ast.Constant(o))


def deleted_statements(tree):
    def select(node):
        if not isinstance(node, ast.stmt) or _is_docstring(node):
            return ()
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            return ()
        return ("pass",)
    return _site(tree, select, lambda n, _o: f"{_line(n)}: statement deleted: "
                                             f"`{_src(n).splitlines()[0]}`",
                 lambda n, _p, _o: _pass())


def swapped_arguments(tree):
    def select(node):
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            return tuple(range(len(node.args) - 1))
        return ()
    def change(node, _parents, position):
        args = list(node.args)
        if any(isinstance(a, ast.Starred) for a in args[position:position + 2]):
            return None
        args[position], args[position + 1] = args[position + 1], args[position]
        return ast.Call(node.func, args, node.keywords)
    return _site(tree, select, lambda n, o: f"{_line(n)}: arguments {o + 1} and {o + 2} "
                                            f"swapped in `{_src(n)}`", change)


def _locals(function):
    names = [a.arg for a in function.args.args + function.args.kwonlyargs]
    names += [n.id for n in ast.walk(function)
              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return list(dict.fromkeys(names))


def other_returns(tree):
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    owner = {r: f for f in functions for r in ast.walk(f) if isinstance(r, ast.Return)}
    def select(node):
        if isinstance(node, ast.Return) and node.value is not None and node in owner:
            returned = _src(node.value)
            return tuple(name for name in _locals(owner[node]) if name != returned)
        return ()
    return _site(tree, select, lambda n, o: f"{_line(n)}: returns `{o}` instead of "
                                            f"`{_src(n.value)}`",
                 lambda n, _p, o: ast.Return(ast.Name(o, ast.Load())))


# ------------------------------------------------------------------ the course's mistakes
def _is_batch_size(node):
    if isinstance(node, ast.Name):
        return node.id in BATCH_NAMES
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "len"


def batch_division(tree):
    """Division by the batch size dropped, done twice, or moved to the next use only."""
    def select(node):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and \
                _is_batch_size(node.right):
            return ("dropped", "twice", "moved")
        return ()
    def change(node, parents, option):
        if option == "dropped":
            return node.left
        if option == "twice":
            return ast.BinOp(node, ast.Div(), copy.deepcopy(node.right))
        return _move_division(node, parents)
    return _site(tree, select, lambda n, o: f"{_line(n)}: division by the batch size "
                                            f"({_src(n.right)}) {o} in `{_src(n)}`", change)


def _move_division(node, parents):
    """Drop `/ B` where the value is assigned; divide its first later use instead."""
    statement = node
    while not isinstance(statement, ast.stmt):
        statement = parents[statement]
    if not (isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)):
        return None
    name = statement.targets[0].id
    block = parents[statement]
    later = [s for s in ast.walk(block) if isinstance(s, ast.Assign) and s is not statement
             and getattr(s, "lineno", 0) > statement.lineno
             and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(s.value))]
    if not later:
        return None
    later[0].value = ast.BinOp(later[0].value, ast.Div(), copy.deepcopy(node.right))
    return node.left


def reductions(tree):
    """.sum() <-> .mean(), as methods or np.sum/np.mean."""
    return _site(tree, lambda n: (REDUCTIONS[n.func.attr],) if _method_call(n, REDUCTIONS)
                 else (),
                 lambda n, o: f"{_line(n)}: .{n.func.attr}() -> .{o}() in `{_src(n)}`",
                 lambda n, _p, o: ast.Call(ast.Attribute(n.func.value, o, ast.Load()),
                                           n.args, n.keywords))


def axes(tree):
    """An axis keyword dropped or changed (0 <-> 1)."""
    def select(node):
        if isinstance(node, ast.Call):
            return tuple(f"{i}:{o}" for i, k in enumerate(node.keywords) if k.arg == "axis"
                         for o in ("drop", "other"))
        return ()
    def change(node, _parents, option):
        position, what = option.split(":")
        keywords = list(node.keywords)
        keyword = keywords[int(position)]
        if what == "drop":
            del keywords[int(position)]
        elif isinstance(keyword.value, ast.Constant) and keyword.value.value in (0, 1):
            keywords[int(position)] = ast.keyword("axis", ast.Constant(1 - keyword.value.value))
        else:
            return None
        return ast.Call(node.func, node.args, keywords)
    return _site(tree, select, lambda n, o: f"{_line(n)}: axis {o.split(':')[1]} in "
                                            f"`{_src(n)}`", change)


def transposes(tree):
    """A transpose (.T, .t(), .transpose()) left out."""
    def select(node):
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return ("attribute",)
        if _method_call(node, ("t", "transpose")) and not node.args:
            return ("method",)
        return ()
    return _site(tree, select, lambda n, _o: f"{_line(n)}: transpose left out in `{_src(n)}`",
                 lambda n, _p, o: n.value if o == "attribute" else n.func.value)


def training_calls(tree):
    """zero_grad(), model.eval() or model.train() left out, or moved to the block's end."""
    methods = ("zero_grad", "eval", "train")
    def select(node):
        if any(_call_statement(node, m) for m in methods):
            return ("left out", "moved to the end of its block")
        return ()
    def change(node, parents, option):
        if option == "left out":
            return _pass()
        block = next(v for _f, v in ast.iter_fields(parents[node])
                     if isinstance(v, list) and node in v)
        if block[-1] is node:
            return None
        block.remove(node)
        block.append(node)
        return node
    return _site(tree, select, lambda n, o: f"{_line(n)}: `{_src(n)}` {o}", change)


def no_grad_blocks(tree):
    """`with torch.no_grad():` left out (its body runs with a graph)."""
    def select(node):
        if isinstance(node, ast.With) and any("no_grad" in _src(i.context_expr)
                                              for i in node.items):
            return ("unwrapped",)
        return ()
    return _site(tree, select, lambda n, _o: f"{_line(n)}: `with torch.no_grad()` left out",
                 lambda n, _p, _o: list(n.body))


def aliased_copies(tree):
    """The best state aliased instead of copied: .clone()/.copy() and state-dict copies."""
    def select(node):
        if _method_call(node, COPY_METHODS) and not node.args:
            return ("call",)
        if isinstance(node, ast.DictComp) and "state_dict" in _src(node.generators[0].iter):
            return ("dict",)
        return ()
    def change(node, _parents, option):
        if option == "call":
            return node.func.value
        iterator = node.generators[0].iter
        return iterator.func.value if _method_call(iterator, ("items",)) else None
    return _site(tree, select, lambda n, _o: f"{_line(n)}: aliased, not copied: `{_src(n)}`",
                 change)


def shuffled_validation(tree):
    """shuffle=False -> True (the validation loader shuffled) and the reverse."""
    def select(node):
        return ("flip",) if isinstance(node, ast.keyword) and node.arg == "shuffle" and \
            isinstance(node.value, ast.Constant) else ()
    return _site(tree, select, lambda n, _o: f"shuffle={n.value.value} -> "
                                             f"{not n.value.value}",
                 lambda n, _p, _o: ast.keyword("shuffle", ast.Constant(not n.value.value)))


# The course's operators first: where one makes the same AST as a generic one,
# the mutant keeps the course's name (the first description wins).
COURSE = (batch_division, reductions, axes, transposes, training_calls, no_grad_blocks,
          aliased_copies, shuffled_validation)
GENERIC = (binary_operators, augmented_operators, comparisons, boolean_operators, constants,
           deleted_statements, swapped_arguments, other_returns)
OPERATORS = COURSE + GENERIC
