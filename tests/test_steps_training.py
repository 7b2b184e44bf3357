"""The training view: gradient descent on freshly built graphs, and its stepper page."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from minigrad import Value
from minigrad.steps_training import descend, save_training_html, training_html


def neuron_loss(w1: Value, w2: Value, b: Value) -> Value:
    """Binary cross-entropy of a logistic neuron on the AND gate's (1, 0), target 0."""
    x1, x2, y = 1.0, 0.0, 0.0
    z = w1 * x1 + w2 * x2 + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    return -(y * a.log() + (1 - y) * (1 - a).log())


def test_descend_follows_the_closed_form_gradient() -> None:
    start = {"w1": 0.5, "w2": 0.5, "b": -0.75}
    updates = descend(neuron_loss, start, lr=1.0, updates=6)
    assert start == {"w1": 0.5, "w2": 0.5, "b": -0.75}  # the caller's mapping is not changed
    w1, w2, b = start.values()
    for u in updates:
        assert u.values == pytest.approx({"w1": w1, "w2": w2, "b": b}, abs=1e-15)
        a = 1 / (1 + math.exp(-(w1 * 1.0 + w2 * 0.0 + b)))
        assert u.loss == pytest.approx(-math.log(1 - a), rel=1e-12)
        assert u.grads["w1"] == pytest.approx(a - 0.0, rel=1e-12)  # dL/dw1 = x1 (a − y)
        assert u.grads["w2"] == 0.0  # x2 = 0
        assert u.grads["b"] == pytest.approx(a, rel=1e-12)
        w1, b = w1 - 1.0 * u.grads["w1"], b - 1.0 * u.grads["b"]
    losses = [u.loss for u in updates]
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0] / 4
    assert updates[0].graph.label == "L"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="updates must be a positive integer, got True"):
        descend(neuron_loss, {"w1": 0.0, "w2": 0.0, "b": 0.0}, updates=True)
    with pytest.raises(ValueError, match="lr must be a positive finite number, got nan"):
        descend(neuron_loss, {"w1": 0.0, "w2": 0.0, "b": 0.0}, lr=float("nan"))
    with pytest.raises(TypeError, match="loss_of must return a Value, got float"):
        descend(lambda x: 1.0, {"x": 0.0})
    with pytest.raises(ValueError, match="no updates to show"):
        training_html([], 0.1)


def test_the_page_has_one_frame_per_update(tmp_path: Path) -> None:
    out = save_training_html(tmp_path / "train.html", neuron_loss, {"w1": 0.5, "w2": 0.5, "b": -0.75}, lr=1.0,
                             updates=4, title="AND, one example")
    text = out.read_text(encoding="utf-8")
    assert text.count('class="mg-frame"') == 4 and "<title>AND, one example</title>" in text
    assert "update 0 of 3: loss 0.5759; w1 ← 0.5 − 1 × 0.4378 = 0.06218" in text
    assert text.count("<polyline") == 8  # per update: the whole curve and the part so far
