"""Functions over plain numbers: the primitives as functions, ``grad``, ``value_and_grad``, ``check_grad``.

>>> from minigrad import grad, check_grad
>>> grad(lambda a, b, c: 3 * (a + b * c))(5.0, 3.0, 2.0)
(3.0, 6.0, 9.0)
>>> check_grad(lambda x: x.sigmoid() * x, 0.5).ok
True
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from minigrad.engine import Number, Value, _as_float
from minigrad.primitives import EXP, LOG, RELU, SIGMOID, TANH, Primitive

__all__ = ["GradCheck", "check_grad", "exp", "grad", "log", "relu", "sigmoid", "tanh", "value_and_grad"]

Argument: TypeAlias = Number | Sequence[Number]
"""An argument of a differentiated function: a number, or a flat sequence of numbers."""
Gradient: TypeAlias = float | list[float]


def _apply(op: Primitive, x: Value | Number) -> Value | float:
    if isinstance(x, Value):
        return getattr(x, op.name)()  # type: ignore[no-any-return]
    return op.rule(_as_float(x))[0]  # type: ignore[no-any-return]


def exp(x: Value | Number) -> Value | float:
    """``e ** x``: a ``Value`` node for a ``Value``, a float for a plain number.

    >>> exp(0.0)
    1.0
    """
    return _apply(EXP, x)


def log(x: Value | Number) -> Value | float:
    """Natural logarithm; ``ValueError`` naming ``x`` for x <= 0.

    >>> log(1.0)
    0.0
    """
    return _apply(LOG, x)


def sigmoid(x: Value | Number) -> Value | float:
    """Logistic function ``1 / (1 + e**-x)``, finite for every finite input.

    >>> sigmoid(0.0)
    0.5
    """
    return _apply(SIGMOID, x)


def tanh(x: Value | Number) -> Value | float:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return _apply(TANH, x)


def relu(x: Value | Number) -> Value | float:
    """``max(x, 0)``; its derivative at 0 is 0, as in PyTorch.

    >>> relu(-1.0)
    0.0
    """
    return _apply(RELU, x)


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


def _to_values(arg: Argument) -> Value | list[Value]:
    if is_sequence(arg):
        return [Value(x) for x in arg]  # type: ignore[union-attr]
    return Value(arg)  # type: ignore[arg-type]


def _grads(leaves: Value | list[Value]) -> Gradient:
    return [x.grad for x in leaves] if isinstance(leaves, list) else leaves.grad


def _evaluate(f: Callable[..., Any], leaves: list[Value | list[Value]]) -> Value | float:
    out = f(*leaves)
    if isinstance(out, Value):
        return out
    try:
        return _as_float(out)
    except TypeError:
        raise TypeError(f"the function must return a Value or a number, got {type(out).__name__}") from None


def value_and_grad(f: Callable[..., Any]) -> Callable[..., tuple[float, Any]]:
    """``f``'s value and its gradient with respect to every argument, over plain numbers.

    ``f`` is written with ``Value`` operations; the returned function takes numbers (or
    flat sequences of numbers) and returns ``(value, gradient)``. The gradient is a
    tuple with one entry per argument (a float, or a list of floats for a sequence),
    or the entry itself when ``f`` takes a single argument.

    >>> value_and_grad(lambda x, y: x * y + y)(2.0, 3.0)
    (9.0, (3.0, 3.0))
    >>> value_and_grad(lambda x: x ** 2)(3.0)
    (9.0, 6.0)
    """

    @functools.wraps(f)
    def wrapped(*args: Argument) -> tuple[float, Any]:
        leaves = [_to_values(a) for a in args]
        out = _evaluate(f, leaves)
        if isinstance(out, Value):
            out.backward()
            value = out.data
        else:
            value = out
        grads = tuple(_grads(x) for x in leaves)
        return value, grads[0] if len(grads) == 1 else grads

    return wrapped


def grad(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``'s gradient with respect to every argument, as in JAX or HIPS autograd.

    >>> grad(lambda a, b, c: 3 * (a + b * c))(5.0, 3.0, 2.0)
    (3.0, 6.0, 9.0)
    >>> grad(lambda w: (w[0] * w[1]).sigmoid())([0.0, 2.0])
    [0.5, 0.0]
    """
    with_value = value_and_grad(f)

    @functools.wraps(f)
    def wrapped(*args: Argument) -> Any:
        return with_value(*args)[1]

    return wrapped


@dataclass(frozen=True)
class GradCheck:
    """The outcome of :func:`check_grad`: both gradients and the worst error per argument.

    ``errors[i]`` is the largest ``|graph − numeric| / max(|graph|, |numeric|, 1)`` over
    the entries of argument ``i``: a relative error for gradients above 1, an absolute
    one below, so that a gradient of exactly zero does not make noise look large.
    A nan or infinite gradient on either side that the other does not match counts as an
    infinite error. ``ok`` is ``max(errors) <= tolerance``. ``str()`` gives a table.

    >>> result = check_grad(lambda x, y: x * y.exp(), 2.0, 0.5)
    >>> result.ok, len(result.errors)
    (True, 2)
    """

    graph: tuple[Gradient, ...]
    numeric: tuple[Gradient, ...]
    errors: tuple[float, ...]
    tolerance: float

    @property
    def worst(self) -> float:
        """The largest error over all arguments."""
        return max(self.errors, default=0.0)

    @property
    def ok(self) -> bool:
        """Whether every argument's error is within ``tolerance``."""
        return self.worst <= self.tolerance

    def __str__(self) -> str:
        rows = [f"{'arg':>4}  {'graph':>22}  {'central difference':>22}  {'worst error':>11}"]
        for i, (g, n, e) in enumerate(zip(self.graph, self.numeric, self.errors, strict=True)):
            rows.append(f"{i:>4}  {_short(g):>22}  {_short(n):>22}  {e:>11.2e}")
        verdict = "ok" if self.ok else "MISMATCH"
        rows.append(f"{verdict}: worst error {self.worst:.2e} (tolerance {self.tolerance:.0e})")
        return "\n".join(rows)


def _short(g: Gradient) -> str:
    if isinstance(g, list):
        return f"[{len(g)} values]" if len(g) > 2 else "[" + ", ".join(f"{x:.6g}" for x in g) + "]"
    return f"{g:.12g}"


def check_grad(f: Callable[..., Any], *args: Argument, tolerance: float = 1e-6) -> GradCheck:
    """Compare ``f``'s graph gradient with central differences at ``args``.

    Each argument (a number or a flat sequence of numbers) is nudged by
    ``h = 6e-6 · max(1, |x|)`` either way: ``(f(x+h) − f(x−h)) / 2h``.

    >>> print(check_grad(lambda x: x.log(), 2.0))  # doctest: +ELLIPSIS
     arg                   graph      central difference  worst error
       0                     0.5          0.500000000001     ...e-13
    ok: worst error ...e-13 (tolerance 1e-06)
    """
    _, graph = value_and_grad(f)(*args)
    graph = graph if len(args) != 1 else (graph,)
    numeric: list[Gradient] = []
    errors: list[float] = []
    for i, arg in enumerate(args):
        flat = [_as_float(x) for x in arg] if is_sequence(arg) else [_as_float(arg)]  # type: ignore[union-attr]
        slopes = []
        for j, x in enumerate(flat):
            h = 6e-6 * max(1.0, abs(x))
            up, down = _nudged(args, i, j, x + h), _nudged(args, i, j, x - h)
            slopes.append((_plain(f, up) - _plain(f, down)) / (2 * h))
        analytic = graph[i] if isinstance(graph[i], list) else [graph[i]]
        numeric.append(slopes if isinstance(graph[i], list) else slopes[0])
        errors.append(max(map(_error, analytic, slopes), default=0.0))
    return GradCheck(tuple(graph), tuple(numeric), tuple(errors), tolerance)


def _error(graph: float, numeric: float) -> float:
    """Relative error above 1, absolute below (see :class:`GradCheck`); infinite where either is nan or infinite."""
    if graph == numeric:
        return 0.0
    if not (math.isfinite(graph) and math.isfinite(numeric)):
        return math.inf
    return abs(graph - numeric) / max(abs(graph), abs(numeric), 1.0)


def _nudged(args: tuple[Argument, ...], i: int, j: int, x: float) -> tuple[Argument, ...]:
    """``args`` with entry ``j`` of argument ``i`` replaced by ``x``."""
    arg = args[i]
    if is_sequence(arg):
        replaced: Argument = [x if k == j else v for k, v in enumerate(arg)]  # type: ignore[union-attr]
    else:
        replaced = x
    return (*args[:i], replaced, *args[i + 1 :])


def _plain(f: Callable[..., Any], args: tuple[Argument, ...]) -> float:
    out = _evaluate(f, [_to_values(a) for a in args])
    return out.data if isinstance(out, Value) else out
