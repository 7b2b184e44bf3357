"""Data sets, all offline: logic gates, seeded toy generators, two real sets, preprocessing.

- :func:`gate` — AND, OR, XOR;
- :func:`make_moons`, :func:`make_blobs` — seeded NumPy generators;
- :func:`load_digits` — UCI handwritten digits, 8 × 8 (binary "is it a 3?" with ``target=3``);
- :func:`load_breast_cancer` — Wisconsin diagnostic breast cancer;
- :func:`train_test_split`, :class:`Standardizer`.

Every loader returns ``(X, y)`` as NumPy arrays: ``X`` one example per row, ``y`` the labels.
The real data files live in this folder; ``README.md`` here names their source and licence.

>>> from minigrad.data import load_digits, train_test_split, Standardizer
>>> X, y = load_digits(target=3)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
>>> scaler = Standardizer().fit(X_train)
>>> X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
>>> X_train.shape, X_test.shape
((1347, 64), (450, 64))
"""

from minigrad.data.gates import GATES, gate
from minigrad.data.preprocessing import Standardizer, train_test_split
from minigrad.data.real import load_breast_cancer, load_digits
from minigrad.data.synthetic import make_blobs, make_moons

__all__ = [
    "GATES",
    "Standardizer",
    "gate",
    "load_breast_cancer",
    "load_digits",
    "make_blobs",
    "make_moons",
    "train_test_split",
]
