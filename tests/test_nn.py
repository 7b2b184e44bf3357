"""Neuron, Layer, MLP: initialisation, shapes, errors, and what they can learn (AND, OR, XOR, moons)."""

from __future__ import annotations

import math
import random

import pytest

import minigrad
from minigrad import Value
from minigrad.data import gate, make_moons
from minigrad.nn import (
    MLP,
    SGD,
    Layer,
    Neuron,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    from_config,
    init_bound,
)
from minigrad.training import accuracy, fit


def _weights(module: Neuron | Layer | MLP) -> list[float]:
    return [p.data for p in module.parameters()]


def test_same_seed_same_weights_and_different_seeds_differ() -> None:
    assert _weights(MLP(3, [4, 2], seed=5)) == _weights(MLP(3, [4, 2], seed=5))
    assert _weights(MLP(3, [4, 2], seed=5)) != _weights(MLP(3, [4, 2], seed=6))
    assert _weights(Neuron(4, seed=random.Random(1))) == _weights(Neuron(4, seed=1))


def test_a_shared_random_stream_gives_different_neurons() -> None:
    rng = random.Random(0)
    assert _weights(Neuron(3, seed=rng)) != _weights(Neuron(3, seed=rng))
    layer = Layer(3, 2, seed=0)
    assert _weights(layer.neurons[0]) != _weights(layer.neurons[1])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_initial_weights_within_the_documented_bound_and_zero_bias(activation: str) -> None:
    neuron = Neuron(50, activation, seed=3)
    bound = math.sqrt(6 / 50) if activation == "relu" else 1 / math.sqrt(50)
    assert init_bound(50, activation) == bound
    assert all(-bound <= w.data <= bound for w in neuron.w)
    assert max(abs(w.data) for w in neuron.w) > bound / 2
    assert neuron.b.data == 0.0


def test_parameters_order_and_counts() -> None:
    neuron = Neuron(3, seed=0)
    assert neuron.parameters() == [*neuron.w, neuron.b]
    layer = Layer(3, 2, seed=0)
    assert layer.parameters() == layer.neurons[0].parameters() + layer.neurons[1].parameters()
    mlp = MLP(2, [16, 16, 1], seed=0)
    assert len(mlp.parameters()) == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1
    assert mlp.parameters()[:48] == mlp.layers[0].parameters()


@pytest.mark.parametrize(
    ("activation", "expected"),
    [("sigmoid", 1 / (1 + math.exp(-0.5))), ("tanh", math.tanh(0.5)), ("relu", 0.5), ("linear", 0.5)],
)
def test_neuron_output(activation: str, expected: float) -> None:
    neuron = Neuron(2, activation, seed=0)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 1.0, -2.0, 0.5
    assert neuron([2.0, 1.0]).data == pytest.approx(expected, rel=1e-15)
    neuron.b.data = -10.0
    if activation == "relu":
        assert neuron([2.0, 1.0]).data == 0.0


def test_inputs_may_be_values_and_receive_gradients() -> None:
    neuron = Neuron(2, "linear", seed=0)
    neuron.w[0].data, neuron.w[1].data = 3.0, -1.0
    x = [Value(1.0), Value(2.0)]
    neuron(x).backward()
    assert [v.grad for v in x] == [3.0, -1.0]


def test_pre_activation_is_one_dot_node_equal_to_the_sum_of_products() -> None:
    """``w·x + b`` is one ``dot`` node, the same number (bit for bit) as ``sum([w1*x1, …, wn*xn, b])``."""
    neuron = Neuron(7, seed=3)
    neuron.b.data = 0.1
    rng = random.Random(4)
    x = [rng.uniform(-3.0, 3.0) for _ in range(7)]
    z = neuron.pre_activation(x)
    assert z.op == "dot" and z.parents == (*neuron.w, neuron.b)
    assert z.data == minigrad.sum([*(w * xi for w, xi in zip(neuron.w, x, strict=True)), neuron.b]).data
    z.backward()
    assert [w.grad for w in neuron.w] == x and neuron.b.grad == 1.0


def test_zero_grad_resets_parameters() -> None:
    mlp = MLP(2, [3, 1], seed=0)
    mlp([1.0, 2.0]).backward()
    assert any(p.grad for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 for p in mlp.parameters())


def test_layer_and_mlp_output_types() -> None:
    assert len(Layer(2, 3, seed=0)([1.0, 2.0])) == 3
    assert len(Layer(2, 1, seed=0)([1.0, 2.0])) == 1
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    assert len(MLP(2, [3, 4], seed=0)([1.0, 2.0])) == 4


def test_mlp_activations() -> None:
    mlp = MLP(2, [3, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    assert [layer.activation for layer in mlp.layers] == ["tanh", "tanh", "sigmoid"]
    assert mlp.output_activation == "sigmoid"


@pytest.mark.parametrize(
    ("build", "message"),
    [(lambda: Neuron(0), "nin"), (lambda: Neuron(2, "softplus"), "unknown activation"),
     (lambda: Layer(2, 0), "nout"), (lambda: MLP(2, []), "sizes"), (lambda: MLP(2, [3, 0]), "layer size"),
     (lambda: Neuron(2.5), "nin")],  # type: ignore[arg-type]
)  # fmt: skip
def test_bad_shapes(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_bad_seed() -> None:
    with pytest.raises(TypeError, match="seed"):
        Neuron(2, seed="abc")  # type: ignore[arg-type]


def test_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="takes 2 inputs, got 1"):
        MLP(2, [3, 1])([1.0])


def test_from_config_round_trip_and_errors() -> None:
    for module in (Neuron(3, "tanh"), Layer(2, 4, "relu"), MLP(2, [4, 1], "tanh", "sigmoid")):
        assert from_config(module.config()).config() == module.config()
    with pytest.raises(ValueError, match="unknown model type"):
        from_config({"type": "Conv2d"})
    with pytest.raises(ValueError, match="bad Neuron config"):
        from_config({"type": "Neuron", "nin": 2, "width": 3})


@pytest.mark.parametrize("name", ["AND", "OR"])
def test_one_sigmoid_neuron_learns_and_and_or(name: str) -> None:
    X, y = gate(name)
    neuron = Neuron(2, seed=0)
    losses = fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=1000)
    assert accuracy(neuron, X, y) == 1.0
    assert losses[-1] < 0.05 < losses[0]


def test_one_neuron_cannot_learn_xor() -> None:
    X, y = gate("XOR")
    for seed in range(3):
        neuron = Neuron(2, seed=seed)
        fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=1000)
        assert accuracy(neuron, X, y) <= 0.75


def test_a_2_4_1_mlp_learns_xor() -> None:
    X, y = gate("XOR")
    mlp = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    losses = fit(mlp, X, y, binary_cross_entropy, SGD(mlp.parameters(), lr=0.5, momentum=0.9), epochs=300)
    assert accuracy(mlp, X, y) == 1.0
    assert losses[-1] < 0.01


def test_micrograd_demo_shape_mlp_2_16_16_1_fits_100_moons() -> None:
    X, y = make_moons(100, noise=0.1, seed=0)
    mlp = MLP(2, [16, 16, 1], seed=0)  # relu hidden layers, a linear output: a logit
    optimizer = SGD(mlp.parameters(), lr=0.1, momentum=0.9)
    fit(mlp, X, y, binary_cross_entropy_with_logits, optimizer, epochs=30, batch_size=10, seed=0)
    assert accuracy(mlp, X, y) == 1.0


def test_design_names_are_reachable_from_minigrad_nn() -> None:
    import minigrad

    for name in ("Neuron", "Layer", "MLP", "Module", "binary_cross_entropy", "mse", "SGD"):
        assert hasattr(minigrad.nn, name), name
