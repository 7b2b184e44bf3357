"""A few steps of gradient descent as a stepper page: the graph changing update by update, the loss curve beside it.

:func:`descend` runs plain gradient descent on a loss built by a function of named
parameters, each update on a freshly built graph (so nothing the caller holds is
changed), and keeps each update's graph after its backward pass; :func:`save_training_html`
writes the page.

>>> def loss(w, b):  # a logistic neuron on one example x = 2, y = 1
...     a = (w * 2.0 + b).sigmoid()
...     a.label = "a"
...     return -a.log()
>>> updates = descend(loss, {"w": 0.5, "b": -0.75}, lr=1.0, updates=3)
>>> [round(u.loss, 4) for u in updates]
[0.5759, 0.0836, 0.0568]
>>> updates[1].values["w"] == updates[0].values["w"] - 1.0 * updates[0].grads["w"]
True
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from minigrad.drawing.graph import draw
from minigrad.engine import Value
from minigrad.files import atomic_write
from minigrad.functional import as_integer
from minigrad.steps_html import inline_svg, page

__all__ = ["Update", "descend", "save_training_html", "training_html"]


@dataclass(frozen=True, eq=False)
class Update:
    """One gradient-descent update: the parameters before it, their gradients, the loss and its graph.

    >>> u = descend(lambda x: (x - 3) ** 2, {"x": 1.0}, lr=0.25, updates=1)[0]
    >>> u.index, u.values, u.grads, u.loss, u.graph.data
    (0, {'x': 1.0}, {'x': -4.0}, 4.0, 4.0)
    """

    index: int
    values: dict[str, float]
    grads: dict[str, float]
    loss: float
    graph: Value


def descend(
    loss_of: Callable[..., Value], start: Mapping[str, float], *, lr: float = 0.5, updates: int = 5
) -> list[Update]:
    """``updates`` steps of gradient descent, ``p ← p − lr · dL/dp``, from the parameters ``start``.

    ``loss_of`` is called with one leaf ``Value`` per parameter (labelled with its name,
    in the order of ``start``) and returns the loss. Each update builds a fresh graph,
    so the caller's values are never touched.

    >>> [round(u.values["x"], 3) for u in descend(lambda x: x * x, {"x": 1.0}, lr=0.25, updates=3)]
    [1.0, 0.5, 0.25]
    >>> descend(lambda x: x * x, {"x": 1.0}, updates=0)
    Traceback (most recent call last):
    ...
    ValueError: updates must be a positive integer, got 0
    """
    count = as_integer(updates)  # a Python or NumPy integer, not a bool
    if count is None or count < 1:
        raise ValueError(f"updates must be a positive integer, got {updates!r}")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    values = {name: float(value) for name, value in start.items()}
    out = []
    for index in range(count):
        leaves = [Value(value, name) for name, value in values.items()]
        loss = loss_of(*leaves)
        if not isinstance(loss, Value):
            raise TypeError(f"loss_of must return a Value, got {type(loss).__name__}: {loss!r}")
        if not loss.label:
            loss.label = "L"
        loss.backward()
        grads = {leaf.label: float(leaf.grad) for leaf in leaves}
        out.append(Update(index, dict(values), grads, loss.data, loss))
        values = {name: value - lr * grads[name] for name, value in values.items()}
    return out


def _loss_curve(losses: Sequence[float], k: int) -> str:
    """The loss per update as a small SVG: the whole curve in grey, the part up to update ``k`` in blue."""
    width, height, left, right, top, bottom = 300, 210, 48, 12, 14, 36
    top_loss = max(losses) * 1.1 or 1.0
    n = len(losses)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_loss)

    def line(points: Sequence[int], colour: str, extra: str = "") -> str:
        coordinates = " ".join(f"{x(i):.1f},{y(losses[i]):.1f}" for i in points)
        return f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"{extra}/>'

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#6b7280"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0):.1f}" stroke="#6b7280"/>',
        f'<text x="{left - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
        f'<text x="{left - 6}" y="{y(max(losses)) + 4:.1f}" text-anchor="end">{max(losses):.3g}</text>',
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6}" text-anchor="middle">update</text>',
        f'<text x="{left + 6}" y="{top + 4}" fill="#374151">loss</text>',
        line(range(n), "#d1d5db", ' stroke-dasharray="4 3"'),
        line(range(k + 1), "#2563eb"),
    ]
    for i in range(n):
        parts.append(f'<text x="{x(i):.1f}" y="{y(0) + 16:.1f}" text-anchor="middle" fill="#6b7280">{i}</text>')
    parts.append(f'<circle cx="{x(k):.1f}" cy="{y(losses[k]):.1f}" r="5" fill="#dc2626"/>')
    parts.append(f'<text x="{width - right}" y="{top + 8}" text-anchor="end" fill="#dc2626">{losses[k]:.4f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _caption(update: Update, lr: float, last: int) -> str:
    moves = ", ".join(
        f"{name} ← {value:.4g} − {lr:g} × {_bracket(update.grads[name])} = {value - lr * update.grads[name]:.4g}"
        for name, value in update.values.items()
    )
    return f"update {update.index} of {last}: loss {update.loss:.4f}; {moves}"


def _bracket(x: float) -> str:
    text = f"{x:.4g}"
    return f"({text})" if text.startswith("-") else text


def training_html(updates: Sequence[Update], lr: float, *, title: str | None = None, standalone: bool = True) -> str:
    """The stepper page over ``updates`` (from :func:`descend`, run with learning rate ``lr``).

    Each step shows the loss curve so far, that update's graph after backward (every
    data and gradient, at full size: a wide graph scrolls sideways), a caption with each
    parameter's move ``p ← p − lr × dL/dp``, and a table of the parameters and the loss.

    >>> updates = descend(lambda x: (x - 3) ** 2, {"x": 1.0}, lr=0.25, updates=2)
    >>> html = training_html(updates, 0.25)
    >>> html.count('class="mg-frame"'), "x ← 1 − 0.25 × (-4) = 2" in html
    (2, True)
    """
    if not updates:
        raise ValueError("no updates to show: run descend() with updates >= 1")
    losses = [u.loss for u in updates]
    last = len(updates) - 1
    names = list(updates[0].values)
    panels: list[str] = []
    frames: list[dict[str, object]] = []
    for u in updates:
        graph = inline_svg(draw(u.graph, number_format=".4g"))
        panels.append(f'<div>{_loss_curve(losses, u.index)}</div><div class="mg-wide">{graph}</div>')
        rows: list[list[object]] = [[f"{u.values[n]:.6g}", f"{u.grads[n]:.6g}", "final", False] for n in names]
        rows.append([f"{u.loss:.6g}", "1", "final", False])
        frames.append({"phase": "update", "caption": _caption(u, lr, last), "rows": rows})
    loss_name = updates[0].graph.label
    heading = title if title is not None else f"gradient descent, {len(updates)} updates, lr = {lr:g}"
    return page(
        heading=heading,
        panels=panels,
        frames=frames,
        row_names=[*names, loss_name],
        columns=("parameter", "value", f"d{loss_name}/d(parameter)", "gradient"),
        legend="Each step is one update: the graph rebuilt with the new parameters, then its backward pass.",
        standalone=standalone,
    )


def save_training_html(
    path: str | os.PathLike[str],
    loss_of: Callable[..., Value],
    start: Mapping[str, float],
    *,
    lr: float = 0.5,
    updates: int = 5,
    title: str | None = None,
) -> Path:
    """Run :func:`descend` and write its page to ``path`` (atomically); returns the path.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_training_html(Path(tmp) / "t.html", lambda w: (w - 1) ** 2, {"w": 0.0}, updates=2).name
    't.html'
    """
    out = Path(path)
    atomic_write(out, training_html(descend(loss_of, start, lr=lr, updates=updates), lr, title=title))
    return out
