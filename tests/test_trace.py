"""minigrad.trace on plain floats: the listing, bit-identical numbers, every primitive, errors, guards."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_random_graphs import Step, build, recipes

import minigrad
from minigrad import Value, primitives, trace
from minigrad.primitives import PRIMITIVES
from minigrad.tracing import codegen

J_LISTING = """\
def J(a, b, c):
    u = b * c
    v = a + u
    J = 3.0 * v
    _check(u + v + J)
    # backward: dJ_dx is ∂J/∂x
    dJ_dJ = 1.0
    dJ_dv = 3.0 * dJ_dJ
    dJ_da = dJ_dv
    dJ_du = dJ_dv
    dJ_db = c * dJ_du
    dJ_dc = b * dJ_du
    return J, (dJ_da, dJ_db, dJ_dc)"""


def labelled_J(a: Value, b: Value, c: Value) -> Value:
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    out = 3 * v
    out.label = "J"
    return out


def test_J_listing_and_numbers() -> None:
    program = trace(labelled_J, 5.0, 3.0, 2.0)
    assert program.source == J_LISTING
    assert str(program) == J_LISTING
    assert program(5.0, 3.0, 2.0) == 33.0
    assert program.value_and_grad(5.0, 3.0, 2.0) == (33.0, (3.0, 6.0, 9.0))
    assert program.value_and_grad(1.0, -2.0, 0.5) == minigrad.value_and_grad(labelled_J)(1.0, -2.0, 0.5)
    assert "3 operations" in repr(program)


def test_unlabelled_nodes_get_names_and_sequences_are_unpacked() -> None:
    program = trace(lambda w, x: w[0] * x + w[1], [2.0, 1.0], 3.0)
    assert "w_0, w_1 = w" in program.source
    assert program.value_and_grad([2.0, 1.0], 3.0) == (7.0, ([3.0, 1.0], 2.0))


def _eager(steps: list[Step], leaves: list[float]) -> tuple[float, list[float]]:
    inputs, out = build(leaves, steps)
    out.backward()
    return out.data, [x.grad for x in inputs]


@given(recipes(), st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_random_dags_are_bit_identical_to_the_eager_engine(
    recipe: tuple[list[float], list[Step]], others: list[float]
) -> None:
    leaves, steps = recipe

    def f(*xs: Value) -> Value:
        nodes = list(xs)
        return build_from(nodes, steps)

    program = trace(f, *leaves)
    for point in (leaves, others[: len(leaves)]):
        value, grads = program.value_and_grad(*point)
        grads = list(grads) if isinstance(grads, tuple) else [grads]
        eager_value, eager_grads = _eager(steps, point)
        assert _same(value, eager_value)
        assert all(_same(g, e) for g, e in zip(grads, eager_grads, strict=True))
        assert _same(program(*point), eager_value)


def build_from(nodes: list[Value], steps: list[Step]) -> Value:
    """The random graph's output: the steps applied to ``nodes``, then every node's tanh added up."""
    from test_random_graphs import apply

    for step in steps:
        nodes.append(apply(step, nodes))
    out = nodes[0]
    for node in nodes[1:]:
        out = out + node.tanh()
    return out


def _same(a: float, b: float) -> bool:
    """The same float, bit for bit (nan equal to nan)."""
    return math.copysign(1.0, a) == math.copysign(1.0, b) and (a == b or (a != a and b != b))


@minigrad.primitive(["σ(x)"], name="test_trace_softplus")
def SOFTPLUS(m, x):
    return m.log1p(m.exp(x)), (m.sigmoid(x),)


ONE_EACH = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "neg": lambda x, y: -x * y,
    "pow_xy": lambda x, y: x ** (y * y),
    "pow": lambda x, y: (x * y) ** 3 + x**0.5 + y**0,
    "sum": lambda x, y: minigrad.sum([x, y, 2.0, x]),
    "dot": lambda x, y: minigrad.dot([x, y, 1.5], [y, y, x]),
    "exp": lambda x, y: (x * y).exp(),
    "log": lambda x, y: (x * y).log(),
    "log1p": lambda x, y: (x * y).log1p(),
    "expm1": lambda x, y: (x * y).expm1(),
    "sqrt": lambda x, y: (x * y).sqrt(),
    "sin": lambda x, y: (x * y).sin(),
    "cos": lambda x, y: (x * y).cos(),
    "tan": lambda x, y: (x * y).tan(),
    "sinh": lambda x, y: (x * y).sinh(),
    "cosh": lambda x, y: (x * y).cosh(),
    "tanh": lambda x, y: (x * y).tanh(),
    "sigmoid": lambda x, y: (x * y).sigmoid(),
    "relu": lambda x, y: (x - y).relu() + (y - x).relu(),
    "abs": lambda x, y: abs(x - y),
    "maximum": lambda x, y: minigrad.maximum(x, y) * minigrad.maximum(x, x),
    "minimum": lambda x, y: minigrad.minimum(x, y) * minigrad.minimum(y, y),
    "test_trace_softplus": lambda x, y: SOFTPLUS(x * y),
}


def test_every_builtin_primitive_has_a_case() -> None:
    builtins = {p.name for p in vars(primitives).values() if isinstance(p, primitives.Primitive)}
    assert builtins <= set(PRIMITIVES)
    assert not builtins - set(ONE_EACH)


@pytest.mark.parametrize("name", sorted(ONE_EACH))
@pytest.mark.parametrize("point", [(0.7, 1.3), (1.9, 0.4), (1.0, 1.0)])
def test_every_primitive_traces_bit_identically(name: str, point: tuple[float, float]) -> None:
    f = ONE_EACH[name]
    program = trace(f, 0.5, 0.5)
    assert any(n.op == name for n in program.tape.order)
    value, grads = program.value_and_grad(*point)
    eager_value, eager_grads = minigrad.value_and_grad(f)(*point)
    assert _same(value, eager_value)
    assert all(_same(g, e) for g, e in zip(grads, eager_grads, strict=True))


@pytest.mark.parametrize(
    ("f", "args", "error"),
    [
        (lambda x: (x + 1.0).log(), (-1.5,), ValueError),
        (lambda x: 1.0 / (x - 2.0), (2.0,), ZeroDivisionError),
        (lambda x: (x * 100.0).exp(), (8.0,), OverflowError),
        (lambda x: (x * 1e300) * 1e10, (1.0,), OverflowError),
        (lambda x: (x * x).sqrt() - (x + 2.0).sqrt(), (-3.0,), ValueError),
    ],
)
def test_errors_on_floats_are_the_eager_engines(f, args, error) -> None:  # type: ignore[no-untyped-def]
    program = trace(f, 3e-300)
    with pytest.raises(error) as eager:
        minigrad.value_and_grad(f)(*args)
    with pytest.raises(error) as traced:
        program.value_and_grad(*args)
    assert str(traced.value) == str(eager.value)
    with pytest.raises(error, match=str(eager.value).split("(")[0]):
        program(*args)


def test_an_intermediate_overflow_that_vanishes_still_raises() -> None:
    f = lambda x: ((x * 1000.0).exp() + 1.0).log() * 0.0 + x  # noqa: E731 - exp overflows, the output would be nan
    program = trace(f, 0.0)
    with pytest.raises(OverflowError, match="exp"):
        program.value_and_grad(1.0)


def branchy(x: Value) -> Value:
    if x < 0.0:
        return -x * 2.0
    return x * x


def test_a_branch_is_a_guard_and_another_branch_retraces() -> None:
    program = trace(branchy, 3.0)
    assert "    if x < 0.0: _retrace(0)  # a guard\n" in program.source
    assert program.value_and_grad(3.0) == (9.0, 6.0)
    assert program.value_and_grad(-3.0) == (6.0, -2.0)  # traced again for the other branch
    assert program.value_and_grad(-1.0) == (2.0, -2.0)
    assert len(program._traces) == 2


def test_float_round_format_and_bool_are_guards() -> None:
    def f(x: Value) -> Value:
        scale = round(x, 1)  # the value itself used as a plain number: the trace holds only for that value
        return x * scale if x else x

    program = trace(f, 2.0)
    assert program.value_and_grad(2.0) == (4.0, 2.0)
    assert program.value_and_grad(3.0) == (9.0, 3.0)  # not 6.0: re-traced, since round(x) changed


def test_reading_data_directly_is_not_seen() -> None:
    """Documented limitation: a branch on ``.data`` is frozen into the trace."""
    program = trace(lambda x: x * 2.0 if x.data > 0 else -x, 1.0)
    assert program(-1.0) == -2.0  # the eager engine would give 1.0


def test_captured_values_are_read_live_and_backward_fills_their_grad() -> None:
    w = Value(2.0, "w")
    program = trace(lambda x: (w * x).tanh(), 0.5)
    w.data = -1.0
    y = (w * 0.25).tanh()
    y.backward()
    expected = w.grad
    w.grad = 0.0
    assert program.backward(0.25) == y.data
    assert w.grad == expected


def test_bad_arguments() -> None:
    program = trace(lambda w, x: w[0] * x, [1.0, 2.0], 1.0)
    with pytest.raises(TypeError, match="takes 2 arguments"):
        program([1.0, 2.0])
    with pytest.raises(ValueError, match="3 numbers, the trace was made with 2"):
        program([1.0, 2.0, 3.0], 1.0)
    with pytest.raises(TypeError, match="must be a number"):
        program([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="real number"):
        program([1.0, "2"], 1.0)
    with pytest.raises(ValueError, match="not the index"):
        trace(lambda x: x, 1.0, batched=(1,))
    with pytest.raises(TypeError, match="must return a Value or a number"):
        trace(lambda x: [x], 1.0)


def test_a_constant_function() -> None:
    program = trace(lambda x: 2.0, 1.0)
    assert program.value_and_grad(5.0) == (2.0, 0.0)


@given(recipes(), st.floats(-1, 1))
def test_big_random_dags_share_gradient_variables_and_stay_bit_identical(
    recipe: tuple[list[float], list[Step]], shift: float
) -> None:
    """Past ALIAS_ABOVE operations a gradient passed on unchanged reuses its node's variable: still the same bits."""
    leaves, steps = recipe

    def f(*xs: Value) -> Value:
        total = build_from(list(xs), steps)
        for k in range(1, 20):
            total = total + build_from([x + 0.1 * k for x in xs], steps) * (k + 0.5)
        return total

    program = trace(f, *leaves)
    assert sum(1 for n in program.tape.order if n.parents) > codegen.ALIAS_ABOVE
    point = [x + shift for x in leaves]
    value, grads = program.value_and_grad(*point)
    grads = list(grads) if isinstance(grads, tuple) else [grads]
    eager_value, eager_grads = minigrad.value_and_grad(f)(*point)
    eager_grads = list(eager_grads) if isinstance(eager_grads, tuple) else [eager_grads]
    assert _same(value, eager_value)
    assert all(_same(g, e) for g, e in zip(grads, eager_grads, strict=True))
