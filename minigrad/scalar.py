"""Float math with clear errors: the namespace the primitives compute in by default.

Every function here takes and returns plain Python floats, and raises an error that
names the operation and its input where ``math`` would say only "math domain error"
or Python would silently return a complex number.

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

__all__ = ["exp", "log", "pow", "relu", "sigmoid", "step", "tanh"]


def exp(x: float) -> float:
    """``e ** x``; an ``OverflowError`` naming ``x`` past x ≈ 709.78.

    >>> exp(0.0)
    1.0
    """
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x!r}) overflows a float (largest finite: exp(709.78))") from None


def log(x: float) -> float:
    """Natural logarithm; a ``ValueError`` naming ``x`` for x <= 0.

    >>> log(1.0)
    0.0
    """
    if x <= 0.0:
        raise ValueError(f"log(x) needs x > 0, got log({x!r})")
    return math.log(x)


def pow(x: float, y: float) -> float:  # noqa: A001 - the name of the operation
    """``x ** y`` as a real number, with errors for ``0 ** negative`` and non-real results.

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
    return out


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


def tanh(x: float) -> float:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return math.tanh(x)


def relu(x: float) -> float:
    """``max(x, 0)``.

    >>> relu(-2.0), relu(3.0)
    (0.0, 3.0)
    """
    return x if x > 0.0 else 0.0


def step(x: float) -> float:
    """Heaviside step, the derivative of ``relu``: 1.0 for x > 0, else 0.0 (as in PyTorch).

    >>> step(0.0), step(0.5)
    (0.0, 1.0)
    """
    return 1.0 if x > 0.0 else 0.0
