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


def arithmetic_ops(root: object) -> int:
    """The arithmetic operations in a minigrad graph: one per node, ``n − 1`` additions for an n-operand sum,
    ``n`` multiplications and ``n − 1`` additions for a dot of ``n`` pairs (``2n`` operands)."""
    from minigrad import topological_order

    nodes = [n for n in topological_order(root) if n.op]  # type: ignore[arg-type]
    return sum(len(n.operands) - 1 if n.op in ("sum", "dot") else 1 for n in nodes)


def test_op_counts_match_the_operations_minigrad_does() -> None:
    """The "µs per op" column divides by these counts: they must be the operations the model code does."""
    logreg = wl.logreg_data(m=7, d=3)
    mlp = wl.mlp_data(n=3, sizes=(2, 3, 3, 1))
    # The other engines total the loss terms in a chain that starts from 0.0: one addition more.
    # minigrad's dot([*w, b], [*x, 1.0]) multiplies the bias by 1.0: one multiplication more per neuron call.
    neuron_calls_logreg = len(logreg.X)
    neuron_calls_mlp = len(mlp.X) * sum(len(layer) for layer in mlp.layers)
    assert arithmetic_ops(wl.minigrad_logreg(logreg)[2]) == wl.logreg_ops(logreg) - 1 + neuron_calls_logreg
    assert arithmetic_ops(wl.minigrad_mlp(mlp)[2]) == wl.mlp_ops(mlp) - 1 + neuron_calls_mlp
