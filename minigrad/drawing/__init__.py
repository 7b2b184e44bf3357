"""Drawings of computation graphs: DOT source, per-path gradients, SVG files and Jupyter display.

- :func:`draw` builds a :class:`graphviz.Digraph` of the graph behind a ``Value``;
- :func:`gradient_paths` lists the paths that carry one node's gradient to the output;
- :func:`save_svg`, :func:`to_svg` and :func:`render` run the renderer (system ``dot``
  or the pip-installed ``graphviz-pure``).

>>> from minigrad import Value
>>> a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
>>> J = 3 * (a + b * c); J.label = "J"; J.backward()
>>> sum(p.product for p in gradient_paths(J, c)) == c.grad
True
>>> "<svg" in to_svg(draw(J, paths_from=c))
True
"""

from minigrad.drawing.graph import PAGE_WIDTH, PATH_COLOURS, Drawing, draw, drawing_order, node_ids
from minigrad.drawing.paths import DEFAULT_PATH_LIMIT, GradientPath, TooManyPathsError, count_paths, gradient_paths
from minigrad.drawing.render import (
    REPR_NODE_LIMIT,
    RendererNotFoundError,
    RenderError,
    find_renderer,
    render,
    repr_mimebundle,
    save_svg,
    to_svg,
)

__all__ = [
    "DEFAULT_PATH_LIMIT",
    "PAGE_WIDTH",
    "PATH_COLOURS",
    "REPR_NODE_LIMIT",
    "Drawing",
    "GradientPath",
    "RenderError",
    "RendererNotFoundError",
    "TooManyPathsError",
    "count_paths",
    "draw",
    "drawing_order",
    "find_renderer",
    "gradient_paths",
    "node_ids",
    "render",
    "repr_mimebundle",
    "save_svg",
    "to_svg",
]
