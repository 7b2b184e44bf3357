"""How the commands write numbers and counts in their messages.

>>> plural(1, "step"), plural(43, "step")
('1 step', '43 steps')
>>> shown(-0.0, ".4f"), shown(-1e-9, ".4f"), shown(-0.25, ".2f")
('0.0000', '0.0000', '-0.25')
"""

from __future__ import annotations

__all__ = ["plural", "shown"]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word``, with an ``s`` (or ``many``) unless the count is exactly one.

    >>> plural(2, "epoch"), plural(1, "example"), plural(3, "class", "classes")
    ('2 epochs', '1 example', '3 classes')
    """
    return f"{count:,} {word if count == 1 else many or word + 's'}"


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
