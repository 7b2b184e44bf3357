"""Seeded two-dimensional toy data sets: two interleaving half moons, Gaussian blobs.

Both follow scikit-learn's generators of the same names (without depending on it) and
draw from ``numpy.random.default_rng(seed)``, so a seed always gives the same points.

>>> X, y = make_moons(100, noise=0.1, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((100, 2), [0, 1])
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from minigrad.functional import as_integer

__all__ = ["make_blobs", "make_moons"]


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 the upper moon, class 1 the lower one.

    The upper moon is ``(cos t, sin t)`` and the lower ``(1 − cos t, 0.5 − sin t)`` for
    ``t`` evenly spaced in [0, π]; Gaussian noise of standard deviation ``noise`` is
    added and the points are shuffled. Returns ``X`` (``n_samples`` × 2) and ``y``.

    >>> X, y = make_moons(6, noise=0.0, seed=0)
    >>> int(y.sum())
    3
    """
    if n_samples < 2:
        raise ValueError(f"make_moons needs n_samples >= 2, got {n_samples}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.column_stack([np.cos(t_upper), np.sin(t_upper)]),
            np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)]),
        ]
    )
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def _box(box: object) -> tuple[float, float]:
    """``box`` as ``(low, high)``: two finite numbers, ``low < high``; else a ``ValueError`` saying so.

    >>> _box((1,))
    Traceback (most recent call last):
    ...
    ValueError: box must be a pair of finite numbers (low, high) with low < high, got (1,)
    """
    try:
        low, high = (float(x) for x in box)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        low, high = math.nan, math.nan
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"box must be a pair of finite numbers (low, high) with low < high, got {box!r}")
    return low, high


def make_blobs(
    n_samples: int = 100,
    centers: int | Sequence[Sequence[float]] = 3,
    std: float = 1.0,
    n_features: int = 2,
    box: tuple[float, float] = (-10.0, 10.0),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters: ``y`` is the index of the centre a point was drawn around.

    ``centers`` is a number of centres (any integer type, a NumPy integer too; drawn
    uniformly from ``box`` in each of ``n_features`` coordinates) or their coordinates. Points are split as evenly as
    possible between the centres and shuffled.

    >>> X, y = make_blobs(9, centers=[[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]], std=0.1, seed=1)
    >>> X.shape, np.bincount(y).tolist()
    ((9, 2), [3, 3, 3])
    """
    low, high = _box(box)
    rng = np.random.default_rng(seed)
    if isinstance(centers, bool):
        raise ValueError(f"centers must be a number of centres or their coordinates, got {centers!r}")
    count = as_integer(centers)
    if count is not None:
        if count < 1:
            raise ValueError(f"make_blobs needs at least one centre, got {centers}")
        middles = rng.uniform(low, high, size=(count, n_features))
    else:
        middles = np.asarray(centers, dtype=np.float64)
        if middles.ndim != 2 or len(middles) == 0:
            raise ValueError(f"centers must be a count or a list of coordinates, got shape {middles.shape}")
    k = len(middles)
    if n_samples < k:
        raise ValueError(f"make_blobs needs n_samples >= the number of centres ({k}), got {n_samples}")
    y = np.arange(n_samples, dtype=np.int64) % k
    y = y[rng.permutation(n_samples)]
    X = middles[y] + rng.normal(scale=std, size=(n_samples, middles.shape[1]))
    return X, y
