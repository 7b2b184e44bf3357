"""Against PyTorch (float64), when it is installed: gradients, grad(grad(f)) and hessian on random DAGs, and kinks.

PyTorch is not a dependency; ``pip install torch`` (the CPU build is enough) makes these
tests run instead of being skipped.
"""

from __future__ import annotations

import functools
import math
import operator
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kinks import EDGES, KINKS
from test_random_graphs import BINARY, KINKED, UNARY, Step, recipes, replay

from minigrad import Value, grad, hessian

torch = pytest.importorskip("torch")

TORCH = SimpleNamespace(
    sum=lambda terms: functools.reduce(operator.add, terms),
    dot=lambda xs, ys: functools.reduce(operator.add, [x * y for x, y in zip(xs, ys, strict=True)]),
    maximum=lambda x, y: torch.maximum(x, y),
    minimum=lambda x, y: torch.minimum(x, y),
)


def tensors(xs: list[float]) -> list[Any]:
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]


def torch_gradient_and_hessian(leaves: list[float], steps: list[Step]) -> tuple[list[float], list[list[float]]]:
    """PyTorch's double backward: the gradient with create_graph, then one backward per entry."""
    xs = tensors(leaves)
    out = replay(xs, steps, TORCH)
    first = torch.autograd.grad(out, xs, create_graph=True, allow_unused=True)
    rows = []
    for g in first:
        if g is None or not g.requires_grad:
            rows.append([0.0] * len(xs))
            continue
        second = torch.autograd.grad(g, xs, retain_graph=True, allow_unused=True)
        rows.append([0.0 if s is None else s.item() for s in second])
    return [0.0 if g is None else g.item() for g in first], rows


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def as_list(g: Any) -> list[float]:
    return list(g) if isinstance(g, tuple) else [g]


@settings(max_examples=60)
@given(recipes(UNARY + BINARY + KINKED))
def test_gradient_and_second_derivatives_agree_with_pytorch_double_backward(
    recipe: tuple[list[float], list[Step]],
) -> None:
    leaves, steps = recipe

    def f(*xs: Value) -> Value:
        return replay(list(xs), steps)  # type: ignore[no-any-return]

    expected_gradient, expected_hessian = torch_gradient_and_hessian(leaves, steps)
    assert all(close(a, b) for a, b in zip(as_list(grad(f)(*leaves)), expected_gradient, strict=True))
    h = hessian(f)(*leaves)
    n = len(leaves)
    for i in range(n):
        nested = as_list(grad(lambda *xs, i=i: grad(f)(*xs) if n == 1 else grad(f)(*xs)[i])(*leaves))
        for j in range(n):
            assert close(h[i][j], expected_hessian[i][j]), (i, j, h, expected_hessian)
            assert close(nested[j], expected_hessian[i][j]), (i, j, nested, expected_hessian)


@given(st.floats(0.1, 3), st.floats(-2, 2))
def test_third_derivative_agrees_with_pytorch(x: float, y: float) -> None:
    def f(a: Any, b: Any) -> Any:
        return (a * b).sin() * a.log() + (a**b).tanh()

    third = grad(grad(grad(lambda a: f(a, y))))(x)
    (t,) = tensors([x])
    (g1,) = torch.autograd.grad(f(t, torch.tensor(y, dtype=torch.float64)), [t], create_graph=True)
    (g2,) = torch.autograd.grad(g1, [t], create_graph=True)
    (g3,) = torch.autograd.grad(g2, [t])
    assert close(third, g3.item(), 1e-9)


TORCH_KINKS = {
    "relu at 0": torch.relu,
    "abs at 0": torch.abs,
    "sqrt at 0": torch.sqrt,
    "maximum at a tie": torch.maximum,
    "minimum at a tie": torch.minimum,
    "sigmoid at -1000": torch.sigmoid,
    "exp at inf": torch.exp,
}


@pytest.mark.parametrize(("name", "f", "args", "expected"), KINKS, ids=[k[0] for k in KINKS])
def test_kink_conventions_are_pytorchs(name: str, f: Any, args: tuple[float, ...], expected: tuple[float, ...]) -> None:
    """The table of test_kinks.py, each expected gradient as PyTorch computes it."""
    xs = tensors(list(args))
    out = TORCH_KINKS.get(name, f)(*xs)
    got = torch.autograd.grad(out, xs, allow_unused=True)
    assert tuple(0.0 if g is None else g.item() for g in got) == expected


@pytest.mark.parametrize(("name", "f", "x", "expected"), EDGES, ids=[e[0] for e in EDGES])
def test_infinite_derivatives_are_pytorchs(name: str, f: Any, x: float, expected: tuple[float, float, float]) -> None:
    (t,) = tensors([x])
    g, got = f(t), []
    for _ in range(3):
        (g,) = torch.autograd.grad(g, [t], create_graph=True)
        got.append(g.item())
    assert tuple(got) == expected
