"""Text in drawings: the font they are laid out in, and labels made safe to draw.

Graphviz sizes every box from the metrics of the font named in the DOT source, and the
SVG viewer then draws the text in whatever font it has under that name. Drawings name
:data:`FONT`, DejaVu Sans: the pip-installed ``graphviz-pure`` carries its metrics for
ASCII, system Graphviz finds it through fontconfig on most Linux systems, and matplotlib
(a dependency of minigrad) ships its font files. Its glyphs are wider than those of
Helvetica, Arial, Liberation Sans or Noto Sans, so a viewer without DejaVu Sans that falls
back to its sans-serif font (see :data:`SVG_FONT_FAMILY`) draws narrower text, inside the
same boxes.

``graphviz-pure`` guesses the width of a character beyond ASCII as one space per UTF-8
byte: ``×`` (2 bytes) comes out 2.4 pt short at 12 pt, Hangul (3 bytes) short of its
1 em. So drawings also give every box of text a minimum width, :func:`text_width`, read
from the font file itself.

A label is free text: :func:`printable` turns any ``str``, control characters and lone
surrogates included, into text every renderer accepts.

>>> printable("w\\x00 \\x1b[31m")
'w\\\\x00 \\\\x1b[31m'
>>> round(text_width("data 0.9526", 14), 2)
84.97
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from pathlib import Path

__all__ = ["FONT", "LABEL_LIMIT", "SVG_FONT_FAMILY", "printable", "text_width"]

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


def _font_file(bold: bool) -> Path:
    """DejaVu Sans (or its bold) as matplotlib ships it, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib, a dependency of minigrad, is not installed: its DejaVu Sans sizes drawings")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / name


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    """The advance width of every character of the font, in font units, and the units per em."""
    from fontTools.ttLib import TTFont  # installed with matplotlib

    with TTFont(_font_file(bold), lazy=True) as font:
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        return advances, font["head"].unitsPerEm


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of ``text`` set in :data:`FONT` at ``size`` points, without kerning.

    A character DejaVu Sans does not have (Hangul, CJK) counts as 1 em, the width of the
    fonts a viewer draws it in instead.

    >>> text_width("×", 12) > 10 > text_width("x", 12)
    True
    >>> text_width("가", 10), text_width("b", 10, bold=True) > text_width("b", 10)
    (10.0, True)
    """
    advances, units = _advances(bold)
    return sum(advances.get(ord(ch), units) for ch in text) * size / units
