"""The Value contract of DESIGN.md: canonical examples, graph structure, accumulation, errors."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from minigrad import Value, topological_order


def test_canonical_J_forward_and_backward() -> None:
    a, b, c = Value(5, "a"), Value(3, "b"), Value(2, "c")
    u = b * c
    v = a + u
    J = 3 * v
    assert (u.data, v.data, J.data) == (6.0, 11.0, 33.0)
    J.backward()
    assert J.grad == 1.0
    assert (v.grad, u.grad) == (3.0, 3.0)
    assert (a.grad, b.grad, c.grad) == (3.0, 6.0, 9.0)


def test_canonical_logistic_neuron() -> None:
    x1, x2, y = 0.5, -1.5, 1.0
    w1, w2, b = Value(0.3, "w1"), Value(-0.2, "w2"), Value(0.1, "b")
    z = w1 * x1 + w2 * x2 + b
    a = z.sigmoid()
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.backward()
    dz = a.data - y
    assert math.isclose(z.grad, dz, rel_tol=1e-12)
    assert math.isclose(w1.grad, x1 * dz, rel_tol=1e-12)
    assert math.isclose(w2.grad, x2 * dz, rel_tol=1e-12)
    assert math.isclose(b.grad, dz, rel_tol=1e-12)


def test_node_used_twice_keeps_both_edges() -> None:
    a = Value(3.0, "a")
    square = a * a
    assert square.parents == (a, a)
    assert square.local_grads == (3.0, 3.0)
    double = a + a
    assert double.parents == (a, a)
    (square + double).backward()
    assert a.grad == 2 * 3.0 + 2.0


def test_paths_branch_and_merge() -> None:
    x = Value(2.0)
    y = x * 3
    z = y * x + y.exp() - x
    z.backward()
    # z = 3x² + e^(3x) − x → dz/dx = 6x + 3e^(3x) − 1
    assert math.isclose(x.grad, 6 * 2 + 3 * math.exp(6) - 1, rel_tol=1e-12)


def test_structure_properties() -> None:
    x = Value(2.0, "x")
    leaf_props = (x.op, x.primitive, x.parents, x.operands, x.local_grads)
    assert leaf_props == ("", None, (), (), ())
    y = 1 - x
    assert y.op == "sub" and y.primitive is not None and y.primitive.symbol == "−"
    assert y.parents == (x,)
    assert y.operands == (1.0, x)
    assert y.local_grads == (-1.0,)
    s = x**3
    assert s.operands == (x, 3.0)
    assert s.local_grads == (12.0,)


def test_topological_order_lists_each_node_once_operands_first() -> None:
    a = Value(1.0)
    b = a * 2
    c = a + b
    d = c * b
    order = topological_order(d)
    assert len(order) == len(set(map(id, order))) == 4
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    assert order[-1] is d


def test_repr() -> None:
    J = Value(33, "J")
    assert repr(J) == "Value(data=33.0, grad=0.0, label='J')"
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"


@pytest.mark.parametrize("number", [3, 3.0, True, Fraction(3, 1), np.float64(3), np.int64(3), np.float32(3)])
def test_accepts_real_numbers_stored_as_float(number: object) -> None:
    v = Value(number)  # type: ignore[arg-type]
    assert type(v.data) is float and v.data == float(number)  # type: ignore[arg-type]
    w = Value(2.0)
    for out in (w * number, number * w, w + number, number + w, w - number, number - w):
        assert isinstance(out, Value)
        assert type(out.data) is float


@pytest.mark.parametrize("bad", ["3", 1 + 2j, None, [1.0], (1.0,), {"x": 1}])
def test_rejects_non_real_data_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]


def test_rejects_non_real_operands() -> None:
    with pytest.raises(TypeError, match="Value"):
        Value(1.0) * "2"  # type: ignore[operator]
    with pytest.raises(TypeError, match="Value"):
        "2" + Value(1.0)  # type: ignore[operator]
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) - None  # type: ignore[operator]
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, 2)  # type: ignore[arg-type]


def test_backward_accumulates_and_zero_grad_resets() -> None:
    x = Value(3.0)
    h = x * x
    y = h + x
    y.backward()
    assert (x.grad, h.grad, y.grad) == (7.0, 1.0, 1.0)
    y.backward()
    assert (x.grad, h.grad, y.grad) == (14.0, 2.0, 2.0)
    y.zero_grad()
    assert (x.grad, h.grad, y.grad) == (0.0, 0.0, 0.0)
    y.backward(0.5)
    assert x.grad == 3.5


def test_backward_from_an_intermediate_node_uses_only_its_own_pass() -> None:
    """A second pass from a node that already holds a gradient must not propagate that old gradient."""
    x = Value(2.0)
    h = x * 3
    y = h * h
    y.backward()  # h.grad = 2h = 12, x.grad = 36
    h.backward()  # adds dh/dx = 3 to x.grad, and 1 to h.grad
    assert h.grad == 13.0
    assert x.grad == 39.0


def test_million_step_chain_without_recursion() -> None:
    x0 = Value(1.0)
    x = x0
    for _ in range(1_000_000):
        x = x * 1.0001 + 0.5
    x.backward()
    assert math.isclose(x0.grad, 1.0001**1_000_000, rel_tol=1e-6)
    x.zero_grad()
    assert x0.grad == 0.0
    assert len(topological_order(x)) == 2_000_001
    assert repr(x).startswith("Value(data=")


@pytest.mark.parametrize(
    ("expression", "error", "message"),
    [
        (lambda: Value(0.0).log(), ValueError, r"log\(x\) needs x > 0, got log\(0.0\)"),
        (lambda: Value(-1.0).log(), ValueError, r"log\(-1.0\)"),
        (lambda: Value(0) ** -1, ZeroDivisionError, "zero cannot be raised to a negative power"),
        (lambda: 1 / Value(0), ZeroDivisionError, r"division by zero: 1.0 / 0.0"),
        (lambda: Value(1) / 0, ZeroDivisionError, "division by zero"),
        (lambda: Value(1) / Value(0), ZeroDivisionError, "division by zero"),
        (lambda: Value(1000.0).exp(), OverflowError, r"exp\(1000.0\) overflows"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "not a real number"),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, "needs a base >= 0"),
        (lambda: Value(10.0) ** 400, OverflowError, "overflows"),
        (lambda: Value(1.0).backward("1"), TypeError, "str"),
    ],
)
def test_bad_input_raises_clear_errors(expression, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        expression()


def test_error_points_at_the_user_line() -> None:
    """The traceback's last frame outside minigrad is the line that made the bad node."""
    import traceback

    import minigrad

    package = Path(minigrad.__file__).resolve().parent  # not "/minigrad/" in the name: the checkout may be so named
    try:
        Value(0.0).log()  # the offending line
    except ValueError as error:
        frames = traceback.extract_tb(error.__traceback__)
        user = [f for f in frames if not Path(f.filename).resolve().is_relative_to(package)]
        assert user[-1].line == "Value(0.0).log()  # the offending line"
    else:
        raise AssertionError("log(0) did not raise")


@pytest.mark.parametrize("z", [-1000.0, -745.0, -50.0, 0.0, 50.0, 1000.0])
def test_sigmoid_and_its_gradient_stay_finite(z: float) -> None:
    x = Value(z)
    s = x.sigmoid()
    s.backward()
    assert math.isfinite(s.data) and 0.0 <= s.data <= 1.0
    assert math.isfinite(x.grad) and x.grad >= 0.0


def test_root_derivative_at_zero_is_infinite_as_in_pytorch() -> None:
    x = Value(0.0)
    out = x**0.5
    out.backward()
    assert out.data == 0.0 and x.grad == math.inf


def test_numpy_scalar_on_the_left_gives_a_value() -> None:
    x = Value(2.0)
    out = np.float64(3.0) * x
    assert isinstance(out, Value) and out.data == 6.0
    assert isinstance(np.float64(1.0) - x, Value)


def test_values_hash_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert len({a, b}) == 2
    assert a != b
