"""Derivatives of functions over plain numbers: ``grad``, ``value_and_grad``, ``hessian``, ``jvp``.

>>> from minigrad import grad
>>> grad(lambda a, b, c: 3 * (a + b * c))(5.0, 3.0, 2.0)
(3.0, 6.0, 9.0)
>>> grad(grad(lambda x: x ** 3))(2.0)  # 6x
12.0
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias, cast

from minigrad.engine import Grad, Number, Value, _as_float, _local_grads_as_values, gradients, topological_order

__all__ = ["grad", "hessian", "jvp", "value_and_grad"]

Argument: TypeAlias = Number | Sequence[Number]
"""An argument of a differentiated function: a number, or a flat sequence of numbers."""
Gradient: TypeAlias = float | list[float]


def is_sequence(x: object) -> bool:
    """Whether ``x`` is a flat sequence of numbers (a list, a tuple, a 1-d array) rather than one number.

    Strings are not sequences of numbers, and a NumPy scalar is one number.

    >>> import numpy as np
    >>> is_sequence([1.0, 2.0]), is_sequence(np.zeros(3)), is_sequence(np.float64(1.0)), is_sequence("12")
    (True, True, False, False)
    """
    if isinstance(x, Sequence):
        return not isinstance(x, (str, bytes))
    return hasattr(x, "__array__") and getattr(x, "ndim", 0) > 0


def as_integer(x: object) -> int | None:
    """``x`` as an ``int`` if it is an integer (Python or NumPy) but not a bool, else ``None``.

    >>> import numpy as np
    >>> as_integer(3), as_integer(np.int64(3)), as_integer(True), as_integer(3.0)
    (3, 3, None, None)
    """
    if isinstance(x, bool):
        return None
    try:
        return operator.index(x)  # type: ignore[arg-type]
    except TypeError:
        return None


_inside = threading.local()  # how many transforms (grad, jvp, ...) are running their function in this thread


@contextmanager
def _running() -> Iterator[bool]:
    """While a transform runs its function: yields whether another transform is running around it."""
    depth = getattr(_inside, "depth", 0)
    _inside.depth = depth + 1
    try:
        yield depth > 0
    finally:
        _inside.depth = depth


def _leaf(x: Any) -> Value:
    """A fresh variable for one number. A ``Value`` (a nested transform) gets a node of its own that
    depends on it (``x + 0``), so that paths through ``x`` elsewhere are not taken for paths through it."""
    return x + 0.0 if isinstance(x, Value) else Value(x)


def _to_values(arg: Any) -> Value | list[Value]:
    """Leaves for one argument: a ``Value`` each, a list of them for a sequence."""
    if is_sequence(arg):
        return [_leaf(x) for x in arg]
    return _leaf(arg)


def _flat(leaves: list[Value | list[Value]]) -> list[Value]:
    return [x for leaf in leaves for x in (leaf if isinstance(leaf, list) else [leaf])]


def _shaped(leaves: list[Value | list[Value]], grads: list[Grad]) -> list[Any]:
    """``grads`` (one per number, in order) shaped like the arguments: a number, or a list for a sequence."""
    entries = iter(grads)
    return [[next(entries) for _ in leaf] if isinstance(leaf, list) else next(entries) for leaf in leaves]


def _evaluate(f: Callable[..., Any], leaves: list[Value | list[Value]]) -> Value | float:
    out = f(*leaves)
    if isinstance(out, Value):
        return out
    try:
        return _as_float(out)
    except TypeError:
        raise TypeError(f"the function must return a Value or a number, got {type(out).__name__}") from None


def value_and_grad(f: Callable[..., Any]) -> Callable[..., tuple[Any, Any]]:
    """``f``'s value and its gradient with respect to every argument, over plain numbers.

    ``f`` is written with ``Value`` operations; the returned function takes numbers (or
    flat sequences of numbers) and returns ``(value, gradient)``. The gradient is a
    tuple with one entry per argument (a float, or a list of floats for a sequence),
    or the entry itself when ``f`` takes a single argument. No ``.grad`` is changed.

    Nested in another transform (``grad(grad(f))``, or called inside the function
    another ``grad`` differentiates), it returns ``Value`` s: the value and the gradient
    as graphs of their own, which the outer transform differentiates again.

    >>> grad(lambda x: x * grad(lambda y: x * y)(3.0))(2.0)  # d/dx (x · x) = 2x
    4.0

    >>> value_and_grad(lambda x, y: x * y + y)(2.0, 3.0)
    (9.0, (3.0, 3.0))
    >>> value_and_grad(lambda x: x ** 2)(3.0)
    (9.0, 6.0)
    """

    @functools.wraps(f)
    def wrapped(*args: Any) -> tuple[Any, Any]:
        leaves = [_to_values(a) for a in args]
        with _running() as nested:  # inside another transform: keep the graphs, to be differentiated again
            out = _evaluate(f, leaves)
        variables = _flat(leaves)
        grads: list[Grad] = [0.0] * len(variables)
        if isinstance(out, Value):
            grads = gradients(out, variables, create_graph=nested)
        shaped = _shaped(leaves, grads)
        value = out if nested or not isinstance(out, Value) else out.data
        return value, shaped[0] if len(shaped) == 1 else tuple(shaped)

    return wrapped


def grad(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``'s gradient with respect to every argument, as in JAX or HIPS autograd.

    Nest it for higher derivatives: ``grad(grad(f))`` is the second derivative.

    >>> grad(lambda a, b, c: 3 * (a + b * c))(5.0, 3.0, 2.0)
    (3.0, 6.0, 9.0)
    >>> grad(lambda w: (w[0] * w[1]).sigmoid())([0.0, 2.0])
    [0.5, 0.0]
    >>> grad(grad(grad(lambda x: x.sin())))(0.0)  # −cos(0)
    -1.0
    """
    with_value = value_and_grad(f)

    @functools.wraps(f)
    def wrapped(*args: Any) -> Any:
        return with_value(*args)[1]

    return wrapped


def hessian(f: Callable[..., Any]) -> Callable[..., list[list[float]]]:
    """The matrix of ``f``'s second derivatives, as nested lists, over every number in the arguments.

    Arguments are numbers or flat sequences of numbers; row ``i``, column ``j`` is
    ∂²f/∂xᵢ∂xⱼ, the numbers counted in order through all the arguments. One backward
    pass with ``create_graph=True`` gives the gradient as a graph, then one backward
    pass per entry of the gradient gives a row.

    >>> hessian(lambda x, y: x * x * y)(3.0, 2.0)  # [[2y, 2x], [2x, 0]]
    [[4.0, 6.0], [6.0, 0.0]]
    """

    @functools.wraps(f)
    def wrapped(*args: Argument) -> list[list[float]]:
        leaves = [_to_values(a) for a in args]
        variables = _flat(leaves)
        with _running():
            out = _evaluate(f, leaves)
        n = len(variables)
        first = gradients(out, variables, create_graph=True) if isinstance(out, Value) else [0.0] * n
        return [gradients(g, variables) if isinstance(g, Value) else [0.0] * n for g in first]  # type: ignore[misc]

    return wrapped


def jvp(f: Callable[..., Any], primals: Sequence[Argument], tangents: Sequence[Argument]) -> tuple[Any, Any]:
    """Forward mode: ``f``'s value at ``primals`` and its derivative in the direction ``tangents``, as in JAX.

    Every node's tangent is the sum of its parents' tangents times the local
    derivatives, computed in the order the nodes were made: from the inputs towards the
    output, one pass for one direction. (Backpropagation goes the other way: one pass
    gives the derivative for every input; forward mode needs one pass per input.)

    >>> jvp(lambda x, y: x * y + y.sin(), (2.0, 0.0), (1.0, 0.0))  # ∂/∂x = y = 0
    (0.0, 0.0)
    >>> jvp(lambda x, y: x * y + y.sin(), (2.0, 0.0), (0.0, 1.0))  # ∂/∂y = x + cos y = 3
    (0.0, 3.0)
    """
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    leaves = [_to_values(a) for a in primals]
    tangent: dict[Value, Grad] = {}
    for leaf, t in zip(leaves, tangents, strict=True):
        if isinstance(leaf, list):
            if not is_sequence(t) or len(t) != len(leaf):  # type: ignore[arg-type]
                raise ValueError(f"jvp: a tangent must have the shape of its primal ({len(leaf)} numbers)")
            tangent.update(zip(leaf, map(_as_float, cast(Sequence[Number], t)), strict=True))
        else:
            tangent[leaf] = _as_float(t)
    with _running() as nested:  # inside another transform: tangents as graphs, to be differentiated again
        out = _evaluate(f, leaves)
    if not isinstance(out, Value):
        return out, 0.0
    for node in topological_order(out):
        if node.parents and node not in tangent:
            local_grads = _local_grads_as_values(node) if nested else node.local_grads
            pairs = zip(node.parents, local_grads, strict=True)
            tangent[node] = sum((d * tangent.get(p, 0.0) for p, d in pairs), 0.0)
    return (out, tangent.get(out, 0.0)) if nested else (out.data, tangent.get(out, 0.0))
