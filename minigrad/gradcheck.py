"""Checking gradients: the graph's, yours and central differences, side by side.

``check_grad(f, *args)`` compares the gradient minigrad's graph computes with central
differences ``(f(x+h) − f(x−h)) / 2h``. Give it your own gradient formula (``grad=``),
and gradients you derived for labelled intermediate nodes (``nodes=``), and it says
which of the three disagrees, and by how much.

>>> def loss(w, b):                      # a logistic neuron on one example, x = (0.5, -1.5), y = 1
...     z = w[0] * 0.5 + w[1] * -1.5 + b
...     z.label = "z"
...     return -(z.sigmoid().log())
>>> from minigrad import sigmoid
>>> def my_grad(w, b):                   # dz = a − y, dw = x·dz, db = dz
...     dz = sigmoid(w[0] * 0.5 + w[1] * -1.5 + b) - 1
...     return [0.5 * dz, -1.5 * dz], dz
>>> check_grad(loss, [0.3, -0.2], 0.1, grad=my_grad).ok
True
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from minigrad import scalar
from minigrad.engine import Value, _as_float, _data_of, topological_order
from minigrad.functional import Argument, Gradient, _evaluate, _to_values, is_sequence, value_and_grad

__all__ = ["GradCheck", "NodeCheck", "Slope", "check_grad", "numeric_slope"]

_STEP = 6e-6  # about the cube root of the float epsilon: the step that balances truncation and rounding
_ROUNDING = 100 * sys.float_info.epsilon


@dataclass(frozen=True)
class Slope:
    """A numeric derivative and how it was taken.

    ``how`` says it in words: ``"central, h=6e-06"``, or that the step was shrunk or made
    one-sided to stay inside the function's domain. ``kink`` is true where the slopes to
    the left and to the right disagree: the derivative is not defined there. ``noise``:
    how far rounding in ``f``'s values can move ``value`` (100 float epsilons of the
    largest ``|f|`` used, divided by the step).

    >>> numeric_slope(abs, 0.0).kink
    True
    """

    value: float
    how: str
    kink: bool = False
    noise: float = 0.0


def numeric_slope(f: Callable[[float], float], x: float) -> Slope:
    """The derivative of ``f`` at ``x`` by finite differences, staying inside ``f``'s domain.

    A central difference with ``h = 6e-6·max(1, |x|)`` first. Where ``f(x ± h)`` raises
    or is not finite (log or sqrt near 0, a number near the float limit), the step is
    taken relative to ``x`` and shrunk until it fits, and if no central step fits, a
    one-sided difference (second order) is used, towards the side where ``f`` is
    defined. The left and right slopes are compared too, to recognise a kink.

    >>> round(numeric_slope(scalar.log, 1e-7).value / 1e7, 6)
    1.0
    >>> numeric_slope(scalar.log, 1e-7).how
    'central, h=6e-13 (shrunk to stay in the domain)'
    >>> numeric_slope(scalar.sqrt, 0.0).how
    'one-sided (right), h=6e-06: f is not defined on the left'
    """
    fx = _try(f, x)
    if fx is None:
        raise ValueError(f"the function cannot be evaluated at {x!r}: no derivative to check there")
    steps = [_STEP * max(1.0, abs(x))]
    if x != 0.0:
        steps += [_STEP * abs(x) / 10.0**k for k in range(0, 6)]
    for i, h in enumerate(steps):
        up, down = _try(f, x + h), _try(f, x - h)
        if up is not None and down is not None:
            how = f"central, h={h:.3g}" + (" (shrunk to stay in the domain)" if i else "")
            noise = _ROUNDING * max(abs(up), abs(down), abs(fx)) / h
            return Slope((up - down) / (2 * h), how, _is_kink(f, x, fx, h, up, down), noise)
    for h in steps:
        for side, sign in (("right", 1.0), ("left", -1.0)):
            near, far = _try(f, x + sign * h), _try(f, x + 2 * sign * h)
            if near is not None and far is not None:
                slope = sign * (-3 * fx + 4 * near - far) / (2 * h)
                other = "left" if side == "right" else "right"
                noise = 4 * _ROUNDING * max(abs(near), abs(far), abs(fx)) / h
                return Slope(slope, f"one-sided ({side}), h={h:.3g}: f is not defined on the {other}", noise=noise)
    raise ValueError(f"no finite difference fits around {x!r}: the function is undefined on both sides")


def _is_kink(f: Callable[[float], float], x: float, fx: float, h: float, up: float, down: float) -> bool:
    """Whether the slopes left and right of ``x`` differ by a jump that does not shrink with the step.

    For a smooth ``f`` the two one-sided slopes differ by about f''·h, which a ten times
    smaller step makes ten times smaller; at a kink the difference stays.
    """
    jump = abs((up - fx) - (fx - down)) / h
    if jump <= 1e-3 * max(1.0, abs(up - fx) / h, abs(fx - down) / h):
        return False
    small_up, small_down = _try(f, x + h / 10), _try(f, x - h / 10)
    if small_up is None or small_down is None:
        return False
    return abs((small_up - fx) - (fx - small_down)) / (h / 10) > 0.5 * jump


def _try(f: Callable[[float], float], x: float) -> float | None:
    """``f(x)``, or ``None`` where it raises an arithmetic error or is not finite."""
    if not math.isfinite(x):
        return None
    try:
        y = f(x)
    except (ArithmeticError, ValueError):
        return None
    return y if math.isfinite(y) else None


@dataclass(frozen=True)
class NodeCheck:
    """One labelled node of :func:`check_grad` with ``nodes=``: your d(output)/d(node), the graph's, the numeric one.

    >>> NodeCheck("z", 0.5, 0.5, 0.5000000001, "ok").verdict
    'ok'
    """

    label: str
    yours: float
    graph: float
    numeric: float
    verdict: str


@dataclass(frozen=True)
class GradCheck:
    """The outcome of :func:`check_grad`: the gradients side by side, the worst error per argument, a verdict.

    ``errors[i]`` is the largest ``|graph − numeric| / max(|graph|, |numeric|, 1)`` over
    the entries of argument ``i``: a relative error for gradients above 1, an absolute
    one below, so that a gradient of exactly zero does not make noise look large. A nan
    or infinite gradient on either side that the other does not match counts as an
    infinite error. ``yours`` holds the gradient from ``grad=`` (else ``None``),
    ``verdicts`` one sentence per argument, ``nodes`` the rows for ``nodes=``. ``ok``:
    every pair agrees and there is no kink. Two derivatives agree when they differ by at
    most ``tolerance`` relative to the larger, or by no more than the rounding noise of
    the finite difference (so a gradient of exactly 0 against a numeric 1e-12 agrees, and
    a gradient of 3e-8 against 1e-8 does not). ``str()`` gives a table.

    >>> result = check_grad(lambda x, y: x * y.exp(), 2.0, 0.5)
    >>> result.ok, len(result.errors)
    (True, 2)
    """

    graph: tuple[Gradient, ...]
    numeric: tuple[Gradient, ...]
    errors: tuple[float, ...]
    tolerance: float
    yours: tuple[Gradient, ...] | None = None
    verdicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    nodes: tuple[NodeCheck, ...] = field(default=())

    @property
    def worst(self) -> float:
        """The largest graph-versus-numeric error over all arguments."""
        return max(self.errors, default=0.0)

    @property
    def ok(self) -> bool:
        """Whether everything agrees within ``tolerance``: graph, numeric, yours and every node."""
        return all(v == "ok" for v in self.verdicts) and all(n.verdict == "ok" for n in self.nodes)

    def __str__(self) -> str:
        header = f"{'arg':>4}  {'graph':>22}  {'central difference':>22}  {'worst error':>11}"
        if self.yours is not None:
            header = f"{'arg':>4}  {'yours':>22}  {'graph':>22}  {'central difference':>22}  {'worst error':>11}"
        rows = [header]
        for i, (g, n, e) in enumerate(zip(self.graph, self.numeric, self.errors, strict=True)):
            mine = f"  {_short(self.yours[i]):>22}" if self.yours is not None else ""
            rows.append(f"{i:>4}{mine}  {_short(g):>22}  {_short(n):>22}  {e:>11.2e}")
        for i, verdict in enumerate(self.verdicts):
            if verdict != "ok":
                rows.append(f"arg {i}: {verdict}")
        for i, note in enumerate(self.notes):
            if note:
                rows.append(f"arg {i}: numeric derivative {note}")
        if self.nodes:
            width = max(len("node"), *(len(n.label) for n in self.nodes))
            rows.append(f"{'node':>{width}}  {'yours':>16}  {'graph':>16}  {'numeric':>16}  verdict")
            for row in self.nodes:
                numbers = f"{row.yours:>16.10g}  {row.graph:>16.10g}  {row.numeric:>16.10g}"
                rows.append(f"{row.label:>{width}}  {numbers}  {row.verdict}")
        verdict = "ok" if self.ok else "MISMATCH"
        rows.append(f"{verdict}: worst error {self.worst:.2e} (tolerance {self.tolerance:.0e})")
        return "\n".join(rows)


def _short(g: Gradient) -> str:
    if isinstance(g, list):
        return f"[{len(g)} values]" if len(g) > 2 else "[" + ", ".join(f"{x:.6g}" for x in g) + "]"
    return f"{g:.12g}"


def check_grad(
    f: Callable[..., Any],
    *args: Argument,
    grad: Callable[..., Any] | None = None,
    nodes: Mapping[str, float | Callable[..., float]] | None = None,
    tolerance: float = 1e-6,
) -> GradCheck:
    """Compare ``f``'s graph gradient with central differences at ``args``, and with yours.

    - ``grad``: your gradient formula, a function of the same arguments returning what
      :func:`minigrad.grad` would (one entry per argument, a list for a sequence; the
      entry itself for one argument). The report says which of yours, the graph's and
      the numeric one disagrees.
    - ``nodes``: your d(output)/d(node) for nodes ``f`` labels (``z.label = "z"``): a
      number, or a function of the arguments. Each gets a row: label, yours, graph,
      numeric (the graph replayed with that node's value nudged), verdict.

    The numeric derivative stays inside the function's domain (see
    :func:`numeric_slope`) and a kink (relu at 0) is reported as "not differentiable
    here" instead of a mismatch.

    >>> print(check_grad(lambda x: x.log(), 2.0))  # doctest: +ELLIPSIS
     arg                   graph      central difference  worst error
       0                     0.5          0.500000000001     ...e-13
    ok: worst error ...e-13 (tolerance 1e-06)
    >>> wrong = check_grad(lambda x: x * x, 3.0, grad=lambda x: x)  # d(x²)/dx is 2x, not x
    >>> wrong.ok, wrong.verdicts[0]
    (False, 'yours (3) disagrees with the graph (6) and the numeric derivative (6): off by 3')
    """
    _, graph = value_and_grad(f)(*args)
    graph = (graph,) if len(args) == 1 else graph
    yours = _yours(grad, args) if grad is not None else None
    numeric: list[Gradient] = []
    errors: list[float] = []
    verdicts: list[str] = []
    notes: list[str] = []
    for i, arg in enumerate(args):
        flat = [_as_float(x) for x in arg] if is_sequence(arg) else [_as_float(arg)]  # type: ignore[union-attr]
        slopes = [numeric_slope(_along(f, args, i, j), x) for j, x in enumerate(flat)]
        analytic = graph[i] if isinstance(graph[i], list) else [graph[i]]
        mine = _as_list(yours[i]) if yours is not None else None
        numeric.append([s.value for s in slopes] if isinstance(graph[i], list) else slopes[0].value)
        errors.append(max((_error(g, s.value) for g, s in zip(analytic, slopes, strict=True)), default=0.0))
        verdicts.append(_verdict(analytic, slopes, mine, tolerance))
        unusual = {s.how for s in slopes if "shrunk" in s.how or "one-sided" in s.how}  # a plain step goes unsaid
        notes.append("; ".join(sorted(unusual)))
    rows = tuple(_node_rows(f, args, nodes, tolerance)) if nodes else ()
    return GradCheck(tuple(graph), tuple(numeric), tuple(errors), tolerance, yours, tuple(verdicts), tuple(notes), rows)


def _along(f: Callable[..., Any], args: tuple[Argument, ...], i: int, j: int) -> Callable[[float], float]:
    """``f`` as a function of entry ``j`` of argument ``i`` alone, the others fixed."""
    return lambda t: _plain(f, _nudged(args, i, j, t))


def _as_list(g: Gradient) -> list[float]:
    return g if isinstance(g, list) else [g]


def _yours(grad: Callable[..., Any], args: tuple[Argument, ...]) -> tuple[Gradient, ...]:
    """The user's gradient, checked to have one entry per argument, each shaped like it."""
    out = grad(*args)
    entries = (out,) if len(args) == 1 else out
    if not isinstance(entries, Sequence) or len(entries) != len(args):
        raise ValueError(f"grad= must return one gradient per argument ({len(args)}), got {out!r}")
    shaped: list[Gradient] = []
    for i, (entry, arg) in enumerate(zip(entries, args, strict=True)):
        if is_sequence(arg):
            if not is_sequence(entry) or len(entry) != len(arg):  # type: ignore[arg-type]
                raise ValueError(f"grad= entry {i} must be a list of {len(arg)} numbers, like argument {i}")  # type: ignore[arg-type]
            shaped.append([_data_of(x) for x in entry])
        else:
            shaped.append(_data_of(entry))
    return tuple(shaped)


def _verdict(graph: list[float], slopes: list[Slope], yours: list[float] | None, tolerance: float) -> str:
    """One sentence: ``"ok"``, or which of yours, the graph's and the numeric derivative disagrees."""
    for k, (g, s) in enumerate(zip(graph, slopes, strict=True)):
        entry = f"entry {k}: " if len(graph) > 1 else ""
        if s.kink:
            return f"{entry}not differentiable here: the slopes left and right of the point differ"
        if not math.isfinite(g) and "one-sided" in s.how:
            return f"{entry}not differentiable here: the slope is infinite at the edge of the function's domain"
        mine = yours[k] if yours is not None else None
        graph_ok = _agree(g, s.value, s.noise, tolerance)
        if mine is None:
            if not graph_ok:
                return f"{entry}the graph ({g:.10g}) disagrees with the numeric derivative ({s.value:.10g})"
            continue
        mine_vs_graph = _agree(mine, g, s.noise, tolerance)
        mine_vs_numeric = _agree(mine, s.value, s.noise, tolerance)
        if graph_ok and not mine_vs_graph:
            return (
                f"{entry}yours ({mine:.10g}) disagrees with the graph ({g:.10g}) and the numeric derivative "
                f"({s.value:.10g}): off by {abs(mine - g):.3g}"
            )
        if mine_vs_numeric and not graph_ok:
            return f"{entry}the graph ({g:.10g}) disagrees with yours and the numeric derivative ({s.value:.10g})"
        if mine_vs_graph and not graph_ok:
            return (
                f"{entry}yours and the graph ({g:.10g}) agree, the numeric derivative ({s.value:.10g}) does not: "
                "is the function smooth here?"
            )
        if not (graph_ok or mine_vs_graph or mine_vs_numeric):
            return f"{entry}all three disagree: yours {mine:.10g}, graph {g:.10g}, numeric {s.value:.10g}"
    return "ok"


def _node_rows(
    f: Callable[..., Any],
    args: tuple[Argument, ...],
    expected: Mapping[str, float | Callable[..., float]],
    tolerance: float,
) -> list[NodeCheck]:
    """One row per labelled node: yours, the graph's gradient, and the graph replayed with the node nudged."""
    out = _evaluate(f, [_to_values(a) for a in args])
    if not isinstance(out, Value):
        raise ValueError("nodes= needs f to return a Value")
    order = topological_order(out)
    by_label: dict[str, Value] = {}
    for node in order:
        if node.label in expected and node.label in by_label:
            raise ValueError(f"two nodes are labelled {node.label!r}: give each a label of its own")
        by_label.setdefault(node.label, node)
    missing = [label for label in expected if label not in by_label]
    if missing:
        raise ValueError(f"no node labelled {', '.join(map(repr, missing))} in the graph of f")
    out.backward()
    rows = []
    for label, mine in expected.items():
        node = by_label[label]
        yours = _as_float(mine(*args) if callable(mine) else mine)
        graph = _as_float(node.grad)
        slope = numeric_slope(functools.partial(_replay, order, node), node.data)
        if slope.kink:
            verdict = "not differentiable here"
        elif not _agree(graph, slope.value, slope.noise, tolerance):
            verdict = "the graph disagrees with the numeric derivative"
        elif not _agree(yours, graph, slope.noise, tolerance):
            verdict = f"MISMATCH: yours is off by {yours - graph:.3g}"
        else:
            verdict = "ok"
        rows.append(NodeCheck(label, yours, graph, slope.value, verdict))
    return rows


def _replay(order: list[Value], nudged: Value, value: float) -> float:
    """The output's value with ``nudged``'s value replaced: every node after it recomputed by its rule."""
    values: dict[Value, float] = {}
    for node in order:
        if node is nudged:
            values[node] = value
        elif node.primitive is None:
            values[node] = node.data
        else:
            operands = [values[x] if isinstance(x, Value) else x for x in node.operands]
            values[node] = node.primitive.rule(scalar, *operands)[0]
    return values[order[-1]]


def _agree(a: float, b: float, noise: float, tolerance: float) -> bool:
    """Whether two derivatives agree: within ``tolerance`` relative to the larger, or within the numeric one's noise.

    >>> _agree(2e-8, 6e-8, 1e-17, 1e-6), _agree(0.0, 1e-12, 4e-9, 1e-6), _agree(1.0, 1.0 + 1e-9, 0.0, 1e-6)
    (False, True, True)
    """
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= max(noise, tolerance * max(abs(a), abs(b)))


def _error(a: float, b: float) -> float:
    """Relative error above 1, absolute below (see :class:`GradCheck`); infinite where either is nan or infinite."""
    if a == b:
        return 0.0
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b), 1.0)


def _nudged(args: tuple[Argument, ...], i: int, j: int, x: float) -> tuple[Argument, ...]:
    """``args`` with entry ``j`` of argument ``i`` replaced by ``x``."""
    arg = args[i]
    if isinstance(arg, Sequence) or is_sequence(arg):
        replaced: Argument = [x if k == j else v for k, v in enumerate(arg)]  # type: ignore[arg-type]
    else:
        replaced = x
    return (*args[:i], replaced, *args[i + 1 :])


def _plain(f: Callable[..., Any], args: tuple[Argument, ...]) -> float:
    out = _evaluate(f, [_to_values(a) for a in args])
    return out.data if isinstance(out, Value) else out
