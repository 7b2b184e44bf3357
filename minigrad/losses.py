"""Loss functions built from ``Value`` primitives, so that ``backward`` differentiates them.

Every loss takes one example or a batch (a list of examples) and returns one ``Value``:
the mean over the batch. Targets are plain numbers. Nothing here has its own derivative
rule: the gradients come from the primitives (``log``, ``exp``, ``*``, ``/``...) the
losses are written in.

>>> from minigrad import Value
>>> z = Value(0.0)
>>> loss = binary_cross_entropy(z.sigmoid(), 1)
>>> round(loss.data, 6)
0.693147
>>> loss.backward()
>>> z.grad  # dL/dz = a - y
-0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import TypeAlias, cast

from minigrad.engine import Number, Value
from minigrad.functional import as_integer, is_sequence
from minigrad.functions import sum_of

__all__ = [
    "LOG_CLAMP",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "clamped_log",
    "cross_entropy",
    "log_softmax",
    "mse",
    "softmax",
]

Scalar: TypeAlias = Value | Number
"""A prediction: a ``Value`` (differentiated) or a plain number (a constant)."""

LOG_CLAMP = -100.0
"""The floor of the logarithms in :func:`binary_cross_entropy`, as in PyTorch's ``BCELoss``."""

_TINY = math.exp(LOG_CLAMP)  # below this, log(p) would be under LOG_CLAMP
_GRAD_EPS = 1e-12  # PyTorch's floor on p in the gradient 1/p of a clamped log


def _value(x: Scalar) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _pairs(prediction: object, target: object, name: str) -> list[tuple[object, object]]:
    """The (prediction, target) pairs of one example or a batch; a ``ValueError`` if they do not match."""
    if not is_sequence(prediction):
        if is_sequence(target):
            raise ValueError(f"{name}: one prediction but {len(target)} targets")  # type: ignore[arg-type]
        return [(prediction, target)]
    predictions = list(prediction)  # type: ignore[call-overload]
    if not is_sequence(target):
        raise ValueError(f"{name}: {len(predictions)} predictions but a single target {target!r}")
    targets = list(target)  # type: ignore[call-overload]
    if len(predictions) != len(targets):
        raise ValueError(f"{name}: {len(predictions)} predictions but {len(targets)} targets")
    if not predictions:
        raise ValueError(f"{name}: an empty batch has no mean")
    return list(zip(predictions, targets, strict=True))


def _mean(terms: list[Value]) -> Value:
    """The mean of the terms; where their sum would overflow (terms near 1e308), the sum of the terms / n."""
    if len(terms) == 1:
        return terms[0]
    try:
        return cast(Value, sum_of(terms)) / len(terms)
    except OverflowError:
        return sum_of([t / len(terms) for t in terms])  # type: ignore[return-value]


def _target(x: object) -> Value | float:
    """A target: a plain number, or a ``Value`` (a label that ``minigrad.trace`` feeds per example)."""
    if isinstance(x, Value):
        return x
    if not isinstance(x, Real):  # "1" would pass float(); a target is a number, not text
        raise TypeError(f"target must be a real number, got {type(x).__name__}: {x!r}")
    return float(x)


def clamped_log(p: Value) -> Value:
    """``max(log p, -100)`` for a probability ``p`` in [0, 1], finite even at ``p = 0``.

    Above the clamp this is the ``log`` primitive itself. At or below it the node is
    ``-100 + k·(p − p.data)``: its value is exactly −100 and its derivative is
    ``k = 1 / max(p, 1e-12)``, the same floor PyTorch puts on the gradient, so a
    probability of exactly 0 gives a finite loss and a finite gradient.

    >>> from minigrad import Value
    >>> p = Value(0.0)
    >>> out = clamped_log(p)
    >>> out.backward()
    >>> out.data, p.grad
    (-100.0, 1000000000000.0)
    """
    if p > _TINY:  # a comparison, not a read of .data: minigrad.trace records it as a guard
        return p.log()
    data = float(p)
    return (p - data) * (1.0 / max(data, _GRAD_EPS)) + LOG_CLAMP


def _bce_term(p: object, y: object) -> Value:
    prob = _value(p)  # type: ignore[arg-type]
    target = _target(y)
    if not 0.0 <= prob <= 1.0:
        raise ValueError(f"binary_cross_entropy needs a probability in [0, 1], got {prob.data!r}")
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"binary_cross_entropy needs a target in [0, 1], got {target!r}")
    return -(target * clamped_log(prob) + (1.0 - target) * clamped_log(1.0 - prob))


def binary_cross_entropy(prediction: Scalar | Sequence[Scalar], target: Number | Sequence[Number]) -> Value:
    """``−(y·log p + (1 − y)·log(1 − p))``, the loss of a logistic neuron, mean over a batch.

    ``prediction`` is a probability in [0, 1] (typically ``z.sigmoid()``), ``target`` a
    number in [0, 1]; or a list of each. The logs are clamped at −100 as in PyTorch (see
    :func:`clamped_log`), so ``p = 0`` or ``p = 1`` gives a finite loss and gradient.

    Through ``a = z.sigmoid()`` the graph gives ``dL/dz = a − y``. Where ``a`` rounds to
    exactly 0 or 1 (|z| beyond about 37), σ'(z) rounds to 0 and so does dL/dz: use
    :func:`binary_cross_entropy_with_logits` on ``z`` for a gradient that survives.

    >>> from minigrad import Value
    >>> round(binary_cross_entropy(0.8, 1).data, 6)
    0.223144
    >>> binary_cross_entropy(1.0, 0).data  # clamped: -log(1 - 1) would be infinite
    100.0
    >>> round(binary_cross_entropy([0.8, 0.2], [1, 0]).data, 6)  # the mean over a batch
    0.223144
    """
    return _mean([_bce_term(p, y) for p, y in _pairs(prediction, target, "binary_cross_entropy")])


def _bce_logit_term(z: object, y: object) -> Value:
    logit = _value(z)  # type: ignore[arg-type]
    target = _target(y)
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"binary_cross_entropy_with_logits needs a target in [0, 1], got {target!r}")
    # log σ(z) = −log(1 + e^−z) and log(1 − σ(z)) = −z − log(1 + e^−z). Written so that
    # exp only ever sees −|z|: nothing overflows for any finite z.
    if logit > 0.0:
        return (1.0 - target) * logit + (1.0 + (-logit).exp()).log()
    return (1.0 + logit.exp()).log() - target * logit


def binary_cross_entropy_with_logits(logit: Scalar | Sequence[Scalar], target: Number | Sequence[Number]) -> Value:
    """Binary cross-entropy of ``sigmoid(logit)``, computed from the logit; mean over a batch.

    The same function as ``binary_cross_entropy(logit.sigmoid(), target)``, rearranged
    so that it is finite and its gradient ``σ(z) − y`` is exact for any finite logit
    (z = ±1000 included), where the probability form saturates.

    >>> from minigrad import Value
    >>> z = Value(-1000.0)
    >>> loss = binary_cross_entropy_with_logits(z, 1)
    >>> loss.backward()
    >>> loss.data, z.grad
    (1000.0, -1.0)
    """
    pairs = _pairs(logit, target, "binary_cross_entropy_with_logits")
    return _mean([_bce_logit_term(z, y) for z, y in pairs])


def _mse_term(p: object, y: object) -> Value:
    return (_value(p) - _target(y)) ** 2  # type: ignore[arg-type]


def mse(prediction: Scalar | Sequence[Scalar], target: Number | Sequence[Number]) -> Value:
    """Squared error ``(p − y)²``, mean over a batch.

    >>> mse([1.0, 2.0], [0.0, 0.0]).data
    2.5
    """
    return _mean([_mse_term(p, y) for p, y in _pairs(prediction, target, "mse")])


def _logits(logits: Sequence[Scalar], name: str) -> list[Value]:
    values = [_value(z) for z in logits]
    if not values:
        raise ValueError(f"{name} needs at least one logit")
    return values


def log_softmax(logits: Sequence[Scalar]) -> list[Value]:
    """``z_i − log Σ_j e^{z_j}`` for each logit, computed stably.

    The largest logit ``m`` is subtracted first, as a plain number: the result is the
    same (log-softmax does not change when every logit moves by a constant) and no
    ``exp`` overflows. Gradients are unaffected, since ``m`` is a constant.

    >>> [round(v.data, 6) for v in log_softmax([0.0, 0.0])]
    [-0.693147, -0.693147]
    """
    values = _logits(logits, "log_softmax")
    m = max(float(z) for z in values)
    shifted = [z - m for z in values]
    log_total = sum_of([z.exp() for z in shifted]).log()  # type: ignore[union-attr]
    return [z - log_total for z in shifted]


def softmax(logits: Sequence[Scalar]) -> list[Value]:
    """Probabilities ``e^{z_i} / Σ_j e^{z_j}``, computed stably (the largest logit subtracted first).

    >>> [round(p.data, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    >>> [p.data for p in softmax([1000.0, 0.0])]  # no overflow
    [1.0, 0.0]
    """
    values = _logits(logits, "softmax")
    m = max(float(z) for z in values)
    exps = [(z - m).exp() for z in values]
    total = sum_of(exps)
    return [e / total for e in exps]


def _class_index(target: object, classes: int) -> int:
    index = as_integer(target)
    if index is None:
        raise TypeError(f"cross_entropy needs an integer class index, got {type(target).__name__}: {target!r}")
    if not 0 <= index < classes:
        raise ValueError(f"class index {index} is out of range for {classes} logits")
    return index


def cross_entropy(logits: Sequence[Scalar] | Sequence[Sequence[Scalar]], target: int | Sequence[int]) -> Value:
    """``−log softmax(logits)[target]`` for one example, or the mean over a batch.

    One example: ``logits`` is a list of numbers or ``Value`` s (one per class) and
    ``target`` the index of the right class. A batch: a list of such lists and a list of
    indices. The gradient with respect to the logits is ``softmax(logits) − onehot``.

    >>> from minigrad import Value
    >>> z = [Value(1.0), Value(2.0), Value(3.0)]
    >>> loss = cross_entropy(z, 2)
    >>> round(loss.data, 6)
    0.407606
    >>> loss.backward()
    >>> [round(v.grad, 4) for v in z]
    [0.09, 0.2447, -0.3348]
    >>> round(cross_entropy([[0.0, 0.0], [5.0, 0.0]], [0, 0]).data, 6)
    0.349931
    """
    first = logits[0] if len(logits) else None
    batch = is_sequence(first)
    if batch:
        if not is_sequence(target):
            raise ValueError(f"cross_entropy: {len(logits)} examples but a single target {target!r}")
        pairs = _pairs(logits, target, "cross_entropy")
    else:
        if is_sequence(target):
            raise ValueError(f"cross_entropy: one example but {len(target)} targets")  # type: ignore[arg-type]
        pairs = [(logits, target)]
    terms = []
    for example, y in pairs:
        log_probs = log_softmax(example)  # type: ignore[arg-type]
        terms.append(-log_probs[_class_index(y, len(log_probs))])
    return _mean(terms)
