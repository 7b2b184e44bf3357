"""SGD: plain steps, momentum as in torch.optim.SGD, zero_grad, and bad settings."""

from __future__ import annotations

import pytest

from minigrad import Value
from minigrad.optim import SGD


def test_plain_step() -> None:
    a, b = Value(1.0), Value(-2.0)
    a.grad, b.grad = 0.5, -4.0
    SGD([a, b], lr=0.1).step()
    assert (a.data, b.data) == (1.0 - 0.1 * 0.5, -2.0 + 0.1 * 4.0)


def test_momentum_follows_pytorch() -> None:
    """v ← μ v + g; p ← p − lr v (torch.optim.SGD without dampening or Nesterov)."""
    p = Value(0.0)
    opt = SGD([p], lr=0.1, momentum=0.9)
    expected, v = 0.0, 0.0
    for g in [1.0, 2.0, -1.0, 0.5]:
        opt.zero_grad()
        p.grad = g
        opt.step()
        v = 0.9 * v + g
        expected -= 0.1 * v
        assert p.data == expected


def test_zero_grad() -> None:
    p = Value(1.0)
    (p * p).backward()
    opt = SGD([p], lr=1.0)
    opt.zero_grad()
    assert p.grad == 0.0


def test_gradient_descent_minimises_a_quadratic() -> None:
    x = Value(5.0)
    opt = SGD([x], lr=0.1)
    for _ in range(200):
        opt.zero_grad()
        ((x - 2.0) ** 2).backward()
        opt.step()
    assert x.data == pytest.approx(2.0, abs=1e-12)


@pytest.mark.parametrize(
    ("params", "kwargs", "error"),
    [([], {"lr": 0.1}, ValueError), ([Value(1.0)], {"lr": 0.0}, ValueError),
     ([Value(1.0)], {"lr": 0.1, "momentum": 1.0}, ValueError), ([1.0], {"lr": 0.1}, TypeError)],
)  # fmt: skip
def test_bad_settings(params: list, kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        SGD(params, **kwargs)
