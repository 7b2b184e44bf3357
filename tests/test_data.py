"""Data sets: gates, seeded generators, the bundled real sets and their licence notes, split and standardisation."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from minigrad.data import (
    Standardizer,
    gate,
    load_breast_cancer,
    load_digits,
    make_blobs,
    make_moons,
    train_test_split,
)


def test_gates() -> None:
    X, y_and = gate("AND")
    assert X.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert y_and.tolist() == [0, 0, 0, 1]
    assert gate("or")[1].tolist() == [0, 1, 1, 1]
    assert gate("XOR")[1].tolist() == [0, 1, 1, 0]
    with pytest.raises(ValueError, match="unknown gate"):
        gate("NAND")


def test_moons_are_seeded_balanced_and_on_the_moons() -> None:
    X, y = make_moons(100, noise=0.1, seed=0)
    X2, y2 = make_moons(100, noise=0.1, seed=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, make_moons(100, noise=0.1, seed=1)[0])
    assert X.shape == (100, 2) and np.bincount(y).tolist() == [50, 50]
    clean, labels = make_moons(101, noise=0.0, seed=0)
    upper, lower = clean[labels == 0], clean[labels == 1]
    assert np.allclose(np.hypot(*upper.T), 1.0)
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    with pytest.raises(ValueError):
        make_moons(1)


def test_blobs() -> None:
    centers = [[0.0, 0.0], [10.0, 10.0]]
    X, y = make_blobs(200, centers=centers, std=0.5, seed=0)
    assert X.shape == (200, 2) and np.bincount(y).tolist() == [100, 100]
    for k, c in enumerate(centers):
        assert np.allclose(X[y == k].mean(axis=0), c, atol=0.2)
    X3, y3 = make_blobs(30, centers=3, n_features=4, seed=2)
    assert X3.shape == (30, 4) and set(y3.tolist()) == {0, 1, 2}
    assert np.array_equal(X3, make_blobs(30, centers=3, n_features=4, seed=2)[0])


def test_digits() -> None:
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert X.min() == 0 and X.max() == 16 and np.all(np.round(X) == X)
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    X3, is_three = load_digits(target=3)
    assert np.array_equal(X3, X)
    assert np.array_equal(is_three, (y == 3).astype(int))
    with pytest.raises(ValueError, match="digit"):
        load_digits(target=10)


def test_breast_cancer() -> None:
    X, y = load_breast_cancer()
    assert X.shape == (569, 30)
    assert np.bincount(y).tolist() == [212, 357]
    assert X[0, 0] == 17.99


def test_data_files_ship_with_source_and_licence() -> None:
    folder = resources.files("minigrad.data")
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    for needle in ("digits.csv.gz", "breast_cancer.csv", "archive.ics.uci.edu", "CC BY 4.0", "Alpaydin", "Wolberg"):
        assert needle in readme


def test_split_is_seeded_disjoint_and_complete() -> None:
    X = np.arange(200.0).reshape(100, 2)
    y = np.arange(100)
    X_train, _, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    assert (len(y_train), len(y_test)) == (75, 25)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(100))
    assert np.array_equal(X_train[:, 0], 2 * y_train)
    again = train_test_split(X, y, test_size=0.25, seed=0)
    assert np.array_equal(again[3], y_test)
    assert not np.array_equal(train_test_split(X, y, test_size=0.25, seed=1)[3], y_test)
    with pytest.raises(ValueError):
        train_test_split(X, y[:-1])
    with pytest.raises(ValueError):
        train_test_split(X, y, test_size=1.5)


def test_standardizer_fits_on_train_only() -> None:
    rng = np.random.default_rng(0)
    train = rng.normal(5.0, 3.0, size=(50, 3))
    train[:, 2] = 7.0  # a constant column, like a blank pixel
    test = rng.normal(5.0, 3.0, size=(10, 3))
    scaler = Standardizer().fit(train)
    scaled = scaler.transform(train)
    assert np.allclose(scaled[:, :2].mean(axis=0), 0.0) and np.allclose(scaled[:, :2].std(axis=0), 1.0)
    assert np.all(scaled[:, 2] == 0.0)
    std = train.std(axis=0)
    assert np.allclose(scaler.transform(test), (test - train.mean(axis=0)) / np.where(std > 0, std, 1.0))
    with pytest.raises(ValueError, match="not fitted"):
        Standardizer().transform(test)
    with pytest.raises(ValueError, match="3 features"):
        scaler.transform(test[:, :2])


def test_numpy_integers_are_accepted_where_an_int_is_expected() -> None:
    _, is_three = load_digits(np.int64(3))
    assert np.array_equal(is_three, load_digits(3)[1])
    assert load_digits(target=np.int32(0))[1].sum() == 178
    X, y = make_blobs(10, centers=np.int64(3), seed=0)
    assert np.array_equal(X, make_blobs(10, centers=3, seed=0)[0]) and set(y.tolist()) == {0, 1, 2}
    for bad in (True, 3.0, "3"):
        with pytest.raises(ValueError, match="digit"):
            load_digits(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="centre"):
        make_blobs(10, centers=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="centre"):
        make_blobs(10, centers=np.int64(0))
