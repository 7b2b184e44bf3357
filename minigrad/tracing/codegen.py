"""Straight-line Python from a tape: the forward pass, then the backward pass, one line per node and edge.

Each node's line comes from its primitive's rule run on symbols (:mod:`minigrad.tracing.symbols`):
the output becomes ``u = b * c``, and each local derivative an expression in those names.
The backward lines do what :meth:`minigrad.Value.backward` does, in its order: a
node's gradient times the local derivative, assigned to the parent's gradient the first
time and added to it after that. Functions are those of :mod:`minigrad.scalar`, so the
floats are those of the eager engine, bit for bit.

>>> from minigrad.tracing.tape import record
>>> def J(a, b, c):
...     u = b * c; u.label = "u"
...     v = a + u; v.label = "v"
...     out = 3 * v; out.label = "J"
...     return out
>>> print(generate(record(J, (5.0, 3.0, 2.0), ())).source)
def J(a, b, c):
    u = b * c
    v = a + u
    J = 3.0 * v
    _check(u + v + J)
    # backward: dJ_dx is ∂J/∂x
    dJ_dJ = 1.0
    dJ_dv = 3.0 * dJ_dJ
    dJ_da = dJ_dv
    dJ_du = dJ_dv
    dJ_db = c * dJ_du
    dJ_dc = b * dJ_du
    return J, (dJ_da, dJ_db, dJ_dc)
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minigrad import scalar
from minigrad.engine import Value, _for_parents
from minigrad.primitives import NAMESPACE
from minigrad.tracing.symbols import _PRODUCT, SYMBOLS, Expr, as_expr, constant_code
from minigrad.tracing.tape import COMPARISONS, Guard, Tape, flat

__all__ = ["Compiled", "GuardFailed", "NotFinite", "generate"]


class GuardFailed(Exception):
    """Raised by generated code when an input takes another branch than the trace (carries the guard's index)."""


class NotFinite(Exception):
    """Raised by generated code when a value is inf or nan: the eager engine decides whether that is an error."""


def _check(total: float) -> None:
    """Raise :class:`NotFinite` when ``total``, the sum of every value computed, is inf or nan (as any term was)."""
    if total - total != 0.0:
        raise NotFinite


def _retrace(index: int) -> None:
    raise GuardFailed(index)


_GLOBALS: dict[str, Any] = {
    **{name: getattr(scalar, name) for name in NAMESPACE},
    "inf": math.inf,
    "nan": math.nan,
    "_check": _check,
    "_retrace": _retrace,
}
RESERVED = frozenset(_GLOBALS) | {"captured", "out"}
ALIAS_ABOVE = 64
"""In programs of more operations than this, a gradient passed on unchanged (``d_u = d_v``) gets no line of its
own: the parent's gradient is the node's variable. Shorter listings keep the line, for reading."""


@dataclass
class Compiled:
    """A tape turned into code: the listing, and the two functions compiled from it.

    ``forward(*args, captured)`` returns the value; ``value_and_grad(*args, captured)``
    returns ``(value, grads)``, and ``captured_grads`` after them when there are captured
    leaves: the gradients of the shared arguments (a float, or a list for a sequence)
    and of the captured leaves. (``captured`` is an argument only when there are any.)

    >>> from minigrad.tracing.tape import record
    >>> compiled = generate(record(lambda x: x * x, (3.0,), ()))
    >>> compiled.value_and_grad(3.0), compiled.forward(4.0)
    ((9.0, (6.0,)), 16.0)
    """

    tape: Tape
    source: str
    forward_source: str
    value_and_grad: Callable[..., Any]
    names: dict[Value, str]
    _forward: Callable[..., float] | None = None

    def forward(self, *args: Any) -> float:
        """The value alone (its code is compiled the first time it is needed)."""
        if self._forward is None:
            self._forward = _compile(self.forward_source, self.function)
        return self._forward(*args)

    @property
    def function(self) -> str:
        return self.source[4 : self.source.index("(")]


def _valid(name: str, used: set[str]) -> bool:
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in RESERVED
        and name not in used
    )


def _names(tape: Tape) -> dict[Value, str]:
    """A variable name for every node: the argument's name for a leaf, the label where it is a fresh identifier."""
    used: set[str] = set()  # the function may share the output's name: inside, the variable shadows it
    names: dict[Value, str] = {}
    for name, leaf in zip(tape.names, tape.leaves, strict=True):
        if isinstance(leaf, list):
            for i, x in enumerate(leaf):
                names[x] = f"{name}_{i}"
        else:
            names[leaf] = name
        used.add(name)
    used.update(names.values())
    counter = 0
    for node in tape.order:
        if node in names:
            continue
        label = node.label
        if label and _valid(label, used):
            names[node] = label
        else:
            prefix = "t" if node.parents else "p"
            while f"{prefix}{counter}" in used:
                counter += 1
            names[node] = f"{prefix}{counter}"
            counter += 1
        used.add(names[node])
    return names


def _guard_fails(guard: Guard, names: dict[Value, str]) -> str:
    """A condition that is true when the guard does not hold: the input takes another branch."""
    x = names[guard.value]
    if guard.how in COMPARISONS:
        other = names[guard.other] if isinstance(guard.other, Value) else constant_code(guard.other)  # type: ignore[arg-type]
        test = f"{x} {guard.how} {other}"
        return f"not ({test})" if guard.result else test
    if guard.how == "bool":
        return f"{x} == 0.0" if guard.result else f"{x} != 0.0"
    return f"not ({x} == {constant_code(guard.value.data)})"


def _function_name(tape: Tape) -> str:
    root = tape.root
    label = root.label if isinstance(root, Value) else ""
    if label and label.isidentifier() and not keyword.iskeyword(label) and not label.startswith("_"):
        return label
    return "f"


def generate(tape: Tape) -> Compiled:
    """The forward and backward code of ``tape``, compiled."""
    function = _function_name(tape)
    names = _names(tape)
    shared = [i for i in range(len(tape.leaves)) if i not in tape.batched]
    wanted = {x for i in shared for x in flat(tape.leaves[i])} | set(tape.captured)
    header = [f"def {function}({', '.join(tape.names)}{', captured' if tape.captured else ''}):"]
    for name, leaf in zip(tape.names, tape.leaves, strict=True):
        if isinstance(leaf, list):
            header.append(f"    {', '.join(names[x] for x in leaf)}{',' if len(leaf) == 1 else ''} = {name}")
    if tape.captured:
        single = "," if len(tape.captured) == 1 else ""
        header.append(f"    {', '.join(names[x] for x in tape.captured)}{single} = captured")

    forward: list[str] = []
    local_exprs: dict[Value, Locals] = {}
    ready = _guard_positions(tape)
    templates: dict[tuple[Any, ...], Template] = {}
    for k, node in enumerate(tape.order):
        if node.parents:
            key = (node.primitive, *(None if isinstance(x, Value) else repr(x) for x in node.operands))
            if key not in templates:
                templates[key] = _template(node)
            out, local_codes = templates[key]
            operand_names = [names[x] if isinstance(x, Value) else "" for x in node.operands]
            var = names[node]
            forward.append(f"    {var} = {out.format(*operand_names, out=var)}")
            local_exprs[node] = (local_codes, operand_names, var)  # written out by _backward, edge by edge
        for index in ready.get(k, []):
            forward.append(f"    if {_guard_fails(tape.guards[index], names)}: _retrace({index})  # a guard")
    computed = [names[n] for n in tape.order if n.parents]
    if computed:
        forward.extend(_check_lines(computed))

    root = tape.root
    value = names[root] if isinstance(root, Value) else constant_code(root)
    forward_source = "\n".join([*header, *forward, f"    return {value}"])

    backward, grad_names = _backward(tape, names, local_exprs, wanted)
    shaped = []
    for i in shared:
        leaf = tape.leaves[i]
        if isinstance(leaf, list):
            shaped.append("[" + ", ".join(grad_names.get(x, "0.0") for x in leaf) + "]")
        else:
            shaped.append(grad_names.get(leaf, "0.0"))
    grads = f"({', '.join(shaped)}{',' if len(shaped) == 1 else ''})"
    returned = f"{value}, {grads}"
    if tape.captured:
        captured = ", ".join(grad_names.get(x, "0.0") for x in tape.captured)
        returned += f", ({captured}{',' if len(tape.captured) == 1 else ''})"
    source = "\n".join([*header, *forward, *backward, f"    return {returned}"])
    return Compiled(
        tape,
        source,
        forward_source,
        _compile(source, function),
        names,
    )


Template = tuple[str, list[tuple[str, int, int | None]]]
"""A node's line and its local derivatives as format strings: ``{0}``, ``{1}`` … the operands, ``{out}`` the output
(each with its precedence, and the operand's index when it is just that operand)."""
Locals = tuple[list[tuple[str, int, int | None]], list[str], str]
"""A node's local-derivative templates, its operands' names and its own name."""


def _template(node: Value) -> Template:
    """The node's rule run on symbols named ``{0}``, ``{1}`` …: its code for any node of the same shape."""
    operands = [Expr.name(f"{{{i}}}") if isinstance(x, Value) else x for i, x in enumerate(node.operands)]
    out, local_grads = node.primitive.rule(SYMBOLS, *operands)  # type: ignore[union-attr]
    out = as_expr(out)
    line = out.code()
    if out.kind != "name":
        out.bind("{out}")
    for_parents = _for_parents(node.primitive, node.operands, tuple(local_grads))[1]  # type: ignore[arg-type]
    local = []
    for d in map(as_expr, for_parents):
        code = d.code()
        operand = int(code[1:-1]) if code[1:-1].isdigit() and code[0] == "{" else None  # the operand itself
        local.append((code, d.precedence, operand))
    return line, local


def _check_lines(names: list[str]) -> list[str]:
    """``_check(u + v + J)``: one sum of every value (inf or nan if any is), in brackets of 100 terms.

    A sum, not a call with every value: no tuple of thousands of floats to build. Big
    programs sum in lines of 5,000 terms, so that no expression nests too deep to compile.
    """
    chunks = [" + ".join(names[i : i + 100]) for i in range(0, len(names), 100)]
    if len(chunks) == 1:
        return [f"    _check({chunks[0]})"]
    groups = [" + ".join(f"({c})" for c in chunks[i : i + 50]) for i in range(0, len(chunks), 50)]
    if len(groups) == 1:
        return [f"    _check({groups[0]})"]
    lines = [f"    _sum{k} = {g}" for k, g in enumerate(groups)]
    return [*lines, f"    _check({' + '.join(f'_sum{k}' for k in range(len(groups)))})"]


def _guard_positions(tape: Tape) -> dict[int, list[int]]:
    """Guard index lists by the position in ``order`` after which everything the guard reads is computed."""
    position = {node: k for k, node in enumerate(tape.order)}
    ready: dict[int, list[int]] = {}
    for index, guard in enumerate(tape.guards):
        k = position[guard.value]
        if isinstance(guard.other, Value):
            k = max(k, position[guard.other])
        ready.setdefault(k, []).append(index)
    return ready


def _backward(
    tape: Tape, names: dict[Value, str], local_exprs: dict[Value, Locals], wanted: set[Value]
) -> tuple[list[str], dict[Value, str]]:
    """The backward lines, as :meth:`minigrad.Value.backward` computes (only edges that reach ``wanted``)."""
    root = tape.root
    if not isinstance(root, Value):
        return [], {}
    needs: set[Value] = set()
    for node in tape.order:
        if node in wanted or any(p in needs for p in node.parents):
            needs.add(node)
    if root not in needs:
        return [], {}
    r = names[root]
    labelled = root.label == r  # a name the user gave: dJ_dx; else the shorter d_x
    taken = set(names.values())
    grad_names: dict[Value, str] = {}

    def grad_name(node: Value) -> str:
        if node not in grad_names:
            name = f"d{r}_d{names[node]}" if labelled else f"d_{names[node]}"
            while name in taken:
                name += "_"
            taken.add(name)
            grad_names[node] = name
        return grad_names[node]

    lines = [f"    # backward: d{r}_dx is ∂{r}/∂x" if labelled else f"    # backward: d_x is ∂{r}/∂x"]
    lines.append(f"    {grad_name(root)} = 1.0")
    reached = {root}
    alias = sum(1 for n in tape.order if n.parents) > ALIAS_ABOVE
    for node in reversed(tape.order):
        if node not in reached or not node.parents:
            continue
        g = grad_names[node]
        aliased = not alias
        templates, operand_names, var = local_exprs[node]
        for parent, (template, precedence, operand) in zip(node.parents, templates, strict=True):
            if parent not in needs:
                continue
            code = operand_names[operand] if operand is not None else template.format(*operand_names, out=var)
            first = parent.parents and parent not in reached and node.parents.count(parent) == 1
            if code == "1.0" and not aliased and first:
                # The parent's gradient starts as this node's: the same variable, no line. Safe: this node's
                # gradient is read only by its own edges, and at most one parent takes over its variable.
                grad_names[parent] = g
                reached.add(parent)
                aliased = True
                continue
            if code == "1.0":
                contribution = g  # g * 1.0 is g, bit for bit
            elif code == "-1.0":
                contribution = f"-{g}"
            else:
                contribution = f"{code} * {g}" if precedence >= _PRODUCT else f"({code}) * {g}"
            target = grad_name(parent)
            if parent in reached:
                lines.append(f"    {target} += {contribution}")  # on floats, the same as target = target + …
            else:
                lines.append(f"    {target} = {contribution}")
                reached.add(parent)
    return lines, grad_names


def _compile(source: str, function: str) -> Callable[..., Any]:
    namespace = dict(_GLOBALS)
    exec(compile(source, f"<minigrad.trace {function}>", "exec"), namespace)
    return namespace[function]  # type: ignore[no-any-return]
