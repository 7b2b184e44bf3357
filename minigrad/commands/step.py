"""Write a page that steps through the forward and backward pass of an expression.

``minigrad step "J = 3*(a + b*c)" a=5 b=3 c=2 -o J.html`` builds the expression with the
same safe parser as ``minigrad draw`` (never ``eval``) and writes one self-contained HTML
file: each step drawn, with next/previous/play buttons, a slider, the arrow keys and a
caption saying what happens at that step. Open it in any browser, offline.

>>> import tempfile, pathlib
>>> from minigrad.cli import main
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = pathlib.Path(tmp) / "J.html"
...     main(["step", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(out)])
J = 33: 4 forward and 4 backward steps
wrote ...J.html
0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from minigrad.commands.draw import add_expression_arguments, build_expression
from minigrad.drawing import RendererNotFoundError, RenderError
from minigrad.steps_frames import steps
from minigrad.steps_html import save_html

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``minigrad step``.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["a*a", "a=3", "-o", "a.html"])
    >>> args.expression, args.bindings, str(args.output)
    ('a*a', [('a', 3.0)], 'a.html')
    """
    parser.epilog = (
        'example: minigrad step "J = 3*(a + b*c)" a=5 b=3 c=2 -o J.html   '
        '(an expression starting with "-" goes after "--", every option before it)'
    )
    add_expression_arguments(parser)
    parser.add_argument(
        "-o", "--output", type=Path, help="the HTML file to write; default: <output label or graph>.html here"
    )
    parser.add_argument("--title", help="the page's heading (default: '<output> = <value>, step by step')")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.error = _usage_error  # type: ignore[method-assign]  # one line, not argparse's usage block


def _usage_error(message: str) -> NoReturn:
    """Bad arguments: one line on stderr, exit status 2 (argparse would print its usage block first)."""
    print(f"minigrad step: error: {message} (see minigrad step --help)", file=sys.stderr)
    raise SystemExit(2)


def _fail(message: str, status: int) -> int:
    print(f"minigrad step: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    """Build the expression, make its frames, write the page.

    Returns the exit status: 0 when the page is written, 2 for a bad expression or
    option (one line on stderr), 1 when it cannot be drawn or written.

    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> run(parser.parse_args(["__import__('os')", "-q"]))
    2
    """
    built = build_expression(args)
    if isinstance(built, str):
        return _fail(built, 2)
    root, _ = built
    output: Path = args.output or Path(f"{root.label or 'graph'}.html")
    if output.is_dir():
        return _fail(f"{output} is a folder: give a file name such as {output / 'J.html'}", 2)
    if not output.parent.is_dir():
        return _fail(f"cannot write {output}: the folder {output.parent} does not exist", 2)
    frames = steps(root)
    try:
        save_html(frames, output, title=args.title)
    except ValueError as error:  # a graph too large for the page
        return _fail(str(error), 2)
    except (RendererNotFoundError, RenderError) as error:
        return _fail(str(error), 1)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}", 1)
    if not args.quiet:
        forward = frames.backward_start
        backward = len(frames) - forward
        print(f"{frames.names[root]} = {root.data:.6g}: {forward} forward and {backward} backward steps")
        print(f"wrote {output.resolve()}")
    return 0
