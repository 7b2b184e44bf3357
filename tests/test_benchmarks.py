"""The benchmark's correctness cross-check: every engine computes the same values and gradients.

No timing here: speed is measured by ``python benchmarks/run.py``, never by the test suite.
Skipped when micrograd (the ``bench`` extra) is not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("micrograd")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import workloads as wl


def test_all_engines_agree_on_values_and_gradients() -> None:
    engines = wl.available_engines()
    logreg = wl.logreg_data(m=20, d=4)
    mlp = wl.mlp_data(n=5, sizes=(2, 4, 4, 1))
    assert wl.cross_check(engines, 50, logreg, mlp) == []


def test_op_counts_match_the_nodes_minigrad_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The "µs per op" column divides by these counts: they must be the nodes the model code makes."""
    from minigrad import Value, topological_order

    sizes: list[int] = []
    backward = Value.backward

    def counting_backward(self: Value, grad: float = 1.0) -> None:
        sizes.append(len(topological_order(self)))
        backward(self, grad)

    monkeypatch.setattr(Value, "backward", counting_backward)
    logreg = wl.logreg_data(m=7, d=3)
    mlp = wl.mlp_data(n=3, sizes=(2, 3, 3, 1))
    wl.minigrad_logreg(logreg)
    wl.minigrad_mlp(mlp)
    parameters = (3 + 1, 3 * 3 + 3 * 4 + 4)  # leaves: logreg w and b; the MLP's weights and biases
    assert sizes == [wl.logreg_ops(logreg) + parameters[0], wl.mlp_ops(mlp) + parameters[1]]
