"""The ``Value`` node and reverse-mode differentiation over the graph it records.

Every operation on a ``Value`` makes a new node that remembers

- ``primitive``: the operation (:mod:`minigrad.primitives`),
- ``operands``: what it was applied to, in order (``Value`` nodes, or plain numbers),
- ``parents``: the ``Value`` operands, one entry per use,
- ``local_grads``: ∂node/∂parent for each parent, computed once, when the node is made,
  by the primitive's rule.

``backward`` then visits the nodes from the output towards the leaves and sends each
node's gradient to its parents, multiplied by the local derivative: along a path the
factors multiply, and where paths merge the contributions add up.

>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.data, a.grad, b.grad, c.grad
(33.0, 3.0, 6.0, 9.0)
>>> J.operands, J.parents, J.local_grads
((3.0, Value(data=11.0, grad=3.0)), (Value(data=11.0, grad=3.0),), (3.0,))
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from numbers import Real
from typing import Any, TypeAlias, TypeVar, cast

from minigrad import scalar
from minigrad.primitives import (
    ABS,
    ADD,
    COS,
    COSH,
    DIV,
    EXP,
    EXPM1,
    LOG,
    LOG1P,
    MUL,
    NEG,
    POW,
    POW_XY,
    RELU,
    SIGMOID,
    SIN,
    SINH,
    SQRT,
    SUB,
    TAN,
    TANH,
    Primitive,
)

__all__ = ["Number", "Value", "apply", "gradients", "topological_order", "watch_reads"]

Number: TypeAlias = int | float
"""A plain real number: int, float, bool, fractions.Fraction, NumPy scalar, ..."""

Grad: TypeAlias = "float | Value"
"""A gradient: a float, or a ``Value`` after ``backward(create_graph=True)``."""

_lock = threading.RLock()  # one backward pass at a time: threads that share nodes get a sequential run's sums


def _as_float(x: object) -> float:
    """``x`` as a float if it is a real number, else a ``TypeError`` naming its type."""
    number = _operand(x)
    if number is not None:
        return number
    kind = type(x).__qualname__ if type(x).__module__ == "builtins" else f"{type(x).__module__}.{type(x).__qualname__}"
    raise TypeError(f"expected a real number (int, float, NumPy scalar), got {kind}: {x!r}")


def _operand(x: object) -> float | None:
    """A plain-number operand as a float; ``None`` for anything that is not a real number."""
    if x.__class__ is float:
        return x
    if isinstance(x, Real):
        return float(x)
    return None


def _operator(primitive: Primitive) -> Callable[[Value, Any], Value]:
    """The method for ``self op other``, ``other`` a ``Value`` or a plain number.

    Every ``+`` and ``*`` runs this code, so it makes the node itself, as :func:`apply`
    would, without the generality of ``apply`` (which takes any number of operands).
    """
    rule = primitive.rule

    def method(self: Value, other: Any) -> Value:
        operands: tuple[Value | float, ...]
        parents: tuple[Value, ...]
        if other.__class__ is Value:
            data, local_grads = rule(scalar, self._data, other._data)
            operands = parents = (self, other)
        else:
            c = other if other.__class__ is float else _operand(other)
            if c is None:
                return NotImplemented  # type: ignore[no-any-return]
            data, local_grads = rule(scalar, self._data, c)
            operands, parents, local_grads = (self, c), (self,), local_grads[:1]  # no gradient flows into a number
        return _node(primitive, data, operands, parents, local_grads)

    method.__name__ = method.__qualname__ = primitive.name
    method.__doc__ = f"A ``{primitive.name}`` node for ``self {primitive.symbol} other``."
    return method


def _reflected(primitive: Primitive) -> Callable[[Value, Any], Value]:
    """The method for ``other op self`` (Python calls it for ``2 - x``): the operands stay as written."""
    rule = primitive.rule

    def method(self: Value, other: Any) -> Value:
        c = other if other.__class__ is float else _operand(other)
        if c is None:
            return NotImplemented  # type: ignore[no-any-return]
        data, (_, local) = rule(scalar, c, self._data)
        return _node(primitive, data, (c, self), (self,), (local,))

    method.__name__ = method.__qualname__ = f"r{primitive.name}"
    method.__doc__ = f"A ``{primitive.name}`` node for ``other {primitive.symbol} self``, ``other`` a plain number."
    return method


def _node(
    primitive: Primitive,
    data: float,
    operands: tuple[Any, ...],
    parents: tuple[Value, ...],
    local_grads: tuple[Any, ...],
) -> Value:
    """A new node (``Value.__init__`` makes only leaves)."""
    if data - data != 0.0:  # inf or nan: allowed only from inf or nan
        _check_overflow(primitive, operands)
    node = _new(Value)
    node._data = data
    node._grad = 0.0
    node._label = ""
    node.primitive = primitive
    node.operands = operands
    node.parents = parents
    node.local_grads = local_grads
    return node


class Value:
    """A scalar node in a computation graph: its ``data``, its ``grad`` and how it was made.

    ``Value(data, label="")`` makes a leaf. ``data`` is any real number (int, float,
    NumPy scalar) and is stored as a float; strings, complex numbers, ``None`` and
    containers raise ``TypeError``, also when assigned later. Operators (``+ - * / **``,
    unary ``-``, ``abs()``) and the methods ``exp log sigmoid tanh relu ...`` make new
    nodes, with a ``Value`` or a plain number on either side.

    A ``Value`` reads as a number where that is safe: ``float(v)``, ``round(v, 2)``,
    ``f"{v:.3f}"`` and the comparisons ``< <= > >=`` use ``data``. ``==`` and ``hash``
    stay those of the object, so that ``Value`` s work as keys of dicts and members of sets.

    >>> x = Value(2.0, "x")
    >>> y = x * x + 1
    >>> y
    Value(data=5.0, grad=0.0)
    >>> y.backward()
    >>> x.grad
    4.0
    >>> x < y, f"{y:.2f}", y == 5.0
    (True, '5.00', False)
    """

    __slots__ = ("_data", "_grad", "_label", "primitive", "operands", "parents", "local_grads")
    __array_ufunc__ = None  # NumPy scalars on the left defer to Value's reflected operators

    _data: float
    _grad: Grad
    _label: str
    primitive: Primitive | None
    operands: tuple[Value | float, ...]
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data
        self._grad = 0.0
        self.label = label
        self.primitive = None
        self.operands = self.parents = self.local_grads = ()

    # ------------------------------------------------------------- the public fields

    @property
    def data(self) -> float:
        """The number this node holds (a float).

        >>> Value(3).data
        3.0
        """
        return self._data

    @data.setter
    def data(self, data: Number) -> None:
        self._data = _as_float(data)

    @property
    def grad(self) -> Grad:
        """∂(output)/∂(this node) after ``backward``: a float, or a ``Value`` with ``create_graph=True``.

        >>> x = Value(1.0); x.grad = 2; x.grad
        2.0
        """
        return self._grad

    @grad.setter
    def grad(self, grad: Grad | Number) -> None:
        self._grad = grad if grad.__class__ is Value else _as_float(grad)

    @property
    def label(self) -> str:
        """A free-text name, shown in reprs and drawings.

        >>> Value(1.0, "w1").label
        'w1'
        """
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        if label.__class__ is not str:
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        self._label = label

    @property
    def op(self) -> str:
        """The name of the operation that made this node (``"mul"``, ``"exp"``...), ``""`` for a leaf.

        >>> (Value(2.0) * 3).op
        'mul'
        """
        return "" if self.primitive is None else self.primitive.name

    def __repr__(self) -> str:
        label = f", label={self._label!r}" if self._label else ""
        return f"Value(data={self._data!r}, grad={self._grad!r}{label})"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What Jupyter shows: the graph as SVG, or a text summary past 500 values.

        >>> sorted((Value(2.0, "x") * 3)._repr_mimebundle_())
        ['image/svg+xml', 'text/plain']
        """
        from minigrad.drawing.render import repr_mimebundle  # here: the drawing module imports this one

        return repr_mimebundle(self)

    # ------------------------------------------------------------- the primitives

    __add__ = _operator(ADD)
    __radd__ = _reflected(ADD)  # 2 + x: the operands stay (2, x), as written
    __sub__ = _operator(SUB)
    __rsub__ = _reflected(SUB)
    __mul__ = _operator(MUL)
    __rmul__ = _reflected(MUL)
    __truediv__ = _operator(DIV)
    __rtruediv__ = _reflected(DIV)
    __rpow__ = _reflected(POW_XY)  # 2 ** x
    _pow_number = _operator(POW)  # x ** 2: the exponent is a constant
    _pow_value = _operator(POW_XY)  # x ** y

    def __pow__(self, exponent: Value | Number) -> Value:
        """``x ** 2`` (a ``pow`` node, the exponent a constant) or ``x ** y`` (``pow_xy``, both ``Value`` s).

        >>> x = Value(3.0)
        >>> (x ** 2).op, (x ** x).op
        ('pow', 'pow_xy')
        """
        return self._pow_value(exponent) if exponent.__class__ is Value else self._pow_number(exponent)

    def __neg__(self) -> Value:
        return _unary(NEG, self)

    def __abs__(self) -> Value:
        return _unary(ABS, self)

    def exp(self) -> Value:
        """``e ** self``.

        >>> Value(0.0).exp().data
        1.0
        """
        return _unary(EXP, self)

    def log(self) -> Value:
        """Natural logarithm; ``ValueError`` for data <= 0.

        >>> Value(1.0).log().data
        0.0
        """
        return _unary(LOG, self)

    def log1p(self) -> Value:
        """``log(1 + self)``, exact for small values; ``ValueError`` for data <= −1.

        >>> Value(1e-20).log1p().data
        1e-20
        """
        return _unary(LOG1P, self)

    def expm1(self) -> Value:
        """``e ** self − 1``, exact for small values.

        >>> Value(1e-20).expm1().data
        1e-20
        """
        return _unary(EXPM1, self)

    def sqrt(self) -> Value:
        """Square root; ``ValueError`` for data < 0; the derivative at 0 is ``inf``, as in PyTorch.

        >>> Value(9.0).sqrt().local_grads
        (0.16666666666666666,)
        """
        return _unary(SQRT, self)

    def sin(self) -> Value:
        """Sine (radians).

        >>> Value(0.0).sin().local_grads
        (1.0,)
        """
        return _unary(SIN, self)

    def cos(self) -> Value:
        """Cosine (radians).

        >>> Value(0.0).cos().data
        1.0
        """
        return _unary(COS, self)

    def tan(self) -> Value:
        """Tangent (radians).

        >>> Value(0.0).tan().local_grads
        (1.0,)
        """
        return _unary(TAN, self)

    def sinh(self) -> Value:
        """Hyperbolic sine.

        >>> Value(0.0).sinh().local_grads
        (1.0,)
        """
        return _unary(SINH, self)

    def cosh(self) -> Value:
        """Hyperbolic cosine.

        >>> Value(0.0).cosh().data
        1.0
        """
        return _unary(COSH, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent.

        >>> Value(0.0).tanh().local_grads
        (1.0,)
        """
        return _unary(TANH, self)

    def sigmoid(self) -> Value:
        """The logistic function ``1 / (1 + e**-self)``, finite for every finite input.

        >>> Value(0.0).sigmoid().local_grads
        (0.25,)
        """
        return _unary(SIGMOID, self)

    def relu(self) -> Value:
        """``max(self, 0)``; the derivative at 0 is 0, as in PyTorch.

        >>> Value(-2.0).relu().data
        0.0
        """
        return _unary(RELU, self)

    def abs(self) -> Value:
        """``|self|`` (also ``abs(v)``); the derivative at 0 is 0, as in PyTorch.

        >>> abs(Value(-2.0)).local_grads
        (-1.0,)
        """
        return _unary(ABS, self)

    # ------------------------------------------------------------- as a number

    def __float__(self) -> float:
        return _read(self, "float", None, self._data)

    def __round__(self, ndigits: int | None = None) -> float:
        return _read(self, "round", ndigits, round(self._data, ndigits))

    def __format__(self, spec: str) -> str:
        return _read(self, "format", spec, format(self._data, spec))

    def __bool__(self) -> bool:
        return _read(self, "bool", None, self._data != 0.0)

    def __lt__(self, other: Value | Number) -> bool:
        return _read(self, "<", other, self._data < _data_of(other))

    def __le__(self, other: Value | Number) -> bool:
        return _read(self, "<=", other, self._data <= _data_of(other))

    def __gt__(self, other: Value | Number) -> bool:
        return _read(self, ">", other, self._data > _data_of(other))

    def __ge__(self, other: Value | Number) -> bool:
        return _read(self, ">=", other, self._data >= _data_of(other))

    # No __eq__ or __hash__: those of object, identity, so Values are dict keys and set members.

    # ------------------------------------------------------------- backward

    def backward(self, grad: Number = 1.0, create_graph: bool = False) -> None:
        """Reverse-mode pass: add ``grad * ∂self/∂node`` to ``.grad`` of every node reached.

        Leaves and intermediate nodes alike receive their gradient. Gradients
        *accumulate* across calls, as in PyTorch: a second ``backward`` adds to what
        the first left; :meth:`zero_grad` starts again from zero. With
        ``create_graph=True`` each ``.grad`` is itself a ``Value`` graph, computed by the
        primitives' rules on ``Value`` s, so it can be differentiated again.

        No recursion: graphs of millions of nodes are fine. Threads may call
        ``backward`` on graphs that share nodes: passes run one at a time. Interrupted
        (Ctrl-C) or failing before its last loop, a pass leaves every ``.grad`` as it was.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.backward(); x.grad
        12.0
        >>> y.zero_grad(); y.backward(create_graph=True); x.grad
        Value(data=6.0, grad=0.0)
        >>> x.grad.backward(); x.grad.data  # d²y/dx² = 2 reaches x, whose grad is now 6 + 2
        8.0
        """
        seed = _as_float(grad)
        with _lock:
            order = topological_order(self)
            earlier = _pass(order, seed, create_graph)
            for node, before in earlier:  # add back what earlier passes left
                node._grad = node._grad + before

    def zero_grad(self) -> None:
        """Set ``.grad = 0.0`` on this node and every node it was computed from.

        >>> x = Value(2.0); y = x * 3; y.backward(); y.zero_grad(); x.grad
        0.0
        """
        for node in topological_order(self):
            node._grad = 0.0


def _backpropagate(order: list[Value], seed: Grad, create_graph: bool) -> None:
    """The backward loop: from the output (last in ``order``) to the leaves, each node sends its grad on.

    Every node comes after every node that uses it, so its gradient is complete when it
    is sent on to its parents, multiplied by the local derivatives. With
    ``create_graph`` the local derivatives are computed again as ``Value`` s, by the
    primitive's rule on ``Value`` operands, so the gradients are graphs too.
    """
    order[-1]._grad = seed
    for node in reversed(order):
        g = node._grad
        local_grads = _local_grads_as_values(node) if create_graph and node.parents else node.local_grads
        for parent, local in zip(node.parents, local_grads):  # noqa: B905 - same length; strict= costs 2x here
            parent._grad += g * local


def _pass(order: list[Value], seed: Grad, create_graph: bool) -> list[tuple[Value, Grad]]:
    """One backward pass over ``order``, every grad starting from zero; returns what the grads held before.

    Those are the nonzero grads earlier passes left, read before anything is changed.
    Interrupted (Ctrl-C) or failed, the pass puts every grad back as it was and re-raises.
    """
    earlier = [(node, node._grad) for node in order if node._grad.__class__ is not float or node._grad != 0.0]
    try:
        _set_aside(order, create_graph)
        _backpropagate(order, seed, create_graph)
    except BaseException:
        _restore(order, earlier)
        raise
    return earlier


def _set_aside(order: list[Value], create_graph: bool) -> None:
    """Set every grad in ``order`` to zero for a new pass."""
    zero = _ZERO if create_graph else 0.0
    for node in order:
        node._grad = zero  # type: ignore[assignment]


def _restore(order: list[Value], earlier: list[tuple[Value, Grad]]) -> None:
    """Every grad in ``order`` back to what it held before a pass (``earlier``: the nonzero ones)."""
    for node in order:
        node._grad = 0.0
    for node, before in earlier:
        node._grad = before


class _Zero:
    """The zero a ``create_graph`` pass starts each grad from: ``zero + g`` is ``g`` itself, no extra node."""

    def __add__(self, other: Grad) -> Grad:
        return other


_ZERO = _Zero()


def gradients(root: Value, nodes: Iterable[Value], seed: Grad = 1.0, create_graph: bool = False) -> list[Grad]:
    """``seed * ∂root/∂node`` for each of ``nodes``, leaving every ``.grad`` as it was.

    The same backward pass as :meth:`Value.backward`; the functional helpers
    (:func:`minigrad.grad` ...) use it, so that nesting them works.

    >>> a, b = Value(2.0, "a"), Value(5.0, "b")
    >>> gradients(a * b + a, [a, b, Value(1.0)]), a.grad
    ([6.0, 2.0, 0.0], 0.0)
    """
    with _lock:
        order = topological_order(root)
        earlier = _pass(order, seed, create_graph)
        reached = set(order)
        try:
            return [node._grad if node in reached else 0.0 for node in nodes]
        finally:
            _restore(order, earlier)


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each once, operands before the nodes made from them.

    Depth-first, without recursion (graphs of millions of nodes are fine): from each
    node, go on to its first parent not yet visited; a node whose parents are all
    placed is placed next. ``root`` is last.

    >>> a = Value(1.0, "a"); b = a * 2; c = a + b
    >>> [n.label or n.op for n in topological_order(c)]
    ['a', 'mul', 'add']
    """
    order: list[Value] = []
    visited = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in visited:
                visited.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is placed
            stack.pop()
            order.append(node)
    return order


# ----------------------------------------------------------------- making nodes


def apply(primitive: Primitive, *operands: Value | Number) -> Value | float:
    """``primitive`` applied to ``operands``: a new node if any operand is a ``Value``, else a float.

    This is how every node is made (the operators and methods of ``Value`` take a
    shortcut for one and two operands, with the same result). Plain-number operands are
    kept, as floats, in the node's ``operands`` for drawings; no gradient flows into them.

    >>> x = Value(2.0, "x")
    >>> y = apply(MUL, 3, x)
    >>> y.operands, y.parents == (x,), y.local_grads
    ((3.0, Value(data=2.0, grad=0.0, label='x')), True, (3.0,))
    >>> apply(MUL, 3, 2)
    6.0
    """
    if primitive.arity is not None and len(operands) != primitive.arity:
        raise TypeError(f"{primitive.name} takes {primitive.arity} operand(s), got {len(operands)}")
    if primitive.arity is None and (not operands or len(operands) % len(primitive.derivatives)):
        group = len(primitive.derivatives)
        count = len(operands)
        raise ValueError(f"{primitive.name} takes a positive number of operands in groups of {group}, got {count}")
    kept = tuple(x if x.__class__ is Value else _as_float(x) for x in operands)
    data = [x._data if x.__class__ is Value else x for x in kept]
    if primitive.constant is not None and kept[primitive.constant].__class__ is Value:
        raise TypeError(f"operand {primitive.constant} of {primitive.name} is a constant: use a plain number")
    out, local_grads = primitive.rule(scalar, *data)
    out = _as_float(out)  # a user's rule may return an int
    parents, local_grads = _for_parents(primitive, kept, local_grads)
    if not parents:  # plain numbers in, a plain number out: the same overflow rule as for a node
        if out - out != 0.0:
            _check_overflow(primitive, kept)
        return out
    return _node(primitive, out, kept, parents, local_grads)


def _for_parents(
    primitive: Primitive, operands: tuple[Any, ...], local_grads: tuple[Any, ...]
) -> tuple[tuple[Value, ...], tuple[Any, ...]]:
    """The ``Value`` operands and their local derivatives (a rule gives one per non-constant operand)."""
    differentiable = [x for i, x in enumerate(operands) if i != primitive.constant]
    if len(local_grads) != len(differentiable):
        raise ValueError(
            f"primitive {primitive.name}: its rule returned {len(local_grads)} local derivative(s) "
            f"for {len(differentiable)} operand(s); it must return (out, (one per operand, ...))"
        )
    pairs = [(x, d) for x, d in zip(differentiable, local_grads, strict=True) if x.__class__ is Value]
    return tuple(x for x, _ in pairs), tuple(d for _, d in pairs)


def _local_grads_as_values(node: Value) -> tuple[Grad, ...]:
    """``node``'s local derivatives as ``Value`` graphs: its rule run again on ``Value`` operands."""
    from minigrad import functions  # here: functions imports this module

    primitive = cast(Primitive, node.primitive)

    def refuse(value: Value, how: str, other: object, result: object) -> None:
        raise TypeError(
            f"primitive {primitive.name}: its rule read a Value as a number ({how}), so its derivative would be a "
            "constant; write the rule with the math namespace it is given (m.exp(x), not math.exp(x))"
        )

    with watch_reads(refuse):
        _, local_grads = primitive.rule(functions, *node.operands)
    return _for_parents(primitive, node.operands, local_grads)[1]


_new = object.__new__


def _unary(primitive: Primitive, x: Value) -> Value:
    """The node for a one-operand primitive (as :func:`apply` makes it)."""
    data, local_grads = primitive.rule(scalar, x._data)
    operands = (x,)
    return _node(primitive, data, operands, operands, local_grads)


def _check_overflow(primitive: Primitive, operands: tuple[Any, ...]) -> None:
    """The one rule for inf and nan: finite operands must give a finite result (else ``OverflowError``)."""
    numbers = [x._data if x.__class__ is Value else x for x in operands]
    if all(x - x == 0.0 for x in numbers):
        shown = ", ".join(repr(x) for x in numbers)
        raise OverflowError(f"{primitive.name}({shown}) overflows a float")


# ----------------------------------------------------------------- reading a Value as a number

_T = TypeVar("_T")
ReadWatcher: TypeAlias = Callable[[Value, str, object, object], None]


class _Watchers(threading.local):
    """The watchers of this thread: a trace in one thread does not see another thread's reads."""

    def __init__(self) -> None:
        self.active: list[ReadWatcher] = []


_watchers = _Watchers()


def _data_of(x: object) -> float:
    return x._data if x.__class__ is Value else _as_float(x)


def _read(value: Value, how: str, other: object, result: _T) -> _T:
    for watcher in _watchers.active:
        watcher(value, how, other, result)
    return result


@contextmanager
def watch_reads(watcher: ReadWatcher) -> Iterator[None]:
    """Call ``watcher(value, how, other, result)`` whenever a ``Value`` is read as a number.

    ``how`` is ``"<"``, ``"<="``, ``">"``, ``">="``, ``"bool"``, ``"float"``, ``"round"``
    or ``"format"``; ``other`` the other operand (or ``round``'s digits, ``format``'s
    spec). This is what a program's branches depend on: :func:`minigrad.trace` records
    these reads as guards. Only reads in the calling thread are watched.

    >>> seen = []
    >>> x = Value(2.0)
    >>> with watch_reads(lambda v, how, other, result: seen.append((how, other, result))):
    ...     _ = x < 3
    >>> seen
    [('<', 3, True)]
    """
    _watchers.active.append(watcher)
    try:
        yield
    finally:
        _watchers.active.remove(watcher)
