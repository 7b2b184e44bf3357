"""Derivatives at kinks and at the edges of domains: the values PyTorch gives (tests/test_torch.py checks them there).

A kink has no derivative; minigrad picks the same one PyTorch picks, so that gradients
checked against PyTorch agree everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

import minigrad
from minigrad import Value, grad

inf, nan = math.inf, math.nan

# (name, function of Values, arguments, expected gradient per argument): PyTorch's float64 answers
KINKS: list[tuple[str, Callable[..., Value], tuple[float, ...], tuple[float, ...]]] = [
    ("relu at 0", lambda x: x.relu(), (0.0,), (0.0,)),
    ("abs at 0", lambda x: abs(x), (0.0,), (0.0,)),
    ("sqrt at 0", lambda x: x.sqrt(), (0.0,), (inf,)),
    ("maximum at a tie", minigrad.maximum, (1.0, 1.0), (0.5, 0.5)),
    ("minimum at a tie", minigrad.minimum, (-2.0, -2.0), (0.5, 0.5)),
    ("x ** 2 at 0", lambda x: x**2, (0.0,), (0.0,)),
    ("x ** 1 at 0", lambda x: x**1, (0.0,), (1.0,)),
    ("x ** 0 at 0", lambda x: x**0, (0.0,), (0.0,)),
    ("x ** 0.5 at 0", lambda x: x**0.5, (0.0,), (inf,)),
    ("x ** 1.5 at 0", lambda x: x**1.5, (0.0,), (0.0,)),
    ("x ** y at 0, 0", lambda x, y: x**y, (0.0, 0.0), (0.0, 0.0)),
    ("x ** y at 0, 1", lambda x, y: x**y, (0.0, 1.0), (1.0, 0.0)),
    ("x ** y at 0, 2", lambda x, y: x**y, (0.0, 2.0), (0.0, 0.0)),
    ("x ** y at 0, 0.5", lambda x, y: x**y, (0.0, 0.5), (inf, 0.0)),
    ("x ** y at 2, 0", lambda x, y: x**y, (2.0, 0.0), (0.0, math.log(2.0))),
    ("0 ** y at 2", lambda y: 0.0**y, (2.0,), (0.0,)),
    ("x ** -0.5 at 1e-310", lambda x: x**-0.5, (1e-310,), (-inf,)),
    ("sigmoid at -1000", lambda x: x.sigmoid(), (-1000.0,), (0.0,)),
    ("exp at inf", lambda x: x.exp(), (inf,), (inf,)),
]


@pytest.mark.parametrize(("name", "f", "args", "expected"), KINKS, ids=[k[0] for k in KINKS])
def test_derivative_at_a_kink_is_pytorchs(
    name: str, f: Callable[..., Value], args: tuple[float, ...], expected: tuple[float, ...]
) -> None:
    leaves = [Value(a) for a in args]
    out = f(*leaves)
    out.backward()
    assert tuple(x.grad for x in leaves) == expected
    assert all(type(x.grad) is float for x in leaves)


def test_pow_with_a_value_exponent_at_base_zero_differentiates_twice() -> None:
    """∂²(x^y)/∂y² = x^y·log²x is 0 at x = 0, as PyTorch's double backward gives; no log(0) error on the way."""
    assert grad(grad(lambda y: 0.0**y))(2.0) == 0.0
    assert grad(lambda x, y: x**y)(0.0, 0.0) == (0.0, 0.0)


def test_pow_with_a_value_exponent_keeps_its_mixed_derivative_at_exponent_zero() -> None:
    """Only the origin is masked: at y = 0 and x = 2, ∂²(x^y)/∂x∂y = x^(y−1)(1 + y·log x) = 1/2."""
    assert minigrad.hessian(lambda x, y: x**y)(2.0, 0.0) == [[0.0, 0.5], [0.5, math.log(2.0) ** 2]]


# (name, function of a Value, x, (f', f'', f''')) where the derivatives are infinite: PyTorch's float64 answers
EDGES: list[tuple[str, Callable[[Value], Value], float, tuple[float, float, float]]] = [
    ("x ** -0.5 at 1e-310", lambda x: x**-0.5, 1e-310, (-inf, inf, -inf)),
    ("sqrt at 0", lambda x: x.sqrt(), 0.0, (inf, -inf, inf)),
    ("x ** 0.5 at 0", lambda x: x**0.5, 0.0, (inf, -inf, inf)),
    ("x ** 1.5 at 0", lambda x: x**1.5, 0.0, (0.0, inf, -inf)),
]


@pytest.mark.parametrize(("name", "f", "x", "expected"), EDGES, ids=[e[0] for e in EDGES])
def test_infinite_derivatives_stay_infinite_to_third_order(
    name: str, f: Callable[[Value], Value], x: float, expected: tuple[float, float, float]
) -> None:
    """The derivative of an infinite derivative is infinite (it was a constant's 0), with no overflow error."""
    assert (grad(f)(x), grad(grad(f))(x), grad(grad(grad(f)))(x)) == expected
    v = Value(x)
    f(v).backward(create_graph=True)
    first = v.grad
    assert isinstance(first, Value) and first.data == expected[0]
    v.grad = 0.0
    first.backward()
    assert v.grad == expected[1]
