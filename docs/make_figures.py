"""Regenerate the drawings of the README: ``python docs/make_figures.py [OUTPUT_DIR]``.

- ``J.svg``: J = 3(a + bc) with a=5, b=3, c=2, the local derivative and its rule on every edge;
- ``neuron.svg``: the logistic neuron a = σ(w1·x1 + w2·x2 + b) on the AND gate's input
  (1, 1) with target y = 1, and its binary cross-entropy loss
  L = −(y·log a + (1−y)·log(1−a)), the target drawn as a constant.

Both are rendered by the system ``dot`` if there is one, else by ``graphviz-pure``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from minigrad import Value, save_svg


def canonical() -> Value:
    """J = 3(a + bc) after backward, every node named."""
    a, b, c = Value(5.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    J.backward()
    return J


def neuron() -> Value:
    """The BCE loss of a logistic neuron on one example, after backward."""
    x1, x2 = Value(1.0, "x1"), Value(1.0, "x2")
    w1, w2, b = Value(0.5, "w1"), Value(0.5, "w2"), Value(-0.75, "b")
    y = 1.0
    z = w1 * x1 + w2 * x2 + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.label = "L"
    L.backward()
    return L


def main(out: Path) -> None:
    """Write J.svg and neuron.svg into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, root in (("J.svg", canonical()), ("neuron.svg", neuron())):
        path = save_svg(root, out / name, local_grads=True, rules=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
