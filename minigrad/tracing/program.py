"""``minigrad.trace``: record a function's graph once, then run it as generated code or over arrays.

>>> import minigrad
>>> def J(a, b, c):
...     return 3 * (a + b * c)
>>> program = minigrad.trace(J, 5.0, 3.0, 2.0)
>>> program(5.0, 3.0, 2.0)
33.0
>>> program.value_and_grad(1.0, 2.0, 4.0)
(27.0, (3.0, 12.0, 6.0))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.engine import Value, _as_float, gradients
from minigrad.functional import as_integer, is_sequence
from minigrad.tracing.arrays import GuardError, Partial, is_batch, replay, row, with_index
from minigrad.tracing.codegen import Compiled, GuardFailed, NotFinite, generate
from minigrad.tracing.tape import Tape, flat, record

__all__ = ["Program", "trace"]

SPECIALISATIONS = 8
"""How many traces (one per set of branches taken) a program keeps before it stops re-tracing."""

Result = tuple[float, tuple[Any, ...], dict[Value, float]]
"""A run's value, the gradients of the shared arguments, and those of the captured leaves."""

SMALL_BATCH = 16
"""Batches up to this size run the generated float code example by example (faster than arrays there)."""


class Program:
    """A traced function: its value and gradients computed without making ``Value`` nodes.

    Made by :func:`trace`. Call it like the function, with numbers and sequences of
    numbers: ``program(*args)`` is the value, ``program.value_and_grad(*args)`` the value
    and the gradients of the shared (not batched) arguments, ``program.backward(*args)``
    adds the gradients of the leaves ``f`` did not get as arguments (a model's
    parameters) to their ``.grad``, as ``loss.backward()`` would, and returns the value.

    On plain numbers it runs the generated code (``print(program)`` shows it): the same
    float operations as the eager engine, so the same bits. Where the eager engine would
    raise (``log`` of a negative number, a division by zero, an overflow) the eager engine
    runs instead and raises its own error. When an input takes another branch than the
    traced one (a guard fails), ``f`` is traced again for it (up to
    :data:`SPECIALISATIONS` traces are kept).

    With a batch for the batched arguments (a NumPy array, or another Array API array,
    with one row per example) every example is computed at once: the value is the sum
    over the batch (the mean if the program was made with ``mean=True``), and so are the
    gradients. Each example's numbers are the eager engine's operations on arrays, but the
    sums over the batch are NumPy's (pairwise, matrix products), so they agree with a loop
    of eager runs to rounding (1e-12 relative in the tests), not bit for bit. An example
    that fails raises the eager engine's error with its index, an example that takes
    another branch raises :class:`GuardError`.

    >>> import numpy as np
    >>> from minigrad import trace
    >>> program = trace(lambda w, x, y: (w[0] * x + w[1] - y) ** 2, [1.0, 0.0], 1.0, 2.0, batched=(1, 2), mean=True)
    >>> program.value_and_grad([1.0, 0.0], 1.0, 2.0)
    (1.0, [-2.0, -2.0])
    >>> program.value_and_grad([1.0, 0.0], np.array([1.0, 2.0]), np.array([2.0, 2.0]))
    (0.5, [-1.0, -1.0])
    """

    def __init__(
        self, f: Callable[..., Any], example_args: Sequence[Any], batched: Any = (), mean: bool = False
    ) -> None:
        self._f = f
        self.batched = _batched(batched, len(example_args))
        self.mean = bool(mean)
        self._traces: list[Compiled] = [generate(record(f, example_args, self.batched))]

    @property
    def source(self) -> str:
        """The forward and backward pass of the first trace, as the Python code that runs."""
        return self._traces[0].source

    @property
    def tape(self) -> Tape:
        """The first trace's recorded graph (its nodes in order, its guards)."""
        return self._traces[0].tape

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        tape = self.tape
        nodes = sum(1 for n in tape.order if n.parents)
        batched = f", batched={self.batched}" if self.batched else ""
        return f"<minigrad.Program {getattr(self._f, '__name__', 'f')}: {nodes} operations{batched}>"

    def __call__(self, *args: Any) -> float:
        return self._run(args, want_grad=False)[0]

    def value_and_grad(self, *args: Any) -> tuple[float, Any]:
        """The value and the gradient of every shared argument (one entry, or a tuple for several).

        >>> from minigrad import trace
        >>> trace(lambda x, y: x * y, 2.0, 3.0).value_and_grad(4.0, 5.0)
        (20.0, (5.0, 4.0))
        """
        if self.batched or len(args) != len(self.tape.leaves):
            value, grads, _ = self._run(args, want_grad=True)
        else:  # all shared: one example on floats (the same as _run, a call fewer)
            value, grads, _ = self._run_example(args, want_grad=True)
        return value, grads[0] if len(grads) == 1 else grads

    def backward(self, *args: Any) -> float:
        """The value; adds the gradient of every captured leaf (a ``Value`` not an argument) to its ``.grad``.

        >>> from minigrad import Value, trace
        >>> w = Value(2.0, "w")
        >>> program = trace(lambda x: w * x, 3.0)
        >>> program.backward(3.0), w.grad
        (6.0, 3.0)
        """
        value, _, captured = self._run(args, want_grad=True)
        for leaf, g in captured.items():
            before = leaf.grad
            leaf.grad = g if before.__class__ is float and before == 0.0 else before + g
        return value

    # ----------------------------------------------------------------- running

    def _run(self, args: tuple[Any, ...], want_grad: bool) -> Result:
        if len(args) != len(self.tape.leaves):
            raise TypeError(f"this program takes {len(self.tape.leaves)} arguments, got {len(args)}")
        if self.batched and any(is_batch(args[i], self.tape.leaves[i]) for i in self.batched):
            value, grads, captured, m = self._run_batch(args, want_grad)
            if self.mean:
                value = value / m
                grads = tuple([g / m for g in x] if isinstance(x, list) else x / m for x in grads)
                captured = {leaf: g / m for leaf, g in captured.items()}
            return value, grads, captured
        return self._run_example(args, want_grad)

    def _run_example(self, args: tuple[Any, ...] | list[Any], want_grad: bool) -> Result:
        """One example, on floats: the generated code of the first trace whose guards hold."""
        for compiled in self._traces:
            numbers = _numbers(compiled.tape, args)
            leaves = compiled.tape.captured
            extra = (tuple(leaf.data for leaf in leaves),) if leaves else ()
            try:
                if not want_grad:
                    return compiled.forward(*numbers, *extra), (), {}
                if not leaves:
                    value, grads = compiled.value_and_grad(*numbers)
                    return value, _plus_zero(grads), {}
                value, grads, captured = compiled.value_and_grad(*numbers, *extra)
                return value, _plus_zero(grads), {leaf: g + 0.0 for leaf, g in zip(leaves, captured, strict=True)}
            except GuardFailed:
                continue
            except (NotFinite, ArithmeticError, ValueError):
                return _eagerly(record(self._f, numbers, self.batched))  # the eager engine's numbers, or its error
        tape = record(self._f, _numbers(self.tape, args), self.batched)
        if len(self._traces) < SPECIALISATIONS:
            self._traces.append(generate(tape))
        return _eagerly(tape)

    def _run_batch(
        self, args: tuple[Any, ...], want_grad: bool
    ) -> tuple[float, tuple[Any, ...], dict[Value, float], int]:
        """A batch: sums over its examples of the value and the gradients, and the number of examples."""
        m = _batch_size(args, self.batched)
        small = m <= SMALL_BATCH and all(isinstance(args[i], (np.ndarray, list, tuple)) for i in self.batched)
        total = _Sums(self.tape)
        if small:  # a few examples: the generated float code, one example after the other
            for i in range(m):
                example = [row(a, i) if k in self.batched else a for k, a in enumerate(args)]
                try:
                    total.add(*self._run_example(example, want_grad))
                except (ArithmeticError, ValueError) as error:
                    raise with_index(error, i) from error
            return total.value, total.shaped(), total.captured, m
        left = np.arange(m)
        while left.size:
            for compiled in self._traces:
                part = _take(args, self.batched, left) if left.size < m else args
                try:
                    total.add(*replay(compiled.tape, part, want_grad, left if left.size < m else None))
                    left = left[:0]
                    break
                except Partial as partial:
                    if partial.holds.any():
                        follow = left[partial.holds]
                        total.add(*replay(compiled.tape, _take(args, self.batched, follow), want_grad, follow))
                        left = left[~partial.holds]
            else:
                self._retrace_for(args, int(left[0]))
        return total.value, total.shaped(), total.captured, m

    def _retrace_for(self, args: tuple[Any, ...], i: int) -> None:
        """A new trace from example ``i`` of a batch, whose branches no trace so far follows."""
        if len(self._traces) >= SPECIALISATIONS:
            raise GuardError(
                f"example {i} takes another branch than the {len(self._traces)} traces made so far "
                "(a Python `if` on a Value inside the traced function); run it eagerly"
            )
        example = [row(a, i) if k in self.batched else a for k, a in enumerate(args)]
        try:
            tape = record(self._f, _numbers(self.tape, example), self.batched)
        except (ArithmeticError, ValueError) as error:
            raise with_index(error, i) from error
        self._traces.append(generate(tape))


class _Sums:
    """Running sums of values and gradients over examples (or parts of a batch)."""

    def __init__(self, tape: Tape) -> None:
        self.value = 0.0
        self.leaves = [leaf for i, leaf in enumerate(tape.leaves) if i not in tape.batched]
        self.grads: list[Any] | None = None
        self.captured: dict[Value, float] = {}

    def add(self, value: float, grads: tuple[Any, ...], captured: dict[Value, float]) -> None:
        self.value = self.value + value
        if grads:
            if self.grads is None:
                self.grads = [list(g) if isinstance(g, list) else g for g in grads]
            else:
                for k, g in enumerate(grads):
                    if isinstance(g, list):
                        self.grads[k] = [a + b for a, b in zip(self.grads[k], g, strict=True)]
                    else:
                        self.grads[k] = self.grads[k] + g
        for leaf, g in captured.items():
            self.captured[leaf] = self.captured[leaf] + g if leaf in self.captured else g

    def shaped(self) -> tuple[Any, ...]:
        if self.grads is not None:
            return tuple(self.grads)
        return tuple([0.0] * len(leaf) if isinstance(leaf, list) else 0.0 for leaf in self.leaves)


def _batch_size(args: tuple[Any, ...], batched: tuple[int, ...]) -> int:
    for i in batched:
        if getattr(args[i], "ndim", 1) == 0 or not (hasattr(args[i], "shape") or hasattr(args[i], "__len__")):
            raise TypeError(f"argument {i} is batched: give one row per example (an array or a list), got {args[i]!r}")
    sizes = {len(args[i]) if not hasattr(args[i], "shape") else int(args[i].shape[0]) for i in batched}
    if len(sizes) != 1:
        raise ValueError(f"the batched arguments have different numbers of examples: {sorted(sizes)}")
    (m,) = sizes
    if m == 0:
        raise ValueError("a batch of no examples has no value")
    return m


def _take(args: tuple[Any, ...], batched: tuple[int, ...], rows: np.ndarray) -> tuple[Any, ...]:
    """The arguments with only the given rows of the batched ones."""
    return tuple((a[rows] if hasattr(a, "shape") else np.asarray(a, dtype=float)[rows]) if k in batched else a
                 for k, a in enumerate(args))


def _numbers(tape: Tape, args: Sequence[Any]) -> list[Any]:
    """The arguments as floats and lists of floats, of the lengths the trace was made with."""
    out: list[Any] = []
    for name, leaf, arg in zip(tape.names, tape.leaves, args, strict=True):
        if isinstance(leaf, list):
            if not is_sequence(arg):
                raise TypeError(f"argument {name} must be a sequence of {len(leaf)} numbers, got {type(arg).__name__}")
            numbers = [_as_float(x) for x in arg]
            if len(numbers) != len(leaf):
                raise ValueError(f"argument {name} has {len(numbers)} numbers, the trace was made with {len(leaf)}")
            out.append(numbers)
        elif arg.__class__ is float:
            out.append(arg)
        else:
            if is_sequence(arg):
                raise TypeError(f"argument {name} must be a number (as in the trace), got a sequence")
            out.append(_as_float(arg))
    return out


def _eagerly(tape: Tape) -> Result:
    """The value and gradients of a freshly recorded graph: the eager engine's numbers and errors."""
    root = tape.root
    if not isinstance(root, Value):
        grads: dict[Value, Any] = {}
        value = root
    else:
        nodes = [x for i, leaf in enumerate(tape.leaves) if i not in tape.batched for x in flat(leaf)]
        nodes += tape.captured
        grads = dict(zip(nodes, gradients(root, nodes), strict=True))
        value = root.data
    shaped: list[Any] = []
    for i, leaf in enumerate(tape.leaves):
        if i in tape.batched:
            continue
        if isinstance(leaf, list):
            shaped.append([grads.get(x, 0.0) for x in leaf])
        else:
            shaped.append(grads.get(leaf, 0.0))
    return value, tuple(shaped), {x: grads.get(x, 0.0) for x in tape.captured}


def _plus_zero(grads: tuple[Any, ...]) -> tuple[Any, ...]:
    """``g + 0.0`` for every gradient: ``-0.0`` becomes ``0.0``, nothing else changes.

    The eager engine starts every gradient from ``0.0`` and adds, so it never ends with
    ``-0.0``; the generated code assigns the first contribution, which can be ``-0.0``.
    Every other bit is the same (the same products and sums; a zero's sign changes only
    zeros).
    """
    return tuple([g + 0.0 for g in x] if isinstance(x, list) else x + 0.0 for x in grads)


def _batched(batched: Any, count: int) -> tuple[int, ...]:
    if isinstance(batched, int) and not isinstance(batched, bool):
        batched = (batched,)
    try:
        indices = [as_integer(i) for i in batched]
    except TypeError:
        raise TypeError(f"batched must be a tuple of argument indices, got {batched!r}") from None
    for i, raw in zip(indices, batched, strict=True):
        if i is None or not 0 <= i < count:
            raise ValueError(f"batched: {raw!r} is not the index of one of the {count} arguments")
    if len(set(indices)) != len(indices):
        raise ValueError(f"batched lists an argument twice: {tuple(batched)!r}")
    return tuple(sorted(i for i in indices if i is not None))


def trace(f: Callable[..., Any], *example_args: Any, batched: Any = (), mean: bool = False) -> Program:
    """Record ``f``'s graph on ``example_args`` once and return it as a :class:`Program`.

    ``f`` is written with ``Value`` operations, as for :func:`minigrad.grad`; its
    arguments are numbers or flat sequences of numbers. ``batched`` lists the indices of
    the per-example arguments (inputs, labels); the others are shared (parameters). A
    batch (NumPy arrays with one row per example for the batched arguments) gives the
    sum over its examples, or the mean with ``mean=True``.

    What the trace cannot see: a branch on a number read from ``.data`` (or ``.grad``)
    directly, or on anything outside the ``Value`` s. Comparisons (``<`` ...),
    ``bool()``, ``float()``, ``round()`` and ``format()`` of a ``Value`` are recorded as
    guards and checked on every call; reading ``.data`` is not, and the traced branch is
    then taken silently for every input.

    >>> from minigrad import trace
    >>> program = trace(lambda x: x.relu() * 2, 1.5)
    >>> program(3.0), program.value_and_grad(-1.0)
    (6.0, (0.0, 0.0))
    """
    return Program(f, example_args, batched, mean)
