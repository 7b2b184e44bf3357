"""Replaying a tape on arrays: every per-example node computed for a whole batch at once.

The primitives' rules run on arrays through :class:`ArrayMath`, the math namespace of an
array library (NumPy, or any Array API namespace through ``array-api-compat``: Dask,
PyTorch, CuPy). A node is per example when any of its operands is; its value is an array
with one entry per example. Shared nodes (parameters and what is computed from them
alone) stay floats, computed by the eager engine's float rules. Backward runs the same
loop as :meth:`minigrad.Value.backward`; a gradient flowing from a per-example node
into a shared one is summed over the batch.

Errors: NumPy would give inf or nan (and a warning) where the eager engine raises. Here
nothing warns; every per-example value is checked, and an example whose values are not
finite, or whose operand was outside a function's domain, is run again by the eager
engine, so the error raised is the eager engine's own, prefixed with the example's index.

>>> import numpy as np
>>> from minigrad.tracing.tape import record
>>> tape = record(lambda w, x: (w * x).log(), (2.0, 1.0), (1,))
>>> value, grads, _ = replay(tape, [2.0, np.array([1.0, 3.0])], want_grad=True)
>>> round(value, 12), grads  # log 2 + log 6; d/dw: 1/w per example
(2.484906649788, (1.0,))
>>> replay(tape, [2.0, np.array([1.0, -3.0])], want_grad=False)
Traceback (most recent call last):
...
ValueError: example 1: log(x) needs x > 0, got log(-6.0)
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from minigrad import scalar
from minigrad.engine import Value, _check_overflow, _for_parents
from minigrad.tracing.linear import Linear, plan
from minigrad.tracing.tape import COMPARISONS, Guard, Tape, flat, leaves_for

__all__ = ["ArrayMath", "GuardError", "Partial", "is_batch", "namespace_of", "replay", "row", "with_index"]


class GuardError(RuntimeError):
    """A batch takes more branches than a program keeps traces for (a Python ``if`` on a ``Value`` in ``f``).

    >>> from minigrad import trace
    >>> program = trace(lambda x: x * round(x, 2), 0.5, batched=(0,))  # one branch per value of round(x, 2)
    >>> program(np.linspace(0.0, 1.0, 40))
    Traceback (most recent call last):
    ...
    minigrad.tracing.arrays.GuardError: example 7 takes another branch than the 8 traces made so far ...
    """


class Partial(Exception):
    """Some examples take another branch than the trace: ``holds`` says which ones follow it.

    >>> Partial(np.array([True, False])).args
    ('1 of 2 examples follow the trace',)
    """

    def __init__(self, holds: np.ndarray) -> None:
        super().__init__(f"{int(holds.sum())} of {holds.size} examples follow the trace")
        self.holds = holds


def namespace_of(*arrays: Any) -> Any:
    """The array library of ``arrays``: NumPy itself for NumPy arrays, else the Array API namespace.

    >>> namespace_of(np.zeros(2)) is np
    True
    """
    if all(isinstance(a, np.ndarray) for a in arrays):
        return np
    try:
        from array_api_compat import array_namespace
    except ImportError:
        raise TypeError(
            "arrays other than NumPy's need array-api-compat: pip install 'minigrad-autograd[arrays]'"
        ) from None
    return array_namespace(*arrays)


def is_batch(arg: Any, example: Value | list[Value]) -> bool:
    """Whether ``arg`` holds a batch of examples (one more dimension than the traced example) rather than one.

    >>> is_batch(np.zeros(3), Value(1.0)), is_batch([1.0, 2.0], [Value(1.0), Value(2.0)])
    (True, False)
    """
    ndim = getattr(arg, "ndim", None)
    if ndim is None:
        if isinstance(arg, (list, tuple)) and arg and isinstance(arg[0], (list, tuple)):
            return True
        return isinstance(arg, (list, tuple)) and not isinstance(example, list)
    return int(ndim) > (1 if isinstance(example, list) else 0)


class ArrayMath:
    """The math namespace (:data:`minigrad.primitives.NAMESPACE`) on arrays of ``xp``, recording domain errors.

    Each function computes element-wise without warnings; where an input is outside the
    function's domain, the examples concerned are noted in ``suspects`` (the eager engine
    raises for them). Plain floats (shared values) go through :mod:`minigrad.scalar`.

    >>> m = ArrayMath(np)
    >>> with np.errstate(invalid="ignore"):
    ...     m.log(np.array([1.0, -1.0]))
    array([ 0., nan])
    >>> m.suspects
    [array([False,  True])]
    """

    def __init__(self, xp: Any) -> None:
        self.xp = xp
        self.suspects: list[Any] = []

    def _flag(self, bad: Any) -> None:
        self.suspects.append(bad)

    def _unary(self, name: str, x: Any) -> Any:
        if isinstance(x, float):
            return getattr(scalar, name)(x)
        return getattr(self.xp, name)(x)

    def div(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.div(x, y)
        self._flag(y == 0.0)
        return x / y

    def exp(self, x: Any) -> Any:
        return self._unary("exp", x)

    def expm1(self, x: Any) -> Any:
        return self._unary("expm1", x)

    def log(self, x: Any) -> Any:
        if not isinstance(x, float):
            self._flag(x <= 0.0)
        return self._unary("log", x)

    def log1p(self, x: Any) -> Any:
        if not isinstance(x, float):
            self._flag(x <= -1.0)
        return self._unary("log1p", x)

    def sqrt(self, x: Any) -> Any:
        if not isinstance(x, float):
            self._flag(x < 0.0)
        return self._unary("sqrt", x)

    def sin(self, x: Any) -> Any:
        return self._unary("sin", x)

    def cos(self, x: Any) -> Any:
        return self._unary("cos", x)

    def tan(self, x: Any) -> Any:
        return self._unary("tan", x)

    def sinh(self, x: Any) -> Any:
        return self._unary("sinh", x)

    def cosh(self, x: Any) -> Any:
        return self._unary("cosh", x)

    def tanh(self, x: Any) -> Any:
        return self._unary("tanh", x)

    def sigmoid(self, x: Any) -> Any:
        if isinstance(x, float):
            return scalar.sigmoid(x)
        return 1.0 / (1.0 + self.xp.exp(-x))  # where exp(−x) overflows, 1/inf = 0.0, as scalar.sigmoid gives

    def relu(self, x: Any) -> Any:
        if isinstance(x, float):
            return scalar.relu(x)
        return self.xp.where(x <= 0.0, 0.0, x)

    def abs(self, x: Any) -> Any:
        return scalar.abs(x) if isinstance(x, float) else self.xp.abs(x)

    def sign(self, x: Any) -> Any:
        return scalar.sign(x) if isinstance(x, float) else self.xp.sign(x)

    def heaviside(self, x: Any, at_zero: Any) -> Any:
        if isinstance(x, float) and isinstance(at_zero, float):
            return scalar.heaviside(x, at_zero)
        if self.xp is np and isinstance(x, np.ndarray) and isinstance(at_zero, float):
            out = (x > 0.0).astype(float)  # four times faster than np.heaviside
            if at_zero != 0.0:
                out += (x == 0.0) * at_zero
            undefined = np.isnan(x)
            if undefined.any():
                out[undefined] = np.nan  # nan stays nan, as in scalar.heaviside
            return out
        where = self.xp.where
        return where(x > 0.0, 1.0, where(x < 0.0, 0.0, where(x == 0.0, at_zero, x)))

    def maximum(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.maximum(x, y)
        return self.xp.maximum(x, y)

    def minimum(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.minimum(x, y)
        return self.xp.minimum(x, y)

    def pow(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.pow(x, y)
        self._flag(((x == 0.0) & (y < 0.0)) | ((x < 0.0) & (self.xp.floor(y) != y)))
        return x**y

    def pow_ieee(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.pow_ieee(x, y)
        return x**y

    def xlogy(self, x: Any, y: Any) -> Any:
        if isinstance(x, float) and isinstance(y, float):
            return scalar.xlogy(x, y)
        self._flag((x != 0.0) & (y < 0.0))
        return self.xp.where(x == 0.0, 0.0, x * self.xp.log(y))


@contextlib.contextmanager
def _quiet(xp: Any) -> Iterator[None]:
    """No floating-point warnings: the checks below say what is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if xp is np:
            with np.errstate(all="ignore"):
                yield
        else:
            yield


def replay(
    tape: Tape, args: Sequence[Any], want_grad: bool, positions: Sequence[int] | np.ndarray | None = None
) -> tuple[float, tuple[Any, ...], dict[Value, float]]:
    """``(value, shared-argument gradients, captured-leaf gradients)`` of ``tape``, summed over a batch.

    ``args``: the batched arguments as arrays with one row per example, the others as in
    the trace. ``positions``: the examples' numbers in errors (default 0, 1, ...). When
    some examples take another branch than the trace, :class:`Partial` says which follow it.
    """
    batched = [args[i] for i in tape.batched]
    xp = namespace_of(*[a for a in batched if hasattr(a, "shape")] or [np.zeros(0)])
    values: dict[Value, Any] = {}
    matrices: dict[int, Any] = {}
    m = None
    for i, (name, leaf) in enumerate(zip(tape.names, tape.leaves, strict=True)):
        arg = args[i]
        if i in tape.batched:
            array = xp.asarray(arg, dtype=xp.float64) if xp is not np else np.asarray(arg, dtype=float)
            rows = int(array.shape[0])
            expected = (rows, len(leaf)) if isinstance(leaf, list) else (rows,)
            if tuple(array.shape) != expected:
                shape = "(m, " + str(len(leaf)) + ")" if isinstance(leaf, list) else "(m,)"
                raise ValueError(f"argument {name}: a batch must have the shape {shape}, got {tuple(array.shape)}")
            if m is not None and rows != m:
                raise ValueError(f"argument {name} has {rows} examples, the ones before it {m}")
            m = rows
            if isinstance(leaf, list):
                matrices[i] = array
                for j, x in enumerate(leaf):
                    values[x] = array[:, j]  # a view: nodes that read a whole row use the matrix (linear.py)
            else:
                values[leaf] = array
        elif isinstance(leaf, list):
            numbers = list(arg)
            if len(numbers) != len(leaf):
                raise ValueError(f"argument {name} has {len(numbers)} numbers, the trace was made with {len(leaf)}")
            values.update(zip(leaf, map(float, numbers), strict=True))
        else:
            values[leaf] = float(arg)
    if not m:
        raise ValueError("a batch of no examples has no value")
    for leaf in tape.captured:
        values[leaf] = leaf.data
    where: Any = range(m) if positions is None else positions
    with _quiet(xp):
        try:
            result = _run(tape, values, matrices, xp, m, want_grad)
        except (ArithmeticError, ValueError):
            result = None
        if result is None:
            _explain(tape, args, range(m), where)
            raise AssertionError("the batch failed, but no example fails on its own")  # pragma: no cover
        value, grads, suspects, guard_failures = result
        if guard_failures:
            raise Partial(~_mask(list(guard_failures.values()), m))
        if suspects is not None:
            _explain(tape, args, _mask([suspects], m).nonzero()[0].tolist(), where)
        return _finish(tape, value, grads, m)


def _run(
    tape: Tape, values: dict[Value, Any], matrices: dict[int, Any], xp: Any, m: int, want_grad: bool
) -> tuple[Any, dict[Value, Any], Any, dict[int, Any]]:
    math_ = ArrayMath(xp)
    local: dict[Value, Any] = {}
    per_example = tape.per_example
    plans = _plans(tape)
    total: Any = 0.0
    for node in tape.order:
        if not node.parents:
            continue
        operands = [values[x] if isinstance(x, Value) else x for x in node.operands]
        primitive = node.primitive
        linear = plans.get(node)
        if linear is not None:
            out = linear.forward(operands, matrices[linear.matrix])
            total = _accumulate(total, out, xp)
            values[node] = out
            local[node] = (linear, operands)
            continue
        if node in per_example:
            out, local_grads = primitive.rule(math_, *operands)  # type: ignore[union-attr]
            total = _accumulate(total, out, xp)
        else:
            out, local_grads = primitive.rule(scalar, *operands)  # type: ignore[union-attr]
            if out - out != 0.0:
                _check_overflow(primitive, tuple(operands))  # type: ignore[arg-type]
        values[node] = out
        local[node] = _for_parents(primitive, node.operands, tuple(local_grads))[1]  # type: ignore[arg-type]
    suspects = _suspects(xp, math_.suspects, total)
    guard_failures = {}
    for index, guard in enumerate(tape.guards):
        failing = _guard_fails(guard, values)
        if failing is not False:
            guard_failures[index] = failing
    root = tape.root
    value = values[root] if isinstance(root, Value) else root
    grads = _backward(tape, values, local, matrices, xp, m) if want_grad else {}
    return value, grads, suspects, guard_failures


def _accumulate(total: Any, out: Any, xp: Any) -> Any:
    """``total + out``, in place where it can be: a running sum is inf or nan iff some term was."""
    if xp is np and isinstance(total, np.ndarray) and isinstance(out, np.ndarray) and total.shape == out.shape:
        total += out
        return total
    if xp is np and isinstance(out, np.ndarray) and isinstance(total, float):
        return out + total  # a new array: the node's own value stays as it is
    return total + out


def _suspects(xp: Any, masks: list[Any], total: Any) -> Any:
    """The examples to check with the eager engine (a boolean array), or ``None`` when none are."""
    bad: Any = False
    for mask in [*masks, ~xp.isfinite(total) if not isinstance(total, float) else not math.isfinite(total)]:
        bad = bad | mask
    if isinstance(bad, bool):
        return True if bad else None
    return bad if bool(xp.any(bad)) else None


def _guard_fails(guard: Guard, values: dict[Value, Any]) -> Any:
    """Where the guard does not hold: a boolean array, ``True``/``False`` for a shared value."""
    x = values[guard.value]
    if guard.how in COMPARISONS:
        other = values[guard.other] if isinstance(guard.other, Value) else guard.other
        test = {"<": x < other, "<=": x <= other, ">": x > other, ">=": x >= other}[guard.how]
        holds = test if guard.result else ~test if not isinstance(test, bool) else not test
    elif guard.how == "bool":
        holds = (x != 0.0) if guard.result else (x == 0.0)
    else:
        holds = x == guard.value.data
    if isinstance(holds, (bool, np.bool_)):
        return not holds
    fails = ~holds
    return fails if bool(fails.any()) else False


def _mask(masks: list[Any], m: int) -> np.ndarray:
    """The union of boolean masks (``True``: every example) as one NumPy array."""
    bad = np.zeros(m, dtype=bool)
    for mask in masks:
        if mask is None or mask is False:
            continue
        if mask is True:
            return np.ones(m, dtype=bool)
        bad |= np.asarray(mask, dtype=bool)
    return bad


def _explain(tape: Tape, args: Sequence[Any], examples: Any, positions: Any) -> None:
    """Raise the eager engine's error for the first of ``examples`` (rows of ``args``) that has one."""
    for i in examples:
        _run_eagerly(tape, args, i, int(positions[i]))


def _run_eagerly(tape: Tape, args: Sequence[Any], i: int, position: int) -> None:
    """Run the tape's nodes on example ``i`` alone with the eager engine: its errors, with the index."""
    example = [row(a, i) if k in tape.batched else a for k, a in enumerate(args)]
    leaves = leaves_for(tape.names, example)
    made: dict[Value, Any] = {}
    for leaf, mine in zip(tape.leaves, leaves, strict=True):
        made.update(zip(flat(leaf), flat(mine), strict=True))
    try:
        for node in tape.order:
            if node in made:
                continue
            if not node.parents:
                made[node] = node
                continue
            operands = [made[x] if isinstance(x, Value) else x for x in node.operands]
            made[node] = node.primitive(*operands)  # type: ignore[misc]
    except (ArithmeticError, ValueError) as error:
        raise with_index(error, position) from error


def with_index(error: Exception, i: int) -> Exception:
    """``error`` with ``example i:`` in front of its message (the same type).

    >>> with_index(ValueError("log(x) needs x > 0"), 3)
    ValueError('example 3: log(x) needs x > 0')
    """
    try:
        return type(error)(f"example {i}: {error}")
    except Exception:  # an exception type that does not take one message
        return error


def row(arg: Any, i: int) -> Any:
    """Example ``i`` of a batched argument: a float, or a list of floats.

    >>> row(np.array([[1.0, 2.0], [3.0, 4.0]]), 1), row(np.array([5.0, 6.0]), 0)
    ([3.0, 4.0], 5.0)
    """
    row = arg[i]
    if hasattr(row, "tolist"):
        return row.tolist() if getattr(row, "ndim", 0) else float(row)
    if hasattr(row, "compute"):
        row = row.compute()
    return row


def _plans(tape: Tape) -> dict[Value, Linear]:
    """The nodes of ``tape`` that run as a matrix product over a batch (found once per tape)."""
    if tape.plans is None:
        matrices = [(i, leaf) for i in tape.batched if isinstance(leaf := tape.leaves[i], list)]  # (m, n) arguments
        column_of = {x: (i, j) for i, leaf in matrices for j, x in enumerate(leaf)}
        found = {node: plan(node, column_of, tape.per_example) for node in tape.order if node in tape.per_example}
        tape.plans = {node: p for node, p in found.items() if p is not None}
    return tape.plans


def _backward(
    tape: Tape, values: dict[Value, Any], local: dict[Value, Any], matrices: dict[int, Any], xp: Any, m: int
) -> dict[Value, Any]:
    root = tape.root
    if not isinstance(root, Value):
        return {}
    shared = [i for i in range(len(tape.leaves)) if i not in tape.batched]
    wanted = {x for i in shared for x in flat(tape.leaves[i])} | set(tape.captured)
    needs: set[Value] = set()
    for node in tape.order:
        if node in wanted or any(p in needs for p in node.parents):
            needs.add(node)
    per_example = tape.per_example
    grads: dict[Value, Any] = {root: 1.0}
    dot = np.dot if xp is np else None
    for node in reversed(tape.order):
        if node not in grads or not node.parents:
            continue
        g = grads[node]
        batch = node in per_example
        node_local = local[node]
        column_grads = None
        if isinstance(node_local, tuple) and isinstance(node_local[0], Linear):
            linear, operands = node_local
            edges = _edges(node)
            node_local = [operands[linear.local[i]] for i in edges]  # the rule gives one per operand
        for k, (parent, d) in enumerate(zip(node.parents, node_local, strict=True)):
            if parent not in needs:
                continue
            if node in tape.plans and parent not in per_example and edges[k] in linear.partner:  # type: ignore[operator]
                if column_grads is None:
                    column_grads = linear.column_grads(matrices[linear.matrix], g)
                contribution = column_grads[linear.partner[edges[k]]]
            elif batch and parent not in per_example:  # summed over the batch
                if isinstance(g, float) and isinstance(d, float):
                    contribution = g * d * m
                elif isinstance(g, float):
                    contribution = g * xp.sum(d)
                elif isinstance(d, float):
                    contribution = xp.sum(g) * d
                else:
                    contribution = dot(g, d) if dot is not None else xp.sum(g * d)
            else:
                contribution = g if isinstance(d, float) and d == 1.0 else g * d
            grads[parent] = grads[parent] + contribution if parent in grads else contribution
    return grads


def _edges(node: Value) -> list[int]:
    """The operand index of each of ``node``'s edges to a parent (the order of ``node.parents``)."""
    constant = node.primitive.constant if node.primitive is not None else None
    return [i for i, x in enumerate(node.operands) if i != constant and isinstance(x, Value)]


def _finish(
    tape: Tape, value: Any, grads: dict[Value, Any], m: int
) -> tuple[float, tuple[Any, ...], dict[Value, float]]:
    """The sums over the batch as floats, the gradients shaped like the arguments."""
    total = float(value.sum()) if hasattr(value, "shape") else float(value) * m
    if not math.isfinite(total) and np.isfinite(np.asarray(value)).all():  # finite values, an infinite sum
        raise OverflowError(f"the sum of f over the batch of {m} examples overflows a float")
    number = float

    shaped: list[Any] = []
    for i, leaf in enumerate(tape.leaves):
        if i in tape.batched:
            continue
        if isinstance(leaf, list):
            shaped.append([number(grads[x]) if x in grads else 0.0 for x in leaf])
        else:
            shaped.append(number(grads[leaf]) if leaf in grads else 0.0)
    captured = {x: number(grads[x]) if x in grads else 0.0 for x in tape.captured}
    return total, tuple(shaped), captured
