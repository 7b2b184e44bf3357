"""The README's drawings: docs/make_figures.py regenerates them, and the committed SVGs match the graphs."""

from __future__ import annotations

import math
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from minigrad import Value, topological_order

DOCS = Path(__file__).resolve().parent.parent / "docs"
SVG = "{http://www.w3.org/2000/svg}"


def node_count(svg: Path) -> int:
    return sum(1 for g in ET.parse(svg).getroot().iter(f"{SVG}g") if g.get("class") == "node")


def drawn_nodes(root: Value) -> int:
    order = topological_order(root)
    ops = [n for n in order if n.op]
    return len(order) + len(ops) + sum(1 for n in ops for x in n.operands if not isinstance(x, Value))


@pytest.fixture(scope="module")
def figures() -> dict[str, object]:
    return runpy.run_path(str(DOCS / "make_figures.py"))


def test_the_neuron_figure_is_the_logistic_neuron(figures: dict[str, object]) -> None:
    L = figures["neuron"]()
    nodes = {n.label: n for n in topological_order(L) if n.label}
    a, z, y = nodes["a"].data, nodes["z"], 1.0
    assert math.isclose(L.data, -math.log(a))
    assert math.isclose(z.grad, a - y)
    for i in (1, 2):
        assert math.isclose(nodes[f"w{i}"].grad, nodes[f"x{i}"].data * (a - y))
    assert math.isclose(nodes["b"].grad, a - y)


def test_make_figures_writes_both_svgs(figures: dict[str, object], tmp_path: Path) -> None:
    figures["main"](tmp_path)
    for name, build in (("J.svg", figures["canonical"]), ("neuron.svg", figures["neuron"])):
        fresh, committed = tmp_path / name, DOCS / name
        assert node_count(fresh) == drawn_nodes(build()) == node_count(committed)
        text = "".join(ET.parse(committed).getroot().itertext())
        assert "∂/∂x" in text  # the committed drawings carry the local derivatives and their rules
