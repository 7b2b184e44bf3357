"""A seeded train/test split and standardisation fitted on the training set only.

>>> import numpy as np
>>> X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0)
>>> len(X_train), len(X_test)
(7, 3)
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Standardizer", "train_test_split"]


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_size: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, X_test, y_train, y_test``: a seeded random split (as scikit-learn's, same order).

    ``ceil(test_size · n)`` examples go to the test set, drawn with
    ``numpy.random.default_rng(seed)``.

    >>> X = np.arange(8.0).reshape(4, 2); y = np.array([0, 1, 0, 1])
    >>> [part.shape for part in train_test_split(X, y, test_size=0.5)]
    [(2, 2), (2, 2), (2,), (2,)]
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size!r}")
    n_test = math.ceil(test_size * len(X))
    if not 0 < n_test < len(X):
        raise ValueError(f"a test share of {test_size} leaves an empty part of {len(X)} examples")
    order = np.random.default_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


class Standardizer:
    """Rescales each feature to mean 0 and standard deviation 1, as measured on the data it is fitted on.

    Fit on the training set only, then transform both sets with the training statistics,
    so nothing about the test set leaks into training. A constant feature (standard
    deviation 0, such as a pixel that is blank in every image) is centred but not scaled.

    >>> train = np.array([[1.0, 5.0], [3.0, 5.0]])
    >>> scaler = Standardizer().fit(train)
    >>> scaler.transform(train).tolist()
    [[-1.0, 0.0], [1.0, 0.0]]
    >>> scaler.transform(np.array([[5.0, 6.0]])).tolist()
    [[3.0, 1.0]]
    """

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def fit(self, X: np.ndarray) -> Standardizer:
        """Measure each column's mean and standard deviation; returns ``self``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"expected a non-empty 2-D array of examples, got shape {X.shape}")
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale = np.where(std > 0.0, std, 1.0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """``(X − mean) / std`` with the fitted statistics."""
        if self.mean is None or self.scale is None:
            raise ValueError("this Standardizer is not fitted yet: call fit(X_train) first")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.mean):
            raise ValueError(f"expected examples of {len(self.mean)} features, got shape {X.shape}")
        standardized: np.ndarray = (X - self.mean) / self.scale
        return standardized

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)
