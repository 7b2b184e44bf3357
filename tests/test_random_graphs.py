"""Property test: random expression DAGs with shared sub-expressions, every leaf gradient vs central differences.

A graph is a recipe: a list of steps, each combining earlier nodes (any of them, so a node
is reused several times and paths branch and merge) with a primitive. The same recipe is
replayed on nudged leaves for the central differences.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value

# Operations kept smooth and bounded on bounded inputs so central differences are meaningful.
UNARY = ["tanh", "sigmoid", "exp_small", "log_pos", "neg", "square"]
BINARY = ["add", "sub", "mul", "div_safe", "add_number", "number_minus", "scale", "sum", "dot"]


@dataclass(frozen=True)
class Step:
    op: str
    left: int
    right: int
    number: float


def apply(step: Step, nodes: list[Value]) -> Value:
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
            return minigrad.sum([x, y, c, x.tanh()])
        case "dot":  # x·tanh(y) + c·x + y·x: x three times, a plain number among the operands
            return minigrad.dot([x, c, y], [y.tanh(), x, x])  # type: ignore[return-value]
    raise AssertionError(step.op)


@st.composite
def recipes(draw: st.DrawFn) -> tuple[list[float], list[Step]]:
    leaves = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=4))
    steps: list[Step] = []
    for i in range(draw(st.integers(1, 14))):
        available = len(leaves) + i
        steps.append(
            Step(
                op=draw(st.sampled_from(UNARY + BINARY)),
                left=draw(st.integers(0, available - 1)),
                right=draw(st.integers(0, available - 1)),
                number=draw(st.floats(-2, 2)),
            )
        )
    return leaves, steps


def build(leaves: list[float], steps: list[Step]) -> tuple[list[Value], Value]:
    nodes = [Value(x) for x in leaves]
    inputs = list(nodes)
    for step in steps:
        nodes.append(apply(step, nodes))
    # Sum every node, so that all of them (and every path through them) reach the output.
    out = nodes[0]
    for node in nodes[1:]:
        out = out + node.tanh()
    return inputs, out


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
