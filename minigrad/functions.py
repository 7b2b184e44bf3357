"""The primitives as functions of ``Value`` s or plain numbers: ``minigrad.exp``, ``minigrad.sqrt`` ...

Each function makes a node when its argument is a ``Value`` and returns a float for a
plain number, computed by the same rule either way.

>>> from minigrad import Value, exp, maximum
>>> exp(0.0)
1.0
>>> exp(Value(0.0, "x")).op
'exp'
>>> maximum(Value(1.0), 3.0).data
3.0

This module is also the math namespace (:data:`minigrad.primitives.NAMESPACE`) in which
the rules run on ``Value`` s for ``backward(create_graph=True)``: every derivative a
rule computes here is a graph of its own, which can be differentiated again. The
derivatives of the step-like functions (``sign``, ``heaviside``) are zero wherever they
are defined, so those return plain floats.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minigrad import scalar
from minigrad.engine import Number, Value, _data_of, apply
from minigrad.primitives import (
    ABS,
    COS,
    COSH,
    DIV,
    DOT,
    EXP,
    EXPM1,
    LOG,
    LOG1P,
    MAXIMUM,
    MINIMUM,
    POW,
    POW_IEEE,
    POW_XY,
    RELU,
    SIGMOID,
    SIN,
    SINH,
    SQRT,
    SUM,
    TAN,
    TANH,
)

__all__ = [
    "abs",
    "cos",
    "cosh",
    "div",
    "dot",
    "exp",
    "expm1",
    "heaviside",
    "log",
    "log1p",
    "maximum",
    "minimum",
    "pow",
    "pow_ieee",
    "relu",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "sqrt",
    "sum_of",
    "tan",
    "tanh",
    "xlogy",
]

Operand = Value | Number
Result = Any  # a Value for a Value operand, else a float


def exp(x: Operand) -> Result:
    """``e ** x``; ``OverflowError`` past x ≈ 709.78.

    >>> exp(0)
    1.0
    """
    return apply(EXP, x)


def log(x: Operand) -> Result:
    """Natural logarithm; ``ValueError`` naming ``x`` for x <= 0.

    >>> log(1.0)
    0.0
    """
    return apply(LOG, x)


def log1p(x: Operand) -> Result:
    """``log(1 + x)``, exact for small ``x``; ``ValueError`` for x <= −1.

    >>> log1p(0.0)
    0.0
    """
    return apply(LOG1P, x)


def expm1(x: Operand) -> Result:
    """``e ** x − 1``, exact for small ``x``.

    >>> expm1(0.0)
    0.0
    """
    return apply(EXPM1, x)


def sqrt(x: Operand) -> Result:
    """Square root; ``ValueError`` for x < 0; the derivative at 0 is ``inf``, as in PyTorch.

    >>> sqrt(16)
    4.0
    """
    return apply(SQRT, x)


def sin(x: Operand) -> Result:
    """Sine (radians).

    >>> sin(0.0)
    0.0
    """
    return apply(SIN, x)


def cos(x: Operand) -> Result:
    """Cosine (radians).

    >>> cos(0.0)
    1.0
    """
    return apply(COS, x)


def tan(x: Operand) -> Result:
    """Tangent (radians).

    >>> tan(0.0)
    0.0
    """
    return apply(TAN, x)


def sinh(x: Operand) -> Result:
    """Hyperbolic sine.

    >>> sinh(0.0)
    0.0
    """
    return apply(SINH, x)


def cosh(x: Operand) -> Result:
    """Hyperbolic cosine.

    >>> cosh(0.0)
    1.0
    """
    return apply(COSH, x)


def tanh(x: Operand) -> Result:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return apply(TANH, x)


def sigmoid(x: Operand) -> Result:
    """Logistic function ``1 / (1 + e**-x)``, finite for every finite input.

    >>> sigmoid(0.0)
    0.5
    """
    return apply(SIGMOID, x)


def relu(x: Operand) -> Result:
    """``max(x, 0)``; its derivative at 0 is 0, as in PyTorch.

    >>> relu(-1.0)
    0.0
    """
    return apply(RELU, x)


def abs(x: Operand) -> Result:  # noqa: A001 - minigrad.abs, like numpy.abs
    """``|x|``; its derivative at 0 is 0, as in PyTorch.

    >>> abs(-2)
    2.0
    """
    return apply(ABS, x)


def maximum(x: Operand, y: Operand) -> Result:
    """The larger of ``x`` and ``y``; at a tie each gets half the gradient, as in PyTorch.

    >>> maximum(2.0, 3.0)
    3.0
    """
    return apply(MAXIMUM, x, y)


def minimum(x: Operand, y: Operand) -> Result:
    """The smaller of ``x`` and ``y``; at a tie each gets half the gradient, as in PyTorch.

    >>> minimum(2.0, 3.0)
    2.0
    """
    return apply(MINIMUM, x, y)


def div(x: Operand, y: Operand) -> Result:
    """``x / y``; ``ZeroDivisionError`` for ``y == 0``.

    >>> div(1, 4)
    0.25
    """
    return apply(DIV, x, y)


def pow(x: Operand, y: Operand) -> Result:  # noqa: A001 - the name of the operation
    """``x ** y``: a ``pow`` node for a plain-number exponent, ``pow_xy`` for a ``Value``.

    >>> pow(2, 3)
    8.0
    """
    return apply(POW_XY if isinstance(y, Value) else POW, x, y)


def pow_ieee(x: Operand, y: Operand) -> Result:
    """``x ** y`` where a derivative needs it: ``inf`` where the power is infinite, no error.

    For a ``Value`` base and a number exponent that ``inf`` is a node (:data:`~minigrad.
    primitives.POW_IEEE`), whose own derivative is infinite too, so that a second
    derivative there is ``±inf`` as in PyTorch (``x ** -0.5`` at 1e-310, ``sqrt`` at 0);
    with a ``Value`` exponent it is a constant.

    >>> pow_ieee(0.0, -0.5)
    inf
    >>> node = pow_ieee(Value(0.0), -0.5)
    >>> node.data, node.local_grads
    (inf, (-inf,))
    """
    try:
        return pow(x, y)
    except (ZeroDivisionError, OverflowError):
        if isinstance(x, Value) and not isinstance(y, Value):
            return _infinite_power(x, float(y))
        return scalar.pow_ieee(_data_of(x), _data_of(y))


def _infinite_power(x: Value, c: float) -> Value:
    """The node ``x ** c`` holding its IEEE value ``±inf``: a leaf given its operation, past the overflow rule."""
    data, local_grads = POW_IEEE.rule(scalar, x.data, c)
    node = Value(data)
    node.primitive, node.operands, node.parents, node.local_grads = POW_IEEE, (x, c), (x,), local_grads
    return node


def xlogy(x: Operand, y: Operand) -> Result:
    """``x · log(y)``, and 0.0 where ``x == 0``.

    >>> xlogy(0.0, 0.0)
    0.0
    """
    if _data_of(x) == 0.0:
        return 0.0
    return x * log(y)


def sign(x: Operand) -> float:
    """−1.0, 0.0 or 1.0 by the sign of ``x``, a constant (its derivative is 0).

    >>> sign(Value(-3.0))
    -1.0
    """
    return scalar.sign(_data_of(x))


def heaviside(x: Operand, at_zero: float) -> float:
    """The step function of ``x``'s data, a constant: 1.0 above 0, 0.0 below, ``at_zero`` at 0.

    >>> heaviside(Value(2.0), 0.5)
    1.0
    """
    return scalar.heaviside(_data_of(x), at_zero)


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
    return apply(SUM, *operands) if operands else 0.0


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
    xs, ys = list(xs), list(ys)
    if len(xs) != len(ys):
        raise ValueError(f"dot of sequences of different lengths: {len(xs)} and {len(ys)}")
    if not xs:
        return 0.0
    operands = xs + ys
    operands[0::2], operands[1::2] = xs, ys  # the pairs, interleaved: x1, y1, x2, y2, ...
    return apply(DOT, *operands)
