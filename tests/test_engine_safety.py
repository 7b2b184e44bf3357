"""What backward guarantees beyond the numbers: interrupts and failures, threads, the inf/nan rule."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

import minigrad
from minigrad import Value, losses, topological_order


@contextmanager
def interrupt_after(function: str, lines: int) -> Iterator[list[int]]:
    """Raise ``KeyboardInterrupt`` inside ``minigrad.engine.<function>`` at its ``lines``-th executed line.

    ``sys.settrace`` makes the interrupt land at the same place on every run, where a
    timer signal would land wherever the pass happens to be. Yields a list that holds
    the number of lines seen when the interrupt was raised.
    """
    seen = [0]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            seen[0] += 1
            if seen[0] == lines:
                raise KeyboardInterrupt
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_name == function and frame.f_globals.get("__name__") == "minigrad.engine":
            return local
        return None

    old = sys.gettrace()
    sys.settrace(calls)
    try:
        yield seen
    finally:
        sys.settrace(old)


def graph(n: int = 200) -> Value:
    """A chain with branches: every node's gradient is nonzero, leaves and intermediates."""
    xs = [Value(0.1 * (i + 1), f"x{i}") for i in range(4)]
    out = xs[0]
    for i in range(n):
        out = (out * xs[i % 4]).tanh() + xs[(i + 1) % 4]
    return out


def grads(out: Value) -> list[float | Value]:
    return [node.grad for node in topological_order(out)]


@pytest.mark.parametrize("where", ["_set_aside", "_backpropagate"])
@pytest.mark.parametrize("lines", [1, 2, 7, 150])
def test_interrupted_backward_leaves_every_grad_as_it_was(where: str, lines: int) -> None:
    out = graph()
    out.backward()
    before = grads(out)
    assert all(g != 0.0 for g in before)
    with pytest.raises(KeyboardInterrupt), interrupt_after(where, lines) as seen:
        out.backward()
    assert seen[0] == lines  # interrupted where asked, in the middle of the walk
    assert grads(out) == before
    out.backward()  # and a pass afterwards adds as usual
    assert grads(out) == [2 * g for g in before]  # type: ignore[operator]


def test_interrupted_first_pass_leaves_zeros_also_with_create_graph() -> None:
    out = graph(20)
    with pytest.raises(KeyboardInterrupt), interrupt_after("_backpropagate", 30):
        out.backward(create_graph=True)
    assert all(g.__class__ is float and g == 0.0 for g in grads(out))


def test_failing_create_graph_pass_leaves_every_grad_as_it_was() -> None:
    """A rule that fails on Value operands (here on purpose) fails the pass, not the earlier gradients."""

    @minigrad.primitive(["1"], name="fails_on_values")
    def fails_on_values(m: Any, x: Any) -> Any:
        if m is not minigrad.scalar:
            raise KeyboardInterrupt
        return x, (1.0,)

    try:
        x = Value(2.0)
        out = fails_on_values(x * x) * x
        out.backward()
        before = grads(out)
        with pytest.raises(KeyboardInterrupt):
            out.backward(create_graph=True)
        assert grads(out) == before
    finally:
        minigrad.primitives.PRIMITIVES.pop("fails_on_values")


# ------------------------------------------------------------------ the inf/nan rule


def test_nan_and_inf_inputs_propagate_as_ieee_says() -> None:
    assert math.isnan(Value(math.nan).relu().data)
    assert Value(math.inf).exp().data == math.inf
    assert Value(-math.inf).exp().data == 0.0
    assert math.isnan((Value(math.inf) * 0.0).data)
    assert math.isnan(minigrad.maximum(Value(math.nan), 1.0).data)
    assert minigrad.sum([math.inf, 1.0]) == math.inf and math.isnan(minigrad.dot([math.inf], [0.0]))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (lambda: Value(1e308) * 10, r"mul\(1e\+308, 10.0\) overflows"),
        (lambda: Value(1e308) + Value(1e308), "add"),
        (lambda: 10 * Value(1e308), "mul"),
        (lambda: Value(711.0).cosh(), "cosh"),
        (lambda: Value(-1e-300) / 1e-300 * 1e308 * 10, "mul"),
        (lambda: minigrad.sum([Value(1e308), 1e308]), "sum"),
        (lambda: minigrad.sum([1e308, 1e308]), r"sum\(1e\+308, 1e\+308\)"),  # plain numbers: the same rule
        (lambda: minigrad.dot([1e308], [10]), "dot"),
    ],
)
def test_finite_operands_giving_a_non_finite_result_raise(expression: Any, message: str) -> None:
    with pytest.raises(OverflowError, match=message):
        expression()


def test_logits_near_the_float_limit_give_a_finite_loss_and_gradient() -> None:
    z = [Value(-1e308), Value(-1e308), Value(1e308)]
    loss = losses.binary_cross_entropy_with_logits(z, [1, 1, 0])  # each term is 1e308: the sum overflows, the mean not
    loss.backward()
    assert loss.data == pytest.approx(1e308) and math.isfinite(loss.data)
    assert [v.grad for v in z] == pytest.approx([-1 / 3, -1 / 3, 1 / 3])
    single = Value(-1e308)
    one = losses.binary_cross_entropy_with_logits(single, 1.0)
    one.backward()
    assert one.data == 1e308 and single.grad == -1.0


def test_a_tiny_base_to_a_negative_power_has_pytorchs_derivative_and_no_invented_exponent() -> None:
    """d/dx x^−0.5 at 1e-310 is −0.5·x^−1.5 = −∞, as PyTorch says; no error names an exponent not written."""
    x = Value(1e-310)
    y = x**-0.5
    y.backward()
    assert math.isfinite(y.data) and x.grad == -math.inf
    with pytest.raises(OverflowError, match=r"1e-310 \*\* -2.0 overflows") as error:
        Value(1e-310) ** -2
    assert "-3.0" not in str(error.value)
