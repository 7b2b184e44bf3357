"""The one random generator that modules draw their initial weights from when no seed is given.

``Neuron(2)`` twice gives two different neurons, each drawn from this generator;
``minigrad.manual_seed(n)`` restarts it (as ``torch.manual_seed``), so a script that
seeds once at the top gets the same weights on every run. An explicit ``seed=`` (an
``int`` or a ``random.Random``) bypasses it and does not advance it.

>>> import minigrad
>>> from minigrad.nn import Neuron
>>> _ = minigrad.manual_seed(0)
>>> first, second = Neuron(2), Neuron(2)
>>> [p.data for p in first.parameters()] == [p.data for p in second.parameters()]
False
>>> _ = minigrad.manual_seed(0)
>>> [p.data for p in Neuron(2).parameters()] == [p.data for p in first.parameters()]
True
"""

from __future__ import annotations

import random

__all__ = ["INITIAL_SEED", "default_generator", "manual_seed"]

INITIAL_SEED = 0
"""The seed the generator starts from when a program never calls :func:`manual_seed`.

So the first module a fresh program builds without a seed has the weights of ``seed=0``."""

_generator = random.Random(INITIAL_SEED)


def manual_seed(seed: int) -> random.Random:
    """Restart the default generator from ``seed`` (an ``int``, a NumPy integer too); returns it.

    >>> manual_seed(3) is default_generator()
    True
    >>> manual_seed(1.5)
    Traceback (most recent call last):
    ...
    TypeError: manual_seed takes an integer, got float: 1.5
    """
    from minigrad.functional import as_integer

    n = as_integer(seed)
    if n is None:
        raise TypeError(f"manual_seed takes an integer, got {type(seed).__name__}: {seed!r}")
    _generator.seed(n)
    return _generator


def default_generator() -> random.Random:
    """The generator modules draw from when they are given no ``seed``.

    >>> default_generator().random() < 1.0
    True
    """
    return _generator
