"""A font with Hangul for matplotlib, shipped inside the package: Korean plot titles show letters, not boxes.

matplotlib's own font, DejaVu Sans, has no Hangul: a Korean title renders as empty boxes
(and matplotlib warns "Glyph ... missing from font(s) DejaVu Sans"). minigrad bundles
``minigrad-hangul.otf``, the Hangul of Noto Sans CJK KR (all 11,172 syllables and the
jamo; SIL Open Font License 1.1, see ``OFL.txt`` and ``README.md`` beside it), and
:func:`add_hangul_fallback` adds it to matplotlib's font list *after* the current fonts:
Latin letters, digits and symbols keep their usual font, and matplotlib takes only the
glyphs that font lacks (Hangul) from this one.

>>> import matplotlib
>>> with matplotlib.rc_context():
...     add_hangul_fallback()
...     matplotlib.rcParams["font.family"][-1]
'minigrad Hangul'
>>> HANGUL_FONT.name
'minigrad-hangul.otf'
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

__all__ = [
    "HANGUL_FAMILY",
    "HANGUL_FONT",
    "add_hangul_fallback",
    "hangul_rc",
    "register_hangul_font",
    "with_hangul_fallback",
]

P = ParamSpec("P")
R = TypeVar("R")

HANGUL_FONT = Path(__file__).resolve().with_name("minigrad-hangul.otf")
"""The bundled font file: Noto Sans CJK KR's Hangul, renamed (a modified OFL font keeps no upstream name)."""

HANGUL_FAMILY = "minigrad Hangul"
"""The family name matplotlib knows the bundled font by."""


def register_hangul_font() -> str:
    """Make the bundled font known to matplotlib's font manager (once); returns its family name.

    >>> from matplotlib import font_manager
    >>> register_hangul_font()
    'minigrad Hangul'
    >>> props = font_manager.FontProperties(family=HANGUL_FAMILY)
    >>> Path(font_manager.findfont(props, fallback_to_default=False)) == HANGUL_FONT
    True
    """
    from matplotlib import font_manager

    if not any(Path(entry.fname) == HANGUL_FONT for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(HANGUL_FONT))
    return HANGUL_FAMILY


def hangul_rc(families: list[str] | None = None) -> dict[str, list[str]]:
    """rcParams that put the bundled font after ``families`` (default: the current ``font.family``).

    Registers the font first. Use it for one figure, leaving global settings alone:
    ``with matplotlib.rc_context(hangul_rc()): ...``.

    >>> hangul_rc(["sans-serif"])
    {'font.family': ['sans-serif', 'minigrad Hangul']}
    >>> hangul_rc(["sans-serif", "minigrad Hangul"])
    {'font.family': ['sans-serif', 'minigrad Hangul']}
    """
    import matplotlib

    register_hangul_font()
    current = list(matplotlib.rcParams["font.family"] if families is None else families)
    if HANGUL_FAMILY not in current:
        current.append(HANGUL_FAMILY)
    return {"font.family": current}


def add_hangul_fallback() -> None:
    """Let every later matplotlib figure take the glyphs its fonts lack (Hangul) from the bundled font.

    Changes ``matplotlib.rcParams["font.family"]`` for the rest of the session (the
    lesson notebooks call it once at the top); calling it again changes nothing.

    >>> import matplotlib
    >>> with matplotlib.rc_context({"font.family": ["serif"]}):
    ...     add_hangul_fallback()
    ...     add_hangul_fallback()
    ...     matplotlib.rcParams["font.family"]
    ['serif', 'minigrad Hangul']
    """
    import matplotlib

    matplotlib.rcParams.update(hangul_rc())  # type: ignore[arg-type]


def with_hangul_fallback(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function that draws with matplotlib: while it runs, the bundled font is the fallback.

    Global settings are left as they were (the function runs inside ``matplotlib.rc_context``).

    >>> import matplotlib
    >>> @with_hangul_fallback
    ... def families():
    ...     return matplotlib.rcParams["font.family"][-1]
    >>> families(), HANGUL_FAMILY in matplotlib.rcParams["font.family"]
    ('minigrad Hangul', False)
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib

        with matplotlib.rc_context(hangul_rc()):  # type: ignore[arg-type]
            return function(*args, **kwargs)

    return wrapper
