"""Regenerate the drawings of the README: ``python docs/make_figures.py [OUTPUT_DIR]``.

- ``J.svg``: J = 3(a + bc) with a=5, b=3, c=2, the local derivative and its rule on every edge;
- ``neuron.svg``: the logistic neuron a = σ(w1·x1 + w2·x2 + b) on the AND gate's input
  (1, 1) with target y = 1, and its binary cross-entropy loss
  L = −(y·log a + (1−y)·log(1−a)), the target drawn as a constant; too deep to read at
  page width left to right, it is drawn top to bottom (``rankdir="auto"``).

Both are rendered by the system ``dot`` if there is one, else by ``graphviz-pure``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from minigrad import Value, save_svg
from minigrad.examples import canonical_J, logistic_neuron


def canonical() -> Value:
    """J = 3(a + bc) after backward, every node named."""
    return canonical_J()["J"]


def neuron() -> Value:
    """The BCE loss of a logistic neuron on one example (the AND gate's (1, 1), y = 1), after backward."""
    return logistic_neuron()["L"]


def main(out: Path) -> None:
    """Write J.svg and neuron.svg into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, root in (("J.svg", canonical()), ("neuron.svg", neuron())):
        path = save_svg(root, out / name, local_grads=True, rules=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
