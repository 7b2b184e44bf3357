"""The ``minigrad`` command line: ``minigrad demo`` and the other subcommands.

Each subcommand lives in its own module under :mod:`minigrad.commands` with two
functions, ``add_arguments(parser)`` and ``run(args) -> int``.

>>> main(["demo", "--no-svg"])  # doctest: +ELLIPSIS
J = 3 * (a + b*c) ...
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from minigrad import __version__
from minigrad.commands import demo, draw, step, train

COMMANDS = {
    "demo": demo,
    "draw": draw,
    "step": step,
    "train": train,
}
"""Subcommand name → module with ``add_arguments`` and ``run``."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand.

    >>> build_parser().prog
    'minigrad'
    """
    parser = argparse.ArgumentParser(prog="minigrad", description="A scalar reverse-mode autograd engine.")
    parser.add_argument("--version", action="version", version=f"minigrad {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        doc = (module.__doc__ or "").strip().splitlines()[0]
        module.add_arguments(subparsers.add_parser(name, help=doc, description=doc))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    With no command it prints the help and returns 0, as ``pip`` does (``minigrad``
    alone asks what the program can do). Ctrl-C ends any command with status 130 and
    one line, no traceback (``train`` says which files it kept).

    >>> main(["demo", "--quiet", "--no-svg"])
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(COMMANDS[args.command].run(args))
    except KeyboardInterrupt:
        print(f"minigrad {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
