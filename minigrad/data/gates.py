"""The logic gates AND, OR and XOR as four-example data sets.

>>> X, y = gate("XOR")
>>> X.tolist(), y.tolist()
([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0, 1, 1, 0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATES", "gate"]

_INPUTS = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))

GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
}
"""Each gate's outputs for the inputs (0,0), (1,0), (0,1), (1,1), in that order."""


def gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` for a gate: ``X`` the four input pairs (4 × 2 floats), ``y`` the outputs (0 or 1).

    AND and OR are linearly separable (one neuron learns them); XOR is not.

    >>> X, y = gate("and")
    >>> y.tolist()
    [0, 0, 0, 1]
    >>> gate(["AND"])
    Traceback (most recent call last):
    ...
    TypeError: gate() takes the name of a gate as a string (AND, OR, XOR), got list
    """
    if not isinstance(name, str):
        raise TypeError(f"gate() takes the name of a gate as a string ({', '.join(GATES)}), got {type(name).__name__}")
    key = name.upper()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATES)}")
    return np.array(_INPUTS, dtype=np.float64), np.array(GATES[key], dtype=np.int64)
