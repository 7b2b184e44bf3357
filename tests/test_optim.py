"""SGD's checks of its parameter list."""

from __future__ import annotations

import pytest

from minigrad import Value
from minigrad.optim import SGD


def test_a_parameter_listed_twice_is_an_error() -> None:
    w, b = Value(1.0), Value(0.0)
    with pytest.raises(ValueError, match="parameter 2 is parameter 0 again"):
        SGD([w, b, w], lr=0.1)


@pytest.mark.parametrize(("lr", "momentum"), [(0.0, 0.0), (-1.0, 0.0), (float("nan"), 0.0), (0.1, 1.0), (0.1, -0.5)])
def test_bad_learning_rate_or_momentum_is_an_error(lr: float, momentum: float) -> None:
    with pytest.raises(ValueError, match=r"learning rate|momentum"):
        SGD([Value(1.0)], lr=lr, momentum=momentum)
