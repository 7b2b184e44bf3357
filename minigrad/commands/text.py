"""How the commands write numbers and counts in their messages.

>>> plural(1, "step"), plural(43, "step")
('1 step', '43 steps')
>>> shown(-0.0, ".4f"), shown(-1e-9, ".4f"), shown(-0.25, ".2f")
('0.0000', '0.0000', '-0.25')
"""

from __future__ import annotations

import math

__all__ = ["count", "plural", "shown"]


def count(n: int) -> str:
    """A possibly astronomical count: with thousands separators, or as a power of ten past 30 digits.

    Python refuses to turn an integer of more than 4,300 digits into text (and takes
    quadratic time below that), so a huge count is shown by its size only.

    >>> count(8192), count(2**100), count(2**20000)
    ('8,192', '~10^30', '~10^6020')
    """
    if n.bit_length() <= 99:  # below 10^29.8: at most 30 digits
        return f"{n:,}"
    return f"~10^{math.floor((n.bit_length() - 1) * math.log10(2))}"


def plural(number: int, word: str, many: str | None = None) -> str:
    """``number`` and ``word``, with an ``s`` (or ``many``) unless the number is exactly one.

    >>> plural(2, "epoch"), plural(1, "example"), plural(3, "class", "classes")
    ('2 epochs', '1 example', '3 classes')
    """
    return f"{number:,} {word if number == 1 else many or word + 's'}"


def shown(number: float, spec: str = "g") -> str:
    """``format(number, spec)`` without the sign of a zero: ``-0.0`` and ``-1e-9`` at ``.4f`` print ``0.0000``.

    A minus sign in front of nothing but zeros says nothing true about the number (a
    loss of ``-0.0000`` reads as negative), so it is dropped; every other number is
    printed as ``format`` prints it.

    >>> shown(-0.0), shown(2.5, ".3f"), shown(float("-inf"))
    ('0', '2.500', '-inf')
    """
    text = format(number, spec)
    mantissa = text.lower().split("e")[0]
    if text.startswith("-") and "0" in mantissa and not any(c in "123456789" for c in mantissa):
        return text[1:]
    return text
