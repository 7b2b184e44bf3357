"""minigrad.trace over batches: NumPy and Dask arrays against each example's own eager run; errors; branches; fit."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_random_graphs import Step, build, recipes
from test_trace import ONE_EACH, build_from

import minigrad
from minigrad import Value, trace
from minigrad.tracing import GuardError


def _close(traced: float, eager: list[float], rel: float = 1e-12) -> bool:
    """``traced`` equals the sum of ``eager`` to ``rel`` of the sum of their sizes (the scale of a sum's rounding)."""
    scale = sum(abs(e) for e in eager)
    return abs(traced - math.fsum(eager)) <= rel * scale + 1e-300


def _eager_sums(f, shared: list, batch: np.ndarray, position: int) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    values, grads = [], []
    for row in batch:
        args = list(shared)
        args.insert(position, row.tolist() if batch.ndim == 2 else float(row))
        value, g = minigrad.value_and_grad(f)(*args)
        values.append(value)
        g = list(g) if isinstance(g, tuple) else [g]
        del g[position]
        grads.append(g)
    return values, grads


@given(recipes(), st.lists(st.floats(-2, 2), min_size=20, max_size=20))
def test_random_dags_on_a_numpy_batch_match_each_examples_eager_run(
    recipe: tuple[list[float], list[Step]], column: list[float]
) -> None:
    leaves, steps = recipe

    def f(*xs: Value) -> Value:
        return build_from(list(xs), steps)

    batch = np.array(column)
    for m in (20, 5):  # the array replay, and the float code example by example
        program = trace(f, *leaves, batched=(0,))
        value, grads = program.value_and_grad(batch[:m], *leaves[1:])
        grads = list(grads) if isinstance(grads, tuple) else [grads]
        values, eager = _eager_sums(f, leaves[1:], batch[:m], 0)
        assert _close(value, values)
        for k, g in enumerate(grads):
            assert _close(g, [e[k] for e in eager])


assert build  # the same generator as the eager property tests


@pytest.mark.parametrize("name", sorted(ONE_EACH))
def test_every_primitive_on_a_batch(name: str) -> None:
    f = ONE_EACH[name]
    batch = np.linspace(0.3, 1.9, 40)
    program = trace(f, 0.5, 0.7, batched=(0,), mean=True)
    value, grad = program.value_and_grad(batch, 0.9)
    values, grads = _eager_sums(f, [0.9], batch, 0)
    assert _close(value * 40, values)
    assert _close(grad * 40, [g[0] for g in grads])


def test_a_batched_sequence_and_mean() -> None:
    def loss(w: list[Value], x: list[Value], y: Value) -> Value:
        p = minigrad.dot(w, x).sigmoid()
        return -(y * p.log() + (1.0 - y) * (1.0 - p).log())

    rng = np.random.default_rng(0)
    X, Y, w = rng.normal(size=(50, 3)), (rng.random(50) > 0.5).astype(float), [0.1, -0.2, 0.3]
    program = trace(loss, w, X[0].tolist(), Y[0], batched=(1, 2), mean=True)
    value, grad = program.value_and_grad(w, X, Y)
    terms = lambda w: [loss(w, x.tolist(), y) for x, y in zip(X, Y, strict=True)]  # noqa: E731
    eager = minigrad.value_and_grad(lambda w: minigrad.sum(terms(w)) / 50)(w)
    assert value == pytest.approx(eager[0], rel=1e-13)
    assert grad == pytest.approx(eager[1], rel=1e-12)
    with pytest.raises(ValueError, match=r"shape \(m, 3\)"):
        program.value_and_grad(w, X[:, :2], Y)
    with pytest.raises(ValueError, match="different numbers of examples"):
        program.value_and_grad(w, X, Y[:10])


@pytest.mark.parametrize("m", [40, 8])
@pytest.mark.parametrize(
    ("f", "bad", "error"),
    [
        (lambda w, x: (w * x).log(), -1.0, ValueError),
        (lambda w, x: w / (x - 2.0), 2.0, ZeroDivisionError),
        (lambda w, x: (w * x).exp(), 800.0, OverflowError),
        (lambda w, x: w * (x * 1e300), 1e10, OverflowError),
        (lambda w, x: (x + w).sqrt(), -5.0, ValueError),
    ],
)
def test_errors_name_the_example_and_nothing_warns(f, bad, error, m) -> None:  # type: ignore[no-untyped-def]
    batch = np.linspace(0.1, 1.0, m)
    batch[m - 3] = bad
    program = trace(f, 1.0, 0.5, batched=(1,))
    with pytest.raises(error) as eager:
        f(Value(1.0), Value(bad))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error) as traced:
            program.value_and_grad(1.0, batch)
    assert str(traced.value) == f"example {m - 3}: {eager.value}"


def branchy(w: Value, x: Value) -> Value:
    if x * w < 0.0:
        return -(x * w) * 2.0
    return (x * w) ** 2


@pytest.mark.parametrize("m", [40, 8])
def test_a_batch_whose_examples_branch_differently_is_split_by_branch(m: int) -> None:
    batch = np.linspace(-2.0, 2.0, m)
    program = trace(branchy, 1.5, 1.0, batched=(1,))
    value, grad = program.value_and_grad(1.5, batch)
    values, grads = _eager_sums(branchy, [1.5], batch, 1)
    assert _close(value, values)
    assert _close(grad, [g[0] for g in grads])


def test_too_many_branches_is_a_guard_error() -> None:
    def f(w: Value, x: Value) -> Value:
        return w * round(x, 3)  # the value of x itself: one branch per distinct x

    program = trace(f, 1.0, 0.0, batched=(1,))
    with pytest.raises(GuardError, match="another branch than the 8 traces"):
        program.value_and_grad(1.0, np.linspace(0.0, 1.0, 40))


def test_dask_arrays_give_numpys_numbers() -> None:
    da = pytest.importorskip("dask.array")

    def f(w: list[Value], x: list[Value], y: Value) -> Value:
        return (minigrad.dot(w, x).tanh() - y) ** 2

    rng = np.random.default_rng(1)
    X, Y, w = rng.normal(size=(100, 4)), rng.normal(size=100), [0.5, -0.1, 0.2, 0.3]
    program = trace(f, w, X[0].tolist(), Y[0], batched=(1, 2), mean=True)
    on_numpy = program.value_and_grad(w, X, Y)
    on_dask = program.value_and_grad(w, da.from_array(X, chunks=(25, 4)), da.from_array(Y, chunks=25))
    assert on_dask[0] == pytest.approx(on_numpy[0], rel=1e-13)
    assert on_dask[1] == pytest.approx(on_numpy[1], rel=1e-13)
    logs = trace(lambda w, x: (w * x).log(), 1.0, 0.5, batched=(1,))
    column = np.linspace(0.5, 1.0, 100)
    column[70] = -2.0
    with pytest.raises(ValueError, match=r"^example 70: log\(x\) needs x > 0"), warnings.catch_warnings():
        warnings.simplefilter("error")
        logs.value_and_grad(1.0, da.from_array(column, chunks=25))


# ---------------------------------------------------------------------------- training


def _curves(make, loss, X, y, **options):  # type: ignore[no-untyped-def]
    from minigrad.nn import SGD
    from minigrad.training import fit

    curves = []
    for traced in (True, False):
        model = make()
        optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
        curves.append(fit(model, X, y, loss, optimizer, traced=traced, progress=False, **options))
    return curves


@pytest.mark.parametrize("batch_size", [None, 32, 7])
def test_fit_traced_gives_the_eager_loss_curve_logistic_neuron(batch_size: int | None) -> None:
    from minigrad.data import Standardizer, load_digits
    from minigrad.nn import Neuron, binary_cross_entropy

    X, y = load_digits(target=3)
    X = Standardizer().fit(X).transform(X)[:300]
    traced, eager = _curves(
        lambda: Neuron(64, seed=0), binary_cross_entropy, X, y[:300], epochs=3, batch_size=batch_size
    )
    assert len(traced) == len(eager)
    assert traced == pytest.approx(eager, rel=1e-12, abs=1e-15)


def test_fit_traced_gives_the_eager_loss_curve_mlp_with_branching_loss() -> None:
    from minigrad.data import make_moons
    from minigrad.nn import MLP, binary_cross_entropy_with_logits

    X, y = make_moons(60, noise=0.1, seed=0)
    traced, eager = _curves(
        lambda: MLP(2, [8, 1], seed=0), binary_cross_entropy_with_logits, X, y, epochs=5, batch_size=20
    )
    assert traced == pytest.approx(eager, rel=1e-12)


def test_fit_falls_back_to_eager_for_a_loss_that_does_not_trace() -> None:
    from minigrad.data import gate
    from minigrad.nn import Layer, cross_entropy

    X, y = gate("AND")
    traced, eager = _curves(lambda: Layer(2, 2, activation="linear", seed=0), cross_entropy, X, y, epochs=5)
    assert traced == eager


def test_train_command_no_trace_gives_the_same_loss(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from minigrad.cli import main

    out = {}
    for flag in ([], ["--no-trace"]):
        folder = tmp_path / ("eager" if flag else "traced")
        assert main(["train", "--data", "and", "--epochs", "50", "--quiet", "--out", str(folder), *flag]) == 0
        with open(folder / "loss.csv") as f:
            out[bool(flag)] = [float(row[-1]) for row in list(csv.reader(f))[1:]]
    assert out[False] == pytest.approx(out[True], rel=1e-12)


def test_traced_loss_runs_traced_steps_and_gives_up_where_it_must() -> None:
    from minigrad.data import gate
    from minigrad.nn import Layer, Neuron, binary_cross_entropy, cross_entropy
    from minigrad.tracing.fitting import TracedLoss

    X, y = gate("AND")
    step = TracedLoss(Neuron(2, seed=0), binary_cross_entropy, X, y.tolist())
    assert isinstance(step.backward([0, 1, 2, 3]), float)
    assert sorted(step.programs) == [0, 1]
    many = np.random.default_rng(0).normal(size=(40, 2))
    softmax = TracedLoss(Layer(2, 2, activation="linear", seed=0), cross_entropy, many, [0, 1] * 20)
    assert softmax.backward(list(range(40))) is None  # log_softmax reads every logit as a number: no vectorising
    assert not softmax.usable
    regression = TracedLoss(Neuron(2, seed=0), binary_cross_entropy, X, [0.1, 0.2, 0.3, 0.4] * 5)
    assert regression.usable  # a few distinct targets
    assert not TracedLoss(Neuron(2, seed=0), binary_cross_entropy, np.zeros((20, 2)), list(range(20))).usable


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "mse", "binary_cross_entropy_with_logits"])
def test_the_library_losses_trace_with_a_batched_label(loss: str) -> None:
    import minigrad.losses

    def f(w: Value, x: Value, y: Value) -> Value:
        z = w * x
        return getattr(minigrad.losses, loss)(z.sigmoid() if loss != "binary_cross_entropy_with_logits" else z, y)

    program = minigrad.trace(f, 0.5, 1.0, 1.0, batched=(1, 2), mean=True)
    X, Y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 1.0])
    value, grad_w = program.value_and_grad(0.3, X, Y)
    eager = []
    for x, y in zip(X, Y, strict=True):
        eager.append(minigrad.value_and_grad(lambda w, x=x, y=y: f(w, Value(x), Value(y)))(0.3))
    assert value == pytest.approx(sum(v for v, _ in eager) / 3, rel=1e-12)
    assert grad_w == pytest.approx(sum(g for _, g in eager) / 3, rel=1e-12)


def test_a_batch_sum_that_overflows_is_an_error_not_inf() -> None:
    program = minigrad.trace(lambda w, x: w * x, 1.0, 1.0, batched=(1,), mean=True)
    with pytest.raises(OverflowError, match="batch of 20 examples overflows"):
        program.value_and_grad(1.0, np.full(20, 1e308))


def test_a_number_for_a_batched_argument_is_a_clear_error() -> None:
    program = minigrad.trace(lambda w, x, y: (w * x - y) ** 2, 1.0, 1.0, 1.0, batched=(1, 2))
    with pytest.raises(TypeError, match="argument 2 is batched: give one row per example"):
        program.value_and_grad(1.0, np.array([1.0, 2.0]), 1.0)
