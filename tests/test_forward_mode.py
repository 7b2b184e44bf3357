"""Forward mode (``jvp``) against reverse mode and central differences, on random DAGs with shared sub-expressions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_random_graphs import Step, build, recipes, replay

import minigrad
from minigrad import Value, grad, jvp


def close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def directions(n: int) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(-1, 1), min_size=n, max_size=n)


@given(st.data(), recipes())
def test_jvp_equals_reverse_mode_on_random_dags(data: st.DataObject, recipe: tuple[list[float], list[Step]]) -> None:
    leaves, steps = recipe
    tangents = data.draw(directions(len(leaves)))

    def f(*xs: Value) -> Value:
        return replay(list(xs), steps)  # type: ignore[no-any-return]

    value, derivative = jvp(f, leaves, tangents)
    inputs, out = build(leaves, steps)
    out.backward()
    assert value == out.data
    reverse = math.fsum(x.grad * t for x, t in zip(inputs, tangents, strict=True))  # type: ignore[operator]
    assert close(derivative, reverse, 1e-9)


@given(st.data(), recipes())
def test_jvp_matches_central_differences_along_the_direction(
    data: st.DataObject, recipe: tuple[list[float], list[Step]]
) -> None:
    leaves, steps = recipe
    tangents = data.draw(directions(len(leaves)))
    _, derivative = jvp(lambda *xs: replay(list(xs), steps), leaves, tangents)
    h = 1e-6

    def at(t: float) -> float:
        return build([x + t * v for x, v in zip(leaves, tangents, strict=True)], steps)[1].data

    assert close(derivative, (at(h) - at(-h)) / (2 * h), 1e-5)


@given(recipes())
def test_one_jvp_per_input_gives_the_gradient(recipe: tuple[list[float], list[Step]]) -> None:
    """Forward mode needs n passes (one per basis direction) for what one backward pass gives."""
    leaves, steps = recipe
    n = len(leaves)

    def f(*xs: Value) -> Value:
        return replay(list(xs), steps)  # type: ignore[no-any-return]

    columns = [jvp(f, leaves, [1.0 if j == i else 0.0 for j in range(n)])[1] for i in range(n)]
    reverse = grad(f)(*leaves)
    reverse = list(reverse) if n > 1 else [reverse]
    assert all(close(a, b, 1e-9) for a, b in zip(columns, reverse, strict=True))


def test_jvp_with_sequence_arguments_and_every_new_primitive() -> None:
    def f(w: list[Value], b: Value) -> Value:
        z = w[0] * w[1] + b
        return z.sin() + z.cos() * z.sinh() + z.cosh().log1p() + abs(z).sqrt() + z.expm1() + minigrad.maximum(z, b)

    w, b = [0.3, -0.7], 0.2
    direction = ([0.5, -1.0], 2.0)
    value, derivative = jvp(f, (w, b), direction)
    gw, gb = grad(f)(w, b)
    assert value == f([Value(w[0]), Value(w[1])], Value(b)).data
    assert close(derivative, gw[0] * 0.5 + gw[1] * -1.0 + gb * 2.0, 1e-12)


def test_jvp_of_a_constant_and_of_an_input() -> None:
    assert jvp(lambda x: 3.0, (1.0,), (1.0,)) == (3.0, 0.0)
    assert jvp(lambda x, y: y, (1.0, 2.0), (5.0, 7.0)) == (2.0, 7.0)


def test_jvp_rejects_mismatched_tangents() -> None:
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        jvp(lambda x, y: x * y, (1.0, 2.0), (1.0,))
    with pytest.raises(ValueError, match="shape of its primal"):
        jvp(lambda w: w[0] * w[1], ([1.0, 2.0],), ([1.0],))
    with pytest.raises(TypeError, match="str"):
        jvp(lambda x: x, (1.0,), ("1",))


def test_a_primal_that_is_a_computed_value_keeps_its_tangent() -> None:
    """jvp differentiates with respect to the primals as given, even a Value made from others (here 3a)."""
    a = Value(2.0)
    x = a * 3
    assert jvp(lambda v: v * v, (x,), (1.0,)) == (36.0, 12.0)
    assert jvp(lambda v, w: v * w, (x, a), (1.0, 0.0)) == (12.0, 2.0)
