"""The training loop: :func:`fit` a model by gradient descent; :func:`predict` and :func:`accuracy`.

>>> from minigrad.data import gate
>>> from minigrad.nn import Neuron, SGD, binary_cross_entropy
>>> X, y = gate("AND")
>>> neuron = Neuron(2, seed=0)
>>> losses = fit(neuron, X, y, binary_cross_entropy, SGD(neuron.parameters(), lr=1.0), epochs=500)
>>> len(losses), losses[-1] < losses[0]
(500, True)
>>> accuracy(neuron, X, y)
1.0
"""

from __future__ import annotations

import contextlib
import gc
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeAlias

from tqdm import tqdm

from minigrad.engine import Value
from minigrad.functional import as_integer
from minigrad.nn import Module
from minigrad.optim import SGD
from minigrad.tracing.fitting import TracedLoss

__all__ = ["Loss", "accuracy", "batches", "fit", "predict"]

Loss: TypeAlias = Callable[[list[Any], list[Any]], Value]
"""A loss: ``loss(predictions, targets)`` over a batch, returning one ``Value`` (see :mod:`minigrad.losses`)."""


def _rows(inputs: Any) -> list[Any]:
    """The examples as plain Python lists (NumPy rows are much slower to multiply with ``Value`` s)."""
    return inputs.tolist() if hasattr(inputs, "tolist") else [list(x) for x in inputs]


def _labels(targets: Any) -> list[Any]:
    return targets.tolist() if hasattr(targets, "tolist") else list(targets)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector, restoring its previous state afterwards.

    A training step allocates hundreds of thousands of nodes that stay alive until its
    backward pass; the cycle collector keeps rescanning them, which made full-batch
    steps about three times slower. The graphs have no reference cycles (a node only
    points at its operands), so reference counting frees each one as soon as the next
    step replaces it: nothing is leaked while the collector rests.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def batches(n: int, batch_size: int | None, rng: random.Random | None) -> list[list[int]]:
    """The example indices of each step of one epoch over ``n`` examples.

    ``batch_size=None`` (or ``>= n``) is one full batch, in order; otherwise the
    indices are shuffled with ``rng`` (if given) and cut into batches, the last one
    possibly smaller. ``batch_size=1`` is one example per step. Any integer type works
    (a NumPy integer too), but not a bool.

    >>> batches(5, 2, None)
    [[0, 1], [2, 3], [4]]
    >>> batches(3, None, random.Random(0))
    [[0, 1, 2]]
    """
    if batch_size is not None:
        size = as_integer(batch_size)
        if size is None or size < 1:
            raise ValueError(f"batch_size must be a positive integer or None (full batch), got {batch_size!r}")
        batch_size = size
    order = list(range(n))
    if batch_size is None or batch_size >= n:
        return [order]
    if rng is not None:
        rng.shuffle(order)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def fit(
    model: Module,
    inputs: Sequence[Sequence[float]] | Any,
    targets: Sequence[Any] | Any,
    loss: Loss,
    optimizer: SGD,
    *,
    epochs: int = 1,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    progress: bool | None = None,
    description: str = "training",
    traced: bool = True,
) -> list[float]:
    """Train ``model`` by gradient descent; returns the loss of every step, in order.

    Each step builds the graph of ``loss([model(x) for x in batch], batch_targets)``,
    zeroes the gradients, runs ``backward`` and lets ``optimizer`` take its step.
    ``batch_size=None`` is full-batch gradient descent (one step per epoch), ``1`` is
    one example per step, anything between is mini-batch; mini-batches are drawn in
    a fresh order every epoch from ``random.Random(seed)`` unless ``shuffle=False``.

    ``inputs`` is a 2-D array or a list of examples, ``targets`` the matching labels.
    ``progress`` shows a ``tqdm`` bar: ``None`` (default) only when the output is a
    terminal, ``True`` always, ``False`` never.

    ``traced=True`` (default): the step runs as a traced program over the whole batch at
    once (:class:`minigrad.tracing.fitting.TracedLoss`) when the model and the loss trace,
    giving the eager step's loss and gradients to rounding; any step that cannot (an
    example taking another branch, an error to report, a loss that does not trace) runs
    eagerly. ``traced=False``: every step builds its graph of ``Value`` s.

    >>> from minigrad.nn import Neuron, SGD, mse
    >>> n = Neuron(1, activation="linear", seed=0)
    >>> losses = fit(n, [[0.0], [1.0]], [1.0, 3.0], mse, SGD(n.parameters(), lr=0.5), epochs=200, batch_size=1)
    >>> len(losses), round(n.w[0].data, 6), round(n.b.data, 6)
    (400, 2.0, 1.0)
    """
    rows, labels = _rows(inputs), _labels(targets)
    if len(rows) != len(labels):
        raise ValueError(f"{len(rows)} examples but {len(labels)} targets")
    if not rows:
        raise ValueError("no examples to train on")
    count = as_integer(epochs)
    if count is None or count < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    epochs = count
    rng = random.Random(seed) if shuffle else None
    stepper = TracedLoss(model, loss, rows, labels) if traced and _is_table(rows) else None
    steps_per_epoch = len(batches(len(rows), batch_size, None))
    losses: list[float] = []
    disable = None if progress is None else not progress
    bar = tqdm(total=epochs * steps_per_epoch, desc=description, unit="step", disable=disable)
    with bar, _cyclic_gc_paused():
        for _ in range(epochs):
            for batch in batches(len(rows), batch_size, rng):
                value = stepper.backward(batch) if stepper is not None else None
                if value is None:
                    root = loss([model(rows[i]) for i in batch], [labels[i] for i in batch])
                    optimizer.zero_grad()
                    root.backward()
                    value = root.data
                optimizer.step()
                losses.append(value)
                bar.update()
                bar.set_postfix(loss=f"{value + 0.0:.4f}", refresh=False)  # + 0.0: a loss of -0.0 shows as 0
    return losses


def _is_table(rows: list[Any]) -> bool:
    """Whether every example is a list of plain numbers of the same length (what a traced step takes)."""
    width = len(rows[0]) if isinstance(rows[0], list) else -1
    return all(isinstance(r, list) and len(r) == width for r in rows) and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for r in rows for x in r
    )


def predict(model: Module, inputs: Sequence[Sequence[float]] | Any) -> list[Any]:
    """The model's output for each example, as plain floats (a list of floats per example for several outputs).

    >>> from minigrad.nn import Neuron
    >>> predict(Neuron(2, seed=0), [[0.0, 0.0]])
    [0.5]
    """
    outputs = []
    for x in _rows(inputs):
        out = model(x)
        outputs.append([v.data for v in out] if isinstance(out, list) else out.data)
    return outputs


def accuracy(
    model: Module,
    inputs: Sequence[Sequence[float]] | Any,
    targets: Sequence[Any] | Any,
    threshold: float | None = None,
) -> float:
    """The share of examples classified right, from 0.0 to 1.0.

    With one output, the class is 1 when the output is above ``threshold``: by default
    0.5 for a ``sigmoid`` output (a probability) and 0.0 otherwise (a logit, or ``tanh``).
    With several outputs, the class is the index of the largest.

    >>> from minigrad.nn import Neuron
    >>> n = Neuron(1, seed=0); n.w[0].data = 1.0
    >>> accuracy(n, [[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 0])
    0.75
    """
    labels = _labels(targets)
    outputs = predict(model, inputs)
    if len(outputs) != len(labels):
        raise ValueError(f"{len(outputs)} examples but {len(labels)} targets")
    if not outputs:
        raise ValueError("accuracy of no examples is undefined")
    if threshold is None:
        threshold = 0.5 if model.output_activation == "sigmoid" else 0.0
    right = 0
    for out, y in zip(outputs, labels, strict=True):
        guess = max(range(len(out)), key=out.__getitem__) if isinstance(out, list) else int(out > threshold)
        right += guess == y
    return right / len(labels)
