"""The training loop: batches, loss per step, determinism, progress bar, predictions and accuracy."""

from __future__ import annotations

import gc
import random

import numpy as np
import pytest

from minigrad.data import gate, make_blobs
from minigrad.nn import SGD, Layer, Neuron, binary_cross_entropy, cross_entropy, mse
from minigrad.training import accuracy, batches, fit, predict


def test_batches() -> None:
    assert batches(5, None, random.Random(0)) == [[0, 1, 2, 3, 4]]
    assert batches(5, 10, random.Random(0)) == [[0, 1, 2, 3, 4]]
    assert batches(5, 2, None) == [[0, 1], [2, 3], [4]]
    shuffled = batches(10, 1, random.Random(0))
    assert len(shuffled) == 10 and sorted(i for b in shuffled for i in b) == list(range(10))
    assert shuffled != batches(10, 1, None)
    with pytest.raises(ValueError, match="batch_size"):
        batches(5, 0, None)


@pytest.mark.parametrize(("batch_size", "steps"), [(None, 3), (4, 3), (2, 6), (1, 12)])
def test_one_loss_per_step(batch_size: int | None, steps: int) -> None:
    X, y = gate("OR")
    neuron = Neuron(2, seed=0)
    losses = fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=0.5), epochs=3, batch_size=batch_size)
    assert len(losses) == steps
    assert all(isinstance(v, float) for v in losses)


def test_full_batch_step_is_the_gradient_of_the_mean_loss() -> None:
    X, y = gate("AND")
    neuron = Neuron(2, seed=0)
    before = [p.data for p in neuron.parameters()]
    fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=1)
    a = 1 / (1 + np.exp(-(X @ np.array(before[:2]) + before[2])))
    grad_w = X.T @ (a - y) / 4
    assert [p.data for p in neuron.parameters()] == pytest.approx(
        [before[0] - grad_w[0], before[1] - grad_w[1], before[2] - (a - y).mean()], rel=1e-12
    )


def test_training_is_deterministic() -> None:
    X, y = make_blobs(40, centers=[[-2.0, 0.0], [2.0, 0.0]], seed=0)
    runs = []
    for _ in range(2):
        neuron = Neuron(2, seed=1)
        losses = fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=0.3), epochs=2, batch_size=8)
        runs.append((losses, [p.data for p in neuron.parameters()]))
    assert runs[0] == runs[1]


def test_progress_bar_is_quiet_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    X, y = gate("AND")
    neuron = Neuron(2, seed=0)
    fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=5)  # not a terminal
    fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=5, progress=False)
    assert capsys.readouterr().err == ""
    fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=5, progress=True)
    assert "5/5" in capsys.readouterr().err


def test_cyclic_gc_state_is_restored() -> None:
    X, y = gate("AND")
    neuron = Neuron(2, seed=0)
    assert gc.isenabled()
    fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fit_rejects_mismatched_data() -> None:
    neuron = Neuron(2, seed=0)
    with pytest.raises(ValueError, match="4 examples but 3 targets"):
        fit(neuron, gate("AND")[0], [0, 0, 1], mse, SGD(neuron.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="epochs"):
        fit(neuron, *gate("AND"), mse, SGD(neuron.parameters(), lr=0.1), epochs=-1)


def test_softmax_layer_learns_three_blobs() -> None:
    X, y = make_blobs(60, centers=[[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]], std=0.5, seed=0)
    layer = Layer(2, 3, "linear", seed=0)
    fit(layer, X, y, cross_entropy, SGD(layer.parameters(), lr=0.5), epochs=20, batch_size=10)
    assert accuracy(layer, X, y) == 1.0
    assert len(predict(layer, X[:2])[0]) == 3


def test_accuracy_thresholds() -> None:
    linear = Neuron(1, "linear", seed=0)
    linear.w[0].data = 1.0
    assert accuracy(linear, [[-1.0], [0.5]], [0, 1]) == 1.0  # a logit: threshold 0
    sigmoid = Neuron(1, seed=0)
    sigmoid.w[0].data = 1.0
    assert accuracy(sigmoid, [[-1.0], [0.5]], [0, 1]) == 1.0  # a probability: threshold 0.5
    assert accuracy(sigmoid, [[-1.0], [0.5]], [0, 1], threshold=0.9) == 0.5
    with pytest.raises(ValueError):
        accuracy(sigmoid, [[1.0]], [0, 1])


def test_numpy_integers_are_accepted_for_epochs_and_batch_size() -> None:
    X, y = gate("AND")
    results = []
    for epochs, batch_size in [(2, 1), (np.int64(2), np.int64(1)), (np.int32(2), np.uint8(1))]:
        neuron = Neuron(2, seed=0)
        losses = fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=0.5),
                     epochs=epochs, batch_size=batch_size)  # fmt: skip
        results.append((losses, [p.data for p in neuron.parameters()]))
    assert len(results[0][0]) == 8 and results[1] == results[0] == results[2]
    assert batches(5, np.int64(2), None) == [[0, 1], [2, 3], [4]]
    neuron = Neuron(2, seed=0)
    for bad in ({"epochs": True}, {"epochs": 2.0}, {"epochs": np.int64(-1)}, {"batch_size": True},
                {"batch_size": 1.0}, {"batch_size": np.int64(0)}):  # fmt: skip
        with pytest.raises(ValueError, match=r"epochs|batch_size"):
            fit(neuron, X, y, mse, SGD(neuron.parameters(), lr=0.1), **bad)
