"""A piece of code -> the fingerprints that survive what copying changes.

Normalisation (Python's ``ast`` and ``tokenize``; nothing is executed):
- the ``def``/``class`` line and every docstring are dropped (the release
  gives them to everyone);
- every name the piece binds (parameters, local variables, loop variables,
  nested functions) becomes ``V``; names it only reads (``np``, ``range``,
  ``backward_step``) and attribute names (``.T``, ``.sum``) stay, since
  they say which API a solution uses and copying rarely changes them;
- every string becomes ``S``; comments and layout vanish because the code
  is printed again by ``ast.unparse`` before it is tokenized.
The tokens are cut into k-grams (``K`` tokens), hashed with a stable hash
(BLAKE2b, the same in every process) and thinned by robust winnowing
(Schleimer, Wilkerson, Aiken 2003; window ``WINDOW``): any run of
K + WINDOW - 1 equal tokens shares at least one fingerprint.
"""
import ast
import hashlib
import io
import tokenize

K = 10
WINDOW = 4
NAME, STRING = "V", "S"
STRUCTURE = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}
SKIPPED = {tokenize.NL, tokenize.COMMENT, tokenize.ENCODING, tokenize.ENDMARKER}


def tokens(source):
    """The normalised token list of a piece (its body), or [] when it does not parse."""
    try:
        tree = ast.parse(source)
        if not tree.body:
            return []
        node = tree.body[0]
        body = node.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                              ast.ClassDef)) else tree.body
        text = ast.unparse(_Normalised(_bound_names(node)).visit(
            ast.Module(body=_without_docstring(body), type_ignores=[])))
        return [_token(kind, value) for kind, value, *_ in
                tokenize.generate_tokens(io.StringIO(text).readline) if kind not in SKIPPED]
    except (SyntaxError, ValueError, RecursionError, MemoryError, tokenize.TokenError):
        return []


def _token(kind, value):
    return STRUCTURE.get(kind, STRING if kind == tokenize.STRING else value)


def _without_docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _bound_names(node):
    """Every name a piece binds: arguments, assigned names, nested definitions."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.arg):
            names.add(child.arg)
        elif isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and child is not node:
            names.add(child.name)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.alias):
            names.add(child.asname or child.name.split(".")[0])
    return names


class _Normalised(ast.NodeTransformer):
    """Bound names -> V, strings -> S, nested docstrings dropped."""

    def __init__(self, bound):
        self.bound = bound

    def visit_Name(self, node):
        return ast.Name(id=NAME, ctx=node.ctx) if node.id in self.bound else node

    def visit_arg(self, node):
        return ast.arg(arg=NAME, annotation=None)

    def visit_Constant(self, node):
        return ast.Constant(value=STRING) if isinstance(node.value, str) else node

    def visit_FunctionDef(self, node):
        node.body = _without_docstring(node.body) or [ast.Pass()]
        node.returns = None
        self.generic_visit(node)
        if node.name in self.bound:
            node.name = NAME
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        node.body = _without_docstring(node.body) or [ast.Pass()]
        self.generic_visit(node)
        if node.name in self.bound:
            node.name = NAME
        return node


def kgram_hashes(token_list, k=K):
    return [_hash(" ".join(token_list[i:i + k])) for i in range(len(token_list) - k + 1)]


def _hash(text):
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def winnow(hashes, window=WINDOW):
    """Robust winnowing: the minimum of each window (the rightmost on ties), once each."""
    if len(hashes) <= window:
        return set(hashes[:1] and [min(hashes)])
    chosen, last = set(), None
    for start in range(len(hashes) - window + 1):
        part = hashes[start:start + window]
        low = min(part)
        position = start + max(i for i, value in enumerate(part) if value == low)
        if position != last:
            chosen.add(low)
            last = position
    return chosen


def fingerprints(source, template=frozenset()):
    """The piece's fingerprints, less those of the template (the release's code)."""
    return frozenset(winnow(kgram_hashes(tokens(source)))) - template
