"""The primitives: each one's forward rule and local derivatives, declared once.

A primitive's ``rule(m, *operands)`` returns ``(out, (∂out/∂operand_1, ...))``: the
output and one local derivative per operand. It computes through ``m``, a *math
namespace*, and never branches on an operand's value, so that one rule runs on every
kind of number minigrad knows:

- plain floats, with clear errors (:mod:`minigrad.scalar`): the eager engine;
- ``Value`` nodes (:mod:`minigrad.functions`): ``backward(create_graph=True)``, so
  derivatives can be differentiated again;
- symbols that print as code (:mod:`minigrad.tracing`): the generated programs;
- NumPy (or other) arrays over a batch of examples (:mod:`minigrad.tracing`).

>>> from minigrad import scalar
>>> MUL.rule(scalar, 3.0, 2.0)
(6.0, (2.0, 3.0))
>>> SIGMOID.rule(scalar, 0.0)
(0.5, (0.25,))
>>> SIGMOID.derivatives
('σ(1−σ)',)

A namespace provides the operators ``+ − × /`` and unary ``−`` on its numbers (the
rules also mix in plain floats) and the functions named in :data:`NAMESPACE`. Value
checks that can fail (``log`` of a negative number, division by zero) live in the
namespace, where each kind of number does them its own way. The one exception to "never
branch on a value": a *constant* operand (pow's exponent) is always a plain float, so a
rule may test it.

Declaring a new primitive is one call of :func:`primitive` (see its example); the
built-ins below are declared the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ABS",
    "ADD",
    "BUILTINS",
    "COS",
    "COSH",
    "DIV",
    "DOT",
    "EXP",
    "EXPM1",
    "LOG",
    "LOG1P",
    "MAXIMUM",
    "MINIMUM",
    "MUL",
    "NAMESPACE",
    "NEG",
    "POW",
    "POW_XY",
    "PRIMITIVES",
    "RELU",
    "SIGMOID",
    "SIN",
    "SINH",
    "SQRT",
    "SUB",
    "SUM",
    "TAN",
    "TANH",
    "Primitive",
    "primitive",
]

NAMESPACE = (
    "div",
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
    "sign",
    "heaviside",
    "maximum",
    "minimum",
    "pow",
    "pow_ieee",
    "xlogy",
)
"""The functions every math namespace provides (besides the operators); see :mod:`minigrad.scalar`."""

Rule = Callable[..., tuple[Any, tuple[Any, ...]]]


@dataclass(frozen=True)
class Primitive:
    """One differentiable operation: its name, how drawings show it, and its rule.

    - ``rule(m, *operands) -> (out, (∂out/∂operand, ...))``, computed through the math
      namespace ``m``; one derivative per operand, except a ``constant`` operand.
    - ``derivatives``: the same local derivatives as formulas, for drawings, in the
      operand names ``x``, ``y`` (``c`` for a constant).
    - ``arity``: the number of operands, or ``None`` for any number, in groups of
      ``len(derivatives)``: ``sum`` takes ``x1, x2, …``, ``dot`` the pairs
      ``x1, y1, x2, y2, …``; a group's formula uses ``ᵢ`` for its number.
    - ``constant``: the index of an operand that is always a plain number (pow's
      exponent ``c``) and receives no gradient; ``None`` if there is none.

    Calling a primitive applies it: a ``Value`` node if any operand is a ``Value``, else
    a plain float.

    >>> ADD.name, ADD.symbol, ADD.arity
    ('add', '+', 2)
    >>> ADD(2, 3)
    5.0
    """

    name: str
    symbol: str
    arity: int | None
    rule: Rule
    derivatives: tuple[str, ...]
    constant: int | None = None

    def __call__(self, *operands: Any) -> Any:
        from minigrad.engine import apply  # here: the engine imports this module

        return apply(self, *operands)

    def __repr__(self) -> str:
        return f"<primitive {self.name} ({self.symbol})>"


PRIMITIVES: dict[str, Primitive] = {}
"""Every primitive by name, the built-ins and those declared with :func:`primitive`."""

BUILTINS: frozenset[str] = frozenset()
"""The names of the built-in primitives (set once they are declared, at the end of this module)."""


def primitive(
    derivatives: Sequence[str],
    *,
    name: str | None = None,
    symbol: str | None = None,
    arity: int | None = -1,
    constant: int | None = None,
) -> Callable[[Rule], Primitive]:
    """Declare a primitive from its rule: a decorator. The result works like a built-in.

    The decorated function is the rule, ``rule(m, *operands) -> (out, (∂out/∂operand,
    ...))``, written with the operators and the functions of the math namespace ``m``
    (:data:`NAMESPACE`), so that the engine runs it on floats, ``backward(create_graph=
    True)`` on ``Value`` nodes, and traced programs on code and arrays. ``derivatives``
    are the local derivatives as text, drawn on the edges. ``name`` defaults to the
    function's name, ``symbol`` (the drawing's operation node) to the name, and
    ``arity`` to the rule's number of operands (``None``: any number). ``constant``:
    the index of an operand that is always a plain number (see :class:`Primitive`).
    Declaring a name again (running a notebook cell twice) replaces the earlier
    declaration in :data:`PRIMITIVES`; nodes made before keep theirs. The names of the
    built-ins are taken.

    >>> from minigrad import Value, grad
    >>> @primitive(["σ(x)"])
    ... def softplus(m, x):
    ...     "log(1 + eˣ), a smooth relu."
    ...     return m.log1p(m.exp(x)), (m.sigmoid(x),)
    >>> x = Value(0.0, "x")
    >>> y = softplus(x)
    >>> y.op, round(y.data, 6), y.local_grads
    ('softplus', 0.693147, (0.5,))
    >>> softplus(0.0) == y.data
    True
    >>> grad(grad(softplus))(0.0)  # σ'(0): differentiated through the rule itself
    0.25
    """

    def declare(rule: Rule) -> Primitive:
        label = name or rule.__name__
        if label in BUILTINS:
            raise ValueError(f"{label!r} is a built-in primitive ({PRIMITIVES[label]!r}): choose another name")
        n = arity
        if n == -1:
            n = rule.__code__.co_argcount - 1  # the operands after m
        declared = Primitive(label, symbol or label, n, rule, tuple(derivatives), constant)
        PRIMITIVES[label] = declared
        return declared

    return declare


# ---------------------------------------------------------------------------- arithmetic


@primitive(["1", "1"], symbol="+", name="add")
def ADD(m, x, y):
    return x + y, (1.0, 1.0)


@primitive(["1", "−1"], symbol="−", name="sub")
def SUB(m, x, y):
    return x - y, (1.0, -1.0)


@primitive(["y", "x"], symbol="×", name="mul")
def MUL(m, x, y):
    return x * y, (y, x)


@primitive(["1/y", "−x/y²"], symbol="÷", name="div")
def DIV(m, x, y):
    out = m.div(x, y)  # raises for y == 0
    return out, (1.0 / y, -out / y)


@primitive(["−1"], symbol="−", name="neg")
def NEG(m, x):
    return -x, (-1.0,)


@primitive(["y·x^(y−1)", "x^y·log x"], symbol="^", name="pow_xy")
def POW_XY(m, x, y):
    out = m.pow(x, y)
    # As PyTorch at a base of 0: ∂/∂x is 0 at x = y = 0, where y·x^(y−1) would be 0·∞ (the power is
    # y − 1 + at_origin, at_origin 1 there and 0 elsewhere), and ∂/∂y = x^y·log x is 0 at x = 0 (out·sign x
    # is 0 there, and xlogy(0, ·) is 0).
    at_origin = (1.0 - m.abs(m.sign(x))) * (1.0 - m.abs(m.sign(y)))
    return out, (y * m.pow_ieee(x, y - 1.0 + at_origin), m.xlogy(out * m.sign(x), x))


@primitive(["1"], symbol="Σ", arity=None, name="sum")
def SUM(m, *xs):
    total = xs[0]
    for x in xs[1:]:  # left to right, as a chain of + would (not Python's compensated sum)
        total = total + x
    return total, (1.0,) * len(xs)


@primitive(["yᵢ", "xᵢ"], symbol="·", arity=None, name="dot")
def DOT(m, *operands):
    """``x1·y1 + x2·y2 + …`` of the pairs ``x1, y1, x2, y2, …``; ∂/∂xᵢ = yᵢ and ∂/∂yᵢ = xᵢ."""
    xs, ys = operands[0::2], operands[1::2]
    total = xs[0] * ys[0]
    for x, y in zip(xs[1:], ys[1:], strict=True):  # left to right, as a chain of + and ×
        total = total + x * y
    local = list(operands)
    local[0::2], local[1::2] = ys, xs
    return total, tuple(local)


# ---------------------------------------------------------------------------- functions


@primitive(["exp(x)"], name="exp")
def EXP(m, x):
    out = m.exp(x)
    return out, (out,)


@primitive(["1/x"], name="log")
def LOG(m, x):
    return m.log(x), (1.0 / x,)


@primitive(["1/(1+x)"], name="log1p")
def LOG1P(m, x):
    return m.log1p(x), (1.0 / (1.0 + x),)


@primitive(["exp(x)"], name="expm1")
def EXPM1(m, x):
    return m.expm1(x), (m.exp(x),)


@primitive(["1/(2√x)"], symbol="√", name="sqrt")
def SQRT(m, x):
    out = m.sqrt(x)
    return out, (0.5 * m.pow_ieee(x, -0.5),)  # ∞ at 0, as in PyTorch


@primitive(["cos x"], name="sin")
def SIN(m, x):
    return m.sin(x), (m.cos(x),)


@primitive(["−sin x"], name="cos")
def COS(m, x):
    return m.cos(x), (-m.sin(x),)


@primitive(["1+tan²"], name="tan")
def TAN(m, x):
    out = m.tan(x)
    return out, (1.0 + out * out,)


@primitive(["cosh x"], name="sinh")
def SINH(m, x):
    return m.sinh(x), (m.cosh(x),)


@primitive(["sinh x"], name="cosh")
def COSH(m, x):
    return m.cosh(x), (m.sinh(x),)


@primitive(["1−tanh²"], name="tanh")
def TANH(m, x):
    out = m.tanh(x)
    return out, (1.0 - out * out,)


@primitive(["σ(1−σ)"], symbol="σ", name="sigmoid")
def SIGMOID(m, x):
    out = m.sigmoid(x)
    return out, (out * (1.0 - out),)


@primitive(["1 if x>0 else 0"], symbol="ReLU", name="relu")
def RELU(m, x):
    return m.relu(x), (m.heaviside(x, 0.0),)  # 0 at the kink, as in PyTorch


@primitive(["sign(x)"], symbol="|x|", name="abs")
def ABS(m, x):
    return m.abs(x), (m.sign(x),)  # 0 at the kink, as in PyTorch


@primitive(["1 if x>y, ½ if x=y", "1 if y>x, ½ if x=y"], symbol="max", name="maximum")
def MAXIMUM(m, x, y):
    return m.maximum(x, y), (m.heaviside(x - y, 0.5), m.heaviside(y - x, 0.5))  # a tie splits, as in PyTorch


@primitive(["1 if x<y, ½ if x=y", "1 if y<x, ½ if x=y"], symbol="min", name="minimum")
def MINIMUM(m, x, y):
    return m.minimum(x, y), (m.heaviside(y - x, 0.5), m.heaviside(x - y, 0.5))


def _power_derivative(m, x, c):
    # As PyTorch: ∂/∂x is 0 for c == 0, and ∞ at x == 0 for c < 1 (pow_ieee: 0 ** negative = ∞).
    return 0.0 if c == 0.0 else c * m.pow_ieee(x, c - 1.0)


@primitive(["c·x^(c−1)"], name="pow", symbol="^", constant=1)
def POW(m, x, c):
    return m.pow(x, c), (_power_derivative(m, x, c),)


def _pow_ieee(m, x, c):
    return m.pow_ieee(x, c), (_power_derivative(m, x, c),)


POW_IEEE = Primitive("pow", "^", 2, _pow_ieee, POW.derivatives, constant=1)
"""``x ** c`` inside a derivative (of pow, sqrt) where it is infinite (``0 ** -0.5``, ``1e-310 ** -1.5``).

Not a primitive of its own (not in :data:`PRIMITIVES`): the node that
``backward(create_graph=True)`` makes there, so that the derivative of an infinite
derivative is infinite too, as in PyTorch, rather than the 0 of a constant.
"""

BUILTINS = frozenset(PRIMITIVES)
