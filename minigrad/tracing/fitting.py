"""A training step's loss and gradients from traced programs: what :func:`minigrad.training.fit` runs by default.

``loss(model(x), y)`` is traced once per distinct target value (the target stays a plain
number, as the losses require; a classifier has a few), with the example ``x`` batched and
the model's parameters read live. A batch is split by target, each part runs on NumPy
arrays at once, and the parts' sums give the batch's mean loss and mean gradient: what
``loss([model(x) for x in batch], targets).backward()`` gives, to rounding.

Whenever that is not possible (the model or the loss does not trace, too many distinct
targets, an example takes another branch than the traced one, an error the eager engine
must report), :meth:`TracedLoss.backward` returns ``None`` and the caller runs the step eagerly.

>>> import numpy as np
>>> from minigrad.nn import Neuron, binary_cross_entropy
>>> neuron = Neuron(2, seed=0)
>>> step = TracedLoss(neuron, binary_cross_entropy, np.array([[0.0, 0.0], [1.0, 1.0]]), [0, 1])
>>> traced = step.backward([0, 1])
>>> grads = [p.grad for p in neuron.parameters()]
>>> eager = binary_cross_entropy([neuron([0.0, 0.0]), neuron([1.0, 1.0])], [0, 1])
>>> neuron.zero_grad(); eager.backward()
>>> abs(traced - eager.data) < 1e-15, all(abs(g - p.grad) < 1e-15 for g, p in zip(grads, neuron.parameters()))
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.engine import Value
from minigrad.tracing.arrays import GuardError
from minigrad.tracing.program import Program

__all__ = ["MAX_TARGETS", "TracedLoss"]

MAX_TARGETS = 16
"""Above this many distinct target values (regression), training runs eagerly."""


class TracedLoss:
    """``loss(model(x), y)`` over batches of ``inputs`` (rows) and ``targets``, traced per target value.

    ``usable`` is false when training must run eagerly (see the module's example).

    >>> from minigrad.nn import Neuron, mse
    >>> TracedLoss(Neuron(1, seed=0), mse, [[0.0], [1.0]], [0.5, 1.5]).usable
    True
    """

    def __init__(self, model: Any, loss: Callable[..., Any], inputs: Any, targets: Sequence[Any]) -> None:
        self.model = model
        self.loss = loss
        self.inputs = np.asarray(inputs, dtype=float)
        self.targets = list(targets)
        self.parameters: list[Value] = model.parameters()
        self.programs: dict[Any, Program] = {}
        distinct = set(self.targets)
        self.usable = self.inputs.ndim == 2 and len(distinct) <= MAX_TARGETS

    def _program(self, target: Any, row: np.ndarray) -> Program:
        if target not in self.programs:
            model, loss = self.model, self.loss
            self.programs[target] = Program(lambda x: loss(model(x), target), [row.tolist()], batched=(0,))
        return self.programs[target]

    def backward(self, batch: Sequence[int]) -> float | None:
        """Set every parameter's ``.grad`` to the batch's mean gradient and return its mean loss, or ``None``.

        ``None``: nothing was changed; run this step eagerly.
        """
        if not self.usable:
            return None
        groups: dict[Any, list[int]] = {}
        for i in batch:
            groups.setdefault(self.targets[i], []).append(i)
        total = 0.0
        grads: dict[Value, float] = {}
        try:
            for target, rows in groups.items():
                x = self.inputs[rows]
                program = self._program(target, x[0])
                value, _, captured = program._run((x,), want_grad=True)
                total += value
                for leaf, g in captured.items():
                    grads[leaf] = grads[leaf] + g if leaf in grads else g
        except GuardError:
            self.usable = False  # more branches than traces are kept: this loss does not vectorise
            return None
        except (ArithmeticError, ValueError):
            return None  # the eager step decides: its own error, without the traced step's indices
        except TypeError:
            self.usable = False  # the model or the loss does not trace (e.g. a target it cannot take as a constant)
            return None
        m = len(batch)
        for p in self.parameters:
            p.grad = grads[p] / m if p in grads else 0.0
        return total / m
