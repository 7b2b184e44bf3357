"""Build J = 3(a + bc), run backward, print every value and gradient, and draw the graph to J.svg.

The drawing has the local derivatives on its edges; ``--svg PATH`` writes it elsewhere,
``--no-svg`` not at all (nor does a ``run`` whose arguments have no ``svg``).

>>> import argparse
>>> run(argparse.Namespace(a=5.0, b=3.0, c=2.0, quiet=False))  # doctest: +ELLIPSIS
J = 3 * (a + b*c) with a=5, b=3, c=2
...
0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from minigrad.commands.text import shown
from minigrad.examples import canonical_J


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``minigrad demo``."""
    for name, default in (("a", 5.0), ("b", 3.0), ("c", 2.0)):
        parser.add_argument(f"-{name}", type=float, default=default, help=f"value of {name} (default {default:g})")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    parser.add_argument(
        "--svg", type=Path, default=Path("J.svg"), help="where to draw the graph (default: J.svg, here)"
    )
    parser.add_argument("--no-svg", dest="svg", action="store_const", const=None, help="draw nothing")


def run(args: argparse.Namespace) -> int:
    """Print the forward values and the gradients dJ/d(node) of every node; draw the graph."""
    nodes = canonical_J(args.a, args.b, args.c)
    svg: Path | None = getattr(args, "svg", None)
    if svg is not None:
        from minigrad.drawing import RendererNotFoundError, RenderError, save_svg

        try:
            save_svg(nodes["J"], svg, local_grads=True, rules=True)
        except (RendererNotFoundError, RenderError, OSError) as error:
            print(f"minigrad demo: error: cannot draw the graph: {error}", file=sys.stderr)
            return 1
    if not args.quiet:
        print(f"J = 3 * (a + b*c) with a={shown(args.a)}, b={shown(args.b)}, c={shown(args.c)}")
        print("forward:   u = b*c = {}   v = a + u = {}   J = 3*v = {}".format(*(shown(nodes[k].data) for k in "uvJ")))
        grads = (f"dJ/d{k} = {shown(float(nodes[k].grad))}" for k in ("J", "v", "u", "a", "b", "c"))
        print("backward:  " + "   ".join(grads))
        if svg is not None:
            print(f"drawing:   {svg.resolve()}")
    return 0
