"""Sums of products in a rule's own output, over a batch, as one matrix product.

A neuron's ``dot([*w, b], [*x, 1.0])`` over m examples is m dot products of the same
weights with the rows of the input matrix: one ``X @ w``. Nothing here knows ``dot``:
the node's rule is run on symbols, and if its output is a sum of products of operands
(``w1*x1 + w2*x2 + …``) whose per-example factors are columns of one batched argument,
and each local derivative is one of the operands, then the forward pass is ``X[:, cols]
@ weights`` plus the other terms, and the gradients of the shared factors are
``X[:, cols].T @ g``. The rule is still the only place the math is written.

>>> from minigrad import Value, dot
>>> w, x = [Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]
>>> node = dot([*w, Value(0.5)], [*x, 1.0])
>>> found = plan(node, {x[0]: (1, 0), x[1]: (1, 1)}, set(x) | {node})
>>> found.matrix, found.columns, found.weights, found.rest
(1, [0, 1], [0, 2], [(4, 5)])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minigrad.engine import Value
from minigrad.tracing.symbols import SYMBOLS, Expr

__all__ = ["Linear", "plan"]


@dataclass
class Linear:
    """How to compute one node over a batch with a matrix product.

    ``matrix``: the batched argument whose ``columns`` are the per-example factors;
    ``weights``: the operand index of each column's shared factor; ``rest``: the other
    products, as pairs of operand indices; ``local``: for each edge to a parent, the
    operand index its local derivative is. The module's example shows one.
    """

    matrix: int
    columns: list[int]
    weights: list[int]
    rest: list[tuple[int, int]]
    local: list[int]
    partner: dict[int, int]  # operand index of a weight → its position among the columns

    def forward(self, operands: list[Any], matrix: Any) -> Any:
        """The node's value over the batch."""
        block = matrix if self.columns == list(range(int(matrix.shape[1]))) else matrix[:, self.columns]
        weights = [float(operands[i]) for i in self.weights]
        out = block @ _vector(matrix, weights)
        for i, j in self.rest:
            out = out + operands[i] * operands[j]
        return out

    def column_grads(self, matrix: Any, g: Any) -> Any:
        """``X[:, cols].T @ g``: every weight's gradient, summed over the batch."""
        block = matrix if self.columns == list(range(int(matrix.shape[1]))) else matrix[:, self.columns]
        if isinstance(g, float):
            return g * block.sum(axis=0)
        return block.T @ g


def _vector(like: Any, numbers: list[float]) -> Any:
    import numpy as np

    if isinstance(like, np.ndarray):
        return np.array(numbers)
    from array_api_compat import array_namespace

    xp = array_namespace(like)
    return xp.asarray(numbers, dtype=xp.float64)


def _terms(out: Expr) -> list[Expr]:
    terms = []
    while out.kind == "op" and out.text == "+":
        terms.append(out.args[1])
        out = out.args[0]
    terms.append(out)
    return terms[::-1]


def _operand(e: Expr) -> int | None:
    return int(e.text[1:]) if e.kind == "name" and e.text.startswith("o") else None


def plan(node: Value, column_of: dict[Value, tuple[int, int]], per_example: set[Value]) -> Linear | None:
    """A :class:`Linear` for ``node`` when its rule is such a sum of products, else ``None``."""
    operands = node.operands
    if len(operands) < 4 or node.primitive is None or node.primitive.constant is not None:
        return None
    symbols = [Expr.name(f"o{i}") for i in range(len(operands))]
    try:
        out, local_grads = node.primitive.rule(SYMBOLS, *symbols)
    except TypeError:  # the rule does something symbols cannot
        return None
    if not isinstance(out, Expr):
        return None
    local = []
    for d in local_grads:
        i = _operand(d) if isinstance(d, Expr) else None
        if i is None:
            return None
        local.append(i)
    matrix, columns, weights, rest = None, [], [], []
    for term in _terms(out):
        if term.kind != "op" or term.text != "*":
            return None
        a, b = (_operand(e) for e in term.args)
        if a is None or b is None:
            return None
        for shared, column in ((a, b), (b, a)):
            x, y = operands[shared], operands[column]
            where = column_of.get(y) if isinstance(y, Value) else None
            shared_factor = not isinstance(x, Value) or x not in per_example
            if where is not None and shared_factor and (matrix is None or where[0] == matrix):
                matrix = where[0]
                columns.append(where[1])
                weights.append(shared)
                break
        else:
            rest.append((a, b))
    if matrix is None or len(columns) < 2:
        return None
    partner = {w: k for k, w in enumerate(weights)}
    return Linear(matrix, columns, weights, rest, local, partner)
