"""Losses: closed forms, the canonical neuron's gradients, clamping, stability at extreme logits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad import Value, check_grad
from minigrad.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    clamped_log,
    cross_entropy,
    log_softmax,
    mse,
    softmax,
)
from minigrad.nn import Neuron

finite = st.floats(-5.0, 5.0)
labels = st.sampled_from([0, 1])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


@given(w1=finite, w2=finite, b=finite, x1=finite, x2=finite, y=labels)
def test_canonical_neuron_gradients(w1: float, w2: float, b: float, x1: float, x2: float, y: int) -> None:
    """DESIGN.md: a = σ(w1 x1 + w2 x2 + b), L = BCE(a, y) gives dL/dz = a − y, dL/dw_i = x_i (a − y), dL/db = a − y."""
    neuron = Neuron(2, seed=0)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = w1, w2, b
    z = neuron.pre_activation([x1, x2])
    a = z.sigmoid()
    loss = binary_cross_entropy(a, y)
    loss.backward()
    error = a.data - y
    assert z.grad == pytest.approx(error, rel=1e-9, abs=1e-12)
    assert neuron.w[0].grad == pytest.approx(x1 * error, rel=1e-9, abs=1e-12)
    assert neuron.w[1].grad == pytest.approx(x2 * error, rel=1e-9, abs=1e-12)
    assert neuron.b.grad == pytest.approx(error, rel=1e-9, abs=1e-12)
    assert loss.data == pytest.approx(-(y * math.log(a.data) + (1 - y) * math.log(1 - a.data)), rel=1e-12)


def test_canonical_neuron_numbers() -> None:
    neuron = Neuron(2, seed=0)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -1.0, 0.25
    a = neuron([2.0, 1.0])  # z = 1 - 1 + 0.25
    binary_cross_entropy(a, 1).backward()
    expected = _sigmoid(0.25) - 1
    assert neuron.b.grad == pytest.approx(expected, rel=1e-12)
    assert [w.grad for w in neuron.w] == pytest.approx([2 * expected, 1 * expected], rel=1e-12)


@given(p=st.floats(1e-6, 1 - 1e-6), y=st.floats(0.0, 1.0))
def test_bce_closed_form_and_gradient(p: float, y: float) -> None:
    prob = Value(p)
    loss = binary_cross_entropy(prob, y)
    loss.backward()
    assert loss.data == pytest.approx(-(y * math.log(p) + (1 - y) * math.log(1 - p)), rel=1e-12, abs=1e-15)
    assert prob.grad == pytest.approx(-y / p + (1 - y) / (1 - p), rel=1e-9)


@pytest.mark.parametrize(("p", "y", "expected"), [(0.0, 1, 100.0), (1.0, 0, 100.0), (0.0, 0, 0.0), (1.0, 1, 0.0)])
def test_bce_clamps_logs_at_minus_100_like_pytorch(p: float, y: int, expected: float) -> None:
    prob = Value(p)
    loss = binary_cross_entropy(prob, y)
    loss.backward()
    assert loss.data == expected
    assert math.isfinite(prob.grad)


def test_clamped_log_value_and_gradient() -> None:
    tiny = Value(1e-50)  # log would be -115
    out = clamped_log(tiny)
    out.backward()
    assert out.data == -100.0
    assert tiny.grad == pytest.approx(1e12)  # PyTorch floors p at 1e-12 in the gradient
    ordinary = Value(0.5)
    assert clamped_log(ordinary).op == "log"


def test_bce_through_saturated_sigmoid_is_finite() -> None:
    z = Value(-1000.0)
    loss = binary_cross_entropy(z.sigmoid(), 1)
    loss.backward()
    assert loss.data == 100.0
    assert math.isfinite(z.grad)


def test_bce_batch_is_the_mean() -> None:
    probs, targets = [0.9, 0.2, 0.6], [1, 0, 0]
    batch = binary_cross_entropy(probs, targets).data
    singles = [binary_cross_entropy(p, y).data for p, y in zip(probs, targets, strict=True)]
    assert batch == pytest.approx(sum(singles) / 3, rel=1e-15)


@pytest.mark.parametrize(
    ("prediction", "target", "message"),
    [(1.5, 1, "probability"), (0.5, 2, "target"), ([0.5, 0.5], [1], "2 predictions but 1 targets"),
     ([0.5], 1, "single target"), (0.5, [1], "one prediction"), ([], [], "empty")],
)  # fmt: skip
def test_bce_bad_input(prediction: object, target: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy(prediction, target)  # type: ignore[arg-type]


def test_bce_target_is_a_number_or_a_value() -> None:
    with pytest.raises(TypeError, match="real number"):
        binary_cross_entropy(0.5, "1")  # type: ignore[arg-type]
    label = Value(1.0)  # a Value label (as minigrad.trace feeds one per example) gives the same loss
    assert binary_cross_entropy(0.5, label).data == binary_cross_entropy(0.5, 1.0).data
    with pytest.raises(ValueError, match="target in"):
        binary_cross_entropy(0.5, Value(2.0))  # type: ignore[arg-type]


@given(z=st.floats(-1000.0, 1000.0), y=st.floats(0.0, 1.0))
def test_bce_with_logits_closed_form(z: float, y: float) -> None:
    exact = max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))
    assert binary_cross_entropy_with_logits(z, y).data == pytest.approx(exact, rel=1e-12, abs=1e-15)


@given(z=st.floats(-10.0, 10.0), y=labels)
def test_bce_with_logits_equals_bce_of_sigmoid(z: float, y: int) -> None:
    """The same function; the probability form loses digits to 1 − σ(z) as |z| grows."""
    assert binary_cross_entropy_with_logits(z, y).data == pytest.approx(
        binary_cross_entropy(_sigmoid(z), y).data, rel=1e-9, abs=1e-12
    )


@given(z=st.floats(-1000.0, 1000.0), y=st.floats(0.0, 1.0))
def test_bce_with_logits_gradient_is_sigmoid_minus_target(z: float, y: float) -> None:
    logit = Value(z)
    loss = binary_cross_entropy_with_logits(logit, y)
    loss.backward()
    assert math.isfinite(loss.data)
    assert logit.grad == pytest.approx(_sigmoid(z) - y, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("z", "y", "loss", "grad"), [(1000.0, 0, 1000.0, 1.0), (-1000.0, 1, 1000.0, -1.0),
                                                      (1000.0, 1, 0.0, 0.0), (-1000.0, 0, 0.0, 0.0)])  # fmt: skip
def test_bce_with_logits_at_extreme_logits(z: float, y: int, loss: float, grad: float) -> None:
    logit = Value(z)
    out = binary_cross_entropy_with_logits(logit, y)
    out.backward()
    assert (out.data, logit.grad) == (loss, grad)


def test_mse_value_and_gradient() -> None:
    p = [Value(1.0), Value(3.0)]
    loss = mse(p, [0.0, 1.0])
    loss.backward()
    assert loss.data == 2.5
    assert [v.grad for v in p] == [1.0, 2.0]  # 2 (p − y) / n


@given(st.lists(st.floats(-50.0, 50.0), min_size=1, max_size=6))
def test_softmax_is_a_distribution_and_shift_invariant(logits: list[float]) -> None:
    probs = [p.data for p in softmax(logits)]
    assert sum(probs) == pytest.approx(1.0, rel=1e-12)
    assert all(0.0 <= p <= 1.0 for p in probs)
    shifted = [p.data for p in softmax([z + 700.0 for z in logits])]
    assert shifted == pytest.approx(probs, rel=1e-9, abs=1e-15)


def test_softmax_and_log_softmax_do_not_overflow() -> None:
    assert [p.data for p in softmax([1000.0, 0.0, -1000.0])] == [1.0, 0.0, 0.0]
    assert [v.data for v in log_softmax([1000.0, 0.0])] == [0.0, -1000.0]


@given(st.lists(st.floats(-20.0, 20.0), min_size=2, max_size=6), st.data())
def test_cross_entropy_gradient_is_softmax_minus_onehot(logits: list[float], data: st.DataObject) -> None:
    target = data.draw(st.integers(0, len(logits) - 1))
    values = [Value(z) for z in logits]
    loss = cross_entropy(values, target)
    loss.backward()
    m = max(logits)
    total = sum(math.exp(z - m) for z in logits)
    expected = [math.exp(z - m) / total - (i == target) for i, z in enumerate(logits)]
    assert [v.grad for v in values] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert loss.data == pytest.approx(m + math.log(total) - logits[target], rel=1e-9, abs=1e-12)


def test_cross_entropy_matches_central_differences() -> None:
    result = check_grad(lambda z: cross_entropy(z, 1) * 2, [0.3, -1.2, 2.0, 0.0])
    assert result.ok, str(result)


def test_cross_entropy_batch_is_the_mean_and_finite_at_extremes() -> None:
    batch = [[0.0, 1.0], [1000.0, -1000.0]]
    loss = cross_entropy(batch, [1, 1])
    assert loss.data == pytest.approx((cross_entropy(batch[0], 1).data + 2000.0) / 2, rel=1e-12)


@pytest.mark.parametrize(
    ("logits", "target", "error"),
    [([0.0, 1.0], 2, ValueError), ([0.0, 1.0], -1, ValueError), ([0.0, 1.0], 1.0, TypeError),
     ([0.0, 1.0], True, TypeError), ([], 0, ValueError), ([[0.0, 1.0]], 0, ValueError), ([0.0, 1.0], [0], ValueError)],
)  # fmt: skip
def test_cross_entropy_bad_input(logits: list, target: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cross_entropy(logits, target)  # type: ignore[arg-type]


@pytest.mark.parametrize("loss", [binary_cross_entropy, mse, binary_cross_entropy_with_logits])
def test_a_string_target_is_a_type_error(loss) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="target must be a real number, got str"):
        loss(0.5, "1")
