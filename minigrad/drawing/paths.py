"""The gradient of an output with respect to one node, path by path.

"Multiply along a path, add where paths merge": ∂root/∂node is the sum, over every
path from ``node`` to ``root``, of the product of the local derivatives on the path's
edges. :func:`gradient_paths` lists those paths with their products, reading each local
derivative from the engine (:attr:`Value.local_grads`), never recomputing it.

>>> from minigrad import Value
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c); J.label = "J"
>>> J.backward()
>>> [str(p) for p in gradient_paths(J, b)]
['b → (×) → (+) → J: 2 × 1 × 3 = 6']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from minigrad.drawing.text import printable
from minigrad.engine import Value, topological_order

__all__ = [
    "DEFAULT_PATH_LIMIT",
    "DEFAULT_STEP_LIMIT",
    "GradientPath",
    "TooManyPathsError",
    "count_paths",
    "gradient_paths",
    "node_name",
]

DEFAULT_PATH_LIMIT = 10_000
"""The most paths :func:`gradient_paths` lists unless told otherwise."""

DEFAULT_STEP_LIMIT = 1_000_000
"""The most steps, over all the paths, :func:`gradient_paths` lists unless given ``limit=None``."""


class TooManyPathsError(ValueError):
    """Raised when a node has more paths to the output than the limit allows.

    The number of paths can grow exponentially with the depth of a graph (each shared
    sub-expression doubles it), while ``backward`` stays linear: it adds where paths
    merge instead of following each one.

    >>> issubclass(TooManyPathsError, ValueError)
    True
    """


def node_name(node: Value, fmt: str = "g") -> str:
    r"""How a path names a node: its label, else ``(symbol)`` of its operation, else its data.

    The label as :func:`~minigrad.drawing.text.printable` shows it: control characters
    escaped, at most :data:`~minigrad.drawing.text.LABEL_LIMIT` characters.

    >>> from minigrad import Value
    >>> x = Value(2.0, "x")
    >>> node_name(x), node_name(x * 3), node_name(Value(0.5)), node_name(Value(1.0, "\x1b[1m"))
    ('x', '(×)', '0.5', '\\x1b[1m')
    """
    if node.label:
        return printable(node.label)
    primitive = node.primitive
    if primitive is not None:
        return f"({printable(primitive.symbol)})"
    return format(node.data, fmt)


@dataclass(frozen=True)
class GradientPath:
    """One path from a node to the output, with the local derivative on each edge.

    ``edges[i]`` is ``(child, k)``: the path's ``i``-th step enters ``child`` through its
    ``k``-th parent (``child.parents[k]``), so the two uses in ``a * a`` are two
    different paths. ``factors[i]`` is ``child.local_grads[k]`` and ``product`` their
    product, the path's share of the gradient.

    >>> from minigrad import Value
    >>> a = Value(3.0, "a"); y = a * a; y.label = "y"
    >>> paths = gradient_paths(y, a)
    >>> [p.edges[0][1] for p in paths], [p.product for p in paths]
    ([0, 1], [3.0, 3.0])
    """

    start: Value
    edges: tuple[tuple[Value, int], ...]
    factors: tuple[float, ...]
    product: float

    @property
    def nodes(self) -> tuple[Value, ...]:
        """Every node on the path, from its start to the output.

        >>> from minigrad import Value
        >>> x = Value(1.0, "x"); y = x.exp(); y.label = "y"
        >>> [n.label for n in gradient_paths(y, x)[0].nodes]
        ['x', 'y']
        """
        return (self.start, *(child for child, _ in self.edges))

    def describe(self, fmt: str = "g", name: Callable[[Value], str] | None = None) -> str:
        """The path as text, nodes then factors, numbers in format ``fmt``; ``name`` names the nodes
        (default: :func:`node_name`).

        >>> from minigrad import Value
        >>> x = Value(2.0, "x"); y = x * 4.0; y.label = "y"
        >>> gradient_paths(y, x)[0].describe(".2f")
        'x → y: 4.00 = 4.00'
        >>> gradient_paths(y, x)[0].describe(name=lambda n: n.label.upper())
        'X → Y: 4 = 4'
        """
        route = " → ".join(name(n) if name else node_name(n, fmt) for n in self.nodes)
        factors = " × ".join(format(f + 0.0, fmt) for f in self.factors) or format(1.0, fmt)
        return f"{route}: {factors} = {format(self.product + 0.0, fmt)}"  # + 0.0: -0.0 shows as 0

    def __str__(self) -> str:
        return self.describe()


def _path_counts(root: Value, start: Value) -> dict[int, int]:
    """For every node of ``root``'s graph (by id), how many paths lead to it from ``start``."""
    counts: dict[int, int] = {}
    for node in topological_order(root):
        counts[id(node)] = 1 if node is start else sum(counts[id(p)] for p in node.parents)
    return counts


def count_paths(root: Value, start: Value) -> int:
    """How many paths lead from ``start`` to ``root`` (exact, in one linear pass).

    >>> from minigrad import Value
    >>> x = Value(1.0, "x")
    >>> y = x
    >>> for _ in range(50):
    ...     y = y + y
    >>> count_paths(y, x)
    1125899906842624
    """
    return _path_counts(root, start)[id(root)]


def gradient_paths(root: Value, start: Value, *, limit: int | None = DEFAULT_PATH_LIMIT) -> list[GradientPath]:
    """Every path from ``start`` to ``root`` with its product of local derivatives.

    The products add up to ∂root/∂start, which is what ``root.backward()`` adds to
    ``start.grad`` (up to floating-point rounding, as the sums are taken in another
    order). No path (``start`` does not feed ``root``): an empty list, a zero gradient.
    ``start`` may be any node, not only a leaf; ``start is root`` gives one empty path
    with product 1. More than ``limit`` paths, or paths of more than
    :data:`DEFAULT_STEP_LIMIT` steps in all, raise :class:`TooManyPathsError` before any
    is listed (``limit=None``: no limit).

    >>> from minigrad import Value
    >>> x = Value(2.0, "x")
    >>> u = x * x; v = u + x
    >>> v.backward()
    >>> paths = gradient_paths(v, x)
    >>> [p.product for p in paths], sum(p.product for p in paths), x.grad
    ([2.0, 2.0, 1.0], 5.0, 5.0)
    >>> y = x
    >>> for _ in range(40):
    ...     y = y * 1.0 + y
    >>> gradient_paths(y, x)
    Traceback (most recent call last):
    ...
    minigrad.drawing.paths.TooManyPathsError: 1,099,511,627,776 paths lead from x to the output, more than the limit ...
    """
    counts = _path_counts(root, start)
    if limit is not None:
        n = counts[id(root)]
        if n > limit:
            many = f"{n:,}" if n.bit_length() < 10_000 else f"~10^{math.floor((n.bit_length() - 1) * math.log10(2))}"
            raise TooManyPathsError(
                f"{many} paths lead from {node_name(start)} to the output, more than the limit of {limit:,}; "
                "the path count grows exponentially with shared sub-expressions (backward does not follow "
                "paths one by one, it adds where they merge): pass a larger limit= or limit=None, "
                "or choose a node closer to the output"
            )
        steps = n * (_longest(root, counts) + 1)
        if steps > DEFAULT_STEP_LIMIT:  # 8,192 paths of 10,000 steps took 222 s and 3.8 GB
            raise TooManyPathsError(
                f"the {n:,} paths from {node_name(start)} to the output have {steps:,} steps in all, more than "
                f"{DEFAULT_STEP_LIMIT:,}: pass limit=None to list them anyway, or choose a node closer to the output"
            )
    return list(_walk(root, start, {i for i, n in counts.items() if n}))


def _longest(root: Value, counts: dict[int, int]) -> int:
    """How many steps the longest path to ``root`` has, among the nodes ``counts`` says are reached."""
    longest: dict[int, int] = {}
    for node in topological_order(root):
        if counts[id(node)]:
            longest[id(node)] = max((longest[id(p)] + 1 for p in node.parents if counts[id(p)]), default=0)
    return longest.get(id(root), 0)


def _walk(root: Value, start: Value, reach: set[int]) -> Iterator[GradientPath]:
    """Depth-first from ``root`` back to ``start`` through the nodes in ``reach`` (the ids of those
    that depend on ``start``), without recursion, in parent order."""
    if id(root) not in reach:
        return
    # Each stack entry: a node and the next parent index to try; ``trail`` holds the
    # (child, k) edges from the root down to the current node.
    stack: list[list[object]] = [[root, 0]]
    trail: list[tuple[Value, int]] = []
    while stack:
        top = stack[-1]
        node: Value = top[0]  # type: ignore[assignment]
        if node is start:
            edges = tuple(reversed(trail))
            factors = tuple(child.local_grads[k] for child, k in edges)
            yield GradientPath(start, edges, factors, math.prod(factors))
            stack.pop()
            if trail:
                trail.pop()
            continue
        parents = node.parents
        k: int = top[1]  # type: ignore[assignment]
        while k < len(parents) and id(parents[k]) not in reach:
            k += 1
        if k == len(parents):
            stack.pop()
            if trail:
                trail.pop()
            continue
        top[1] = k + 1
        trail.append((node, k))
        stack.append([parents[k], 0])
