"""Real data sets shipped inside the package (see ``README.md`` next to this file).

- :func:`load_digits`: the UCI optical recognition of handwritten digits, 1,797 images of
  8 × 8 pixels (integers 0–16), ten classes.
- :func:`load_breast_cancer`: the Wisconsin diagnostic breast cancer set, 569 examples of
  30 measurements, malignant (0) or benign (1).

>>> X, y = load_digits()
>>> X.shape, y.shape
((1797, 64), (1797,))
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

from minigrad.functional import as_integer

__all__ = ["load_breast_cancer", "load_digits"]


def _open(name: str) -> resources.abc.Traversable:
    return resources.files("minigrad.data").joinpath(name)


def load_digits(target: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: 1,797 handwritten digits, each an 8 × 8 image flattened to 64 pixels.

    ``X`` holds floats 0–16 (row by row: pixel ``8·r + c``). With ``target=None``, ``y`` is
    the digit 0–9 (ten classes); with ``target=3``, ``y`` is 1 for a 3 and 0 otherwise:
    the binary task "is it a 3?". ``target`` may be any integer type (a NumPy integer too).

    >>> X, y = load_digits(target=3)
    >>> int(y.sum())  # the number of 3s
    183
    >>> X[0].reshape(8, 8)[0].tolist()
    [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
    """
    with _open("digits.csv.gz").open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    X, labels = table[:, :-1], table[:, -1].astype(np.int64)
    if target is None:
        return X, labels
    digit = as_integer(target)
    if digit is None or not 0 <= digit <= 9:
        raise ValueError(f"target must be a digit 0-9 or None, got {target!r}")
    return X, (labels == digit).astype(np.int64)


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: 569 breast masses, 30 measurements each; ``y`` is 0 malignant, 1 benign.

    >>> X, y = load_breast_cancer()
    >>> X.shape, int((y == 0).sum())
    ((569, 30), 212)
    """
    with _open("breast_cancer.csv").open("r") as text:
        next(text)  # the header: sample count, feature count, class names
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(np.int64)
