"""The drawing of one step of the forward or backward pass (``draw(root, step=k)``).

What is not computed yet is grey; the node of this step has a red border and, in the
backward pass, the edges it sends gradient along are red and say ``upstream × local =
contribution``; edges that carried gradient in earlier steps keep the amount they
carried, in blue. A gradient still adding up is orange, a final one green. Every frame
of a graph has the same layout (each cell and edge label is as wide in every frame), so
stepping through the frames moves nothing but the colours and the numbers.

>>> from minigrad import Value
>>> from minigrad.steps_frames import steps
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c); J.label = "J"
>>> frames = steps(J)
>>> g = draw_step(frames, 6)
>>> "3 × 2 = 6" in g.source and "grad 9" in g.source
True
"""

from __future__ import annotations

import functools
import math
from html import escape

from minigrad.drawing.graph import Drawing, _auto_rankdir, draw_constant, drawing_order
from minigrad.drawing.text import FONT, printable, text_width
from minigrad.engine import Value
from minigrad.steps_frames import Contribution, Frame, Steps

__all__ = ["STEP_COLOURS", "draw_step"]

STEP_COLOURS = {
    "current": "#dc2626",
    "carried": "#2563eb",
    "running": "#c2410c",
    "final": "#15803d",
    "pending": "#c0c4cc",
}
"""The colours of a step drawing: the current node and its edges, edges that carried
gradient, a gradient still adding up, a final gradient, what is not computed yet."""

_LEAF_FILL = "#dbeafe"
_OUTPUT_FILL = "#fef3c7"
_INNER_FILL = "#f8fafc"
_CURRENT_FILL = "#fee2e2"
_PENDING_FILL = "#ffffff"
_PEN_WIDTHS = {STEP_COLOURS["current"]: "2.5", STEP_COLOURS["carried"]: "1.5"}
_VALUE_PADDING = 6  # points each side of the text in a value's cell: cellpadding 5 and the border
_EDGE_PADDING = 1  # the same in an edge label (cellpadding 1, no border)


def _fmt(x: float, number_format: str) -> str:
    return format(x + 0.0, number_format)  # + 0.0: -0.0 shows as 0


def _width(texts: list[str], size: float = 12.0, padding: int = _VALUE_PADDING, bold: bool = False) -> int:
    """A cell width (points) that fits the widest of ``texts`` at font ``size`` in :data:`FONT`, with its padding."""
    return math.ceil(max(text_width(t, size, bold=bold) for t in texts)) + 2 * padding


def _data_text(node: Value, frame: Frame, number_format: str) -> str:
    return f"data {_fmt(node.data, number_format)}" if node in frame.computed else "data ?"


def _grad_text(node: Value, frame: Frame, number_format: str) -> str:
    return f"grad {_fmt(frame.grads[node], number_format)}" if node in frame.grads else "grad ?"


def _edge_lines(
    frame: Frame, carried: dict[tuple[Value, int], Contribution], node: Value, k: int, number_format: str
) -> tuple[str, str, str]:
    """The two lines on the edge from ``node``'s ``k``-th parent into its operation, and the edge's colour."""
    local = f"local {_fmt(node.local_grads[k], number_format)}" if node in frame.computed else ""
    if frame.node is node and frame.phase == "backward":
        c = frame.contributions[k]
        product = f"{_fmt(c.upstream, number_format)} × {_fmt(c.local, number_format)} = {_fmt(c.value, number_format)}"
        return local, product, STEP_COLOURS["current"]
    if (node, k) in carried:
        return local, f"passed {_fmt(carried[node, k].value, number_format)}", STEP_COLOURS["carried"]
    return local, "", "#374151" if node in frame.computed else STEP_COLOURS["pending"]


def _cell(text: str, width: int, colour: str, fill: str, bold: bool = False) -> str:
    shown = escape(text) if text else "&#160;"
    if bold:
        shown = f"<b>{shown}</b>"
    return f'<td bgcolor="{fill}" width="{width}"><font color="{colour}">{shown}</font></td>'


def _fill(frames: Steps, frame: Frame, node: Value) -> str:
    if frame.node is node:
        return _CURRENT_FILL
    if node not in frame.computed:
        return _PENDING_FILL
    return _LEAF_FILL if not node.parents else _OUTPUT_FILL if node is frames.root else _INNER_FILL


EdgeLines = tuple[str, str, str]


@functools.lru_cache(maxsize=4)
def _edge_states(frames: Steps, number_format: str) -> dict[tuple[Value, int], list[EdgeLines]]:
    """For each edge ``(node, k)`` (from ``node``'s ``k``-th parent), its lines and colour frame by frame."""
    edges = [(node, k) for node in frames.nodes for k in range(len(node.parents))]
    states: dict[tuple[Value, int], list[EdgeLines]] = {edge: [] for edge in edges}
    carried: dict[tuple[Value, int], Contribution] = {}
    for frame in frames:
        for node, k in edges:
            states[node, k].append(_edge_lines(frame, carried, node, k, number_format))
        if frame.phase == "backward":
            carried.update(((c.source, c.position), c) for c in frame.contributions)
    return states


@functools.lru_cache(maxsize=4)
def _layout(frames: Steps, number_format: str) -> dict[tuple[str, Value, int], int]:
    """The width of every cell and edge label: the widest it is in any frame, so no frame moves a node."""
    widths = {}
    for node in frames.nodes:
        widths["name", node, 0] = _width([printable(frames.names[node])], bold=True)
        widths["data", node, 0] = _width([_data_text(node, f, number_format) for f in frames])
        widths["grad", node, 0] = _width([_grad_text(node, f, number_format) for f in frames], bold=True)
    for (node, k), states in _edge_states(frames, number_format).items():
        lines = [line for state in states for line in state[:2]] + ["?"]
        widths["edge", node, k] = _width(lines, size=11.0, padding=_EDGE_PADDING)
    return widths


def _value_label(frames: Steps, step: int, node: Value, number_format: str) -> str:
    """The box of ``node`` at ``step``: name, data and gradient, as wide as in every other frame."""
    frame = frames[step]
    widths = _layout(frames, number_format)
    fill = _fill(frames, frame, node)
    pending = STEP_COLOURS["pending"]
    ink = "#111827" if node in frame.computed else pending
    if node not in frame.grads:
        grad_colour = pending
    else:
        grad_colour = STEP_COLOURS["final"] if node in frame.final else STEP_COLOURS["running"]
    cells = [
        _cell(printable(frames.names[node]), widths["name", node, 0], ink, fill, bold=True),
        _cell(_data_text(node, frame, number_format), widths["data", node, 0], ink, fill),
        _cell(_grad_text(node, frame, number_format), widths["grad", node, 0], grad_colour, fill, node in frame.final),
    ]
    border = STEP_COLOURS["current"] if frame.node is node else ink
    table = f'<table border="1" cellborder="1" cellspacing="0" cellpadding="5" color="{border}">'
    return f"<{table}<tr>{''.join(cells)}</tr></table>>"


def _edge_label(frames: Steps, step: int, node: Value, k: int, number_format: str) -> tuple[str, str]:
    """The label of an edge into ``node``'s operation at ``step`` (as wide in every frame) and its colour."""
    local, moved, colour = _edge_states(frames, number_format)[node, k][step]
    width = _layout(frames, number_format)["edge", node, k]
    rows = (
        f'<tr><td width="{width}"><font color="#1e3a8a">{escape(local) or "&#160;"}</font></td></tr>'
        f'<tr><td width="{width}"><font color="{colour}">{escape(moved) or "&#160;"}</font></td></tr>'
    )
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>>', colour


def draw_step(
    frames: Steps, step: int, *, rankdir: str = "auto", number_format: str = ".4g", caption: bool = True
) -> Drawing:
    """The drawing of frame ``step`` of ``frames`` (from :func:`minigrad.steps`).

    ``step`` counts from 0 (negative counts from the end, as for a list). ``caption``
    writes the frame's caption under the graph. ``rankdir`` is that of
    :func:`minigrad.draw`: ``"auto"`` lays a graph out left to right unless that would be
    wider than a page.

    >>> from minigrad import Value
    >>> from minigrad.steps_frames import steps
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> g = draw_step(steps(y), 0)
    >>> "data ?" in g.source and "grad ?" in g.source
    True
    """
    if rankdir not in ("auto", "LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'auto', 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    try:
        format(1.5, number_format)
    except (ValueError, TypeError) as error:
        raise ValueError(f"number_format {number_format!r} is not a float format spec such as '.4g'") from error
    if not -len(frames) <= step < len(frames):
        raise IndexError(f"step {step} is out of range: this graph has {len(frames)} frames, 0 to {len(frames) - 1}")
    step %= len(frames)
    frame = frames[step]
    order = drawing_order(frames.root)
    if rankdir == "auto":  # as draw() decides it, for boxes with data and grad and labelled edges
        rankdir = _auto_rankdir(order, True, number_format, True, False)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    g = Drawing(
        "minigrad",
        format="svg",
        graph_attr={"rankdir": rankdir, "nodesep": "0.25", "ranksep": "0.45", "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"fontname": FONT, "fontsize": "11", "arrowsize": "0.7"},
    )
    for node in order:
        g.node(ids[node], label=_value_label(frames, step, node, number_format), shape="plain")
        primitive = node.primitive
        if primitive is None:
            continue
        op = f"{ids[node]}_op"
        done = node in frame.computed
        current = frame.node is node
        colour = STEP_COLOURS["current"] if current else "#374151" if done else STEP_COLOURS["pending"]
        g.node(
            op,
            label=primitive.symbol,
            shape="circle" if len(primitive.symbol) == 1 else "ellipse",
            width="0.35",
            height="0.35",
            margin="0.02",
            style="filled",
            fillcolor=_CURRENT_FILL if current else "#e5e7eb" if done else _PENDING_FILL,
            color=colour,
            fontcolor=colour,
            penwidth="2" if current else "1",
            fontsize="14" if len(primitive.symbol) == 1 else "11",
        )
        g.edge(op, ids[node], color=colour)
        k = 0
        for position, operand in enumerate(node.operands):
            if not isinstance(operand, Value):
                draw_constant(g, op, position, operand, _fmt(operand, number_format), greyed=True)
                continue
            label, edge_colour = _edge_label(frames, step, node, k, number_format)
            width = _PEN_WIDTHS.get(edge_colour, "1")
            g.edge(ids[operand], op, label=label, color=edge_colour, fontcolor=edge_colour, penwidth=width)
            k += 1
    if caption:
        text = f"<<b>step {frame.index}</b> ({frame.phase}): {escape(frame.caption)}>"
        g.attr(label=text, labelloc="b", labeljust="l", fontsize="12")
    return g
