"""Recording: run a function once on ``Value`` leaves and keep its graph as a tape, with its guards.

>>> tape = record(lambda a, b, c: 3 * (a + b * c), (5.0, 3.0, 2.0), ())
>>> [n.op or n.label for n in tape.order]
['a', 'b', 'c', 'mul', 'add', 'mul']
>>> tape.root.data, tape.names
(33.0, ['a', 'b', 'c'])
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from minigrad.engine import Value, _as_float, topological_order, watch_reads
from minigrad.functional import is_sequence

__all__ = ["Guard", "Tape", "argument_names", "flat", "leaves_for", "record"]

COMPARISONS = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class Guard:
    """What the traced run read from a ``Value`` as a number, and what it got.

    ``how`` is a comparison (``<`` ...) with ``other`` (a ``Value`` or a number) and a
    ``bool`` result; ``"bool"`` (result: data != 0); or ``"float"``, ``"round"``,
    ``"format"``: the data itself was read, so the trace holds only for that exact value.

    >>> x = Value(2.0, "x")
    >>> Guard(x, "<", 3.0, True).describe({x: "x"})
    'x < 3.0 was True'
    """

    value: Value
    how: str
    other: Value | float | None
    result: bool

    def describe(self, names: dict[Value, str]) -> str:
        """The guard as a learner reads it: the test, and what it gave while tracing."""
        x = names.get(self.value, self.value.label or "a value")
        if self.how in COMPARISONS:
            other = names.get(self.other, "a value") if isinstance(self.other, Value) else repr(self.other)
            return f"{x} {self.how} {other} was {self.result}"
        if self.how == "bool":
            return f"bool({x}) was {self.result}"
        return f"{x} was read as the number {self.value.data!r} ({self.how})"


@dataclass
class Tape:
    """A recorded graph: the leaves made from the arguments, every node in order, the guards.

    ``order`` lists every node once, operands before the nodes made from them (the
    output's graph, plus any node a guard read); ``root`` is the output (a ``Value``,
    or a float when the output does not depend on any ``Value``). ``captured`` are the
    leaves that did not come from the arguments (a model's parameters, constants made
    inside ``f``): replay reads their current ``data``.

    >>> tape = record(lambda w, x: w * x, (2.0, 3.0), (1,))
    >>> tape.names, tape.batched, sorted(n.op for n in tape.per_example)
    (['w', 'x'], (1,), ['', 'mul'])
    """

    names: list[str]
    leaves: list[Value | list[Value]]
    batched: tuple[int, ...]
    order: list[Value]
    root: Value | float
    guards: list[Guard]
    captured: list[Value] = field(default_factory=list)
    per_example: set[Value] = field(default_factory=set)
    plans: dict[Value, Any] | None = None  # filled by the array replay: nodes that run as matrix products


def argument_names(f: Callable[..., Any], count: int) -> list[str]:
    """Names for ``f``'s first ``count`` arguments: its parameter names where they are plain identifiers.

    >>> argument_names(lambda a, b: a, 2), argument_names(lambda *xs: 0, 2)
    (['a', 'b'], ['x0', 'x1'])
    """
    try:
        parameters = [
            p.name
            for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        parameters = []
    names = []
    for i in range(count):
        name = parameters[i] if i < len(parameters) else f"x{i}"
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_") or name in names:
            name = f"x{i}"
        names.append(name)
    return names


def leaves_for(names: Sequence[str], args: Sequence[Any]) -> list[Value | list[Value]]:
    """A leaf per number: one for a number argument, a list for a sequence (labelled ``w[0]`` ...).

    >>> a, w = leaves_for(["a", "w"], [1.0, [2.0, 3.0]])
    >>> a, [x.label for x in w]
    (Value(data=1.0, grad=0.0, label='a'), ['w[0]', 'w[1]'])
    """
    leaves: list[Value | list[Value]] = []
    for name, arg in zip(names, args, strict=True):
        if isinstance(arg, Value) or (is_sequence(arg) and any(isinstance(x, Value) for x in arg)):
            raise TypeError(f"trace takes numbers or sequences of numbers, not Values (argument {name})")
        if is_sequence(arg):
            leaves.append([Value(_as_float(x), f"{name}[{i}]") for i, x in enumerate(arg)])
        else:
            leaves.append(Value(_as_float(arg), name))
    return leaves


def flat(leaf: Value | list[Value]) -> list[Value]:
    """The leaves of one argument as a list: itself for a number, its entries for a sequence.

    >>> flat(Value(1.0, "a")), len(flat(leaves_for(["w"], [[1.0, 2.0]])[0]))
    ([Value(data=1.0, grad=0.0, label='a')], 2)
    """
    return leaf if isinstance(leaf, list) else [leaf]


def record(f: Callable[..., Any], args: Sequence[Any], batched: tuple[int, ...]) -> Tape:
    """Run ``f`` once on leaves made from ``args`` and record its graph and what it read as numbers."""
    names = argument_names(f, len(args))
    leaves = leaves_for(names, args)
    guards: list[Guard] = []

    def watch(value: Value, how: str, other: object, result: object) -> None:
        if how in COMPARISONS:
            kept = other if isinstance(other, Value) else _as_float(other)
            guards.append(Guard(value, how, kept, bool(result)))
        elif how == "bool":
            guards.append(Guard(value, how, None, bool(result)))
        else:
            guards.append(Guard(value, how, None, True))

    with watch_reads(watch):
        out = f(*leaves)
    root: Value | float
    if isinstance(out, Value):
        root = out
    else:
        try:
            root = _as_float(out)
        except TypeError:
            raise TypeError(f"the traced function must return a Value or a number, got {type(out).__name__}") from None
    order = _order([*([root] if isinstance(root, Value) else []), *_guarded(guards)])
    flat = {x for leaf in leaves for x in (leaf if isinstance(leaf, list) else [leaf])}
    captured = [n for n in order if not n.parents and n not in flat]
    tape = Tape(names, leaves, batched, order, root, guards, captured)
    tape.per_example = _depending_on(order, [leaves[i] for i in batched])
    return tape


def _guarded(guards: list[Guard]) -> list[Value]:
    nodes = []
    for g in guards:
        nodes.append(g.value)
        if isinstance(g.other, Value):
            nodes.append(g.other)
    return nodes


def _order(roots: list[Value]) -> list[Value]:
    """Every node the roots depend on, once, operands first (the graphs of several roots merged)."""
    order: list[Value] = []
    placed: set[Value] = set()
    for r in roots:
        if r in placed:
            continue
        for node in topological_order(r):
            if node not in placed:
                placed.add(node)
                order.append(node)
    return order


def _depending_on(order: list[Value], leaves: list[Value | list[Value]]) -> set[Value]:
    """The nodes that depend on any of ``leaves``: per example when those leaves are batched."""
    found = {x for leaf in leaves for x in flat(leaf)}
    for node in order:
        if node.parents and any(p in found for p in node.parents):
            found.add(node)
    return found
