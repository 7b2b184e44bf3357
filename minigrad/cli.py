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
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        doc = (module.__doc__ or "").strip().splitlines()[0]
        module.add_arguments(subparsers.add_parser(name, help=doc, description=doc))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["demo", "--quiet", "--no-svg"])
    0
    """
    args = build_parser().parse_args(argv)
    return int(COMMANDS[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())
