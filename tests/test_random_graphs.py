"""Property test: random expression DAGs with shared sub-expressions, every leaf gradient vs central differences.

A graph is a recipe: a list of steps, each combining earlier nodes (any of them, so a node
is reused several times and paths branch and merge) with a primitive. The same recipe is
replayed on nudged leaves for the central differences, and on other kinds of numbers
(PyTorch tensors in ``test_torch.py``): :func:`replay` takes the library whose ``sum``,
``dot``, ``maximum`` and ``minimum`` it calls, everything else is methods and operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value

# Operations kept smooth and bounded on bounded inputs so central differences are meaningful.
UNARY = [
    "tanh",
    "sigmoid",
    "exp_small",
    "log_pos",
    "neg",
    "square",
    "sin",
    "cos",
    "sqrt_pos",
    "log1p_pos",
    "expm1_small",
    "sinh_small",
    "cosh_small",
    "tan_small",
]
BINARY = ["add", "sub", "mul", "div_safe", "add_number", "number_minus", "scale", "sum", "dot", "pow_pos"]
# Operations with a kink (relu, abs at 0, maximum and minimum at a tie): exact comparisons only.
KINKED = ["relu", "abs", "maximum", "minimum"]


@dataclass(frozen=True)
class Step:
    op: str
    left: int
    right: int
    number: float


def apply(step: Step, nodes: list[Any], lib: Any = minigrad) -> Any:
    x, y, c = nodes[step.left], nodes[step.right], step.number
    match step.op:
        case "tanh":
            return x.tanh()
        case "sigmoid":
            return x.sigmoid()
        case "exp_small":
            return (x.tanh() * 2).exp()
        case "log_pos":
            return (x * x + 1).log()
        case "neg":
            return -x
        case "square":
            return x**2
        case "sin":
            return x.sin()
        case "cos":
            return x.cos()
        case "sqrt_pos":
            return (x * x + 0.5).sqrt()
        case "log1p_pos":
            return (x * x).log1p()
        case "expm1_small":
            return x.tanh().expm1()
        case "sinh_small":
            return x.tanh().sinh()
        case "cosh_small":
            return x.tanh().cosh()
        case "tan_small":
            return x.tanh().tan()  # |tanh| < 1 < π/2
        case "add":
            return x + y
        case "sub":
            return x - y
        case "mul":
            return x * y
        case "div_safe":
            return x / (y * y + 1)
        case "add_number":
            return x + c
        case "number_minus":
            return c - x
        case "scale":
            return c * x.tanh()
        case "sum":
            return lib.sum([x, y, c, x.tanh()])
        case "dot":  # x·tanh(y) + c·x + y·x: x three times, a plain number among the operands
            return lib.dot([x, c, y], [y.tanh(), x, x])
        case "pow_pos":
            return (x * x + 0.5) ** y.tanh()
        case "relu":
            return x.relu()
        case "abs":
            return abs(x)
        case "maximum":
            return lib.maximum(x, y)
        case "minimum":
            return lib.minimum(x, y)
    raise AssertionError(step.op)


@st.composite
def recipes(draw: st.DrawFn, ops: list[str] = UNARY + BINARY) -> tuple[list[float], list[Step]]:
    leaves = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=4))
    steps: list[Step] = []
    for i in range(draw(st.integers(1, 14))):
        available = len(leaves) + i
        steps.append(
            Step(
                op=draw(st.sampled_from(ops)),
                left=draw(st.integers(0, available - 1)),
                right=draw(st.integers(0, available - 1)),
                number=draw(st.floats(-2, 2)),
            )
        )
    return leaves, steps


def replay(inputs: list[Any], steps: list[Step], lib: Any = minigrad) -> Any:
    """The output of the recipe on ``inputs`` (``Value`` s, or tensors with ``lib`` their library)."""
    nodes = list(inputs)
    for step in steps:
        nodes.append(apply(step, nodes, lib))
    # Sum every node, so that all of them (and every path through them) reach the output.
    out = nodes[0]
    for node in nodes[1:]:
        out = out + node.tanh()
    return out


def build(leaves: list[float], steps: list[Step]) -> tuple[list[Value], Value]:
    inputs = [Value(x) for x in leaves]
    return inputs, replay(inputs, steps)


@given(recipes())
def test_random_dag_gradients_match_central_differences(recipe: tuple[list[float], list[Step]]) -> None:
    leaves, steps = recipe
    inputs, out = build(leaves, steps)
    out.backward()
    for i, x in enumerate(leaves):
        h = 1e-6
        up = build([*leaves[:i], x + h, *leaves[i + 1 :]], steps)[1].data
        down = build([*leaves[:i], x - h, *leaves[i + 1 :]], steps)[1].data
        numeric = (up - down) / (2 * h)
        assert abs(inputs[i].grad - numeric) <= 1e-5 * max(1.0, abs(numeric))


@given(recipes())
def test_second_backward_doubles_every_gradient(recipe: tuple[list[float], list[Step]]) -> None:
    inputs, out = build(*recipe)
    out.backward()
    first = [x.grad for x in inputs]
    out.backward()
    assert [x.grad for x in inputs] == [2 * g for g in first]
    out.zero_grad()
    assert all(x.grad == 0.0 for x in inputs)
