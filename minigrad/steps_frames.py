"""The forward and backward pass of a graph as a sequence of frames, one per step.

:func:`steps` replays what the engine does, as data a learner (or a test) can read:
first the forward pass (the leaves, then one operation per frame, in the engine's
topological order), then the backward pass in the engine's order, reverse topological:
at each step one node, whose gradient is complete, sends ``upstream × local`` along each
of its edges, and every node it was computed from adds what it receives ("multiply
along a path, add where paths merge"). A node's gradient is *final* once every node
that uses it has sent its share. The last frame has every gradient final; they equal
what ``root.backward()`` gives. Nothing is written to the graph: ``.grad`` stays as it was.

>>> from minigrad import Value
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c); J.label = "J"
>>> frames = steps(J)
>>> [f.caption for f in frames if f.phase == "backward"][1]
'dJ/dv = 3 reaches v; v passes 3 × 1 = 3 to a and 3 × 1 = 3 to u'
>>> frames[-1].grads[b], b.grad
(6.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, overload

from minigrad.drawing.graph import drawing_order
from minigrad.engine import Value, topological_order

__all__ = ["Contribution", "Frame", "Steps", "steps"]

Phase = Literal["forward", "backward", "done"]

_SPARE_NAMES = ("u", "v", "w", "p", "q", "r", "s", "t", "h", "k", "m", "n")


@dataclass(frozen=True, eq=False)
class Contribution:
    """What one edge carries in a backward step: ``upstream × local = value``.

    ``source`` is the node being processed and ``target`` its ``position``-th parent
    (``source.parents[position]``); ``upstream`` is d(output)/d(source), ``local`` the
    local derivative ∂source/∂target the engine stored, and ``value`` their product,
    which ``target`` adds to its gradient.

    >>> from minigrad import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> [(c.position, c.upstream, c.local, c.value) for c in steps(y)[-2].contributions]
    [(0, 1.0, 3.0, 3.0), (1, 1.0, 3.0, 3.0)]
    """

    source: Value
    target: Value
    position: int
    upstream: float
    local: float
    value: float


@dataclass(frozen=True, eq=False)
class Frame:
    """One step of the forward or backward pass, and the state of every node after it.

    - ``index``: the frame's place in the sequence; ``phase``: ``"forward"``,
      ``"backward"`` or ``"done"`` (the last frame, everything final).
    - ``node``: the node computed (forward) or processed (backward) at this step;
      ``None`` for the first frame (the leaves are given) and the last.
    - ``contributions``: what ``node`` sends to its operands (backward only).
    - ``computed``: the nodes whose data is known after this step.
    - ``grads``: the running gradient of every node reached so far by the backward pass
      (empty during the forward pass); ``final``: the nodes whose gradient is complete.
    - ``caption``: the step in words.

    >>> from minigrad import Value
    >>> x = Value(2.0, "x"); y = x * x; y.label = "y"
    >>> frame = steps(y)[-1]
    >>> frame.phase, frame.grads[x], x in frame.final
    ('done', 4.0, True)
    """

    index: int
    phase: Phase
    node: Value | None
    contributions: tuple[Contribution, ...]
    computed: frozenset[Value]
    grads: dict[Value, float]
    final: frozenset[Value]
    caption: str


class Steps(Sequence[Frame]):
    """The frames of one graph's forward and backward pass (what :func:`steps` returns).

    A sequence of :class:`Frame`; ``nodes`` lists the graph's nodes in the engine's
    topological order, ``names`` gives the name each one goes by in captions (its label,
    or a spare letter for an unlabelled intermediate node) and ``root`` is the output.
    In Jupyter it displays as an interactive stepper (``_repr_html_``); the same view is
    written to a file by :func:`minigrad.save_html`.

    >>> from minigrad import Value
    >>> a = Value(2.0, "a"); y = a * a + a; y.label = "y"
    >>> frames = steps(y)
    >>> len(frames), frames.names[y.parents[0]], [f.phase for f in frames][:2]
    (6, 'u', ['forward', 'forward'])
    >>> frames.final_grads()[a]
    5.0
    """

    def __init__(self, root: Value, nodes: Sequence[Value], names: dict[Value, str], frames: Sequence[Frame]) -> None:
        self.root = root
        self.nodes = tuple(nodes)
        self.names = names
        self._frames = tuple(frames)

    @overload
    def __getitem__(self, index: int) -> Frame: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Frame]: ...

    def __getitem__(self, index: int | slice) -> Frame | Sequence[Frame]:
        return self._frames[index]

    def __len__(self) -> int:
        return len(self._frames)

    def __iter__(self) -> Iterator[Frame]:
        return iter(self._frames)

    def __repr__(self) -> str:
        forward = sum(1 for f in self._frames if f.phase == "forward")
        return f"<minigrad Steps: {len(self.nodes)} nodes, {forward} forward and {len(self) - forward} backward frames>"

    @property
    def backward_start(self) -> int:
        """The index of the first backward frame.

        >>> from minigrad import Value
        >>> x = Value(1.0, "x"); frames = steps(x.exp())
        >>> frames[frames.backward_start].phase, frames[frames.backward_start - 1].phase
        ('backward', 'forward')
        """
        return next(f.index for f in self._frames if f.phase != "forward")

    def final_grads(self) -> dict[Value, float]:
        """d(root)/d(node) for every node, as the last frame has them (what ``root.backward()`` gives).

        >>> from minigrad import Value
        >>> x = Value(3.0, "x"); steps(x * x).final_grads()[x]
        6.0
        """
        return dict(self._frames[-1].grads)

    def _repr_html_(self) -> str:
        """The interactive stepper as an HTML fragment, for Jupyter; a one-line note when it cannot be drawn.

        >>> from minigrad import Value
        >>> x = Value(3.0, "x")
        >>> "<svg" in steps(x * x)._repr_html_()
        True
        >>> y = x
        >>> for _ in range(40):
        ...     y = y + 1
        >>> print(steps(y)._repr_html_())
        <p>&lt;minigrad Steps: 41 nodes, ...&gt;: the step-by-step page is for small graphs: ...</p>
        """
        from html import escape

        from minigrad.drawing.render import RendererNotFoundError, RenderError
        from minigrad.steps_html import to_html

        try:
            return to_html(self, standalone=False)
        except (ValueError, RendererNotFoundError, RenderError) as error:
            return f"<p>{escape(repr(self))}: {escape(str(error))}</p>"


def _names(nodes: Sequence[Value]) -> dict[Value, str]:
    """Each node's name: its label, else the next spare letter no label uses, else ``n1``, ``n2``..."""
    taken = {node.label for node in nodes if node.label}
    spare = (name for name in (*_SPARE_NAMES, *(f"n{i}" for i in range(1, len(nodes) + 1))) if name not in taken)
    names: dict[Value, str] = {}
    for node in nodes:
        names[node] = node.label or (next(spare) if node.parents else _number(node.data))
    return names


def _number(x: float) -> str:
    """A number as captions write it: ``3``, ``0.25``, ``-1.5``, ``0.3775``."""
    return format(x + 0.0, ".4g")


def _term(x: float) -> str:
    """A number that follows an operator: ``3``, or ``(-3)`` in brackets when negative."""
    return _bracket(_number(x))


def _bracket(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _formula(node: Value, names: dict[Value, str]) -> str:
    """How ``node`` was computed, in names and in numbers: ``u = b × c = 3 × 2 = 6``."""
    primitive = node.primitive
    assert primitive is not None
    symbol = primitive.symbol
    by_name = [names[x] if isinstance(x, Value) else _number(x) for x in node.operands]
    by_number = [_number(x.data if isinstance(x, Value) else x) for x in node.operands]
    shown = []
    for parts in (by_name, by_number):
        terms = [_bracket(p) for p in parts]
        if primitive.arity is None and primitive.name == "dot":
            text = " + ".join(f"{x}·{y}" for x, y in zip(terms[::2], terms[1::2], strict=True))
        elif primitive.arity is None:
            text = " + ".join(terms)
        elif len(parts) == 2 and len(symbol) == 1 and not symbol.isalnum():  # + − × ÷ ^
            text = f"{terms[0]} {symbol} {terms[1]}"
        elif len(parts) == 1 and symbol == "−":
            text = f"−{terms[0]}"
        elif len(parts) == 1 and symbol == "|x|":
            text = f"|{parts[0]}|"
        else:  # exp(x), σ(z), max(a, b), a user's primitive
            text = f"{symbol}({', '.join(parts)})"
        shown.append(text)
    return f"{names[node]} = {shown[0]} = {shown[1]} = {_number(node.data)}"


def _backward_caption(
    node: Value,
    upstream: float,
    sent: Sequence[Contribution],
    names: dict[Value, str],
    out: str,
    before: dict[Value, float],
    is_root: bool,
) -> str:
    """The words for one backward step, e.g. ``dJ/dv = 3 reaches v; v passes 3 × 1 = 3 to a and 3 × 1 = 3 to u``."""
    name = names[node]
    if is_root:
        head = f"d{out}/d{name} = 1 starts the backward pass at {name}"
    else:
        head = f"d{out}/d{name} = {_number(upstream)} reaches {name}"
    parts = []
    seen: dict[Value, float] = {}
    merges = []
    for c in sent:
        target = names[c.target]
        parts.append(f"{_number(c.upstream)} × {_term(c.local)} = {_number(c.value)} to {target}")
        had = seen.get(c.target, before.get(c.target))
        now = (had or 0.0) + c.value
        if had is not None:
            merges.append(f"{target} adds up {_number(had)} + {_term(c.value)} = {_number(now)}")
        seen[c.target] = now
    text = f"{head}; {name} passes " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])
    return text + ("; " + "; ".join(merges) if merges else "")


def steps(root: Value) -> Steps:
    """The forward and backward pass of ``root``'s graph, frame by frame (see :class:`Frame`).

    The forward pass is one frame for the leaves, then one per operation in
    :func:`minigrad.topological_order`; the backward pass one frame per operation in
    reverse topological order (the engine's), starting from d(root)/d(root) = 1, then a
    last frame with every gradient final. Leaves send nothing and get no frame of their
    own. The user's ``.grad`` values are left as they are.

    >>> from minigrad import Value
    >>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    >>> J = 3 * (a + b * c); J.label = "J"
    >>> for frame in steps(J):
    ...     print(frame.index, frame.phase, frame.caption)
    0 forward the leaves are given: a = 5, b = 3, c = 2
    1 forward u = b × c = 3 × 2 = 6
    2 forward v = a + u = 5 + 6 = 11
    3 forward J = 3 × v = 3 × 11 = 33
    4 backward dJ/dJ = 1 starts the backward pass at J; J passes 1 × 3 = 3 to v
    5 backward dJ/dv = 3 reaches v; v passes 3 × 1 = 3 to a and 3 × 1 = 3 to u
    6 backward dJ/du = 3 reaches u; u passes 3 × 2 = 6 to b and 3 × 3 = 9 to c
    7 done every gradient is final: dJ/da = 3, dJ/db = 6, dJ/dc = 9
    """
    if not isinstance(root, Value):
        raise TypeError(f"steps() takes the Value at the end of a graph, got {type(root).__name__}: {root!r}")
    order = topological_order(root)
    names = _names(order)
    out = names[root]
    frames: list[Frame] = []
    leaves = [node for node in drawing_order(root) if not node.parents]  # a, b, c as written
    operations = [node for node in order if node.parents]

    computed = frozenset(leaves)
    given = ", ".join(f"{names[leaf]} = {_number(leaf.data)}" for leaf in leaves)
    frames.append(Frame(0, "forward", None, (), computed, {}, frozenset(), f"the leaves are given: {given}"))
    for node in operations:
        computed = computed | {node}
        frames.append(Frame(len(frames), "forward", node, (), computed, {}, frozenset(), _formula(node, names)))

    users: dict[Value, int] = {node: 0 for node in order}  # edges still to send gradient into each node
    for node in order:
        for parent in node.parents:
            users[parent] += 1
    grads: dict[Value, float] = {root: 1.0}
    final = {node for node, n in users.items() if n == 0}
    for node in reversed(order):  # the engine's order
        if not node.parents:
            continue
        upstream = grads[node]
        before = dict(grads)
        sent = []
        for position, (parent, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            value = upstream * local
            sent.append(Contribution(node, parent, position, upstream, local, value))
            grads[parent] = grads.get(parent, 0.0) + value
            users[parent] -= 1
            if users[parent] == 0:
                final.add(parent)
        caption = _backward_caption(node, upstream, sent, names, out, before, node is root)
        frames.append(
            Frame(len(frames), "backward", node, tuple(sent), computed, dict(grads), frozenset(final), caption)
        )
    summary = ", ".join(f"d{out}/d{names[leaf]} = {_number(grads[leaf])}" for leaf in leaves)
    caption = f"every gradient is final: {summary}"
    frames.append(Frame(len(frames), "done", None, (), computed, dict(grads), frozenset(final), caption))
    return Steps(root, order, names, frames)
