"""Second (and third) derivatives of every built-in primitive: closed forms and central differences.

Each second derivative is computed two ways, which must agree with each other, with the
closed form and with central differences of the first derivative:

- ``grad(grad(f))``: the functional form, nested;
- ``backward(create_graph=True)``: ``x.grad`` is a ``Value`` graph, back-propagated again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import minigrad
from minigrad import Value, grad, hessian
from minigrad.primitives import BUILTINS

finite = st.floats(-20, 20)
positive = st.floats(0.05, 20)
away_from_zero = st.floats(-20, 20).filter(lambda x: abs(x) > 1e-3)
Real = Callable[[float], float]


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# name -> (build from a Value, f', f'', f''' closed forms, domain). Kinks (relu, abs at 0) avoided.
UNARY: dict[str, tuple[Callable[[Any], Any], Real, Real, Real, st.SearchStrategy[float]]] = {
    "neg": (lambda x: -x, lambda x: -1.0, lambda x: 0.0, lambda x: 0.0, finite),
    "exp": (lambda x: x.exp(), math.exp, math.exp, math.exp, finite),
    "log": (lambda x: x.log(), lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3, positive),
    "log1p": (
        lambda x: x.log1p(),
        lambda x: 1 / (1 + x),
        lambda x: -1 / (1 + x) ** 2,
        lambda x: 2 / (1 + x) ** 3,
        st.floats(-0.95, 20),
    ),
    "expm1": (lambda x: x.expm1(), math.exp, math.exp, math.exp, finite),
    "sqrt": (
        lambda x: x.sqrt(),
        lambda x: 0.5 * x**-0.5,
        lambda x: -0.25 * x**-1.5,
        lambda x: 0.375 * x**-2.5,
        positive,
    ),
    "sin": (lambda x: x.sin(), math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x), finite),
    "cos": (lambda x: x.cos(), lambda x: -math.sin(x), lambda x: -math.cos(x), math.sin, finite),
    "tan": (
        lambda x: x.tan(),
        lambda x: 1 + math.tan(x) ** 2,
        lambda x: 2 * math.tan(x) * (1 + math.tan(x) ** 2),
        lambda x: (1 + math.tan(x) ** 2) * (2 + 6 * math.tan(x) ** 2),
        st.floats(-1.3, 1.3),
    ),
    "sinh": (lambda x: x.sinh(), math.cosh, math.sinh, math.cosh, finite),
    "cosh": (lambda x: x.cosh(), math.sinh, math.cosh, math.sinh, finite),
    "tanh": (
        lambda x: x.tanh(),
        lambda x: 1 - math.tanh(x) ** 2,
        lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
        lambda x: (1 - math.tanh(x) ** 2) * (6 * math.tanh(x) ** 2 - 2),
        finite,
    ),
    "sigmoid": (
        lambda x: x.sigmoid(),
        lambda x: sigmoid(x) * (1 - sigmoid(x)),
        lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)),
        lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 6 * sigmoid(x) + 6 * sigmoid(x) ** 2),
        finite,
    ),
    "relu": (lambda x: x.relu(), lambda x: float(x > 0), lambda x: 0.0, lambda x: 0.0, away_from_zero),
    "abs": (lambda x: abs(x), lambda x: math.copysign(1.0, x), lambda x: 0.0, lambda x: 0.0, away_from_zero),
}

# name -> (build from two Values, closed-form Hessian [[fxx, fxy], [fxy, fyy]], domain of x, domain of y)
Hessian = Callable[[float, float], list[list[float]]]
BINARY: dict[str, tuple[Callable[[Any, Any], Any], Hessian, st.SearchStrategy[float], st.SearchStrategy[float]]] = {
    "add": (lambda x, y: x + y, lambda x, y: [[0.0, 0.0], [0.0, 0.0]], finite, finite),
    "sub": (lambda x, y: x - y, lambda x, y: [[0.0, 0.0], [0.0, 0.0]], finite, finite),
    "mul": (lambda x, y: x * y, lambda x, y: [[0.0, 1.0], [1.0, 0.0]], finite, finite),
    "div": (
        lambda x, y: x / y,
        lambda x, y: [[0.0, -1 / y**2], [-1 / y**2, 2 * x / y**3]],
        finite,
        st.floats(0.1, 20) | st.floats(-20, -0.1),
    ),
    "pow_xy": (
        lambda x, y: x**y,
        lambda x, y: [
            [y * (y - 1) * x ** (y - 2), x ** (y - 1) * (1 + y * math.log(x))],
            [x ** (y - 1) * (1 + y * math.log(x)), x**y * math.log(x) ** 2],
        ],
        st.floats(0.1, 5),
        st.floats(-3, 3),
    ),
    # Away from a tie the larger operand passes through: a linear function, second derivatives 0.
    "maximum": (minigrad.maximum, lambda x, y: [[0.0, 0.0], [0.0, 0.0]], finite, finite),
    "minimum": (minigrad.minimum, lambda x, y: [[0.0, 0.0], [0.0, 0.0]], finite, finite),
}

EXPONENTS = [-2.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 1.5]


def close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def central(f: Callable[[float], float], x: float) -> float:
    h = 1e-5 * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


def as_float(g: Any) -> float:
    """A gradient as a number: a float stays one, a ``Value`` (create_graph) gives its data."""
    return g.data if isinstance(g, Value) else float(g)


def second_by_create_graph(build: Callable[..., Any], args: Sequence[float]) -> list[list[float]]:
    """The Hessian of ``build`` by ``backward(create_graph=True)`` and one plain backward per row."""
    leaves = [Value(a) for a in args]
    out = build(*leaves)
    out.backward(create_graph=True)
    first = [x.grad for x in leaves]
    rows = []
    for g in first:
        out.zero_grad()  # every node of f's graph, leaves included: only this row's pass is read
        if isinstance(g, Value):
            g.zero_grad()
            g.backward()
        rows.append([as_float(x.grad) for x in leaves])
    return rows


def second_by_nested_grad(build: Callable[..., Any], args: Sequence[float]) -> list[list[float]]:
    """The Hessian of ``build`` by ``grad`` of each entry of ``grad``."""
    n = len(args)
    rows = []
    for i in range(n):
        row = grad(lambda *xs, i=i: grad(build)(*xs) if n == 1 else grad(build)(*xs)[i])(*args)
        rows.append(list(row) if n > 1 else [row])
    return rows


def test_every_builtin_primitive_is_differentiated_twice() -> None:
    assert set(UNARY) | set(BINARY) | {"pow", "sum", "dot"} == BUILTINS


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_second_derivative(name: str) -> None:
    build, d1, d2, _, domain = UNARY[name]

    @given(domain)
    def check(x: float) -> None:
        nested = grad(grad(build))(x)
        [[by_graph]] = second_by_create_graph(build, [x])
        assert type(nested) is float
        assert close(nested, d2(x), 1e-9), (nested, d2(x))
        assert close(by_graph, nested, 1e-12)
        assert close(nested, central(grad(build), x), 1e-5)
        assert close(grad(build)(x), d1(x), 1e-12)

    check()


@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "sqrt"])
def test_unary_third_derivative(name: str) -> None:
    build, _, _, d3, domain = UNARY[name]

    @given(domain)
    def check(x: float) -> None:
        third = grad(grad(grad(build)))(x)
        assert close(third, d3(x), 1e-8), (third, d3(x))
        assert close(third, central(grad(grad(build)), x), 1e-4)
        # the same by create_graph twice: d/dx of x.grad, itself made with create_graph
        v = Value(x)
        build(v).backward(create_graph=True)
        first = v.grad
        v.grad = 0.0  # the next pass adds to what x holds
        first.backward(create_graph=True)
        second = v.grad
        assert isinstance(second, Value)
        second.zero_grad()  # x and every node second depends on
        second.backward()
        assert close(as_float(v.grad), third, 1e-9)

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_hessian(name: str) -> None:
    build, closed, xs, ys = BINARY[name]

    @given(xs, ys)
    def check(x: float, y: float) -> None:
        if name in ("maximum", "minimum"):
            assume(abs(x - y) > 1e-3)  # a tie is a kink: central differences straddle it
        expected = closed(x, y)
        by_hessian = hessian(build)(x, y)
        by_nested = second_by_nested_grad(build, [x, y])
        by_graph = second_by_create_graph(build, [x, y])
        gradient = grad(build)
        for i in range(2):
            for j in range(2):
                assert close(by_hessian[i][j], expected[i][j], 1e-9), (i, j, by_hessian, expected)
                assert close(by_nested[i][j], by_hessian[i][j], 1e-12)
                assert close(by_graph[i][j], by_hessian[i][j], 1e-12)
            # row i: central differences of ∂f/∂x_i along each argument
            assert close(by_hessian[i][0], central(lambda t, i=i: gradient(t, y)[i], x), 1e-5)
            assert close(by_hessian[i][1], central(lambda t, i=i: gradient(x, t)[i], y), 1e-5)

    check()


@pytest.mark.parametrize("c", EXPONENTS)
def test_pow_with_a_number_exponent_to_third_order(c: float) -> None:
    @given(st.floats(0.1, 10))
    def check(x: float) -> None:
        f = lambda v: v**c  # noqa: E731
        assert close(grad(grad(f))(x), c * (c - 1) * x ** (c - 2), 1e-9)
        assert close(grad(grad(grad(f)))(x), c * (c - 1) * (c - 2) * x ** (c - 3), 1e-9)
        assert close(second_by_create_graph(f, [x])[0][0], grad(grad(f))(x), 1e-12)
        assert close(grad(grad(f))(x), central(grad(f), x), 1e-5)

    check()


@given(st.lists(st.floats(-5, 5), min_size=2, max_size=5), st.floats(-3, 3))
def test_sum_and_dot_hessians(xs: list[float], c: float) -> None:
    """sum and dot under create_graph: dot(v, v) = |v|² has Hessian 2I; sum(xᵢ·x₀, c) has row 0 = 1, 2 at (0, 0)."""
    n = len(xs)
    eye2 = [[2.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    assert hessian(lambda v: minigrad.dot(v, v))(xs) == eye2
    assert second_by_create_graph(lambda *v: minigrad.dot(v, v), xs) == eye2
    expected = [[0.0] * n for _ in range(n)]
    for i in range(n):
        expected[0][i] += 1.0
        expected[i][0] += 1.0
    assert hessian(lambda v: minigrad.sum([*(x * v[0] for x in v), c]))(xs) == expected
    assert second_by_create_graph(lambda *v: minigrad.sum([*(x * v[0] for x in v), c]), xs) == expected


def test_hessian_of_multi_argument_functions_against_closed_forms() -> None:
    # f(x, y) = x³y² + sin(x·y): fxx = 6xy² − y²sin(xy), fxy = 6x²y + cos(xy) − xy·sin(xy), fyy = 2x³ − x²sin(xy)
    x, y = 0.7, -1.3
    s, co = math.sin(x * y), math.cos(x * y)
    h = hessian(lambda a, b: a**3 * b**2 + (a * b).sin())(x, y)
    expected = [[6 * x * y**2 - y**2 * s, 6 * x**2 * y + co - x * y * s], [0.0, 2 * x**3 - x**2 * s]]
    expected[1][0] = expected[0][1]
    for i in range(2):
        for j in range(2):
            assert close(h[i][j], expected[i][j], 1e-12)

    # logistic regression's loss over one example, w a sequence: H = σ(1 − σ)·[x, 1][x, 1]ᵀ
    features, target = [0.5, -1.5], 1.0
    w, b = [0.3, -0.2], 0.1

    def loss(w: list[Value], b: Value) -> Value:
        return minigrad.losses.binary_cross_entropy_with_logits(minigrad.dot([*w, b], [*features, 1.0]), target)

    z = w[0] * features[0] + w[1] * features[1] + b
    a = sigmoid(z)
    outer = [features[0], features[1], 1.0]
    h = hessian(loss)(w, b)
    assert len(h) == 3 and all(len(row) == 3 for row in h)
    for i in range(3):
        for j in range(3):
            assert close(h[i][j], a * (1 - a) * outer[i] * outer[j], 1e-12)
    # a variable the function ignores: its row and column are zero
    assert hessian(lambda a, b, unused: a * a * b)(2.0, 3.0, 5.0) == [[6.0, 4.0, 0.0], [4.0, 0.0, 0.0], [0.0] * 3]
    assert hessian(lambda a: 7.0)(1.0) == [[0.0]]


def test_grad_of_grad_leaves_every_grad_untouched() -> None:
    """The functional forms read gradients without changing any ``.grad``: nesting them is safe."""
    x = Value(0.3)
    y = (x * x).sin()
    y.backward()
    before = x.grad
    g2 = grad(grad(lambda v: (v * v).sin()))(0.3)
    assert x.grad == before and close(g2, 2 * math.cos(0.09) - 4 * 0.09 * math.sin(0.09), 1e-12)


def test_create_graph_gradient_is_a_value_that_accumulates() -> None:
    x = Value(2.0, "x")
    y = x**3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 12.0
    y.backward(create_graph=True)  # accumulates, as the float gradients do: 2 · 3x²
    assert isinstance(x.grad, Value) and x.grad.data == 24.0
    g = x.grad
    y.zero_grad()
    g.backward()  # d/dx (3x² + 3x²) = 12x
    assert x.grad == 24.0
