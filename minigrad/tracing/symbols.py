"""Symbols: numbers that print as Python code, so that a primitive's rule, run on them, writes code.

A rule ``rule(m, *operands)`` computes through a math namespace ``m``. Run on
:class:`Expr` operands with :data:`SYMBOLS` as ``m``, it returns expression trees that
print as the Python that computes the same floats in the same order: the generated code
of :mod:`minigrad.tracing.codegen` comes from the primitives' own rules, not from a copy.

>>> from minigrad.primitives import DIV, SIGMOID
>>> x, y = Expr.name("x"), Expr.name("y")
>>> out, (dx, dy) = DIV.rule(SYMBOLS, x, y)
>>> out.code(), dx.code(), dy.code()
('x / y', '1.0 / y', '-(x / y) / y')
>>> out.bind("q"); dy.code()
'-q / y'
>>> out, (d,) = SIGMOID.rule(SYMBOLS, x)
>>> out.code(), d.code()
('sigmoid(x)', 'sigmoid(x) * (1.0 - sigmoid(x))')
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

from minigrad.primitives import NAMESPACE

__all__ = ["SYMBOLS", "Expr", "as_expr", "constant_code"]

_ATOM, _UNARY, _PRODUCT, _SUM = 100, 90, 80, 70
_PRECEDENCE = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT}


def constant_code(x: float) -> str:
    """A float as Python source that evaluates to exactly that float (``inf`` and ``nan`` by name).

    >>> constant_code(3.0), constant_code(-0.5), constant_code(float("inf")), constant_code(0.1)
    ('3.0', '-0.5', 'inf', '0.1')
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


class Expr:
    """An expression tree: a name, a constant, an operator or a call; ``code()`` prints it.

    Arithmetic with ``+ - * /`` and unary ``-``, with another ``Expr`` or a plain number
    on either side, makes a bigger tree. :meth:`bind` gives a tree a variable name: from
    then on it prints as that name wherever it is used (the value is computed once).

    >>> a = Expr.name("a")
    >>> (2.0 * (a + 1.0) - a / 3.0).code()
    '2.0 * (a + 1.0) - a / 3.0'
    """

    __slots__ = ("args", "kind", "text")

    def __init__(self, kind: str, text: str, args: tuple[Expr, ...] = ()) -> None:
        self.kind = kind  # "name", "const", "op", "neg", "call"
        self.text = text  # the name, the constant's code, the operator or the function
        self.args = args

    @staticmethod
    def name(text: str) -> Expr:
        """A variable.

        >>> Expr.name("x").code()
        'x'
        """
        return Expr("name", text)

    @staticmethod
    def const(x: float) -> Expr:
        """A constant.

        >>> Expr.const(2).code()
        '2.0'
        """
        return Expr("const", constant_code(float(x)))

    def bind(self, name: str) -> None:
        """From now on print as the variable ``name``.

        >>> e = Expr.name("a") * 2.0; e.bind("b"); (e + 1.0).code()
        'b + 1.0'
        """
        self.kind, self.text, self.args = "name", name, ()

    @property
    def precedence(self) -> int:
        if self.kind == "op":
            return _PRECEDENCE[self.text]
        if self.kind == "neg" or (self.kind == "const" and self.text.startswith("-")):
            return _UNARY
        return _ATOM

    def code(self) -> str:
        """The Python source of this expression, parenthesised so that it computes in the tree's order."""
        if self.kind in ("name", "const"):
            return self.text
        if self.kind == "call":
            return f"{self.text}({', '.join(a.code() for a in self.args)})"
        if self.kind == "neg":
            (x,) = self.args
            inner = x.code()
            return f"-{inner}" if x.precedence > _UNARY else f"-({inner})"
        left, right = self.args
        mine = _PRECEDENCE[self.text]
        lcode, rcode = left.code(), right.code()
        if left.precedence < mine:
            lcode = f"({lcode})"
        if right.precedence <= mine:  # floats do not associate: a - (b - c), a * (b * c) keep their brackets
            rcode = f"({rcode})"
        return f"{lcode} {self.text} {rcode}"

    def __repr__(self) -> str:
        return f"Expr({self.code()!r})"

    def _op(self, op: str, other: object, swap: bool = False) -> Expr:
        if op == "*" and (other == 1.0 and other.__class__ is float):
            return self  # x * 1.0 is x, bit for bit (nan, inf and -0.0 included)
        o = as_expr(other)
        return Expr("op", op, (o, self) if swap else (self, o))

    def __add__(self, other: object) -> Expr:
        return self._op("+", other)

    def __radd__(self, other: object) -> Expr:
        return self._op("+", other, True)

    def __sub__(self, other: object) -> Expr:
        return self._op("-", other)

    def __rsub__(self, other: object) -> Expr:
        return self._op("-", other, True)

    def __mul__(self, other: object) -> Expr:
        return self._op("*", other)

    def __rmul__(self, other: object) -> Expr:
        return self._op("*", other, True)

    def __truediv__(self, other: object) -> Expr:
        return self._op("/", other)

    def __rtruediv__(self, other: object) -> Expr:
        return self._op("/", other, True)

    def __neg__(self) -> Expr:
        return Expr("neg", "-", (self,))

    def __bool__(self) -> bool:
        raise TypeError("a rule branched on the value of an operand: rules must not (see minigrad.primitives)")


def as_expr(x: object) -> Expr:
    """``x`` as an expression: an ``Expr`` as it is, a plain number as a constant.

    >>> as_expr(1).code()
    '1.0'
    """
    if isinstance(x, Expr):
        return x
    if isinstance(x, (int, float)):
        return Expr.const(float(x))
    raise TypeError(f"cannot write {type(x).__name__} {x!r} as code")


def _call(name: str) -> Any:
    def call(*args: object) -> Expr:
        return Expr("call", name, tuple(as_expr(a) for a in args))

    call.__name__ = name
    return call


def _div(x: object, y: object) -> Expr:
    return as_expr(x) / y  # inline: Python raises ZeroDivisionError, and the program falls back to the engine


SYMBOLS: Any = SimpleNamespace(**{**{name: _call(name) for name in NAMESPACE}, "div": _div})
"""The math namespace of symbols: every function of :data:`~minigrad.primitives.NAMESPACE` writes a call
of the function of the same name in :mod:`minigrad.scalar` (``div`` writes ``x / y``)."""
