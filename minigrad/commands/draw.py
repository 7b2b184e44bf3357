"""Draw the graph of an expression, after backward, to an SVG file (or PNG, DOT).

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
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from minigrad.commands.numbers import positive_int
from minigrad.commands.text import count, plural, shown
from minigrad.drawing import DEFAULT_PATH_LIMIT, RendererNotFoundError, RenderError, TooManyPathsError, draw, render
from minigrad.drawing.render import RENDER_TIMEOUT, RenderTimeoutError
from minigrad.engine import Value, topological_order
from minigrad.expression import FUNCTIONS, ExpressionError, build
from minigrad.files import atomic_write

__all__ = [
    "DEFAULT_MAX_PATH_STEPS",
    "DEFAULT_MAX_VALUES",
    "FORMATS",
    "MAX_PRECISION",
    "MAX_WIDTH",
    "add_arguments",
    "bound_twice",
    "check_number_format",
    "parse_binding",
    "path_sizes",
    "run",
]

FORMATS = {"svg": "svg", "png": "png", "dot": "dot", "gv": "dot"}
"""File suffix → what ``-o`` writes: SVG and PNG through the renderer, DOT source as is.

Only what every renderer minigrad finds can write (``graphviz-pure``, the pip-installed
one, has no PDF)."""

DEFAULT_MAX_VALUES = 10_000
"""The most values ``minigrad draw`` lays out unless ``--max-values`` says otherwise.

A renderer's layout time and memory grow faster than linearly: 100,001 values made it
try to allocate 3.4 GB."""

DEFAULT_MAX_PATH_STEPS = 1_000_000
"""The most steps (paths × their length) ``--paths`` lists unless ``--max-path-steps`` says otherwise."""

MAX_WIDTH = 40
"""The widest field a ``--number-format`` may ask for."""

MAX_PRECISION = 30
"""The most digits after the point a ``--number-format`` may ask for (a float has 17 significant)."""

_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?[eEfFgGn%]?", re.DOTALL)


def parse_binding(text: str) -> tuple[str, float]:
    """``"a=5"`` as ``("a", 5.0)``; anything else is an ``argparse.ArgumentTypeError``.

    >>> parse_binding("w1=-0.5")
    ('w1', -0.5)
    >>> parse_binding("a")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected NAME=NUMBER, such as a=5, got 'a'
    >>> parse_binding("\ufb01=2")  # the ligature ﬁ, read as fi like in the expression
    ('fi', 2.0)
    >>> parse_binding("a=nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: a: 'nan' is not finite: give a finite number
    """
    name, sep, number = text.partition("=")
    name = unicodedata.normalize("NFKC", name.strip())  # as Python reads names in the expression: ﬁ is fi
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


def _digits(text: str) -> str:
    """A number written in decimal digits, as shown in a message (never converting thousands of digits)."""
    text = text.lstrip("0") or "0"
    return f"{int(text):,}" if len(text) <= 15 else f"~10^{len(text) - 1}"


def check_number_format(spec: str) -> str | None:
    """What is wrong with ``spec`` as a ``--number-format``, or ``None`` when it is a bounded float format.

    >>> check_number_format(".4g") is None, check_number_format("+10.2f") is None
    (True, True)
    >>> check_number_format("100000000.4g")
    '--number-format 100000000.4g asks for a field 100,000,000 characters wide; at most 40'
    >>> check_number_format("." + "9" * 5000 + "f")  # doctest: +ELLIPSIS
    '--number-format .99999999999999999999999999... asks for ~10^4999 digits; at most 30'
    >>> check_number_format("pdf")
    "--number-format 'pdf' is not a number format such as .4g or .2f (it is not the file format: -o NAME.png)"
    """
    shown_spec = spec if len(spec) <= 30 else spec[:27] + "..."
    match = _SPEC.fullmatch(spec)
    if match is not None:  # the sizes first: format(1.0, "100000000.4g") would build a 100 MB string
        width, precision = match["width"], match["precision"]
        if width and (len(width) > 3 or int(width) > MAX_WIDTH):
            wide = f"a field {_digits(width)} characters wide"
            return f"--number-format {shown_spec} asks for {wide}; at most {MAX_WIDTH}"
        if precision and (len(precision) > 3 or int(precision) > MAX_PRECISION):
            return f"--number-format {shown_spec} asks for {_digits(precision)} digits; at most {MAX_PRECISION}"
        try:
            format(1.0, spec)
        except ValueError:
            match = None
    if match is None:
        return (
            f"--number-format {shown_spec!r} is not a number format such as .4g or .2f "
            "(it is not the file format: -o NAME.png)"
        )
    return None


def path_sizes(root: Value, start: Value) -> tuple[int, int]:
    """How many paths lead from ``start`` to ``root``, and how many steps the longest has; in one linear pass.

    >>> x = Value(1.0, "x"); y = x
    >>> for _ in range(3):
    ...     y = y + y
    >>> path_sizes(y.exp(), x)
    (8, 4)
    """
    paths: dict[int, int] = {}
    longest: dict[int, int] = {}
    for node in topological_order(root):
        if node is start:
            paths[id(node)], longest[id(node)] = 1, 0
            continue
        reaching = [p for p in node.parents if paths.get(id(p))]
        paths[id(node)] = sum(paths[id(p)] for p in reaching)
        longest[id(node)] = max((longest[id(p)] + 1 for p in reaching), default=0)
    return paths.get(id(root), 0), longest.get(id(root), 0)


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


def add_expression_arguments(parser: argparse.ArgumentParser) -> None:
    """The expression, its leaves ``NAME=VALUE`` and ``--const``: what ``minigrad draw`` and ``minigrad step`` read.

    >>> parser = argparse.ArgumentParser()
    >>> add_expression_arguments(parser)
    >>> parser.parse_args(["a*y", "a=2", "-k", "y=1"]).const
    [('y', 1.0)]
    """
    functions = " ".join(FUNCTIONS)
    parser.add_argument(
        "expression",
        help=f"numbers, names, + - * / **, {functions}; name results with `u = b*c; J = 3*u`",
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


def build_expression(args: argparse.Namespace) -> tuple[Value, dict[str, Value]] | str:
    """The graph the arguments of :func:`add_expression_arguments` describe and its leaves by name,
    or the message saying what is wrong.

    >>> parser = argparse.ArgumentParser()
    >>> add_expression_arguments(parser)
    >>> root, leaves = build_expression(parser.parse_args(["J = 3*a", "a=2", "b=1"]))
    >>> root.data, sorted(leaves)
    (6.0, ['a', 'b'])
    >>> build_expression(parser.parse_args(["a", "a=1", "a=2"]))
    "'a' is bound twice: a=1 and a=2"
    """
    for bindings in (args.bindings, args.const):
        if problem := bound_twice(bindings):
            return problem
    leaves = {name: Value(number, name) for name, number in args.bindings}
    try:
        return build(args.expression, leaves, constants=dict(args.const)), leaves
    except ExpressionError as error:
        return str(error)


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
    add_expression_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write: .svg (default), .png or .dot; default: <output label or graph>.svg here",
    )
    parser.add_argument("--local-grads", action="store_true", help="write each edge's local derivative on it")
    parser.add_argument("--rules", action="store_true", help="also write the rule of each local derivative")
    parser.add_argument("--paths", metavar="NAME", help="highlight every path from NAME to the output")
    parser.add_argument("--no-grads", action="store_true", help="leave the gradients out of the boxes")
    parser.add_argument(
        "--tb", action="store_true", help="lay the graph out top to bottom (default: left to right, unless too wide)"
    )
    parser.add_argument(
        "--number-format",
        default=".4g",
        metavar="SPEC",
        help="how numbers are written, as in Python's format(): .4g (default) or .2f (the file format comes from -o)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=RENDER_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the renderer after this long (default {RENDER_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-values",
        type=positive_int,
        default=DEFAULT_MAX_VALUES,
        metavar="N",
        help=f"refuse to draw a graph of more values (default {DEFAULT_MAX_VALUES:,})",
    )
    parser.add_argument(
        "--max-paths",
        type=positive_int,
        default=DEFAULT_PATH_LIMIT,
        metavar="N",
        help=f"refuse --paths when more paths lead to the output (default {DEFAULT_PATH_LIMIT:,})",
    )
    parser.add_argument(
        "--max-path-steps",
        type=positive_int,
        default=DEFAULT_MAX_PATH_STEPS,
        metavar="N",
        help=f"refuse --paths when the paths have more steps in all (default {DEFAULT_MAX_PATH_STEPS:,})",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number of seconds, got {text!r}")
    return seconds


def _fail(message: str, status: int) -> int:
    print(f"minigrad draw: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    """Build, run backward, draw, write; print the result and the gradients.

    Returns the exit status: 0 when the file is written, 2 for a bad expression or
    option (the message goes to stderr), 1 when the drawing cannot be rendered.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> run(parser.parse_args(["open('/etc/passwd')", "-q"]))
    2
    """
    built = build_expression(args)
    if isinstance(built, str):
        return _fail(built, 2)
    root, leaves = built
    fmt = args.number_format
    if problem := check_number_format(fmt):
        return _fail(problem, 2)
    output: Path | None = args.output
    suffix = (output.suffix.lower().lstrip(".") or "svg") if output is not None else "svg"
    if suffix not in FORMATS:
        known = ", ".join(f".{name}" for name in FORMATS)
        return _fail(f"-o {output}: cannot write .{suffix} files; the formats are {known}", 2)
    nodes = topological_order(root)
    if len(nodes) > args.max_values:
        return _fail(
            f"the graph has {len(nodes):,} values, more than the limit of {args.max_values:,} for a drawing; "
            f"draw a smaller expression, or raise the limit with --max-values {len(nodes)}",
            2,
        )
    root.backward()
    start = None
    if args.paths:
        name = unicodedata.normalize("NFKC", args.paths)
        start = next((node for node in nodes if node.label == name), None)
        if start is None:
            return _fail(f"--paths {args.paths}: no node of the graph is named {name!r}", 2)
        if problem := _too_many_paths(root, start, name, args):
            return _fail(problem, 2)
    output = output or Path(f"{root.label or 'graph'}.svg")
    try:
        graph = draw(
            root,
            show_grads=not args.no_grads,
            rankdir="TB" if args.tb else "auto",
            number_format=fmt,
            local_grads=args.local_grads or args.rules,
            rules=args.rules,
            paths_from=start,
            path_limit=None,  # checked above, against this command's own limits
        )
        kind = FORMATS[suffix]
        data = graph.source.encode("utf-8") if kind == "dot" else render(graph, kind, timeout=args.timeout)
        atomic_write(output, data)
    except TooManyPathsError as error:
        return _fail(str(error), 2)
    except RenderTimeoutError as error:
        return _fail(
            f"the renderer was still laying out the graph after {error.timeout:g} s and was stopped; "
            f"draw a smaller graph, or allow it more time with --timeout SECONDS",
            1,
        )
    except (RendererNotFoundError, RenderError, OSError) as error:
        return _fail(str(error), 1)
    if not args.quiet:
        name = root.label or "output"
        print(f"{name} = {shown(root.data, fmt)}")
        in_graph = {id(node) for node in nodes}
        used = [leaf for leaf in leaves.values() if id(leaf) in in_graph]
        print("   ".join(f"d{name}/d{leaf.label} = {shown(float(leaf.grad), fmt)}" for leaf in used))
        unused = [leaf.label for leaf in leaves.values() if id(leaf) not in in_graph]
        if unused:
            print(f"not used by the expression: {', '.join(unused)}")
        print(f"wrote {output.resolve()}")
    return 0


def _too_many_paths(root: Value, start: Value, name: str, args: argparse.Namespace) -> str | None:
    """The message refusing ``--paths`` when there are too many paths, or too long ones; else ``None``."""
    paths, longest = path_sizes(root, start)
    if paths > args.max_paths:
        return (
            f"--paths {name}: {count(paths)} paths lead from {name} to the output, more than the limit of "
            f"{args.max_paths:,} (the count doubles with each shared sub-expression, while backward adds "
            f"where paths merge); choose a node closer to the output, or raise the limit with --max-paths"
        )
    steps = paths * (longest + 1)
    if steps > args.max_path_steps:
        return (
            f"--paths {name}: {plural(paths, 'path')} of up to {plural(longest, 'step')} make {steps:,} steps to "
            f"list, more than the limit of {args.max_path_steps:,}; choose a node closer to the output, "
            f"or raise the limit with --max-path-steps {steps}"
        )
    return None
