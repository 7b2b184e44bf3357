"""Float math with clear errors: the namespace the primitives compute in on plain numbers.

Every function here takes and returns plain Python floats. Where the math is undefined
(``log`` of a negative number, division by zero, ``0 ** -1``) or a finite input
overflows (``exp(1000)``), it raises an error that names the operation and its input,
where ``math`` would say only "math domain error" or Python would silently return a
complex number. Non-finite inputs follow IEEE 754, as in PyTorch: ``nan`` propagates
(``relu(nan)`` is ``nan``) and ``inf`` gives what the limit gives (``exp(inf)`` is
``inf``). This module is one of the math namespaces of :mod:`minigrad.primitives`.

>>> from minigrad import scalar
>>> scalar.sigmoid(0.0)
0.5
>>> scalar.log(-1.0)
Traceback (most recent call last):
...
ValueError: log(x) needs x > 0, got log(-1.0)
"""

from __future__ import annotations

import math

__all__ = [
    "abs",
    "cos",
    "cosh",
    "div",
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
    "tan",
    "tanh",
    "xlogy",
]

_inf = math.inf


def _overflow(name: str, x: float) -> OverflowError:
    return OverflowError(f"{name}({x!r}) overflows a float")


def div(x: float, y: float) -> float:
    """``x / y``; a ``ZeroDivisionError`` naming both for ``y == 0``.

    >>> div(1.0, 4.0)
    0.25
    >>> div(1.0, 0.0)
    Traceback (most recent call last):
    ...
    ZeroDivisionError: division by zero: 1.0 / 0.0
    """
    if y == 0.0:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}")
    return x / y


def exp(x: float) -> float:
    """``e ** x``; an ``OverflowError`` naming ``x`` past x ≈ 709.78.

    >>> exp(0.0)
    1.0
    """
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x!r}) overflows a float (largest finite: exp(709.78))") from None


def expm1(x: float) -> float:
    """``e ** x − 1``, exact for small ``x``; overflows as :func:`exp`.

    >>> expm1(1e-20)
    1e-20
    """
    try:
        return math.expm1(x)
    except OverflowError:
        raise _overflow("expm1", x) from None


def log(x: float) -> float:
    """Natural logarithm; a ``ValueError`` naming ``x`` for x <= 0.

    >>> log(1.0)
    0.0
    """
    if x <= 0.0:
        raise ValueError(f"log(x) needs x > 0, got log({x!r})")
    return math.log(x)


def log1p(x: float) -> float:
    """``log(1 + x)``, exact for small ``x``; a ``ValueError`` for x <= −1.

    >>> log1p(1e-20)
    1e-20
    """
    if x <= -1.0:
        raise ValueError(f"log1p(x) needs x > -1, got log1p({x!r})")
    return math.log1p(x)


def sqrt(x: float) -> float:
    """Square root; a ``ValueError`` naming ``x`` for x < 0.

    >>> sqrt(9.0)
    3.0
    """
    if x < 0.0:
        raise ValueError(f"sqrt(x) needs x >= 0, got sqrt({x!r})")
    return math.sqrt(x)


def sin(x: float) -> float:
    """Sine (radians); ``nan`` for an infinite ``x``, as IEEE 754 says.

    >>> sin(0.0)
    0.0
    """
    return math.sin(x) if x - x == 0.0 else math.nan


def cos(x: float) -> float:
    """Cosine (radians); ``nan`` for an infinite ``x``.

    >>> cos(0.0)
    1.0
    """
    return math.cos(x) if x - x == 0.0 else math.nan


def tan(x: float) -> float:
    """Tangent (radians); ``nan`` for an infinite ``x``.

    >>> tan(0.0)
    0.0
    """
    return math.tan(x) if x - x == 0.0 else math.nan


def sinh(x: float) -> float:
    """Hyperbolic sine; an ``OverflowError`` past |x| ≈ 710.

    >>> sinh(0.0)
    0.0
    """
    try:
        return math.sinh(x)
    except OverflowError:
        raise _overflow("sinh", x) from None


def cosh(x: float) -> float:
    """Hyperbolic cosine; an ``OverflowError`` past |x| ≈ 710.

    >>> cosh(0.0)
    1.0
    """
    try:
        return math.cosh(x)
    except OverflowError:
        raise _overflow("cosh", x) from None


def tanh(x: float) -> float:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return math.tanh(x)


def sigmoid(x: float) -> float:
    """Logistic function ``1 / (1 + e**-x)``, finite for every finite ``x``.

    Computed as PyTorch computes it; where ``e**-x`` overflows (x < -709.78) the result
    is the float it rounds to, 0.0.

    >>> sigmoid(0.0), sigmoid(-1000.0), sigmoid(1000.0)
    (0.5, 0.0, 1.0)
    """
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:
        return 0.0


def relu(x: float) -> float:
    """``max(x, 0)``; ``nan`` stays ``nan``, as in PyTorch.

    >>> relu(-2.0), relu(3.0), relu(math.nan)
    (0.0, 3.0, nan)
    """
    return 0.0 if x <= 0.0 else x


def abs(x: float) -> float:  # noqa: A001 - the name of the operation
    """``|x|``.

    >>> abs(-2.0)
    2.0
    """
    return math.fabs(x)


def sign(x: float) -> float:
    """−1.0, 0.0 or 1.0 by the sign of ``x`` (0.0 at 0, as PyTorch's ``sign``); ``nan`` for ``nan``.

    >>> sign(-3.0), sign(0.0), sign(2.0)
    (-1.0, 0.0, 1.0)
    """
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else x * 0.0


def heaviside(x: float, at_zero: float) -> float:
    """The step function: 1.0 for x > 0, 0.0 for x < 0, ``at_zero`` at 0 (``numpy.heaviside``).

    ``heaviside(x, 0.0)`` is relu's derivative, as in PyTorch.

    >>> heaviside(-1.0, 0.5), heaviside(0.0, 0.5), heaviside(2.0, 0.5)
    (0.0, 0.5, 1.0)
    """
    return 1.0 if x > 0.0 else 0.0 if x < 0.0 else at_zero if x == 0.0 else x


def maximum(x: float, y: float) -> float:
    """The larger of ``x`` and ``y``; ``nan`` if either is ``nan`` (as ``numpy.maximum``).

    >>> maximum(1.0, 2.0)
    2.0
    """
    return x if x > y else y if y >= x else x + y


def minimum(x: float, y: float) -> float:
    """The smaller of ``x`` and ``y``; ``nan`` if either is ``nan``.

    >>> minimum(1.0, 2.0)
    1.0
    """
    return x if x < y else y if y <= x else x + y


def pow(x: float, y: float) -> float:  # noqa: A001 - the name of the operation
    """``x ** y`` as a real number, with errors for ``0 ** negative``, non-real results and overflow.

    >>> pow(2.0, 3.0)
    8.0
    >>> pow(0.0, -1.0)
    Traceback (most recent call last):
    ...
    ZeroDivisionError: 0.0 ** -1.0: zero cannot be raised to a negative power
    """
    try:
        out = x**y
    except ZeroDivisionError:
        raise ZeroDivisionError(f"{x!r} ** {y!r}: zero cannot be raised to a negative power") from None
    except OverflowError:
        raise OverflowError(f"{x!r} ** {y!r} overflows a float") from None
    if out.__class__ is complex:
        raise ValueError(f"{x!r} ** {y!r} is not a real number (negative base, fractional exponent)")
    return out  # type: ignore[no-any-return]


def pow_ieee(x: float, y: float) -> float:
    """``x ** y`` as IEEE 754 and PyTorch give it in derivatives: ``0 ** negative`` and overflow are ``inf``.

    >>> pow_ieee(0.0, -0.5), pow_ieee(1e-310, -1.5), pow_ieee(4.0, -0.5)
    (inf, inf, 0.5)
    """
    try:
        out = x**y
    except (ZeroDivisionError, OverflowError):
        odd = y == math.floor(y) and y % 2.0 == 1.0
        return math.copysign(_inf, x) if odd else _inf
    if out.__class__ is complex:
        return math.nan
    return out  # type: ignore[no-any-return]


def xlogy(x: float, y: float) -> float:
    """``x · log(y)``, and 0.0 where ``x == 0`` (as ``scipy.special.xlogy``): pow's ∂/∂exponent.

    >>> xlogy(0.0, 0.0), xlogy(2.0, math.e)
    (0.0, 2.0)
    """
    if x == 0.0:
        return 0.0
    if y < 0.0:
        raise ValueError(
            f"base ** exponent with the exponent a Value needs a base >= 0 (∂/∂exponent = base**exponent·log base), "
            f"got base {y!r}; use a plain-number exponent for a negative base"
        )
    return x * log(y)
