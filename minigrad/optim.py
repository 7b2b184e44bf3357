"""Gradient descent: :class:`SGD`, with optional momentum.

>>> from minigrad import Value
>>> w = Value(3.0)
>>> opt = SGD([w], lr=0.1)
>>> loss = w * w
>>> loss.backward()
>>> opt.step()
>>> w.data  # 3 - 0.1 * 6
2.4
"""

from __future__ import annotations

from collections.abc import Iterable

from minigrad.engine import Value

__all__ = ["SGD"]


class SGD:
    """Stochastic gradient descent over a list of parameters, as ``torch.optim.SGD``.

    ``step()`` moves every parameter against its gradient: ``v = momentum·v + grad``,
    then ``p.data -= lr·v`` (with ``momentum=0``, simply ``p.data -= lr·grad``).
    ``zero_grad()`` sets every parameter's ``.grad`` to 0 before the next backward pass,
    since gradients accumulate.

    >>> from minigrad import Value
    >>> w = Value(1.0)
    >>> opt = SGD([w], lr=0.5, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     w.grad = 1.0
    ...     opt.step()
    >>> round(w.data, 12)  # 1 - 0.5·1 - 0.5·(0.9 + 1)
    -0.45
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        self.params = list(params)
        first: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"parameter {i} is not a Value: {type(p).__name__}")
            if first.setdefault(id(p), i) != i:
                raise ValueError(f"parameter {i} is parameter {first[id(p)]} again: it would be stepped twice")
        if not self.params:
            raise ValueError("SGD got an empty list of parameters")
        if not lr > 0.0:
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter one step against its gradient."""
        lr, momentum, velocity = self.lr, self.momentum, self.velocity
        for i, p in enumerate(self.params):
            grad = float(p.grad)  # a Value after backward(create_graph=True): its number
            if momentum:
                velocity[i] = momentum * velocity[i] + grad
                p.data -= lr * velocity[i]
            else:
                p.data -= lr * grad

    def zero_grad(self) -> None:
        """Set ``.grad = 0.0`` on every parameter."""
        for p in self.params:
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"SGD({len(self.params)} parameters, lr={self.lr!r}, momentum={self.momentum!r})"
