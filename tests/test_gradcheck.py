"""check_grad against your own gradient and per-node expectations; numeric steps that respect domains and kinks."""

from __future__ import annotations

import math

import pytest

from minigrad import Value, check_grad, scalar, sigmoid
from minigrad.gradcheck import numeric_slope

X, Y = (0.5, -1.5), 1.0


def neuron_loss(w: list[Value], b: Value) -> Value:
    z = w[0] * X[0] + w[1] * X[1] + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    return -(Y * a.log() + (1 - Y) * (1 - a).log())


def activation(w: list[float], b: float) -> float:
    return sigmoid(w[0] * X[0] + w[1] * X[1] + b)  # type: ignore[no-any-return]


def right_gradient(w: list[float], b: float) -> tuple[list[float], float]:
    dz = activation(w, b) - Y
    return [X[0] * dz, X[1] * dz], dz


def test_a_correct_hand_derived_gradient_passes() -> None:
    result = check_grad(neuron_loss, [0.3, -0.2], 0.1, grad=right_gradient)
    assert result.ok
    assert result.verdicts == ("ok", "ok")
    assert "yours" in str(result)


def test_a_wrong_hand_derived_gradient_is_named_with_its_error() -> None:
    def wrong(w: list[float], b: float) -> tuple[list[float], float]:
        dz = Y - activation(w, b)  # the sign flipped
        return [X[0] * dz, X[1] * dz], dz

    result = check_grad(neuron_loss, [0.3, -0.2], 0.1, grad=wrong)
    assert not result.ok
    assert result.verdicts[0].startswith("entry 0: yours")
    assert "disagrees with the graph" in result.verdicts[1]
    assert "off by" in str(result)


def test_a_graph_bug_is_told_apart_from_a_wrong_formula() -> None:
    def cut(x: Value) -> Value:
        return x * Value(x.data)  # copying x's number into a new leaf cuts a path: the graph is wrong

    result = check_grad(cut, 3.0, grad=lambda x: 2 * x)
    assert result.verdicts[0].startswith("the graph (3) disagrees with yours")


def test_node_by_node_table_for_intermediate_gradients() -> None:
    w, b = [0.3, -0.2], 0.1
    a = activation(w, b)
    good = check_grad(neuron_loss, w, b, nodes={"z": a - Y, "a": lambda w, b: -1 / activation(w, b)})
    assert good.ok
    assert [n.label for n in good.nodes] == ["z", "a"]
    assert good.nodes[0].numeric == pytest.approx(a - Y, rel=1e-8)
    bad = check_grad(neuron_loss, w, b, nodes={"z": a})  # dz = a, forgetting − y
    assert not bad.ok
    assert bad.nodes[0].verdict.startswith("MISMATCH")
    text = str(bad)
    assert "node" in text and "z" in text and "MISMATCH" in text


def test_unknown_or_ambiguous_labels_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="no node labelled 'dv'"):
        check_grad(neuron_loss, [0.3, -0.2], 0.1, nodes={"dv": 1.0})

    def twice(x: Value) -> Value:
        u, v = x * 2, x * 3
        u.label = v.label = "u"
        return u * v

    with pytest.raises(ValueError, match="two nodes are labelled 'u'"):
        check_grad(twice, 1.0, nodes={"u": 1.0})


def test_grad_of_the_wrong_shape_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="one gradient per argument"):
        check_grad(lambda x, y: x * y, 1.0, 2.0, grad=lambda x, y: 1.0)


def test_log_near_zero_stays_in_its_domain() -> None:
    result = check_grad(lambda x: x.log(), 1e-7)  # the plain step h = 6e-6 would reach log(-5.9e-06)
    assert result.ok
    assert "shrunk to stay in the domain" in result.notes[0]


def test_near_the_float_limit() -> None:
    assert check_grad(lambda x: x * 2, 8.988e307).ok  # 2(x + h) would overflow: the step shrinks


def test_sqrt_at_zero_is_one_sided_and_says_the_slope_is_infinite() -> None:
    result = check_grad(lambda x: x.sqrt(), 0.0)
    assert "one-sided (right)" in result.notes[0]
    assert "infinite at the edge" in result.verdicts[0]


@pytest.mark.parametrize("f", [lambda x: x.relu(), lambda x: abs(x), lambda x: x.relu() * 3 + 1])
def test_a_kink_is_not_called_a_mismatch(f) -> None:  # type: ignore[no-untyped-def]
    result = check_grad(f, 0.0)
    assert not result.ok
    assert "not differentiable here" in result.verdicts[0]
    assert "disagrees" not in str(result)


@pytest.mark.parametrize("x", [0.0, 1e-3, 2.0, -7.5, 300.0])
def test_smooth_functions_have_no_kink(x: float) -> None:
    for f in (math.sin, lambda t: t * t, math.exp, lambda t: scalar.sigmoid(t)):
        slope = numeric_slope(f, x)
        assert not slope.kink


def test_a_point_outside_the_domain_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="log"):
        check_grad(lambda x: x.log(), -1.0)


def test_small_gradients_are_compared_relatively() -> None:
    import minigrad

    @minigrad.primitive(["wrong"])
    def tiny(m, x):  # type: ignore[no-untyped-def]
        return x * 1e-8, (3e-8,)  # the true derivative is 1e-8

    assert not check_grad(lambda x: tiny(x), 1.0).ok
    assert not check_grad(lambda x: x * x * 1e-8, 1.0, grad=lambda x: 6e-8 * x).ok
    assert check_grad(lambda x: x * x * 1e-8, 1.0, grad=lambda x: 2e-8 * x).ok
    assert check_grad(lambda x: (x - 1.0) ** 2, 1.0).ok  # a gradient of exactly 0 against numeric noise
