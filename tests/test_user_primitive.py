"""A primitive declared by a user (softplus) works like a built-in: numbers, Values, second order, drawings, nn code."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value, grad, hessian, jvp, losses, nn, optim
from minigrad.primitives import PRIMITIVES


@minigrad.primitive(["σ(x)"], name="softplus_user")
def softplus(m: Any, x: Any) -> Any:
    """log(1 + eˣ), a smooth relu: its derivative is σ(x), its second σ(x)(1 − σ(x))."""
    return m.log1p(m.exp(x)), (m.sigmoid(x),)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@given(st.floats(-30, 30))
def test_softplus_on_numbers_and_values_to_third_order(x: float) -> None:
    s = sigmoid(x)
    assert softplus(x) == math.log1p(math.exp(x)) == softplus(Value(x)).data
    assert close(grad(softplus)(x), s)
    assert close(grad(grad(softplus))(x), s * (1 - s))
    assert close(grad(grad(grad(softplus)))(x), s * (1 - s) * (1 - 2 * s), 1e-8)
    h = 1e-5 * max(1.0, abs(x))
    assert close(grad(grad(softplus))(x), (grad(softplus)(x + h) - grad(softplus)(x - h)) / (2 * h), 1e-5)


def test_softplus_second_order_via_create_graph_and_in_hessian_and_jvp() -> None:
    x = Value(0.5, "x")
    y = softplus(x * x)  # d/dx = 2x·σ(x²), d²/dx² = 2σ(x²) + 4x²·σ(x²)(1 − σ(x²))
    y.backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value)
    s = sigmoid(0.25)
    assert close(first.data, 2 * 0.5 * s)
    y.zero_grad()
    first.backward()
    assert close(x.grad, 2 * s + 4 * 0.25 * s * (1 - s))  # type: ignore[arg-type]
    # ∂²/∂a∂b softplus(ab) = σ(ab) + ab·σ'(ab); at a = 0.5, b = 2: σ(1) + σ(1)(1 − σ(1))
    s1 = sigmoid(1.0)
    assert close(hessian(lambda a, b: softplus(a * b))(0.5, 2.0)[0][1], s1 + s1 * (1 - s1))
    assert jvp(softplus, (0.0,), (2.0,)) == (math.log(2.0), 1.0)


def test_softplus_is_drawn_with_its_formula_on_the_edge() -> None:
    x = Value(1.0, "x")
    y = softplus(x)
    y.label = "y"
    y.backward()
    source = minigrad.draw(y, local_grads=True, rules=True).source
    assert "softplus_user" in source  # the operation node
    assert "σ(x)" in source  # the rule, on the edge
    assert f"{sigmoid(1.0):.4g}" in source  # the local derivative the engine stored
    assert minigrad.draw(y).pipe("svg").startswith(b"<?xml")


def test_the_gradient_graph_of_softplus_is_drawn_too() -> None:
    """create_graph: x.grad is a graph made of built-ins (σ(x) times the seed): it draws like any other."""
    x = Value(1.0, "x")
    softplus(x).backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value)
    source = minigrad.draw(g, local_grads=True, rules=True).source
    assert "σ(1−σ)" in source and "label" in source


class SoftplusNet(nn.Module):
    """nn-style code with a user primitive as its activation: two hidden units, one linear output."""

    def __init__(self) -> None:
        self.hidden = [nn.Neuron(1, activation="linear", seed=i) for i in range(2)]
        self.out = nn.Neuron(2, activation="linear", seed=3)

    def parameters(self) -> list[Value]:
        return [p for n in [*self.hidden, self.out] for p in n.parameters()]

    def __call__(self, x: list[float]) -> Value:
        return self.out([softplus(n(x)) for n in self.hidden])


def test_softplus_in_nn_style_code_trains() -> None:
    model = SoftplusNet()
    xs = [[-2.0], [-1.0], [0.0], [1.0], [2.0]]
    ys = [abs(x[0]) for x in xs]  # |x| = softplus(x) + softplus(−x) − 2log2, reachable by two units
    opt = optim.SGD(model.parameters(), lr=0.05)
    first = None
    for _ in range(300):
        loss = losses.mse([model(x) for x in xs], ys)
        first = loss.data if first is None else first
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.data < 0.1 * first
    assert any(node.op == "softplus_user" for node in minigrad.topological_order(loss))


def test_declaring_a_name_again_replaces_it_and_builtins_are_taken() -> None:
    try:

        @minigrad.primitive(["1"], name="twice_declared")
        def first(m: Any, x: Any) -> Any:
            return x, (1.0,)

        @minigrad.primitive(["2"], name="twice_declared")
        def second(m: Any, x: Any) -> Any:
            return 2.0 * x, (2.0,)

        assert PRIMITIVES["twice_declared"] is second
        assert second(Value(3.0)).data == 6.0 and first(Value(3.0)).data == 3.0
    finally:
        PRIMITIVES.pop("twice_declared")
    with pytest.raises(ValueError, match="'exp' is a built-in primitive"):

        @minigrad.primitive(["exp(x)"], name="exp")
        def exp(m: Any, x: Any) -> Any:
            return m.exp(x), (m.exp(x),)


def test_a_rule_written_with_math_instead_of_m_is_a_clear_error_when_differentiated_again() -> None:
    import math

    @minigrad.primitive(["e^x"], name="exp_with_math")
    def exp_with_math(m, x):  # type: ignore[no-untyped-def]
        return math.exp(x), (math.exp(x),)

    assert exp_with_math(Value(0.0)).data == 1.0  # on floats it works
    with pytest.raises(TypeError, match="primitive exp_with_math: its rule read a Value as a number"):
        minigrad.grad(minigrad.grad(exp_with_math))(1.0)


def test_a_rule_with_the_wrong_number_of_derivatives_names_the_primitive() -> None:
    @minigrad.primitive(["?"], name="two_derivatives")
    def two_derivatives(m, x):  # type: ignore[no-untyped-def]
        return x, (1.0, 2.0)

    with pytest.raises(ValueError, match="primitive two_derivatives: its rule returned 2 local derivative"):
        two_derivatives(Value(1.0))


def test_an_int_from_a_rule_is_stored_as_a_float() -> None:
    @minigrad.primitive(["0"], name="always_one")
    def always_one(m, x):  # type: ignore[no-untyped-def]
        return 1, (0.0,)

    assert always_one(Value(2.0)).data.__class__ is float
