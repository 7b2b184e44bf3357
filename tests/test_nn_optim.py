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


def test_momentum_update_formula() -> None:
    """v ← μ v + g; p ← p − lr v: the update torch.optim.SGD documents (no dampening, no Nesterov).

    This only restates the formula; test_momentum_matches_numbers_computed_with_pytorch
    compares with numbers PyTorch itself produced.
    """
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


# torch.optim.SGD(lr=0.05, momentum=0.9) minimising f(x, y) = (x - 2)**2 + 3*(y + 1)**2 + x*y from
# (x, y) = (5, -3): (x, y) after each of 8 steps. Computed with real PyTorch 2.13.0+cpu in float64
# (torch.set_default_dtype(torch.float64); x, y tensors with requires_grad; loss.backward();
# opt.step(); x.item(), y.item() printed with repr) — not derived from the formula in this file.
# PyTorch's CPU kernel computes p ← p − lr·buf as one fused multiply-add (a single rounding);
# minigrad rounds lr·buf first. Replaying minigrad's gradients with a fused update reproduces
# these numbers bit for bit; minigrad's own trajectory differs by at most 2 ulp (3e-16 relative).
TORCH_SGD_MOMENTUM_TRAJECTORY = [
    (4.85, -2.65),
    (4.5625, -2.0825),
    (4.151625, -1.475125),
    (3.6404312500000002, -0.9935312500000001),
    (3.0659903125000003, -0.7440590625000001),
    (2.4795973906250004, -0.7496158906250001),
    (1.9413648164062502, -0.9537121382812501),
    (1.5105046248828127, -1.2483533605078125),
]


def test_momentum_matches_numbers_computed_with_pytorch() -> None:
    x, y = Value(5.0), Value(-3.0)
    opt = SGD([x, y], lr=0.05, momentum=0.9)
    trajectory = []
    for _ in range(8):
        opt.zero_grad()
        ((x - 2.0) ** 2 + 3.0 * (y + 1.0) ** 2 + x * y).backward()
        opt.step()
        trajectory.append((x.data, y.data))
    assert len(trajectory) == len(TORCH_SGD_MOMENTUM_TRAJECTORY)
    for ours, torch in zip(trajectory, TORCH_SGD_MOMENTUM_TRAJECTORY, strict=True):
        assert ours == pytest.approx(torch, rel=1e-15, abs=0.0)


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
