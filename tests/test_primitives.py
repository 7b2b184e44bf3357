"""Every primitive: value and local derivative against its closed form and central differences."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Value
from minigrad.primitives import BUILTINS

finite = st.floats(-50, 50, allow_nan=False)
positive = st.floats(1e-3, 50)
nonzero = finite.filter(lambda x: abs(x) > 1e-2)
whole = st.integers(-5, 5).map(float)  # ties, and otherwise at least 1 apart: away from max's kink


def central(f: Callable[[float], float], x: float) -> float:
    h = 1e-6 * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


def close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


# name -> (build from Values, closed-form value, closed-form partials, domain of each operand)
Real = Callable[[float], float]
UNARY: dict[str, tuple[Callable[[Value], Value], Real, Real, st.SearchStrategy]] = {
    "neg": (lambda x: -x, lambda x: -x, lambda x: -1.0, finite),
    "exp": (lambda x: x.exp(), math.exp, math.exp, finite),
    "log": (lambda x: x.log(), math.log, lambda x: 1 / x, positive),
    "sigmoid": (
        lambda x: x.sigmoid(),
        lambda x: 1 / (1 + math.exp(-x)),
        lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
        finite,
    ),
    "tanh": (lambda x: x.tanh(), math.tanh, lambda x: 1 / math.cosh(x) ** 2, finite),
    "relu": (lambda x: x.relu(), lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0, nonzero),
    "abs": (lambda x: abs(x), abs, lambda x: math.copysign(1.0, x), nonzero),
    "sqrt": (lambda x: x.sqrt(), math.sqrt, lambda x: 0.5 / math.sqrt(x), positive),
    "sin": (lambda x: x.sin(), math.sin, math.cos, finite),
    "cos": (lambda x: x.cos(), math.cos, lambda x: -math.sin(x), finite),
    "tan": (lambda x: x.tan(), math.tan, lambda x: 1 / math.cos(x) ** 2, st.floats(-1.5, 1.5)),
    "sinh": (lambda x: x.sinh(), math.sinh, math.cosh, finite),
    "cosh": (lambda x: x.cosh(), math.cosh, math.sinh, finite),
    "log1p": (lambda x: x.log1p(), math.log1p, lambda x: 1 / (1 + x), st.floats(-0.99, 50)),
    "expm1": (lambda x: x.expm1(), math.expm1, math.exp, finite),
}

BINARY: dict[str, tuple[Callable[[Value, Value], Value], Callable, Callable, st.SearchStrategy, st.SearchStrategy]] = {
    "add": (lambda x, y: x + y, lambda x, y: x + y, lambda x, y: (1.0, 1.0), finite, finite),
    "sub": (lambda x, y: x - y, lambda x, y: x - y, lambda x, y: (1.0, -1.0), finite, finite),
    "mul": (lambda x, y: x * y, lambda x, y: x * y, lambda x, y: (y, x), finite, finite),
    "div": (lambda x, y: x / y, lambda x, y: x / y, lambda x, y: (1 / y, -x / y**2), finite, nonzero),
    "pow_xy": (
        lambda x, y: x**y,
        lambda x, y: x**y,
        lambda x, y: (y * x ** (y - 1), x**y * math.log(x)),
        st.floats(0.1, 5),
        st.floats(-3, 3),
    ),
    "maximum": (
        minigrad.maximum,
        max,
        lambda x, y: (1.0, 0.0) if x > y else (0.0, 1.0) if x < y else (0.5, 0.5),  # a tie splits, as PyTorch
        whole,
        whole,
    ),
    "minimum": (
        minigrad.minimum,
        min,
        lambda x, y: (1.0, 0.0) if x < y else (0.0, 1.0) if x > y else (0.5, 0.5),
        whole,
        whole,
    ),
}


def test_every_primitive_is_tested() -> None:
    assert set(UNARY) | set(BINARY) | {"pow", "sum", "dot"} == BUILTINS


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_primitive(name: str) -> None:
    build, value, derivative, domain = UNARY[name]

    @given(domain)
    def check(x: float) -> None:
        v = Value(x)
        out = build(v)
        out.backward()
        assert out.op == name
        assert close(out.data, value(x), 1e-12)
        assert close(v.grad, derivative(x), 1e-9)
        assert close(v.grad, central(lambda t: build(Value(t)).data, x), 1e-5)

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_primitive(name: str) -> None:
    build, value, partials, xs, ys = BINARY[name]

    @given(xs, ys)
    def check(x: float, y: float) -> None:
        vx, vy = Value(x), Value(y)
        out = build(vx, vy)
        out.backward()
        assert out.op == name
        assert close(out.data, value(x, y), 1e-12)
        dx, dy = partials(x, y)
        assert close(vx.grad, dx, 1e-9) and close(vy.grad, dy, 1e-9)
        assert close(vx.grad, central(lambda t: build(Value(t), Value(y)).data, x), 1e-5)
        assert close(vy.grad, central(lambda t: build(Value(x), Value(t)).data, y), 1e-5)

    check()


@given(st.floats(0.1, 10), st.sampled_from([-2.0, -0.5, 0.5, 1.0, 2.0, 3.0, 0.0]))
def test_pow_with_number_exponent(x: float, c: float) -> None:
    v = Value(x)
    out = v**c
    out.backward()
    assert out.op == "pow"
    assert close(out.data, x**c, 1e-12)
    assert close(v.grad, c * x ** (c - 1) if c else 0.0, 1e-9)
    assert close(v.grad, central(lambda t: (Value(t) ** c).data, x), 1e-5)


@given(finite, finite)
def test_number_on_either_side(x: float, c: float) -> None:
    """``x op c`` and ``c op x`` give the same values and gradients as with a Value ``c``."""
    for build in (
        lambda a, b: a + b,
        lambda a, b: b + a,
        lambda a, b: a - b,
        lambda a, b: b - a,
        lambda a, b: a * b,
        lambda a, b: b * a,
    ):
        v, w = Value(x), Value(x)
        folded, full = build(v, c), build(w, Value(c))
        folded.backward()
        full.backward()
        assert folded.data == full.data
        assert v.grad == w.grad
        assert len(folded.parents) == 1  # the number is folded into the node, not a leaf


@given(nonzero, nonzero)
def test_division_by_number_either_side(x: float, c: float) -> None:
    v = Value(x)
    (v / c).backward()
    assert close(v.grad, 1 / c, 1e-12)
    w = Value(x)
    out = c / w
    out.backward()
    assert out.data == c / x
    assert close(w.grad, -c / x**2, 1e-9)


@given(st.floats(0.1, 5), st.floats(-3, 3))
def test_number_base(c: float, x: float) -> None:
    v = Value(x)
    out = c**v
    out.backward()
    assert close(out.data, c**x, 1e-12)
    assert close(v.grad, c**x * math.log(c), 1e-9)


def test_relu_derivative_at_zero_is_zero_as_in_pytorch() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


@given(st.lists(finite, min_size=1, max_size=8), st.floats(-5, 5))
def test_sum_of_many_terms(xs: list[float], c: float) -> None:
    """One node for the sum: value as a chain of + gives it (bit for bit), derivative 1 per term."""
    values = [Value(x) for x in xs]
    out = minigrad.sum([values[0], c, *values[1:]])  # a plain number among the terms stays in its place
    chain = xs[0] + c
    for x in xs[1:]:
        chain = chain + x
    assert out.op == "sum" and out.data == chain == (sum([values[0], c, *values[1:]])).data
    assert out.parents == tuple(values) and out.local_grads == (1.0,) * len(xs)
    assert out.operands == (values[0], c, *values[1:])
    (out * out).backward()
    for v in values:
        assert v.grad == 2 * out.data

        def squared_sum(t: float, moved: Value = v) -> float:
            moved_values = [t if u is moved else u.data for u in values]
            return minigrad.sum([moved_values[0], c, *moved_values[1:]]) ** 2  # type: ignore[operator]

        assert close(v.grad, central(squared_sum, v.data), 1e-5)


def test_sum_is_bit_identical_to_a_chain_of_additions() -> None:
    xs = [0.1, 0.2, 0.3, 1e16, -1e16, 0.7]
    chain = Value(xs[0])
    for x in xs[1:]:
        chain = chain + Value(x)
    assert minigrad.sum(Value(x) for x in xs).data == chain.data


def test_sum_records_a_term_used_twice_and_of_numbers_is_a_float() -> None:
    a = Value(2.0)
    out = minigrad.sum([a, a, 3])
    assert out.parents == (a, a)
    out.backward()
    assert a.grad == 2.0 and out.data == 7.0
    assert minigrad.sum([1, 2.5]) == 3.5 and minigrad.sum([]) == 0.0
    with pytest.raises(TypeError, match="str"):
        minigrad.sum([a, "1"])


# ------------------------------------------------------------------ dot

pairs = st.lists(st.tuples(finite, finite, st.booleans(), st.booleans()), min_size=1, max_size=6)


def dot_of_numbers(numbers: list[float]) -> float:
    """The dot of the interleaved pairs x1, y1, x2, y2, ... given as plain numbers."""
    return minigrad.dot(numbers[0::2], numbers[1::2])  # type: ignore[return-value]


@given(pairs)
def test_dot_value_and_derivatives(spec: list[tuple[float, float, bool, bool]]) -> None:
    """Each xi and yi a Value or a plain number: value and derivatives against closed forms and central differences."""
    xs = [Value(x) if x_is_value else x for x, _, x_is_value, _ in spec]
    ys = [Value(y) if y_is_value else y for _, y, _, y_is_value in spec]
    if not any(isinstance(v, Value) for v in xs + ys):
        xs[0] = Value(xs[0])
    out = minigrad.dot(xs, ys)
    assert isinstance(out, Value) and out.op == "dot"
    assert close(out.data, math.fsum(x * y for x, y, _, _ in spec), 1e-9)
    operands = [v for pair in zip(xs, ys, strict=True) for v in pair]  # x1, y1, x2, y2, ...
    numbers = [v.data if isinstance(v, Value) else v for v in operands]
    partners = [v for x, y, _, _ in spec for v in (y, x)]  # ∂/∂xi = yi, ∂/∂yi = xi
    assert out.operands == tuple(operands)
    assert out.parents == tuple(v for v in operands if isinstance(v, Value))
    assert out.local_grads == tuple(d for v, d in zip(operands, partners, strict=True) if isinstance(v, Value))
    out.backward()
    for k, v in enumerate(operands):
        if isinstance(v, Value):
            assert v.grad == partners[k]

            def moved(t: float, k: int = k) -> float:
                return dot_of_numbers([t if i == k else n for i, n in enumerate(numbers)])

            assert close(v.grad, central(moved, v.data), 1e-5)


@given(st.lists(finite, min_size=1, max_size=20), st.lists(finite, min_size=1, max_size=20))
def test_dot_is_bit_identical_to_a_sum_of_products(ws: list[float], xs: list[float]) -> None:
    """``dot([*w, b], [*x, 1.0])`` is the same number as ``sum([w1*x1, ..., wn*xn, b])`` and as the chain of + and ×."""
    n = min(len(ws), len(xs))
    w, x, b = [Value(v) for v in ws[:n]], xs[:n], Value(ws[-1])
    fused = minigrad.dot([*w, b], [*x, 1.0])
    summed = minigrad.sum([*(wi * xi for wi, xi in zip(w, x, strict=True)), b])
    chain = w[0] * x[0]
    for wi, xi in zip(w[1:], x[1:], strict=True):
        chain = chain + wi * xi
    chain = chain + b
    assert fused.data == summed.data == chain.data


def test_dot_with_an_operand_used_twice() -> None:
    """``dot([a, a], [a, b]) = a² + a·b``: three edges from ``a``, ∂/∂a = 2a + b, ∂/∂b = a."""
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    out = minigrad.dot([a, a], [a, b])
    assert out.data == 3.0
    assert out.parents == (a, a, a, b) and out.local_grads == (3.0, 3.0, -2.0, 3.0)
    out.backward()
    assert a.grad == 2 * 3.0 + -2.0 and b.grad == 3.0
    out.backward()  # gradients accumulate, as for every node
    assert a.grad == 8.0 and b.grad == 6.0
    out.zero_grad()
    assert a.grad == b.grad == out.grad == 0.0


def test_dot_of_numbers_is_a_float_and_bad_input_raises() -> None:
    assert minigrad.dot([1, 2], [3, 4.5]) == 12.0 and isinstance(minigrad.dot([1], [2]), float)
    assert minigrad.dot([], []) == 0.0 and minigrad.dot(iter([2.0]), (Value(3.0),)).data == 6.0
    a = Value(2.0)
    out = minigrad.dot([a, 3], [True, a])  # an int and a bool are numbers, shown as floats
    assert out.operands == (a, 1.0, 3.0, a) and out.data == 8.0
    with pytest.raises(ValueError, match="different lengths: 2 and 1"):
        minigrad.dot([a, a], [a])
    with pytest.raises(TypeError, match="str"):
        minigrad.dot([a, "1"], [a, a])
    with pytest.raises(TypeError, match="NoneType"):
        minigrad.dot([a], [None])
