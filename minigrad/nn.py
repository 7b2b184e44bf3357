"""Neurons, layers and multilayer perceptrons made of ``Value`` nodes.

A :class:`Neuron` computes ``activation(w1·x1 + … + wn·xn + b)``; with the default
``activation="sigmoid"`` it is the logistic neuron. A :class:`Layer` is a list of neurons
reading the same inputs, an :class:`MLP` a chain of layers. Each is called on one example,
a list of plain numbers or ``Value`` s, and each has ``parameters()`` and ``zero_grad()``.

Initialisation is seeded: every module takes ``seed=``, an ``int`` or a
``random.Random`` (pass the same ``Random`` to several modules to draw their weights
from one stream). Without a seed, modules draw from one shared generator
(:mod:`minigrad.seeding`), so ``[Neuron(2) for _ in range(3)]`` are three different
neurons; ``minigrad.manual_seed(n)`` restarts it, as ``torch.manual_seed`` does.
Weights are drawn uniformly from ``±1/√nin`` (PyTorch's default for a linear layer),
or from ``±√(6/nin)`` for ``relu`` neurons (He initialisation, which keeps the scale
of the signal through a stack of ReLU layers); biases start at 0.

For convenience this module also exports the losses of :mod:`minigrad.losses` and the
optimizer :class:`~minigrad.optim.SGD`.

>>> from minigrad.nn import Neuron, binary_cross_entropy
>>> neuron = Neuron(2, seed=0)
>>> a = neuron([1.0, 0.0])
>>> loss = binary_cross_entropy(a, 1)
>>> loss.backward()
>>> neuron.b.grad == a.data - 1  # dL/db = a - y
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from minigrad.engine import Number, Value
from minigrad.functional import as_integer
from minigrad.functions import dot
from minigrad.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    log_softmax,
    mse,
    softmax,
)
from minigrad.optim import SGD
from minigrad.seeding import default_generator

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Layer",
    "Module",
    "Neuron",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "from_config",
    "init_bound",
    "log_softmax",
    "mse",
    "softmax",
]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
"""The activations a neuron can apply to ``w·x + b``; ``linear`` applies none."""

Seed: TypeAlias = int | random.Random
"""An integer seed, or a ``random.Random`` to draw from (and advance)."""

Inputs: TypeAlias = Sequence[Value | Number]
"""One example: a sequence of plain numbers or ``Value`` s."""


def _rng(seed: Seed | None) -> random.Random:
    if seed is None:
        return default_generator()
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int or a random.Random, got {type(seed).__name__}: {seed!r}")
    return random.Random(seed)


def _check_size(n: object, what: str) -> int:
    size = as_integer(n)  # a Python or NumPy integer, not a bool
    if size is None or size < 1:
        raise ValueError(f"{what} must be a positive integer, got {n!r}")
    return size


def _check_activation(activation: object) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    return str(activation)


def init_bound(nin: int, activation: str) -> float:
    """Half-width of the uniform distribution a neuron's weights are drawn from.

    ``√(6/nin)`` for ``relu`` (He), ``1/√nin`` otherwise.

    >>> init_bound(4, "sigmoid"), init_bound(6, "relu")
    (0.5, 1.0)
    """
    return math.sqrt(6.0 / nin) if activation == "relu" else 1.0 / math.sqrt(nin)


class Module:
    """Base class of everything with parameters: ``parameters()`` and ``zero_grad()``.

    >>> layer = Layer(3, 2, seed=0)
    >>> len(layer.parameters())
    8
    >>> layer.zero_grad()
    """

    def parameters(self) -> list[Value]:
        """Every trainable ``Value`` of the module, in a fixed, documented order."""
        return []

    def zero_grad(self) -> None:
        """Set ``.grad = 0.0`` on every parameter (not on the graph built from them)."""
        for p in self.parameters():
            p.grad = 0.0

    def config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this module's shape (see :func:`from_config`)."""
        raise NotImplementedError

    @property
    def output_activation(self) -> str:
        """The activation of the output neuron(s): ``sigmoid``, ``tanh``, ``relu`` or ``linear``."""
        raise NotImplementedError

    def __call__(self, x: Inputs) -> Any:
        raise NotImplementedError


class Neuron(Module):
    """``activation(w1·x1 + … + wn·xn + b)``; with ``activation="sigmoid"``, the logistic neuron.

    ``parameters()`` is ``[w1, …, wn, b]``. Calling the neuron on ``nin`` inputs builds
    one ``dot`` node ``w1·x1 + … + wn·xn + b·1`` (see :func:`minigrad.dot`; the same
    number as a chain of ``*`` and ``+``) and the activation node.

    >>> n = Neuron(2, seed=1)
    >>> n
    Neuron(2, activation='sigmoid')
    >>> [p.label for p in n.parameters()]
    ['w1', 'w2', 'b']
    >>> n.w[0].data = 1.0; n.w[1].data = 2.0; n.b.data = -3.0
    >>> n([1.0, 1.0]).data
    0.5
    """

    def __init__(self, nin: int, activation: str = "sigmoid", *, seed: Seed | None = None) -> None:
        self.nin = _check_size(nin, "nin")
        self.activation = _check_activation(activation)
        rng = _rng(seed)
        bound = init_bound(self.nin, self.activation)
        self.w = [Value(rng.uniform(-bound, bound), f"w{i + 1}") for i in range(self.nin)]
        self.b = Value(0.0, "b")

    def pre_activation(self, x: Inputs) -> Value:
        """``z = w·x + b``, the node the activation is applied to.

        >>> n = Neuron(1, seed=0); n.w[0].data = 2.0
        >>> n.pre_activation([3.0]).data
        6.0
        """
        if len(x) != self.nin:
            raise ValueError(f"this neuron takes {self.nin} inputs, got {len(x)}")
        return dot([*self.w, self.b], [*x, 1.0])  # type: ignore[return-value]

    def __call__(self, x: Inputs) -> Value:
        z = self.pre_activation(x)
        if self.activation == "linear":
            return z
        return getattr(z, self.activation)()  # type: ignore[no-any-return]

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def config(self) -> dict[str, Any]:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    @property
    def output_activation(self) -> str:
        return self.activation

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; called on an example, a list of ``nout`` outputs.

    ``parameters()`` is neuron by neuron: ``[w1, …, wn, b]`` of the first, then the next.
    Their labels say which neuron they belong to, ``n1.w1`` … ``n1.b``, ``n2.w1`` …, so
    drawings and gradient paths tell them apart.

    >>> layer = Layer(2, 3, activation="tanh", seed=0)
    >>> len(layer([1.0, -1.0]))
    3
    >>> [p.label for p in layer.parameters()][:4]
    ['n1.w1', 'n1.w2', 'n1.b', 'n2.w1']
    """

    def __init__(self, nin: int, nout: int, activation: str = "sigmoid", *, seed: Seed | None = None) -> None:
        self.nin = _check_size(nin, "nin")
        self.nout = _check_size(nout, "nout")
        self.activation = _check_activation(activation)
        rng = _rng(seed)
        self.neurons = [Neuron(self.nin, self.activation, seed=rng) for _ in range(self.nout)]
        for j, neuron in enumerate(self.neurons, 1):
            _prefix_labels(neuron, f"n{j}.")

    def __call__(self, x: Inputs) -> list[Value]:
        if len(x) != self.nin:
            raise ValueError(f"this layer takes {self.nin} inputs, got {len(x)}")
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def config(self) -> dict[str, Any]:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    @property
    def output_activation(self) -> str:
        return self.activation

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multilayer perceptron: layers of ``sizes[i]`` neurons, each reading the layer before.

    Hidden layers use ``activation`` (default ``relu``), the last layer
    ``output_activation`` (default ``linear``: its outputs are logits, for
    :func:`~minigrad.losses.binary_cross_entropy_with_logits` or
    :func:`~minigrad.losses.cross_entropy`). Called on an example, it returns a single
    ``Value`` when the last layer has one neuron, else a list. ``parameters()`` is layer
    by layer, labelled with their layer and neuron: ``L1.n2.w1`` is the first weight of
    the second neuron of the first layer.

    >>> mlp = MLP(2, [16, 16, 1], seed=0)
    >>> mlp
    MLP(2, [16, 16, 1], activation='relu', output_activation='linear')
    >>> len(mlp.parameters())
    337
    >>> type(mlp([0.5, -0.5])).__name__
    'Value'
    >>> [p.label for p in mlp.parameters()][-3:]
    ['L3.n1.w15', 'L3.n1.w16', 'L3.n1.b']
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        seed: Seed | None = None,
    ) -> None:
        self.nin = _check_size(nin, "nin")
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
            raise ValueError(f"sizes must be a non-empty list of layer sizes, got {sizes!r}")
        self.sizes = [_check_size(n, "a layer size") for n in sizes]
        self.activation = _check_activation(activation)
        self.final_activation = _check_activation(output_activation)
        rng = _rng(seed)
        widths = [self.nin, *self.sizes]
        last = len(self.sizes) - 1
        self.layers = [
            Layer(widths[i], widths[i + 1], self.final_activation if i == last else self.activation, seed=rng)
            for i in range(len(self.sizes))
        ]
        for i, layer in enumerate(self.layers, 1):
            _prefix_labels(layer, f"L{i}.")

    def __call__(self, x: Inputs) -> Value | list[Value]:
        out: Sequence[Value | Number] = x
        for layer in self.layers:
            out = layer(out)
        return out[0] if len(out) == 1 else out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def config(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "nin": self.nin,
            "sizes": list(self.sizes),
            "activation": self.activation,
            "output_activation": self.final_activation,
        }

    @property
    def output_activation(self) -> str:
        return self.final_activation

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.sizes}, activation={self.activation!r}, "
            f"output_activation={self.final_activation!r})"
        )


def _prefix_labels(module: Module, prefix: str) -> None:
    """Put ``prefix`` before the label of every parameter of ``module`` (where it sits in a larger module)."""
    for p in module.parameters():
        p.label = prefix + p.label


_TYPES: dict[str, Callable[..., Module]] = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP}


def from_config(config: dict[str, Any], *, seed: Seed = 0) -> Module:
    """A new module of the shape ``config`` describes (the output of ``module.config()``).

    A ``ValueError`` names what is wrong with a config that does not describe a module.

    >>> from_config({"type": "MLP", "nin": 2, "sizes": [4, 1], "activation": "tanh",
    ...              "output_activation": "sigmoid"})
    MLP(2, [4, 1], activation='tanh', output_activation='sigmoid')
    """
    if not isinstance(config, dict):
        raise ValueError(f"a model config must be a JSON object, got {type(config).__name__}")
    kind = config.get("type")
    if kind not in _TYPES:
        raise ValueError(f"unknown model type {kind!r}; expected one of {', '.join(_TYPES)}")
    arguments = {k: v for k, v in config.items() if k != "type"}
    try:
        return _TYPES[kind](**arguments, seed=seed)
    except TypeError as error:
        raise ValueError(f"bad {kind} config {config!r}: {error}") from None
