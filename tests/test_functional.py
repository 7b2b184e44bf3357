"""grad, value_and_grad, check_grad and the primitives as functions of plain numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minigrad
from minigrad import Value, check_grad, grad, value_and_grad


def test_grad_of_the_canonical_example() -> None:
    assert grad(lambda a, b, c: 3 * (a + b * c))(5.0, 3.0, 2.0) == (3.0, 6.0, 9.0)


def test_value_and_grad() -> None:
    value, grads = value_and_grad(lambda a, b, c: 3 * (a + b * c))(5, 3, 2)
    assert value == 33.0 and grads == (3.0, 6.0, 9.0)


def test_single_argument_gives_the_gradient_itself() -> None:
    assert grad(lambda x: x**3)(2.0) == 12.0


def test_sequence_arguments_give_lists() -> None:
    def loss(w: list[Value], b: Value) -> Value:
        z = w[0] * 0.5 + w[1] * -1.5 + b
        return -(z.sigmoid().log())

    gw, gb = grad(loss)([0.3, -0.2], 0.1)
    a = 1 / (1 + math.exp(-(0.3 * 0.5 + 0.2 * 1.5 + 0.1)))
    assert gw == pytest.approx([0.5 * (a - 1), -1.5 * (a - 1)], rel=1e-12)
    assert gb == pytest.approx(a - 1, rel=1e-12)
    assert grad(lambda w: w[0] * w[1])(np.array([2.0, 3.0])) == [3.0, 2.0]


def test_constant_function_has_zero_gradient() -> None:
    assert value_and_grad(lambda x, y: 7)(1.0, 2.0) == (7.0, (0.0, 0.0))


def test_function_returning_garbage_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must return a Value or a number"):
        grad(lambda x: "nope")(1.0)
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: x)("1.0")


def test_check_grad_passes_on_a_correct_graph_and_reports_per_argument() -> None:
    result = check_grad(lambda x, w: (x * w[0] + w[1]).tanh() * x.exp(), 0.7, [0.2, -0.4])
    assert result.ok
    assert len(result.errors) == 2
    assert result.worst < 1e-8
    text = str(result)
    assert "worst error" in text and "ok" in text


def test_check_grad_catches_a_wrong_graph() -> None:
    def f(x: Value) -> Value:
        # A classic bug: copying x's number into a new leaf cuts one of the two paths.
        return x * Value(x.data)

    result = check_grad(f, 3.0)
    assert result.graph == (3.0,)
    assert result.numeric[0] == pytest.approx(6.0, rel=1e-6)
    assert not result.ok
    assert result.errors[0] > 0.1
    assert "MISMATCH" in str(result)


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [("exp", 1.0, math.e), ("log", math.e, 1.0), ("sigmoid", 0.0, 0.5), ("tanh", 0.0, 0.0), ("relu", -3.0, 0.0)],
)
def test_function_forms_take_numbers_and_values(name: str, x: float, expected: float) -> None:
    f = getattr(minigrad, name)
    assert f(x) == pytest.approx(expected, rel=1e-15)
    node = f(Value(x))
    assert isinstance(node, Value) and node.op == name and node.data == f(x)


def test_function_forms_reject_non_numbers() -> None:
    with pytest.raises(TypeError, match="str"):
        minigrad.exp("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="log"):
        minigrad.log(0)


@pytest.mark.parametrize("number", [np.float64(3.0), np.int64(3), np.float32(3.0)])
def test_numpy_scalars_are_numbers_not_sequences(number: object) -> None:
    assert grad(lambda x: x * x)(number) == 6.0
    assert check_grad(lambda x, y: x * y, number, 2.0).ok


@pytest.mark.parametrize("order", [(1.0, 0.0), (0.0, 1.0)])
def test_check_grad_flags_a_nan_gradient_whatever_the_argument_order(order: tuple[float, float]) -> None:
    # d/dy sqrt(y*y) at y = 0: the graph multiplies an infinite local derivative by 0 -> nan
    f = (lambda x, y: x + (y * y) ** 0.5) if order[1] == 0.0 else (lambda y, x: x + (y * y) ** 0.5)
    result = check_grad(f, *order)
    assert not result.ok
    assert math.inf in result.errors
    assert "MISMATCH" in str(result)


@pytest.mark.parametrize(
    ("compute", "expected"),
    [
        (lambda: grad(lambda x: x * grad(lambda y: x * y)(3.0))(2.0), 4.0),  # d/dx x·x
        (lambda: grad(lambda x: grad(lambda y: x * x * y)(3.0))(2.0), 4.0),  # d/dx x²
        (lambda: minigrad.hessian(lambda x: x * grad(lambda y: x * y * y)(1.0))(2.0), [[4.0]]),  # d²/dx² 2x²
        (lambda: grad(lambda x: value_and_grad(lambda y: x * y)(3.0)[0])(2.0), 3.0),  # d/dx 3x
        (lambda: grad(lambda x: grad(lambda y: x * y)(x))(2.0), 1.0),  # the inner y is not the outer x
        (lambda: grad(lambda x: minigrad.jvp(lambda y: y * y, (x,), (1.0,))[1])(3.0), 2.0),  # d/dx 2x
    ],
)
def test_transforms_nest_through_closures(compute, expected) -> None:  # type: ignore[no-untyped-def]
    assert compute() == expected
