"""The ``Value`` node and reverse-mode differentiation over the graph it records.

Every arithmetic operation on a ``Value`` makes a new node that remembers its operation,
its operands and the local derivative ∂out/∂operand of each, computed once, when the
node is made, by the operation's rule in :mod:`minigrad.primitives`. ``backward`` then
walks the graph once, from the output towards the leaves, multiplying along each path
and adding where paths merge.

>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.data, a.grad, b.grad, c.grad
(33.0, 3.0, 6.0, 9.0)

How a node is stored, for speed (see ``benchmarks/README.md``): instead of a tuple of
parents and a tuple of local derivatives, every node has two operand slots ``_a`` and
``_b`` and two derivative slots ``_da`` and ``_db``. A slot pair is empty (``None``) when
the operation has fewer operands. When an operand is a plain number (``x * 3``), no node
is made for it: its operand slot holds ``None`` and its derivative slot, which no
gradient would ever read, holds the number itself, so drawings can still show it.

Two primitives take any number of operands: ``sum`` (:func:`sum_of`, or
``minigrad.sum``), one node for ``t1 + … + tn``, and ``dot`` (:func:`dot`, or
``minigrad.dot``), one node for ``x1·y1 + … + xn·yn``: a neuron's ``w·x + b`` is one
``dot`` node instead of ``n`` multiplications and ``n`` additions. Such a node keeps
``_a = None``, the tuple of its ``Value`` operands (one entry per use) in ``_da``, the
tuple of their local derivatives in ``_db`` (all 1 for ``sum``), so that ``backward``
has one loop for both, and in ``_b`` every operand in the order given, plain numbers
included, which only drawings read (through :attr:`Value.operands`).

>>> w, b = Value(2.0, "w"), Value(0.5, "b")
>>> z = dot([w, b], [3.0, 1.0])
>>> z._a, z._da == (w, b), z._db, z._b[1]
(None, True, (3.0, 1.0), 3.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress
from numbers import Real
from typing import Any, TypeAlias

from minigrad.primitives import (
    ADD,
    DIV,
    DOT,
    EXP,
    LOG,
    MUL,
    NEG,
    POW,
    POW_XY,
    RELU,
    SIGMOID,
    SUB,
    SUM,
    TANH,
    Primitive,
)

__all__ = ["Number", "Value", "dot", "sum_of", "topological_order"]

Number: TypeAlias = int | float
"""A plain real number: int, float, bool, fractions.Fraction, NumPy scalar, ..."""

_new = object.__new__


def _as_float(x: object) -> float:
    """``x`` as a float if it is a real number, else a ``TypeError`` naming its type."""
    if x.__class__ is float:
        return x  # type: ignore[return-value]
    if isinstance(x, Real):
        return float(x)
    kind = type(x).__qualname__ if type(x).__module__ == "builtins" else f"{type(x).__module__}.{type(x).__qualname__}"
    raise TypeError(f"expected a real number (int, float, NumPy scalar), got {kind}: {x!r}")


def _binary(op: Primitive, reflected: bool = False) -> Callable[[Value, Any], Value]:
    """The operator method for a two-operand primitive (``reflected``: for ``2 - x`` and the like).

    This is the engine's hottest code: every ``+`` and ``*`` runs it. The new node is
    filled in right here, slot by slot, rather than by ``Value.__init__`` or a helper
    function: each Python call saved is ~10 % of the cost of making a node (see
    ``benchmarks/README.md``).
    """
    rule = op.rule

    def operator(self: Value, other: Any) -> Value:
        if other.__class__ is Value:
            if reflected:  # only reached by a direct call such as x.__rsub__(y): y - x
                self, other = other, self
            node = _new(Value)
            node.data, node._da, node._db = rule(self.data, other.data)
            node._a = self
            node._b = other
        else:
            c = other if other.__class__ is float else _operand(other)
            if c is None:
                return NotImplemented
            node = _new(Value)
            if reflected:  # c - self: the constant is the first operand
                node.data, _, node._db = rule(c, self.data)
                node._a, node._da, node._b = None, c, self
            else:
                node.data, node._da, _ = rule(self.data, c)
                node._a, node._b, node._db = self, None, c
        node.grad = 0.0
        node.label = ""
        node._op = op
        node._mark = None
        return node

    name = f"__r{_DUNDER[op.name]}__" if reflected else f"__{_DUNDER[op.name]}__"
    operator.__name__ = operator.__qualname__ = name
    written = f"other {op.symbol} self" if reflected else f"self {op.symbol} other"
    operator.__doc__ = (
        f"``{op.name}`` node for ``{written}``; a plain number on the other side is folded into the node"
        " (and kept in its place among the operands)."
    )
    return operator


_DUNDER = {"add": "add", "sub": "sub", "mul": "mul", "div": "truediv", "pow_xy": "pow"}


def _unary(op: Primitive) -> Callable[[Value], Value]:
    """The method for a one-operand primitive (nodes made as in :func:`_binary`)."""
    rule = op.rule

    def method(self: Value) -> Value:
        node = _new(Value)
        node.data, node._da = rule(self.data)
        node.grad = 0.0
        node.label = ""
        node._op = op
        node._a = self
        node._b = node._db = node._mark = None
        return node

    out, derivative = rule(0.5)
    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = (
        f"``{op.name}`` node: {op.symbol}(x), with local derivative {op.derivatives[0]}.\n\n"
        f"        >>> x = Value(0.5)\n"
        f"        >>> y = {'-x' if op.name == 'neg' else f'x.{op.name}()'}\n"
        f"        >>> y.data, y.local_grads\n"
        f"        ({out!r}, ({derivative!r},))\n"
    )
    return method


def _operand(x: object) -> float | None:
    """A plain number operand as a float; ``None`` for anything that is not a real number."""
    cls = x.__class__
    if cls is float:
        return x  # type: ignore[return-value]
    if cls is int or isinstance(x, Real):
        return float(x)  # type: ignore[arg-type]
    return None


class Value:
    """A scalar node in a computation graph: its ``data``, its ``grad`` and how it was made.

    ``Value(data, label="")`` makes a leaf. ``data`` is any real number (int, float,
    NumPy scalar) and is stored as a float; strings, complex numbers, ``None`` and
    containers raise ``TypeError``. Operators (``+ - * / **``, unary ``-``) and the
    methods ``exp log sigmoid tanh relu`` make new nodes, with a ``Value`` or a plain
    number on either side.

    >>> x = Value(2.0, "x")
    >>> y = x * x + 1
    >>> y
    Value(data=5.0, grad=0.0)
    >>> y.backward()
    >>> x.grad
    4.0
    """

    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_da", "_db", "_mark")
    __array_ufunc__ = None  # NumPy scalars on the left defer to Value's reflected operators

    data: float
    grad: float
    label: str
    _op: Primitive | None
    _a: Value | None
    _b: Value | tuple[Value | float, ...] | None
    _da: float | tuple[Value, ...] | None
    _db: float | tuple[float, ...] | None
    _mark: object

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _as_float(data)
        self.grad = 0.0
        if label.__class__ is not str:
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        self.label = label
        self._op = None
        self._a = self._b = None
        self._da = self._db = None
        self._mark = None

    # ----------------------------------------------------------------- reading a node

    @property
    def op(self) -> str:
        """The name of the operation that made this node (``"mul"``, ``"exp"``...), ``""`` for a leaf.

        >>> (Value(2.0) * 3).op
        'mul'
        """
        return "" if self._op is None else self._op.name

    @property
    def primitive(self) -> Primitive | None:
        """The :class:`~minigrad.primitives.Primitive` that made this node, ``None`` for a leaf.

        >>> Value(1.0).exp().primitive.symbol
        'exp'
        """
        return self._op

    @property
    def parents(self) -> tuple[Value, ...]:
        """The ``Value`` operands this node was made from, in order, one entry per use.

        Plain-number operands are not nodes and are left out (see :attr:`operands`).

        >>> a = Value(3.0)
        >>> len((a * a).parents)
        2
        """
        if self._op is None:
            return ()
        if self._op.arity is None:
            return self._da  # type: ignore[return-value]
        return tuple(x for x in (self._a, self._b) if x is not None)

    @property
    def operands(self) -> tuple[Value | float, ...]:
        """Every operand in order: a ``Value``, or the plain number used in its place.

        >>> Value(3.0, "x").__rsub__(1).operands
        (1.0, Value(data=3.0, grad=0.0, label='x'))
        """
        if self._op is None:
            return ()
        if self._op.arity is None:  # sum, dot: _b holds the operands as given, shown here as floats
            return tuple(x if x.__class__ is Value else float(x) for x in self._b)  # type: ignore[union-attr]
        pairs = ((self._a, self._da), (self._b, self._db))[: self._op.arity]
        return tuple(node if node is not None else constant for node, constant in pairs)  # type: ignore[misc]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each entry of :attr:`parents`, as the engine stored it.

        >>> a, b = Value(3.0), Value(4.0)
        >>> (a * b).local_grads
        (4.0, 3.0)
        """
        if self._op is not None and self._op.arity is None:
            return self._db  # type: ignore[return-value]
        return tuple(d for x, d in ((self._a, self._da), (self._b, self._db)) if x is not None)  # type: ignore[misc]

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What Jupyter shows: the graph as SVG, or a text summary past 500 values.

        >>> sorted((Value(2.0, "x") * 3)._repr_mimebundle_())
        ['image/svg+xml', 'text/plain']
        """
        from minigrad.drawing.render import repr_mimebundle  # here: the drawing module imports this one

        return repr_mimebundle(self)

    # ------------------------------------------------------------------ the primitives

    __add__ = _binary(ADD)
    __radd__ = _binary(ADD, reflected=True)  # 2 + x: operands (2, x), as written
    __sub__ = _binary(SUB)
    __rsub__ = _binary(SUB, reflected=True)
    __mul__ = _binary(MUL)
    __rmul__ = _binary(MUL, reflected=True)
    __truediv__ = _binary(DIV)
    __rtruediv__ = _binary(DIV, reflected=True)
    __rpow__ = _binary(POW_XY, reflected=True)
    _power_of_value = _binary(POW_XY)  # x ** y with y a Value; __pow__ below dispatches to it
    __neg__ = _unary(NEG)
    exp = _unary(EXP)
    log = _unary(LOG)
    sigmoid = _unary(SIGMOID)
    tanh = _unary(TANH)
    relu = _unary(RELU)

    def __pow__(self, exponent: Value | Number) -> Value:
        """``self ** exponent``: a plain-number exponent (``x ** 2``) or a ``Value`` (``x ** y``).

        >>> (Value(3.0) ** 2).data
        9.0
        """
        if exponent.__class__ is Value:
            return self._power_of_value(exponent)
        c = _operand(exponent)
        if c is None:
            return NotImplemented
        node = _new(Value)
        node.data, node._da = POW.rule(self.data, c)
        node.grad = 0.0
        node.label = ""
        node._op = POW
        node._a, node._b, node._db = self, None, c
        node._mark = None
        return node

    # ------------------------------------------------------------------ backward

    def backward(self, grad: Number = 1.0) -> None:
        """Reverse-mode pass: add ``grad * ∂self/∂node`` to ``.grad`` of every node reached.

        Leaves and intermediate nodes alike receive their gradient. Gradients
        *accumulate* across calls, as in PyTorch: a second ``backward`` adds to what
        the first left. Call :meth:`zero_grad` (or an optimizer's ``zero_grad``) to
        start from zero. No recursion: graphs of millions of nodes are fine.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.backward(); x.grad
        12.0
        >>> y.zero_grad(); y.backward(); x.grad
        6.0
        """
        seed = _as_float(grad)
        # This pass adds up its own gradients from zero; whatever the nodes held before
        # is set aside by the walk and added back at the end, so repeated passes accumulate.
        order, held = _walk(self, clear=True)
        self.grad = seed
        try:
            for node in reversed(order):
                g = node.grad
                a = node._a
                if a is not None:  # one or two operands: x * y, x * 3, exp(x)
                    a.grad += g * node._da  # type: ignore[operator]
                    b = node._b
                    if b is not None:
                        b.grad += g * node._db  # type: ignore[operator]
                elif node._da.__class__ is tuple:  # sum, dot: the operands in _da, their derivatives in _db
                    for parent, d in zip(node._da, node._db, strict=True):  # type: ignore[arg-type]
                        parent.grad += g * d
                elif node._b is not None:  # a plain number first: 2 - x, 2 / x, 2 ** x (a leaf has neither)
                    node._b.grad += g * node._db  # type: ignore[operator, union-attr]
        finally:  # even when interrupted, what earlier passes left is not lost
            for node, before in held:
                node.grad += before

    def zero_grad(self) -> None:
        """Set ``.grad = 0.0`` on this node and every node it was computed from.

        >>> x = Value(2.0); y = x * 3; y.backward(); y.zero_grad(); x.grad
        0.0
        """
        for node in _walk(self)[0]:
            node.grad = 0.0


def sum_of(terms: Iterable[Value | Number]) -> Value | float:
    """``t1 + t2 + … + tn`` as one ``sum`` node with an edge from every ``Value`` term.

    Each term is a ``Value`` or a plain number. The terms are added left to right, in the
    order given, exactly as the chain ``t1 + t2 + … + tn`` would; the local derivative
    for every ``Value`` term is 1. A term used twice gets two edges. With no ``Value``
    among the terms the result is a plain float (0.0 for no terms).

    >>> w, x, b = Value(2.0, "w"), Value(3.0, "x"), Value(1.0, "b")
    >>> z = sum_of([w * x, b, 0.5])
    >>> z.op, z.data, len(z.parents)
    ('sum', 7.5, 2)
    >>> z.backward(); w.grad, b.grad
    (3.0, 1.0)
    """
    operands = tuple(terms)
    if not operands:
        return 0.0
    out = SUM.rule(*[t.data if t.__class__ is Value else _as_float(t) for t in operands])
    is_node = [t.__class__ is Value for t in operands]
    if not any(is_node):
        return out[0]  # type: ignore[no-any-return]
    return _many(SUM, out[0], operands, tuple(compress(operands, is_node)), tuple(compress(out[1:], is_node)))


def dot(xs: Iterable[Value | Number], ys: Iterable[Value | Number]) -> Value | float:
    """``x1·y1 + x2·y2 + … + xn·yn`` as one ``dot`` node, with an edge from every ``Value``.

    Each ``xi`` and ``yi`` is a ``Value`` or a plain number; the local derivatives are
    ∂/∂xi = yi and ∂/∂yi = xi. The products are added left to right, exactly as the
    chain ``x1*y1 + x2*y2 + …`` would, so a neuron's ``w·x + b`` is
    ``dot([*w, b], [*x, 1.0])``, the same number as ``w1*x1 + … + wn*xn + b``. A
    ``Value`` used twice gets two edges. With no ``Value`` at all the result is a plain
    float. Sequences of different lengths raise ``ValueError``, anything that is not a
    number or a ``Value`` ``TypeError``.

    >>> w1, w2, b = Value(2.0, "w1"), Value(-1.0, "w2"), Value(0.5, "b")
    >>> z = dot([w1, w2, b], [3.0, 4.0, 1.0])
    >>> z.op, z.data, len(z.parents)
    ('dot', 2.5, 3)
    >>> z.backward(); w1.grad, w2.grad, b.grad
    (3.0, 4.0, 1.0)
    >>> dot([1, 2], [3, 4])
    11.0
    """
    xs = xs if xs.__class__ is list else list(xs)
    ys = ys if ys.__class__ is list else list(ys)
    if len(xs) != len(ys):
        raise ValueError(f"dot of sequences of different lengths: {len(xs)} and {len(ys)}")
    operands = xs + ys
    operands[0::2] = xs  # the pairs, interleaved: x1, y1, x2, y2, ...
    operands[1::2] = ys
    out = DOT.rule(*[x.data if x.__class__ is Value else _as_float(x) for x in operands])
    is_node = [x.__class__ is Value for x in operands]
    if not any(is_node):
        return out[0]  # type: ignore[no-any-return]
    return _many(DOT, out[0], tuple(operands), tuple(compress(operands, is_node)), tuple(compress(out[1:], is_node)))


def _many(
    op: Primitive, data: float, operands: tuple[Any, ...], parents: tuple[Value, ...], local_grads: tuple[float, ...]
) -> Value:
    """A node of a primitive with any number of operands, laid out as the module docstring says."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._op = op
    node._a = node._mark = None
    node._b = operands  # type: ignore[assignment]
    node._da = parents  # type: ignore[assignment]
    node._db = local_grads  # type: ignore[assignment]
    return node


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each once, operands before the nodes made from them.

    Iterative depth-first search; ``root`` is last.

    >>> a = Value(1.0, "a"); b = a * 2; c = a + b
    >>> [n.label or n.op for n in topological_order(c)]
    ['a', 'mul', 'add']
    """
    return _walk(root)[0]


def _walk(root: Value, clear: bool = False) -> tuple[list[Value], list[tuple[Value, float]]]:
    """The topological order of ``root``'s graph and, with ``clear``, the nonzero grads it set to zero.

    Iterative depth-first search: a node is placed after its operands, so ``root`` comes
    last. Each node's ``_mark`` slot records that it is placed; a fresh mark object per
    walk means no reset is needed between walks, and it is cheaper than a set of visited
    nodes. ``backward`` passes ``clear=True`` so that this one walk also sets aside the
    gradients left by earlier passes, instead of a second loop over the order.
    """
    placed = object()
    order: list[Value] = []
    held: list[tuple[Value, float]] = []
    stack = [root]
    push, pop, place = stack.append, stack.pop, order.append
    while stack:
        node = stack[-1]
        if node._mark is placed:
            pop()
            continue
        a, b = node._a, node._b
        if a is None and node._da.__class__ is tuple:  # sum, dot: many operands
            waiting = [p for p in node._da if p._mark is not placed]  # type: ignore[union-attr]
            if waiting:
                stack.extend(waiting)
                continue
        elif a is not None and a._mark is not placed:
            push(a)
            if b is not None and b._mark is not placed:
                push(b)
            continue
        elif b is not None and b._mark is not placed:
            push(b)
            continue
        node._mark = placed
        if clear and node.grad:
            held.append((node, node.grad))
            node.grad = 0.0
        place(node)
        pop()
    return order, held
