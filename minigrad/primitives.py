"""The primitives: each one's forward rule and local derivatives, declared once.

A primitive's ``rule`` takes its operands and returns the output followed by one local
derivative ∂out/∂operand per operand. Everything that runs a graph reads these
declarations: the engine calls ``rule`` when it builds a node, drawings label edges
with ``derivatives``, and the functional helpers reuse them for plain numbers.

The rules compute through the namespace ``m`` (by default :mod:`minigrad.scalar`, plain
floats with clear errors), so another backend can replay the same rule on other number
types by passing its own namespace with ``exp``, ``log``, ``pow``, ``sigmoid``, ``tanh``,
``relu`` and ``step``.

Adding a primitive is one entry here, one method on ``Value`` and its tests.

>>> MUL.rule(3.0, 2.0)
(6.0, 2.0, 3.0)
>>> DOT.rule(1.0, 2.0, 3.0, 4.0)  # 1·2 + 3·4, then ∂/∂x1 = y1, ∂/∂y1 = x1, ...
(14.0, 2.0, 1.0, 4.0, 3.0)
>>> SIGMOID.rule(0.0)
(0.5, 0.25)
>>> SIGMOID.derivatives
('σ(1−σ)',)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from minigrad import scalar

__all__ = [
    "ADD",
    "DIV",
    "DOT",
    "EXP",
    "LOG",
    "MUL",
    "NEG",
    "POW",
    "POW_XY",
    "PRIMITIVES",
    "RELU",
    "SIGMOID",
    "SUB",
    "SUM",
    "TANH",
    "Primitive",
]


@dataclass(frozen=True)
class Primitive:
    """One differentiable operation.

    ``arity`` is the number of operands. ``rule(*operands)`` returns
    ``(out, ∂out/∂operand_1, ...)``, one derivative per operand except a
    ``constant_operand``: the index of an operand that is always a plain number (pow's
    exponent), which no gradient flows into. ``derivatives`` holds the same local
    derivatives as formulas (in the operands ``x``, ``y``, ``c``) for drawings.

    ``arity=None``: any number of operands, in groups of ``len(derivatives)``: ``sum``
    takes ``x1, x2, …`` (groups of one), ``dot`` the pairs ``x1, y1, x2, y2, …``.
    ``derivatives[j]`` is then the formula for the ``j``-th operand of every group,
    with ``ᵢ`` standing for the group's number (dot: ``∂/∂xᵢ = yᵢ``).

    >>> ADD.name, ADD.symbol, ADD.arity
    ('add', '+', 2)
    """

    name: str
    symbol: str
    arity: int | None
    rule: Callable[..., tuple[Any, ...]]
    derivatives: tuple[str, ...]
    constant_operand: int | None = None

    def __repr__(self) -> str:
        return f"<primitive {self.name} ({self.symbol})>"


def _add(x: float, y: float, m: ModuleType = scalar) -> tuple[float, float, float]:
    return x + y, 1.0, 1.0


def _sub(x: float, y: float, m: ModuleType = scalar) -> tuple[float, float, float]:
    return x - y, 1.0, -1.0


def _mul(x: float, y: float, m: ModuleType = scalar) -> tuple[float, float, float]:
    return x * y, y, x


def _div(x: float, y: float, m: ModuleType = scalar) -> tuple[float, float, float]:
    if y == 0.0:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}")
    out = x / y
    return out, 1.0 / y, -out / y


def _pow(x: float, c: float, m: ModuleType = scalar) -> tuple[float, float]:
    out = m.pow(x, c)
    if c == 0.0:
        return out, 0.0
    if x == 0.0 and c < 1.0:
        # 0 ** c with 0 < c < 1 (a root) has a vertical tangent, as in PyTorch.
        return out, float("inf")
    return out, c * m.pow(x, c - 1.0)


def _pow_xy(x: float, y: float, m: ModuleType = scalar) -> tuple[float, float, float]:
    if x < 0.0:
        raise ValueError(
            f"{x!r} ** y with y a Value needs a base >= 0 (∂/∂y = x**y·log x); "
            "use a plain-number exponent for a negative base"
        )
    out, dx = _pow(x, y, m)
    return out, dx, out * m.log(x) if x > 0.0 else 0.0


def _sum(*xs: float, m: ModuleType = scalar) -> tuple[float, ...]:
    total = xs[0]
    for x in xs[1:]:  # left to right, as a chain of + would (not Python's compensated sum)
        total = total + x
    return (total, *(1.0,) * len(xs))


def _dot(*operands: float, m: ModuleType = scalar) -> tuple[float, ...]:
    """``x1·y1 + x2·y2 + …`` of the pairs ``x1, y1, x2, y2, …``; ∂/∂xᵢ = yᵢ and ∂/∂yᵢ = xᵢ."""
    xs, ys = operands[0::2], operands[1::2]
    if len(xs) != len(ys):
        raise ValueError(f"dot takes pairs x1, y1, x2, y2, ...: got {len(operands)} operands")
    total = xs[0] * ys[0] if xs else 0.0
    for x, y in zip(xs[1:], ys[1:], strict=True):  # left to right, as a chain of + and ×
        total = total + x * y
    result = [total, *operands]
    result[1::2] = ys  # ∂/∂xᵢ = yᵢ
    result[2::2] = xs  # ∂/∂yᵢ = xᵢ
    return tuple(result)


def _neg(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    return -x, -1.0


def _exp(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    out = m.exp(x)
    return out, out


def _log(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    return m.log(x), 1.0 / x


def _sigmoid(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    s = m.sigmoid(x)
    return s, s * (1.0 - s)


def _tanh(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    t = m.tanh(x)
    return t, 1.0 - t * t


def _relu(x: float, m: ModuleType = scalar) -> tuple[float, float]:
    return m.relu(x), m.step(x)


ADD = Primitive("add", "+", 2, _add, ("1", "1"))
SUB = Primitive("sub", "−", 2, _sub, ("1", "−1"))
MUL = Primitive("mul", "×", 2, _mul, ("y", "x"))
DIV = Primitive("div", "÷", 2, _div, ("1/y", "−x/y²"))
POW = Primitive("pow", "^", 2, _pow, ("c·x^(c−1)",), constant_operand=1)
POW_XY = Primitive("pow_xy", "^", 2, _pow_xy, ("y·x^(y−1)", "x^y·log x"))
SUM = Primitive("sum", "Σ", None, _sum, ("1",))
DOT = Primitive("dot", "·", None, _dot, ("yᵢ", "xᵢ"))
NEG = Primitive("neg", "−", 1, _neg, ("−1",))
EXP = Primitive("exp", "exp", 1, _exp, ("exp(x)",))
LOG = Primitive("log", "log", 1, _log, ("1/x",))
SIGMOID = Primitive("sigmoid", "σ", 1, _sigmoid, ("σ(1−σ)",))
TANH = Primitive("tanh", "tanh", 1, _tanh, ("1−tanh²",))
RELU = Primitive("relu", "ReLU", 1, _relu, ("1 if x>0 else 0",))

PRIMITIVES: dict[str, Primitive] = {
    p.name: p for p in (ADD, SUB, MUL, DIV, POW, POW_XY, SUM, DOT, NEG, EXP, LOG, SIGMOID, TANH, RELU)
}
"""Every primitive by name."""
