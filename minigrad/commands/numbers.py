"""``argparse`` types for the numbers the commands read: each refuses bad input with one line.

>>> positive_int("3"), non_negative_int("0"), positive_float("0.5")
(3, 0, 0.5)
"""

from __future__ import annotations

import argparse
import math

__all__ = ["non_negative_int", "positive_float", "positive_int"]


def _integer(text: str, least: int) -> int:
    try:
        n = int(text)
    except ValueError:
        kind = "a positive" if least == 1 else "a non-negative"
        raise argparse.ArgumentTypeError(f"expected {kind} integer, got {text!r}") from None
    if n < least:
        kind = "a positive" if least == 1 else "a non-negative"
        raise argparse.ArgumentTypeError(f"must be {kind} integer, got {text!r}")
    return n


def positive_int(text: str) -> int:
    """An ``argparse`` type: an integer ≥ 1 (epochs, layer sizes).

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    return _integer(text, 1)


def non_negative_int(text: str) -> int:
    """An ``argparse`` type: an integer ≥ 0 (the seed).

    >>> non_negative_int("0")
    0
    """
    return _integer(text, 0)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def positive_float(text: str) -> float:
    """An ``argparse`` type: a finite number > 0 (the learning rate).

    >>> positive_float("0.5")
    0.5
    >>> positive_float("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive finite number, got 'nan'
    """
    x = _number(text)
    if not (math.isfinite(x) and x > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text!r}")
    return x
