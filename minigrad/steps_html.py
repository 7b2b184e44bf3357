"""The step-by-step view as one self-contained HTML page (or a fragment for Jupyter).

Every frame of :func:`minigrad.steps` is drawn once (:func:`minigrad.draw` with ``step=``)
and embedded as inline SVG; a small script steps through them with buttons (reset,
previous, play/pause, next), a slider and the arrow keys, shows the frame's caption in
words and a table of every node's data and gradient. Nothing is loaded from the
network: the page works offline in any current browser.

>>> import tempfile, pathlib
>>> from minigrad import Value
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c); J.label = "J"
>>> with tempfile.TemporaryDirectory() as tmp:
...     page = save_html(J, pathlib.Path(tmp) / "J.html")
...     text = page.read_text(encoding="utf-8")
>>> text.count('class="mg-frame"'), "http" in text.replace("http://www.w3.org", "")
(8, False)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path

import graphviz

from minigrad.drawing.render import to_svg
from minigrad.drawing.steps_style import draw_step
from minigrad.engine import Value
from minigrad.files import atomic_write
from minigrad.steps_frames import Steps, steps

__all__ = ["PAGE_NODE_LIMIT", "inline_svg", "page", "save_html", "to_html"]

_counter = itertools.count(1)

PAGE_NODE_LIMIT = 40
"""The most values a step-by-step page draws (each frame draws the whole graph)."""

# "minigrad Hangul" first: where labels have Hangul, the frames' SVG defines it (the bundled font, for the Hangul
# code points only), so the caption and the table draw them too; elsewhere the name is unknown and skipped.
_STYLE = """
.mg-steps { font-family: "minigrad Hangul", system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #111827;
  max-width: 100%; outline: none; padding: 0.5rem; }
.mg-steps h1 { font-size: 1.3rem; margin: 0 0 0.6rem 0; }
.mg-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin-bottom: 0.5rem; }
.mg-controls button { font: inherit; font-size: 0.95rem; padding: 0.3rem 0.8rem; border: 1px solid #9ca3af;
  border-radius: 0.4rem; background: #f9fafb; cursor: pointer; }
.mg-controls button:hover { background: #e5e7eb; }
.mg-controls input[type=range] { flex: 1 1 12rem; min-width: 8rem; }
.mg-position { font-variant-numeric: tabular-nums; min-width: 11rem; }
.mg-caption { font-size: 1.05rem; line-height: 1.4; padding: 0.5rem 0.7rem; margin-bottom: 0.5rem;
  border-left: 4px solid #dc2626; background: #fef2f2; min-height: 1.5em; overflow-wrap: anywhere; }
.mg-caption.mg-forward { border-left-color: #2563eb; background: #eff6ff; }
.mg-caption.mg-done { border-left-color: #15803d; background: #f0fdf4; }
.mg-caption.mg-update { border-left-color: #7c3aed; background: #f5f3ff; }
.mg-frame { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1rem; }
.mg-frame[hidden] { display: none; }
.mg-wide { flex: 1 1 0; min-width: 0; overflow-x: auto; }
.mg-graph .mg-wide svg { max-width: none; }
.mg-graph { overflow-x: auto; }
.mg-graph svg { max-width: 100%; height: auto; }
.mg-table { border-collapse: collapse; margin-top: 0.5rem; font-variant-numeric: tabular-nums; }
.mg-table th, .mg-table td { border: 1px solid #d1d5db; padding: 0.2rem 0.7rem; text-align: right; }
.mg-table th:first-child, .mg-table td:first-child { text-align: left; font-weight: bold; }
.mg-table tr.mg-current td { background: #fee2e2; }
.mg-state-final { color: #15803d; font-weight: bold; }
.mg-state-running { color: #c2410c; }
.mg-state-pending { color: #9ca3af; }
.mg-help { color: #6b7280; font-size: 0.85rem; margin-top: 0.4rem; }
"""

_SCRIPT = """
(function (root, keys) {
  var frames = JSON.parse(root.querySelector(".mg-data").textContent);
  var svgs = root.querySelectorAll(".mg-frame");
  var slider = root.querySelector(".mg-slider");
  var play = root.querySelector(".mg-play");
  var k = 0, timer = null;
  function show(i) {
    k = Math.max(0, Math.min(frames.length - 1, i));
    var f = frames[k];
    for (var j = 0; j < svgs.length; j++) { svgs[j].hidden = j !== k; }
    slider.value = k;
    root.querySelector(".mg-position").textContent =
      "step " + k + " of " + (frames.length - 1) + " (" + f.phase + ")";
    var caption = root.querySelector(".mg-caption");
    caption.textContent = f.caption;
    caption.className = "mg-caption mg-" + f.phase;
    var rows = root.querySelectorAll(".mg-table tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].querySelectorAll("td"), cell = f.rows[r];
      cells[1].textContent = cell[0];
      cells[2].textContent = cell[1];
      cells[3].textContent = cell[2];
      cells[2].className = cells[3].className = "mg-state-" + (cell[2] || "pending");
      rows[r].className = cell[3] ? "mg-current" : "";
      rows[r].setAttribute("data-grad", cell[1]);
    }
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "play \\u25B6"; }
  function next() { if (k >= frames.length - 1) { stop(); } else { show(k + 1); } }
  function toggle() {
    if (timer !== null) { stop(); return; }
    if (k >= frames.length - 1) { show(0); }
    play.textContent = "pause \\u23F8";
    timer = setInterval(next, 1200);
  }
  root.querySelector(".mg-next").addEventListener("click", function () { stop(); show(k + 1); });
  root.querySelector(".mg-prev").addEventListener("click", function () { stop(); show(k - 1); });
  root.querySelector(".mg-reset").addEventListener("click", function () { stop(); show(0); });
  play.addEventListener("click", toggle);
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  keys.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT") { return; }  // the slider moves itself
    var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (e.key in moves) { stop(); show(k + moves[e.key]); }
    else if (e.key === "Home") { stop(); show(0); }
    else if (e.key === "End") { stop(); show(frames.length - 1); }
    else if (e.key === " " && e.target === keys) { toggle(); }
    else { return; }
    e.preventDefault();
  });
  show(0);
})(document.getElementById("%(id)s"), %(keys)s);
"""


def inline_svg(drawing: graphviz.Digraph) -> str:
    """A drawing rendered as SVG to put inside a page: no XML prolog, no comments, no ids (a page holds many).

    >>> from minigrad import Value, draw
    >>> inline_svg(draw(Value(1.0, "x")))[:4], 'id="' in inline_svg(draw(Value(1.0, "x")))
    ('<svg', False)
    """
    text = to_svg(drawing)
    text = text[text.index("<svg") :]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return re.sub(r'\sid="[^"]*"', "", text)


def _rows(frames: Steps, number_format: str) -> list[dict[str, object]]:
    """Per frame: its phase, caption and one row per node (data, grad, state, whether current)."""
    out: list[dict[str, object]] = []
    for frame in frames:
        rows: list[object] = []
        for node in _table_nodes(frames):
            data = format(node.data + 0.0, number_format) if node in frame.computed else "?"
            grad = format(frame.grads[node] + 0.0, number_format) if node in frame.grads else "?"
            state = "final" if node in frame.final and node in frame.grads else "running" if node in frame.grads else ""
            rows.append([data, grad, state, frame.node is node])
        out.append({"phase": frame.phase, "caption": frame.caption, "rows": rows})
    return out


def _table_nodes(frames: Steps) -> list[Value]:
    """The nodes of the table: the output first, then in the order the backward pass reaches them."""
    order = {frames.root: None}
    for frame in frames:
        order.update((c.target, None) for c in frame.contributions if c.target not in order)
    return list(order)


def to_html(
    frames: Steps, *, standalone: bool = True, title: str | None = None, number_format: str = ".6g"
) -> str:
    """The stepper for ``frames`` (from :func:`minigrad.steps`) as HTML text.

    ``standalone``: a whole page (the arrow keys work anywhere on it) or, with ``False``,
    a fragment for Jupyter (the arrow keys work once the view has focus). ``title``: the
    heading, by default ``<output> = <value>, step by step``. ``number_format``: how the
    table writes numbers (the drawing uses ``.4g``). A graph of more than
    :data:`PAGE_NODE_LIMIT` values is a ``ValueError``: every frame is a drawing of the
    whole graph, so the page is meant for the small graphs one steps through by hand.

    >>> from minigrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> page = to_html(steps(y))
    >>> page.startswith("<!DOCTYPE html>"), page.count("<svg"), "dy/dx" in page
    (True, 4, True)
    >>> for _ in range(40):
    ...     y = y * x
    >>> to_html(steps(y))
    Traceback (most recent call last):
    ...
    ValueError: the step-by-step page is for small graphs: this one has 42 values, more than 40 ...
    """
    if len(frames.nodes) > PAGE_NODE_LIMIT:
        raise ValueError(
            f"the step-by-step page is for small graphs: this one has {len(frames.nodes)} values, more than "
            f"{PAGE_NODE_LIMIT} (each of its {len(frames)} frames would draw all of them); "
            "step through a smaller part of it"
        )
    name = frames.names[frames.root]
    heading = title if title is not None else f"{name} = {frames.root.data:.6g}, step by step"
    legend = (
        "Forward pass first, then backward. Orange: a gradient still adding up; green: final. "
        "Red: this step's node and the gradient it passes on."
    )
    return page(
        heading=heading,
        panels=[inline_svg(draw_step(frames, i, caption=False)) for i in range(len(frames))],
        frames=_rows(frames, number_format),
        row_names=[frames.names[n] for n in _table_nodes(frames)],
        columns=("node", "data", f"d{name}/d(node)", "gradient"),
        legend=legend,
        standalone=standalone,
    )


def page(
    *,
    heading: str,
    panels: Sequence[str],
    frames: Sequence[dict[str, object]],
    row_names: Sequence[str],
    columns: tuple[str, str, str, str],
    legend: str,
    standalone: bool = True,
) -> str:
    """A stepper page (or fragment) over prepared frames: what :func:`to_html` and the training view share.

    ``panels[k]`` is the HTML shown at step ``k`` (inline SVG), ``frames[k]`` a dict with
    ``phase``, ``caption`` and ``rows``: for each of ``row_names`` a list ``[data, grad,
    state, current]`` (``state``: ``"final"``, ``"running"`` or ``""``) shown in a table
    under the ``columns`` headings. ``legend`` is a line of help under the table.

    >>> html = page(heading="h", panels=["<svg></svg>"], frames=[{"phase": "done", "caption": "c", "rows": [
    ...     ["1", "2", "final", False]]}], row_names=["x"], columns=("node", "data", "grad", "state"), legend="")
    >>> html.count('class="mg-frame"'), '<tr data-name="x">' in html
    (1, True)
    """
    if not panels or len(panels) != len(frames):
        raise ValueError(f"a page needs one panel per frame, at least one: got {len(panels)} and {len(frames)}")
    first = frames[0]
    data = json.dumps(list(frames), ensure_ascii=False).replace("</", "<\\/")
    digest = hashlib.sha1(data.encode("utf-8")).hexdigest()[:10]  # the same page gets the same id on every run
    view_id = f"minigrad-steps-{digest}-{next(_counter)}"
    shown = "\n".join(f'<div class="mg-frame"{" hidden" if i else ""}>{panel}</div>' for i, panel in enumerate(panels))
    first_rows: Sequence[Sequence[object]] = first["rows"]  # type: ignore[assignment]
    body_rows = "\n".join(  # filled with step 0, so that a viewer without JavaScript shows it too
        f'<tr data-name="{escape(n)}"><td>{escape(n)}</td>'
        + f"<td>{escape(str(row[0]))}</td>"
        + "".join(f'<td class="mg-state-{row[2] or "pending"}">{escape(str(x))}</td>' for x in row[1:3])
        + "</tr>"
        for n, row in zip(row_names, first_rows, strict=True)
    )
    head_row = "".join(f"<th>{escape(c)}</th>" for c in columns)
    last = len(frames) - 1
    keys = "document" if standalone else f'document.getElementById("{view_id}")'
    key_help = "space: play/pause" if standalone else "click the view first"
    view = f"""<div class="mg-steps" id="{view_id}" tabindex="0">
<h1>{escape(heading)}</h1>
<div class="mg-controls">
<button type="button" class="mg-reset" title="back to step 0 (Home)">reset</button>
<button type="button" class="mg-prev" title="previous step (left arrow)">&#x25C0; previous</button>
<button type="button" class="mg-play" title="play or pause">play &#x25B6;</button>
<button type="button" class="mg-next" title="next step (right arrow)">next &#x25B6;</button>
<input type="range" class="mg-slider" min="0" max="{last}" value="0" aria-label="step">
<span class="mg-position">step 0 of {last} ({first["phase"]})</span>
</div>
<div class="mg-caption mg-{first["phase"]}">{escape(str(first["caption"]))}</div>
<div class="mg-graph">
{shown}
</div>
<table class="mg-table">
<thead><tr>{head_row}</tr></thead>
<tbody>
{body_rows}
</tbody>
</table>
<p class="mg-help">Keys: &#x2192; next, &#x2190; previous, Home, End ({key_help}). {escape(legend)}</p>
<script type="application/json" class="mg-data">{data}</script>
<style>{_STYLE}</style>
<script>{_SCRIPT % {"id": view_id, "keys": keys}}</script>
</div>"""
    if not standalone:
        return view
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)}</title>
</head>
<body style="margin: 1rem 1.5rem;">
{view}
</body>
</html>
"""


def save_html(root: Value | Steps, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write the step-by-step page of ``root``'s graph (or of ``steps(root)``) to ``path``; returns the path.

    One self-contained HTML file (inline SVG, style and script; nothing from the
    network). The write is atomic: on any failure the previous file at ``path`` is left
    as it was. ``root``'s ``.grad`` values are not touched.

    >>> import tempfile
    >>> from minigrad import Value
    >>> x = Value(2.0, "x"); y = (x * x).exp(); y.label = "y"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_html(y, Path(tmp) / "y.html").name
    'y.html'
    """
    frames = root if isinstance(root, Steps) else steps(root)
    out = Path(path)
    atomic_write(out, to_html(frames, title=title))
    return out
