"""The canonical graphs of the design, built once for the demo, the drawings and the tests.

>>> nodes = canonical_J()
>>> [nodes[k].data for k in ("u", "v", "J")], [nodes[k].grad for k in ("a", "b", "c")]
([6.0, 11.0, 33.0], [3.0, 6.0, 9.0])
"""

from __future__ import annotations

from minigrad.engine import Value

__all__ = ["canonical_J", "logistic_neuron"]


def _named(node: Value, label: str) -> Value:
    node.label = label
    return node


def canonical_J(a: float = 5.0, b: float = 3.0, c: float = 2.0) -> dict[str, Value]:
    """J = 3v, v = a + u, u = bc after ``J.backward()``: every node by its name.

    >>> canonical_J(1.0, 2.0, 3.0)["J"]
    Value(data=21.0, grad=1.0, label='J')
    """
    va, vb, vc = Value(a, "a"), Value(b, "b"), Value(c, "c")
    u = _named(vb * vc, "u")
    v = _named(va + u, "v")
    J = _named(3 * v, "J")
    J.backward()
    return {"a": va, "b": vb, "c": vc, "u": u, "v": v, "J": J}


def logistic_neuron(
    x: tuple[float, float] = (1.0, 1.0), y: float = 1.0, w: tuple[float, float] = (0.5, 0.5), b: float = -0.75
) -> dict[str, Value]:
    """z = w1·x1 + w2·x2 + b, a = σ(z), L = −(y log a + (1−y) log(1−a)) after ``L.backward()``.

    The inputs ``x1``, ``x2`` are leaves too, so the drawing shows them; ``y`` is a plain
    number. The graph gives dL/dz = a − y.

    >>> nodes = logistic_neuron()
    >>> round(nodes["z"].grad, 12) == round(nodes["a"].data - 1.0, 12)
    True
    """
    x1, x2 = Value(x[0], "x1"), Value(x[1], "x2")
    w1, w2, vb = Value(w[0], "w1"), Value(w[1], "w2"), Value(b, "b")
    z = _named(w1 * x1 + w2 * x2 + vb, "z")
    a = _named(z.sigmoid(), "a")
    L = _named(-(y * a.log() + (1 - y) * (1 - a).log()), "L")
    L.backward()
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": vb, "z": z, "a": a, "L": L}
