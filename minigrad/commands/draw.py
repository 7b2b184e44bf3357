"""Draw the graph of an expression, after backward, to an SVG file (or PNG, PDF, DOT).

``minigrad draw "3*(a + b*c)" a=5 b=3 c=2 -o J.svg`` builds the expression from the
names bound on the command line, runs backward from it and writes the drawing. The
expression is parsed by :mod:`minigrad.expression` against a whitelist, never
``eval``'d. Intermediate results can be named: ``"u = b*c; v = a + u; J = 3*v"``.

>>> import tempfile, pathlib
>>> from minigrad.cli import main
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = pathlib.Path(tmp) / "J.svg"
...     main(["draw", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(out)])
J = 33
dJ/da = 3   dJ/db = 6   dJ/dc = 9
wrote ...J.svg
0
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from minigrad.drawing import RendererNotFoundError, RenderError, TooManyPathsError, draw, render
from minigrad.engine import Value, topological_order
from minigrad.expression import ExpressionError, build

__all__ = ["add_arguments", "bound_twice", "parse_binding", "run"]


def parse_binding(text: str) -> tuple[str, float]:
    """``"a=5"`` as ``("a", 5.0)``; anything else is an ``argparse.ArgumentTypeError``.

    >>> parse_binding("w1=-0.5")
    ('w1', -0.5)
    >>> parse_binding("a")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected NAME=NUMBER, such as a=5, got 'a'
    >>> parse_binding("a=nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: a: 'nan' is not finite: give a finite number
    """
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, such as a=5, got {text!r}")
    try:
        value = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{name}: {number!r} is not finite: give a finite number")
    return name, value


def _shown(value: float) -> str:
    return repr(value).removesuffix(".0")


def bound_twice(bindings: Iterable[tuple[str, float]]) -> str | None:
    """The message for the first name bound twice in ``bindings``, or ``None`` when each is bound once.

    >>> bound_twice([("a", 1.0), ("b", 2.0), ("a", 2.5)])
    "'a' is bound twice: a=1 and a=2.5"
    >>> bound_twice([("a", 1.0)]) is None
    True
    """
    seen: dict[str, float] = {}
    for name, value in bindings:
        if name in seen:
            return f"{name!r} is bound twice: {name}={_shown(seen[name])} and {name}={_shown(value)}"
        seen[name] = value
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``minigrad draw``.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["a*a", "a=3", "--tb"])
    >>> args.expression, args.bindings, args.tb
    ('a*a', [('a', 3.0)], True)
    """
    parser.epilog = (
        'example: minigrad draw "J = 3*(a + b*c)" a=5 b=3 c=2 --local-grads -o J.svg   '
        '(an expression starting with "-" goes after "--", and every option before the "--": '
        'minigrad draw -o L.svg -- "-a" a=1)'
    )
    parser.add_argument(
        "expression",
        help="numbers, names, + - * / **, exp log sigmoid tanh relu; name results with `u = b*c; J = 3*u`",
    )
    parser.add_argument("bindings", nargs="*", type=parse_binding, metavar="NAME=VALUE", help="the leaves, e.g. a=5")
    parser.add_argument(
        "-k",
        "--const",
        action="append",
        type=parse_binding,
        default=[],
        metavar="NAME=VALUE",
        help="a name for a plain number (drawn as a constant, no gradient), e.g. --const y=1",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write: .svg (default), .png, .pdf or .dot; default: <output label or graph>.svg here",
    )
    parser.add_argument("--local-grads", action="store_true", help="write each edge's local derivative on it")
    parser.add_argument("--rules", action="store_true", help="also write the rule of each local derivative")
    parser.add_argument("--paths", metavar="NAME", help="highlight every path from NAME to the output")
    parser.add_argument("--no-grads", action="store_true", help="leave the gradients out of the boxes")
    parser.add_argument("--tb", action="store_true", help="lay the graph out top to bottom")
    parser.add_argument("--format", default=".4g", help="number format, e.g. .4g (default) or .2f")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _fail(message: str, status: int) -> int:
    print(f"minigrad draw: error: {message}", file=sys.stderr)
    return status


def _find(root: Value, name: str) -> Value | None:
    return next((node for node in topological_order(root) if node.label == name), None)


def run(args: argparse.Namespace) -> int:
    """Build, run backward, draw, write; print the result and the gradients.

    Returns the exit status: 0 when the file is written, 2 for a bad expression or
    option (the message goes to stderr), 1 when the drawing cannot be rendered.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> run(parser.parse_args(["open('/etc/passwd')", "-q"]))
    2
    """
    for bindings in (args.bindings, args.const):
        if problem := bound_twice(bindings):
            return _fail(problem, 2)
    leaves = {name: Value(number, name) for name, number in args.bindings}
    try:
        format(1.0, args.format)
    except ValueError:
        return _fail(f"--format {args.format!r} is not a number format such as .4g or .2f", 2)
    try:
        root = build(args.expression, leaves, constants=dict(args.const))
    except ExpressionError as error:
        return _fail(str(error), 2)
    root.backward()
    start = None
    if args.paths:
        start = _find(root, args.paths)
        if start is None:
            return _fail(f"--paths {args.paths}: no node of the graph is named {args.paths!r}", 2)
    output: Path = args.output or Path(f"{root.label or 'graph'}.svg")
    suffix = output.suffix.lower().lstrip(".") or "svg"
    try:
        graph = draw(
            root,
            show_grads=not args.no_grads,
            rankdir="TB" if args.tb else "LR",
            number_format=args.format,
            local_grads=args.local_grads or args.rules,
            rules=args.rules,
            paths_from=start,
        )
        data = graph.source.encode("utf-8") if suffix in ("dot", "gv") else render(graph, suffix)
        output.write_bytes(data)
    except TooManyPathsError as error:
        return _fail(str(error), 2)
    except (RendererNotFoundError, RenderError, OSError) as error:
        return _fail(str(error), 1)
    if not args.quiet:
        name = root.label or "output"
        print(f"{name} = {root.data:{args.format}}")
        in_graph = {id(node) for node in topological_order(root)}
        used = [leaf for leaf in leaves.values() if id(leaf) in in_graph]
        print("   ".join(f"d{name}/d{leaf.label} = {leaf.grad:{args.format}}" for leaf in used))
        unused = [leaf.label for leaf in leaves.values() if id(leaf) not in in_graph]
        if unused:
            print(f"not used by the expression: {', '.join(unused)}")
        print(f"wrote {output.resolve()}")
    return 0
