"""Text in drawings: the font they are laid out in, and labels made safe to draw.

Graphviz sizes every box from the metrics of the font named in the DOT source, and the
SVG viewer then draws the text in whatever font it has under that name. Drawings name
:data:`FONT`, DejaVu Sans: the pip-installed ``graphviz-pure`` carries its exact metrics,
system Graphviz finds it through fontconfig on most Linux systems, and matplotlib (a
dependency of minigrad) ships its font file. Its glyphs are wider than those of Helvetica,
Arial, Liberation Sans or Noto Sans, so a viewer without DejaVu Sans that falls back to its
sans-serif font (see :data:`SVG_FONT_FAMILY`) draws narrower text, inside the same boxes.

A label is free text: :func:`printable` turns any ``str``, control characters and lone
surrogates included, into text every renderer accepts.

>>> printable("w\\x00 \\x1b[31m")
'w\\\\x00 \\\\x1b[31m'
"""

from __future__ import annotations

import unicodedata

__all__ = ["FONT", "LABEL_LIMIT", "SVG_FONT_FAMILY", "printable"]

FONT = "DejaVu Sans"
"""The font family every drawing is laid out in (the ``fontname`` of graph, nodes and edges)."""

SVG_FONT_FAMILY = "DejaVu Sans,Bitstream Vera Sans,sans-serif"
"""What SVG output asks the viewer for: DejaVu Sans, else Bitstream Vera Sans (the font DejaVu
Sans grew from, with the same widths for Latin text), else the viewer's sans-serif."""

LABEL_LIMIT = 40
"""The most characters of a label a drawing shows; longer ones end in ``…``."""

_UNDRAWABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})  # control characters, surrogates, line/paragraph separators


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str, limit: int | None = LABEL_LIMIT) -> str:
    r"""``text`` with every control character, lone surrogate and line separator written as an escape.

    The result encodes as UTF-8 and holds no character a renderer refuses (tabs and
    newlines are control characters too); every other character stays as it is. Past ``limit`` characters
    (``None``: no limit) the text is cut and ends in ``…``.

    >>> printable("a\tb\n"), printable("\ud800x"), printable("abcdef", limit=4)
    ('a\\x09b\\x0a', '\\ud800x', 'abc…')
    >>> printable("σ(z) ∂L/∂w₁ 한국어")
    'σ(z) ∂L/∂w₁ 한국어'
    """
    out = "".join(_escape_char(ch) if unicodedata.category(ch) in _UNDRAWABLE else ch for ch in text)
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)] + "…"
    return out
