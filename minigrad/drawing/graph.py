"""The drawing of a computation graph as a :class:`graphviz.Digraph`.

One box per value (label, data, grad), one small node per operation showing its symbol,
one small grey box per plain-number operand (the ``3`` in ``3 * v``), and one edge per
use of a node, so ``a * a`` has two edges into its ``×``. Edges can carry the local
derivative ∂out/∂in that the engine stored (:attr:`Value.local_grads`) and the rule it
comes from (:attr:`Primitive.derivatives`). For a chosen node, the paths that carry its
gradient to the output can be highlighted, each in its own colour.

>>> from minigrad import Value
>>> a = Value(3.0, "a")
>>> y = a * a
>>> print(draw(y).source.count("->"))
3
"""

from __future__ import annotations

import math
from html import escape

import graphviz

from minigrad.drawing.paths import DEFAULT_PATH_LIMIT, GradientPath, gradient_paths, node_name
from minigrad.drawing.text import FONT, printable, text_width
from minigrad.engine import Value
from minigrad.primitives import Primitive

__all__ = ["PAGE_WIDTH", "PATH_COLOURS", "Drawing", "draw", "drawing_order", "node_ids"]

PATH_COLOURS = ("#dc2626", "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d")
"""The colours of highlighted paths, in order. With more paths than colours, every path is
drawn in the first colour, one line per edge, and the caption says so."""

PAGE_WIDTH = 1000
"""Points: with ``rankdir="auto"``, a graph whose left-to-right layout would be wider is drawn top to bottom."""

_LEAF_FILL = "#dbeafe"
_OUTPUT_FILL = "#fef3c7"
_INNER_FILL = "#f8fafc"
_DERIVATIVE_COLOUR = "#1e3a8a"
_RULE_COLOUR = "#6b7280"
_OPERAND_NAMES = ("x", "y")


class Drawing(graphviz.Digraph):
    """A :class:`graphviz.Digraph` that renders with minigrad's renderer.

    ``pipe`` and the Jupyter display go through :func:`minigrad.drawing.render.render`
    (the system ``dot``, else the pip-installed ``graphviz-pure``), so they work on a
    machine without system Graphviz. The format defaults to SVG.

    >>> from minigrad import Value
    >>> drawing = draw(Value(1.0, "x"))
    >>> drawing.pipe("svg")[:5], drawing.pipe(encoding="utf-8")[:5]
    (b'<?xml', '<?xml')
    """

    def pipe(
        self,
        format: str | None = None,  # noqa: A002 - graphviz's name
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        """The drawing rendered in ``format`` (default ``svg``): bytes, or text given an ``encoding``."""
        from minigrad.drawing.render import render  # render.py imports this module

        if renderer or formatter or neato_no_op or engine not in (None, "dot"):
            raise ValueError("a minigrad Drawing renders with the dot layout only: pass a format and an encoding")
        data = render(self, format or self.format)
        return data.decode(encoding) if encoding else data

    def __repr__(self) -> str:
        """A short, stable description (Jupyter shows it next to the SVG as plain text).

        >>> from minigrad import Value
        >>> x = Value(2.0, "x")
        >>> draw(x * x)
        <minigrad Drawing: 3 nodes, 3 edges>
        """
        edges = sum(1 for line in self.body if " -> " in line)
        nodes = sum(1 for line in self.body if " -> " not in line and _is_node_line(line))
        return f"<minigrad Drawing: {nodes} nodes, {edges} edges>"


def _is_node_line(line: str) -> bool:
    """Whether a line of DOT body adds a node (``v0 [label=...]``) rather than setting attributes."""
    first = line.split(None, 1)[0] if line.strip() else "="
    return "=" not in first and first not in ("graph", "node", "edge")


def node_ids(root: Value) -> dict[int, str]:
    """The DOT name of every value in ``root``'s graph, keyed by ``id(value)``: ``v0``, ``v1``...

    Values are numbered in the order :func:`drawing_order` lists them, so the same graph
    always gets the same names. An operation node is named after its value plus ``_op``,
    a plain-number operand plus ``_c`` and its position.

    >>> from minigrad import Value
    >>> x = Value(2.0); y = x * 3
    >>> sorted(node_ids(y).values())
    ['v0', 'v1']
    """
    return {id(node): f"v{i}" for i, node in enumerate(drawing_order(root))}


def drawing_order(root: Value) -> list[Value]:
    """Every node of ``root``'s graph once, operands before results, first operands first.

    A topological order like :func:`minigrad.topological_order`, but one that visits the
    operands of a node in their order, so that in a drawing ``b`` sits above ``c`` in
    ``b * c``. Iterative: deep graphs are fine.

    >>> from minigrad import Value
    >>> b, c = Value(3.0, "b"), Value(2.0, "c")
    >>> [n.label or n.op for n in drawing_order(b * c)]
    ['b', 'c', 'mul']
    """
    order: list[Value] = []
    placed: set[int] = set()
    stack: list[tuple[Value, int]] = [(root, 0)]
    while stack:
        node, k = stack.pop()
        if id(node) in placed:
            continue
        parents = node.parents
        while k < len(parents) and id(parents[k]) in placed:
            k += 1
        if k < len(parents):
            stack.append((node, k + 1))
            stack.append((parents[k], 0))
            continue
        placed.add(id(node))
        order.append(node)
    return order


def _number(x: float, number_format: str) -> str:
    return format(x + 0.0, number_format)  # + 0.0: -0.0 shows as 0


def _fmt(x: float, number_format: str) -> str:
    return escape(_number(x, number_format))


def draw_constant(g: Drawing, op: str, position: int, value: float, text: str, greyed: bool = False) -> None:
    """A plain-number operand: a small dashed box, its edge into the operation node ``op`` dashed too.

    >>> from minigrad import Value
    >>> g = Drawing()
    >>> draw_constant(g, "v1_op", 0, 3.0, "3")
    >>> "v1_op_c0" in g.source and "dashed" in g.source
    True
    """
    constant = f"{op}_c{position}"
    style = {"style": "rounded,dashed", "fontcolor": "#6b7280"} if greyed else {
        "style": "rounded,filled,dashed", "fillcolor": "#f3f4f6"
    }
    g.node(
        constant,
        label=escape(text),
        shape="box",
        color="#9ca3af",
        fontsize="10",
        height="0.25",
        width="0.3",
        margin="0.04,0.02",
        **style,
    )
    g.edge(constant, op, style="dashed", color="#9ca3af", arrowsize="0.5")


def _display_names(order: list[Value]) -> dict[int, str]:
    """The name each labelled node shows (keyed by id): its label, numbered ``#1``, ``#2``… where several share it.

    Two values with one label (two neurons' ``w1`` built apart) would look alike in the
    boxes and in the captions of gradient paths; the number, in drawing order, tells
    them apart.

    >>> from minigrad import Value
    >>> w, v = Value(1.0, "w1"), Value(2.0, "w1")
    >>> sorted(_display_names(drawing_order(w * v)).values())
    ['w1#1', 'w1#2']
    """
    names = {id(node): printable(node.label) for node in order if node.label}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    numbered: dict[str, int] = {}
    for node in order:
        label = names.get(id(node))
        if label is not None and seen[label] > 1:
            numbered[label] = numbered.get(label, 0) + 1
            names[id(node)] = f"{label}#{numbered[label]}"
    return names


_VALUE_SIZE = 12  # points: the text of value boxes and captions
_EDGE_SIZE = 11  # the local derivative on an edge
_RULE_SIZE = 9  # the rule under it


def _td(
    text: str, size: float, padding: int, *, bold: bool = False, colour: str = "", resize: bool = False, fill: str = ""
) -> str:
    """A table cell holding ``text`` (plain; escaped here) at ``size`` points, as wide as the font draws it.

    ``padding`` is the cell's padding plus border on each side; ``colour`` sets the colour
    of the text, ``resize`` sets its size (otherwise the size is the node's or edge's own,
    which must be ``size``), ``fill`` the background. The cell is given the width of the
    text in :data:`FONT` and the text is aligned left, so it fits whatever the renderer
    guesses for characters beyond ASCII.
    """
    width = math.ceil(text_width(text, size, bold=bold)) + 2 * padding
    content = f"<b>{escape(text)}</b>" if bold else escape(text)
    if colour or resize:
        size_attr = f' point-size="{size}"' if resize else ""
        colour_attr = f' color="{colour}"' if colour else ""
        content = f"<font{colour_attr}{size_attr}>{content}</font>"
    background = f' bgcolor="{fill}"' if fill else ""
    return f'<td width="{width}" align="left"{background}>{content}</td>'


def _value_label(
    node: Value, name: str | None, fill: str, show_grads: bool, number_format: str, border: str | None
) -> str:
    cells = [_td(name, _VALUE_SIZE, 6, bold=True, fill=fill)] if name else []
    cells.append(_td(f"data {_number(node.data, number_format)}", _VALUE_SIZE, 6, fill=fill))
    if show_grads:
        cells.append(_td(f"grad {_number(float(node.grad), number_format)}", _VALUE_SIZE, 6, fill=fill))
    colour = f' color="{border}"' if border else ""
    table = f'<table border="0" cellborder="1" cellspacing="0" cellpadding="5"{colour}>'
    return f"<{table}<tr>{''.join(cells)}</tr></table>>"


def _edge_label(derivative: float, rule: str | None, operand: str, number_format: str) -> str:
    """The label of an edge: the local derivative (and its rule) on a white ground, readable over highlighted edges."""
    rows = [_td(_number(derivative, number_format), _EDGE_SIZE, 1, colour=_DERIVATIVE_COLOUR)]
    if rule is not None:
        rows.append(_td(f"∂/∂{operand} = {printable(rule, None)}", _RULE_SIZE, 1, colour=_RULE_COLOUR, resize=True))
    cells = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1" bgcolor="white">{cells}</table>>'


def _operand_rule(primitive: Primitive, position: int) -> tuple[str, str | None]:
    """The name of operand ``position`` in ``primitive``'s rules and its local derivative formula."""
    if primitive.arity is None:  # groups of operands: sum's x1, x2, ..., dot's x1, y1, x2, y2, ...
        i, j = divmod(position, len(primitive.derivatives))
        return f"{_OPERAND_NAMES[j]}{i + 1}", primitive.derivatives[j].replace("ᵢ", str(i + 1))
    if position == primitive.constant:
        return "c", None
    rules = primitive.derivatives
    return _OPERAND_NAMES[position], rules[position] if position < len(rules) else None


def _path_colour(i: int, n: int) -> str:
    """The colour of path ``i`` of ``n``: its own while there are colours enough, else the first."""
    return PATH_COLOURS[i] if n <= len(PATH_COLOURS) else PATH_COLOURS[0]


_BOX_PADDING = 12.0  # points per table cell: padding and border
_NODE_GAP = 18.0  # points between two boxes side by side (nodesep)
_CONSTANT_WIDTH = 40.0  # points taken by the small box of a plain-number operand, with its gap
_BETWEEN_VALUES = 75.0  # points from one value's box to the next (LR): an operation node and two rank gaps
_EDGE_LABEL = 25.0  # points that a local derivative on an edge adds between two values (LR)
_EDGE_RULE = 45.0  # the same with its rule under it (``rules=True``)


def _auto_rankdir(order: list[Value], show_grads: bool, number_format: str, local_grads: bool, rules: bool) -> str:
    """``"LR"``, unless that layout would be wider than :data:`PAGE_WIDTH` and the top-to-bottom one narrower.

    Both widths are estimates from the widths of the labels. Each value sits one rank
    after its deepest operand, a leaf or a plain number one rank before its first user.
    Left to right, each rank is as wide as its widest box, and consecutive ranks are
    separated by an operation node, the gaps and the labels on edges; top to bottom, a
    rank is as wide as its boxes side by side.
    """
    depth: dict[int, int] = {}
    box: dict[int, float] = {}
    beside: dict[int, float] = {}  # top to bottom: the width of each rank
    for node in order:
        texts = [printable(node.label), f"data {_number(node.data, number_format)}"]
        if show_grads:
            texts.append(f"grad {_number(float(node.grad), number_format)}")
        box[id(node)] = sum(text_width(t, _VALUE_SIZE) + _BOX_PADDING for t in texts if t)
        depth[id(node)] = d = 1 + max((depth[id(p)] for p in node.parents), default=-1)
        if node.parents:
            beside[d] = beside.get(d, 0.0) + box[id(node)] + _NODE_GAP
        constants = len(node.operands) - len(node.parents)
        beside[d - 1] = beside.get(d - 1, 0.0) + constants * _CONSTANT_WIDTH
    placed: set[int] = set()
    for node in reversed(order):  # users before operands: a leaf's first user here is its deepest
        for p in node.parents:
            if not p.parents and id(p) not in placed:
                placed.add(id(p))
                r = depth[id(node)] - 1
                beside[r] = beside.get(r, 0.0) + box[id(p)] + _NODE_GAP
    if not order[-1].parents:  # a leaf alone
        return "LR"
    widest: dict[int, float] = {}
    for node in order:
        d = depth[id(node)]
        widest[d] = max(widest.get(d, 0.0), box[id(node)])
    gap = _BETWEEN_VALUES + ((_EDGE_RULE if rules else _EDGE_LABEL) if local_grads else 0.0)
    across = sum(widest.values()) + gap * (len(widest) - 1)
    return "TB" if across > PAGE_WIDTH and max(beside.values()) < across else "LR"


def _check_format(number_format: str) -> None:
    try:
        format(1.5, number_format)
    except (ValueError, TypeError) as error:
        message = f"number_format {number_format!r} is not a float format spec such as '.4g' or '.2f'"
        raise ValueError(message) from error


def draw(
    root: Value,
    *,
    show_grads: bool = True,
    rankdir: str = "auto",
    number_format: str = ".4g",
    local_grads: bool = False,
    rules: bool = False,
    paths_from: Value | None = None,
    path_limit: int | None = DEFAULT_PATH_LIMIT,
    step: int | None = None,
) -> Drawing:
    """The graph that computed ``root``, as a :class:`graphviz.Digraph` (render it with :func:`save_svg`).

    - ``show_grads``: show each value's ``.grad`` next to its data.
    - ``rankdir``: ``"auto"`` (the default): left to right, unless that layout would be
      wider than :data:`PAGE_WIDTH` points, then top to bottom, so that a deep graph
      still reads at the width of a page; or ``"LR"`` (left to right), ``"TB"`` (top to
      bottom), ``"RL"``, ``"BT"``.
    - ``number_format``: a format spec for every number, e.g. ``".4g"`` or ``".2f"``.
    - ``local_grads``: write on each edge into an operation the local derivative
      ∂out/∂in, as the engine stored it; ``rules`` adds its formula in the operands
      ``x``, ``y`` (first, second operand; ``x1, y1, x2, …`` for ``sum`` and ``dot``) and
      ``c`` (a constant), e.g. ``σ(1−σ)``.
    - ``paths_from``: a node whose gradient to highlight path by path: every path from
      it to ``root`` in its own colour, local derivatives on the edges, and a caption
      with each path's product and their sum (see :func:`gradient_paths`; more than
      ``path_limit`` paths raises :class:`TooManyPathsError`). With more paths than
      :data:`PATH_COLOURS`, all of them are drawn in the first colour and the caption
      says so.
    - ``step``: draw frame ``step`` of :func:`minigrad.steps` instead (the forward pass,
      then the backward pass): what is not computed yet greyed, the step's node and the
      edges it passes gradient along highlighted, each node's running gradient (see
      :mod:`minigrad.drawing.steps_style`; ``show_grads``, ``local_grads``, ``rules`` and
      ``paths_from`` do not apply).

    >>> from minigrad import Value
    >>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    >>> J = 3 * (a + b * c); J.label = "J"; J.backward()
    >>> g = draw(J, local_grads=True, rules=True)
    >>> g.graph_attr["rankdir"], g.source.count("->")
    ('LR', 9)
    >>> x = Value(0.5, "x")
    >>> for _ in range(12):
    ...     x = x.tanh()
    >>> draw(x).graph_attr["rankdir"]  # 13 values in a row are too wide for a page
    'TB'
    >>> "∂/∂x = y" in g.source and "data 33" in g.source
    True
    >>> g.pipe("svg").count(b'class="node"')
    10
    >>> "3 × 2 = 6" in draw(J, step=6).source
    True
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw() expects a Value (the output of a computation), got {type(root).__name__}")
    if step is not None:
        if paths_from is not None:
            raise ValueError("step= and paths_from= are two different drawings: pass one of them")
        from minigrad.drawing.steps_style import draw_step  # it imports this module
        from minigrad.steps_frames import steps

        return draw_step(steps(root), step, rankdir=rankdir, number_format=number_format)
    if rankdir not in ("auto", "LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'auto', 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    _check_format(number_format)
    order = drawing_order(root)
    ids = {id(node): f"v{i}" for i, node in enumerate(order)}  # as node_ids(root), without a second walk
    names = _display_names(order)

    paths: list[GradientPath] = []
    colours: dict[tuple[int, int], list[str]] = {}  # (id(child), parent index) -> colours of the paths using it
    on_path: set[int] = set()
    if paths_from is not None:
        paths = gradient_paths(root, paths_from, limit=path_limit)
        for i, path in enumerate(paths):
            colour = _path_colour(i, len(paths))
            for child, k in path.edges:
                used_by = colours.setdefault((id(child), k), [])
                if colour not in used_by:  # one line per colour: many paths through an edge stay one line
                    used_by.append(colour)
            on_path.update(id(n) for n in path.nodes)
        on_path.add(id(paths_from))
        local_grads = True
    if rankdir == "auto":
        rankdir = _auto_rankdir(order, show_grads, number_format, local_grads, rules)

    g = Drawing(
        "minigrad",
        format="svg",
        graph_attr={"rankdir": rankdir, "nodesep": "0.25", "ranksep": "0.35", "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"fontname": FONT, "fontsize": "11", "arrowsize": "0.7", "color": "#374151"},
    )
    for node in order:
        name = ids[id(node)]
        primitive = node.primitive
        fill = _LEAF_FILL if primitive is None else _OUTPUT_FILL if node is root else _INNER_FILL
        border = PATH_COLOURS[0] if id(node) in on_path else None
        label = _value_label(node, names.get(id(node)), fill, show_grads, number_format, border)
        g.node(name, label=label, shape="plain")
        if primitive is None:
            continue
        op = f"{name}_op"
        if primitive.arity is None:
            rules_text = ", ".join(f"∂/∂{_OPERAND_NAMES[j]}ᵢ = {d}" for j, d in enumerate(primitive.derivatives))
        else:
            rules_text = ", ".join(f"∂/∂{_OPERAND_NAMES[i]} = {d}" for i, d in enumerate(primitive.derivatives))
        symbol = printable(primitive.symbol)
        g.node(
            op,
            label=symbol,
            shape="circle" if len(symbol) == 1 else "ellipse",
            width="0.35",
            height="0.35",
            margin="0.02",
            style="filled",
            fillcolor="#e5e7eb",
            fontsize="14" if len(symbol) == 1 else "11",
            tooltip=printable(f"{primitive.name}: {rules_text}", None),
        )
        g.edge(op, name)
        parent_index = 0
        grads = node.local_grads
        for position, operand in enumerate(node.operands):
            if not isinstance(operand, Value):
                draw_constant(g, op, position, operand, _number(operand, number_format))
                continue
            k = parent_index
            parent_index += 1
            attrs: dict[str, str] = {}
            if local_grads:
                operand_name, rule = _operand_rule(primitive, position)
                rule = rule if rules else None
                attrs["label"] = _edge_label(grads[k], rule, operand_name, number_format)
            used_by = colours.get((id(node), k), [])
            if used_by:
                attrs.update(color=":".join(used_by), penwidth="2")
            g.edge(ids[id(operand)], op, **attrs)

    if paths_from is not None:
        caption = _caption(root, paths_from, paths, number_format, names)
        g.attr(label=caption, labelloc="b", labeljust="l", fontsize="12")
    return g


_CAPTION_PATHS = 20
"""The most paths a caption lists one by one."""


def _caption(
    root: Value, start: Value, paths: list[GradientPath], number_format: str, names: dict[int, str]
) -> str:
    """The caption of a path drawing: one line per path (in its colour) and their sum, nodes named as in ``names``."""

    def name(node: Value) -> str:
        return names.get(id(node)) or node_name(node, number_format)

    out, wrt = name(root), name(start)
    lines = [(f"∂{out}/∂{wrt}, path by path (multiply along a path, add the paths):", "", True)]
    if len(paths) > len(PATH_COLOURS):
        lines.append(
            (
                f"{len(paths)} paths, more than the {len(PATH_COLOURS)} colours: every edge on a path is drawn "
                "in one colour",
                PATH_COLOURS[0],
                False,
            )
        )
    shown = paths[:_CAPTION_PATHS]
    for i, path in enumerate(shown):
        lines.append((path.describe(number_format, name), _path_colour(i, len(paths)), False))
    if len(paths) > len(shown):
        lines.append((f"... and {len(paths) - len(shown)} more paths, in the sum below", "", False))
    total = sum(p.product for p in paths)
    sums = f"sum = {_number(total, number_format)};   {wrt}.grad = {_number(float(start.grad), number_format)}"
    lines.append((sums, "", False))
    rows = "".join(
        f"<tr>{_td(text, _VALUE_SIZE, 0, bold=bold, colour=colour)}</tr>" for text, colour, bold in lines
    )
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{rows}</table>>'
