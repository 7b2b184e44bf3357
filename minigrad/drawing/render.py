"""Turning drawings into SVG (or PNG, PDF...): finding a renderer, saving, and Jupyter display.

The renderer is the system Graphviz ``dot`` when it is on ``PATH``; otherwise the
``graphviz-pure`` executable that ``pip`` installs next to the Python interpreter (a
``dot``-compatible build for Linux, macOS and Windows, a dependency of minigrad); the
environment variable ``MINIGRAD_DOT`` names another one. The DOT source goes to the
renderer on stdin, so nothing but the executable is needed.

>>> from minigrad import Value
>>> x = Value(2.0, "x")
>>> to_svg(x * x).lstrip().startswith("<?xml")
True
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import graphviz

from minigrad.drawing.graph import draw
from minigrad.drawing.text import FONT, SVG_FONT_FAMILY
from minigrad.engine import Value
from minigrad.files import atomic_write
from minigrad.fonts import HANGUL_FAMILY, HANGUL_FONT

__all__ = [
    "RENDER_TIMEOUT",
    "REPR_NODE_LIMIT",
    "REPR_TIMEOUT",
    "RenderError",
    "RenderTimeoutError",
    "RendererNotFoundError",
    "find_renderer",
    "render",
    "repr_mimebundle",
    "save_svg",
    "to_svg",
]

REPR_NODE_LIMIT = 500
"""The most values a ``Value`` draws inline in Jupyter; larger graphs show a text summary."""

RENDER_TIMEOUT = 60.0
"""Seconds a renderer may run before :func:`render` stops it and raises :class:`RenderError`."""

REPR_TIMEOUT = 10.0
"""Seconds Jupyter's inline drawing may take; past it the display falls back to text.

Layout time grows steeply with long edges: a value used by every step of a 60-step chain
takes the pip-installed renderer seconds, not milliseconds.
"""

_INSTALL_HINT = (
    "no Graphviz renderer found: minigrad looks for `dot` on PATH, then for the `graphviz-pure` "
    "executable next to the Python interpreter. Install one of them: `pip install graphviz-pure` "
    "(in the environment that runs minigrad), or system Graphviz (`apt install graphviz`, "
    "`brew install graphviz`, `winget install graphviz`), or set MINIGRAD_DOT to a dot-compatible executable"
)


class RendererNotFoundError(RuntimeError):
    """No Graphviz renderer could be found; the message says what to install.

    >>> issubclass(RendererNotFoundError, RuntimeError)
    True
    """


class RenderError(RuntimeError):
    """The renderer ran but failed; the message carries what it printed.

    >>> issubclass(RenderError, RuntimeError)
    True
    """


class RenderTimeoutError(RenderError):
    """The renderer was stopped after its time limit (``timeout`` seconds, kept on the error).

    >>> RenderTimeoutError("too slow", 30.0).timeout
    30.0
    """

    def __init__(self, message: str, timeout: float) -> None:
        super().__init__(message)
        self.timeout = timeout


def _script_dirs() -> list[str]:
    """Where pip puts executables for this interpreter (venv ``bin``/``Scripts``, user or system scripts)."""
    dirs = [str(Path(sys.executable).parent)]
    for scheme_path in (sysconfig.get_path("scripts"), sysconfig.get_path("scripts", f"{os.name}_user")):
        if scheme_path and scheme_path not in dirs:
            dirs.append(scheme_path)
    return dirs


def find_renderer(search_path: str | None = None, script_dirs: Sequence[str] | None = None) -> str:
    """The path of the executable that renders DOT: ``$MINIGRAD_DOT``, else ``dot``, else ``graphviz-pure``.

    ``search_path`` replaces ``PATH`` and ``script_dirs`` the directories where pip puts
    executables (both for tests); ``graphviz-pure`` is looked for in ``script_dirs``
    first, then on the search path. Nothing found: :class:`RendererNotFoundError`
    saying what to install.

    >>> Path(find_renderer()).stem in ("dot", "graphviz-pure")
    True
    >>> find_renderer(search_path="", script_dirs=[])
    Traceback (most recent call last):
    ...
    minigrad.drawing.render.RendererNotFoundError: no Graphviz renderer found: ...
    """
    override = os.environ.get("MINIGRAD_DOT")
    if override:
        found = shutil.which(override, path=search_path)
        if found is None:
            raise RendererNotFoundError(f"MINIGRAD_DOT={override!r} is not an executable file; " + _INSTALL_HINT)
        return found
    found = shutil.which("dot", path=search_path)
    if found is not None:
        return found
    for directory in _script_dirs() if script_dirs is None else script_dirs:
        found = shutil.which("graphviz-pure", path=directory)
        if found is not None:
            return found
    found = shutil.which("graphviz-pure", path=search_path)
    if found is not None:
        return found
    raise RendererNotFoundError(_INSTALL_HINT)


def _source(drawing: Value | graphviz.Digraph, options: dict[str, Any]) -> str:
    if isinstance(drawing, Value):
        return str(draw(drawing, **options).source)
    if options:
        raise TypeError(f"drawing options {sorted(options)} apply to a Value, not to an already drawn graph")
    return str(drawing.source)


def render(
    drawing: Value | graphviz.Digraph,
    format: str = "svg",  # noqa: A002
    *,
    timeout: float | None = RENDER_TIMEOUT,
    **options: Any,
) -> bytes:
    """The drawing rendered in ``format`` (``svg``, ``png``, ``pdf``... whatever the renderer knows).

    ``drawing`` is a ``Value`` (drawn with :func:`draw` and ``options``) or a
    ``graphviz.Digraph`` (for instance ``draw(J, paths_from=b)``). A renderer still
    running after ``timeout`` seconds (``None``: no limit) is stopped, and
    :class:`RenderError` says so. In SVG, text asks the viewer for
    :data:`~minigrad.drawing.text.SVG_FONT_FAMILY`: the font the layout was measured in,
    then fallbacks no wider than it.

    >>> from minigrad import Value
    >>> render(Value(1.0, "x"), "png")[:4]
    b'\\x89PNG'
    """
    source = _source(drawing, options)
    command = [find_renderer(), f"-T{format}"]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderTimeoutError(
            f"{command[0]} was still laying out the graph after {timeout:g} s and was stopped; "
            "draw a smaller graph, or pass a larger timeout",
            timeout or 0.0,
        ) from None
    except OSError as error:
        raise RenderError(f"could not run the Graphviz renderer {command[0]}: {error}") from error
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"{' '.join(command)} failed (exit status {done.returncode}): {message}")
    if format == "svg":
        return _svg_fonts(done.stdout)
    return done.stdout


_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_HANGUL_RANGES = "U+1100-11FF,U+3130-318F,U+AC00-D7A3"  # the same: jamo, compatibility jamo, syllables


def _svg_fonts(svg: bytes) -> bytes:
    """The SVG asking for :data:`~minigrad.drawing.text.SVG_FONT_FAMILY`; with Hangul in it, carrying its own.

    DejaVu Sans and most viewers' default fonts have no Hangul: where a label has some, the
    bundled Hangul font (:mod:`minigrad.fonts`), cut down to the syllables used, is embedded
    in the SVG for the Hangul code points, so that a browser draws them on any system.

    >>> from minigrad import Value
    >>> "@font-face" in to_svg(Value(1.0, "가중치")), "@font-face" in to_svg(Value(1.0, "w"))
    (True, False)
    """
    text = svg.decode("utf-8")
    family = SVG_FONT_FAMILY
    hangul = sorted(set(_HANGUL.findall(text)))
    if hangul:  # first in the list, for the Hangul code points only (a fallback after DejaVu Sans is not loaded)
        family = f"{HANGUL_FAMILY},{SVG_FONT_FAMILY}"
        source = f"url(data:font/otf;base64,{_hangul_subset(hangul)})"
        face = f'@font-face{{font-family:"{HANGUL_FAMILY}";src:{source};unicode-range:{_HANGUL_RANGES}}}'
        text = re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}\n<style>{face}</style>", text, count=1)
    return text.replace(f'font-family="{FONT}"', f'font-family="{family}"').encode("utf-8")


def _hangul_subset(characters: list[str]) -> str:
    """The bundled Hangul font with only ``characters``, base64-encoded (a few kB for a few labels)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(HANGUL_FONT)
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(unicodes=[ord(ch) for ch in characters])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def to_svg(drawing: Value | graphviz.Digraph, *, timeout: float | None = RENDER_TIMEOUT, **options: Any) -> str:
    """The drawing as SVG text (see :func:`render` for ``timeout``, :func:`draw` for ``options``).

    >>> from minigrad import Value
    >>> "<svg" in to_svg(Value(1.0, "x"), show_grads=False)
    True
    """
    return render(drawing, "svg", timeout=timeout, **options).decode("utf-8")


def save_svg(drawing: Value | graphviz.Digraph, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write the drawing of ``drawing`` to ``path`` as SVG; returns the path written.

    ``options`` are those of :func:`draw` (``local_grads=True``, ``rankdir="TB"``...),
    and ``timeout`` that of :func:`render`.
    The format is SVG whatever the file's suffix; for other formats use :func:`render`.

    >>> import tempfile
    >>> from minigrad import Value
    >>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    >>> J = 3 * (a + b * c); J.label = "J"; J.backward()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = save_svg(J, Path(tmp) / "J.svg", local_grads=True)
    ...     out.name, out.read_text().count('class="node"')
    ('J.svg', 10)
    """
    return atomic_write(path, render(drawing, "svg", **options))


def _small_enough(root: Value, limit: int) -> bool:
    """Whether ``root``'s graph has at most ``limit`` values; stops counting past the limit."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                if len(seen) > limit:
                    return False
                stack.append(parent)
    return True


def repr_mimebundle(value: Value, limit: int = REPR_NODE_LIMIT) -> dict[str, str]:
    """What Jupyter shows for ``value``: its graph as SVG, or a text summary for a large graph.

    Past ``limit`` values, when no renderer works or when rendering takes longer than
    :data:`REPR_TIMEOUT`, the bundle holds text only, saying why and how to draw the
    graph anyway.

    >>> from minigrad import Value
    >>> x = Value(1.0, "x")
    >>> sorted(repr_mimebundle(x + 1))
    ['image/svg+xml', 'text/plain']
    >>> y = x
    >>> for _ in range(1000):
    ...     y = y + 1
    >>> print(repr_mimebundle(y)["text/plain"])  # doctest: +ELLIPSIS
    Value(data=1001.0, grad=0.0): a graph of more than 500 values, too large to draw inline; ...
    """
    text = repr(value)
    if not _small_enough(value, limit):
        return {
            "text/plain": f"{text}: a graph of more than {limit:,} values, too large to draw inline; "
            "draw it to a file with minigrad.save_svg(value, 'graph.svg') if you really want to"
        }
    try:
        return {"image/svg+xml": to_svg(value, timeout=REPR_TIMEOUT), "text/plain": text}
    except (RendererNotFoundError, RenderError) as error:
        return {"text/plain": f"{text} (no drawing: {error})"}
