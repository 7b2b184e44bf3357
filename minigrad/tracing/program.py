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

from minigrad.engine import Value, _as_float, backpropagate
from minigrad.functional import as_integer, is_sequence
from minigrad.tracing.arrays import GuardError, is_batch, replay
from minigrad.tracing.codegen import Compiled, GuardFailed, NotFinite, generate
from minigrad.tracing.tape import Tape, record

__all__ = ["Program", "trace"]

SPECIALISATIONS = 8
"""How many traces (one per set of branches taken) a program keeps before it stops re-tracing."""

Result = tuple[float, tuple[Any, ...], tuple[float, ...], Tape]


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
    gradients. An example that fails raises the eager engine's error with its index, an
    example that takes another branch raises :class:`GuardError`.

    >>> import numpy as np
    >>> from minigrad import trace
    >>> program = trace(lambda w, x, y: (w[0] * x + w[1] - y) ** 2, [1.0, 0.0], 1.0, 2.0, batched=(1, 2), mean=True)
    >>> program.value_and_grad([1.0, 0.0], 1.0, 2.0)
    (1.0, [-2.0, -2.0])
    >>> program.value_and_grad([1.0, 0.0], np.array([1.0, 2.0]), np.array([2.0, 2.0]))
    (0.5, [-1.0, -1.0])
    """

    def __init__(self, f: Callable[..., Any], example_args: Sequence[Any], batched: Any = (), mean: bool = False) -> None:
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
        value, grads, _, _ = self._run(args, want_grad=True)
        return value, grads[0] if len(grads) == 1 else grads

    def backward(self, *args: Any) -> float:
        """The value; adds the gradient of every captured leaf (a ``Value`` ``f`` used but did not get) to its ``.grad``.

        >>> from minigrad import Value, trace
        >>> w = Value(2.0, "w")
        >>> program = trace(lambda x: w * x, 3.0)
        >>> program.backward(3.0), w.grad
        (6.0, 3.0)
        """
        value, _, captured, tape = self._run(args, want_grad=True)
        for leaf, g in zip(tape.captured, captured, strict=True):
            before = leaf.grad
            leaf.grad = g if before.__class__ is float and before == 0.0 else before + g  # type: ignore[operator]
        return value

    # ----------------------------------------------------------------- running

    def _run(self, args: tuple[Any, ...], want_grad: bool) -> Result:
        if len(args) != len(self.tape.leaves):
            raise TypeError(f"this program takes {len(self.tape.leaves)} arguments, got {len(args)}")
        if any(is_batch(args[i], self.tape.leaves[i]) for i in self.batched):
            return self._run_batch(args, want_grad)
        for compiled in self._traces:
            numbers = _numbers(compiled.tape, args)
            captured = tuple(leaf.data for leaf in compiled.tape.captured)
            extra = (captured,) if captured else ()
            try:
                if want_grad:
                    value, grads, captured_grads = compiled.value_and_grad(*numbers, *extra)
                    return value, grads, captured_grads, compiled.tape
                return compiled.forward(*numbers, *extra), (), (), compiled.tape
            except GuardFailed:
                continue
            except (NotFinite, ArithmeticError, ValueError):
                return _eagerly(record(self._f, numbers, self.batched))
        tape = record(self._f, _numbers(self.tape, args), self.batched)
        if len(self._traces) < SPECIALISATIONS:
            self._traces.append(generate(tape))
        return _eagerly(tape)

    def _run_batch(self, args: tuple[Any, ...], want_grad: bool) -> Result:
        first: GuardError | None = None
        for compiled in self._traces:
            try:
                value, grads, captured = replay(compiled.tape, args, want_grad, self.mean)
            except GuardError as error:
                first = first or error
                continue
            return value, grads, captured, compiled.tape
        assert first is not None
        raise first


def _numbers(tape: Tape, args: tuple[Any, ...]) -> list[Any]:
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
        grads = backpropagate(root)
        value = root.data
    shaped: list[Any] = []
    for i, leaf in enumerate(tape.leaves):
        if i in tape.batched:
            continue
        if isinstance(leaf, list):
            shaped.append([grads.get(x, 0.0) for x in leaf])
        else:
            shaped.append(grads.get(leaf, 0.0))
    return value, tuple(shaped), tuple(grads.get(x, 0.0) for x in tape.captured), tape


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
