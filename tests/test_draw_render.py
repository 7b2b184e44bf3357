"""Real rendering: SVG from the renderer found on this machine (graphviz-pure when no system dot), no mocks."""

from __future__ import annotations

import importlib
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from minigrad import Value, draw, save_svg, to_svg, topological_order
from minigrad.drawing import RendererNotFoundError, RenderError, find_renderer, render, repr_mimebundle
from minigrad.examples import canonical_J

SVG = "{http://www.w3.org/2000/svg}"


def groups(svg: str, kind: str) -> list[ET.Element]:
    """The ``<g class="kind">`` elements of an SVG document (parsed, so it must be well formed)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def titles(svg: str, kind: str) -> list[str]:
    return [g.find(f"{SVG}title").text or "" for g in groups(svg, kind)]


def canonical() -> Value:
    return canonical_J()["J"]


def test_the_renderer_is_system_dot_or_graphviz_pure() -> None:
    renderer = Path(find_renderer())
    if shutil.which("dot") is None:
        assert renderer.stem == "graphviz-pure"
    assert renderer.exists()


def test_svg_has_one_node_per_value_op_and_constant() -> None:
    J = canonical()
    svg = to_svg(J, local_grads=True, rules=True)
    names = titles(svg, "node")
    assert len(names) == 10  # a b c u v J, three operations, the constant 3
    assert sum(1 for n in names if n.endswith("_op")) == 3
    assert sum(1 for n in names if "_op_c" in n) == 1
    assert len(groups(svg, "edge")) == 9
    text = "".join(ET.fromstring(svg).itertext())
    assert "data 33" in text and "grad 9" in text and "σ" not in text and "∂/∂x = y" in text


def test_svg_of_a_times_a_has_two_edges_into_the_op() -> None:
    a = Value(3.0, "a")
    svg = to_svg(a * a)
    assert len(titles(svg, "node")) == 3
    assert titles(svg, "edge").count("v0&#45;&gt;v1_op") + titles(svg, "edge").count("v0->v1_op") == 2


def test_logistic_neuron_renders_with_every_node() -> None:
    x1, x2, w1, w2, b = Value(1.0, "x1"), Value(2.0, "x2"), Value(-0.5, "w1"), Value(0.25, "w2"), Value(0.1, "b")
    z = w1 * x1 + w2 * x2 + b
    a = z.sigmoid()
    y = 1.0
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.backward()
    order = topological_order(L)
    ops = [n for n in order if n.op]
    constants = sum(1 for n in ops for x in n.operands if not isinstance(x, Value))
    svg = to_svg(L, local_grads=True, rules=True, rankdir="TB")
    assert len(groups(svg, "node")) == len(order) + len(ops) + constants
    assert "σ(1−σ)" in "".join(ET.fromstring(svg).itertext())


def test_path_drawing_renders_with_its_caption() -> None:
    x = Value(3.0, "x")
    y = x * x + x
    y.label = "y"
    y.backward()
    svg = to_svg(draw(y, paths_from=x))
    text = "".join(ET.fromstring(svg).itertext())
    assert "sum = 7" in text and "x.grad = 7" in text
    assert len(groups(svg, "node")) == 5


def test_labels_with_markup_characters_render_to_valid_svg() -> None:
    x = Value(1.0, 'a<b> & "c"')
    svg = to_svg(x.exp())
    assert 'a<b> & "c"' in "".join(ET.fromstring(svg).itertext())


def test_save_svg_writes_a_file_and_render_knows_other_formats(tmp_path: Path) -> None:
    J = canonical()
    out = save_svg(J, tmp_path / "J.svg", local_grads=True)
    assert out == tmp_path / "J.svg"
    assert len(groups(out.read_text(encoding="utf-8"), "node")) == 10
    assert render(J, "png").startswith(b"\x89PNG")
    assert save_svg(draw(J, rankdir="TB"), tmp_path / "T.svg").exists()
    with pytest.raises(TypeError, match="already drawn"):
        save_svg(draw(J), tmp_path / "X.svg", local_grads=True)


def test_missing_renderer_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINIGRAD_DOT", raising=False)
    with pytest.raises(RendererNotFoundError, match=r"pip install graphviz-pure.*apt install graphviz"):
        find_renderer(search_path="", script_dirs=[])
    monkeypatch.setenv("MINIGRAD_DOT", "/nonexistent/dot")
    with pytest.raises(RendererNotFoundError, match="MINIGRAD_DOT"):
        find_renderer()
    with pytest.raises(RendererNotFoundError):
        to_svg(Value(1.0))
    assert repr_mimebundle(Value(1.0)).keys() == {"text/plain"}


def test_minigrad_dot_chooses_the_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = find_renderer()
    monkeypatch.setenv("MINIGRAD_DOT", renderer)
    assert find_renderer() == renderer
    assert groups(to_svg(Value(2.0) * 2), "node")


def test_renderer_failure_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RenderError, match="failed"):
        render(Value(1.0), "no-such-format")


# ------------------------------------------------------------------ Jupyter


def test_value_displays_as_svg_in_jupyter() -> None:
    J = canonical()
    bundle = J._repr_mimebundle_()
    assert bundle["text/plain"] == repr(J)
    assert len(groups(bundle["image/svg+xml"], "node")) == 10


def test_a_huge_graph_shows_a_summary_instead() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(100_000):
        y = y + 1.0
    bundle = y._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert bundle["text/plain"].startswith("Value(data=100001.0") and "more than 500 values" in bundle["text/plain"]
    assert len(bundle["text/plain"]) < 300


def test_the_limit_is_a_parameter() -> None:
    x = Value(1.0, "x")
    y = x + x + x
    assert "image/svg+xml" in repr_mimebundle(y, limit=3)
    assert set(repr_mimebundle(y, limit=2)) == {"text/plain"}


def test_a_drawing_pipes_and_displays_with_minigrads_renderer() -> None:
    """``draw(root).pipe("svg")`` and a drawing shown in Jupyter need no system Graphviz."""
    x = Value(2.0, "x")
    drawing = draw(x * x, local_grads=True)
    svg = ET.fromstring(drawing.pipe("svg"))
    assert svg.tag.endswith("svg")
    assert drawing.pipe(format="svg", encoding="utf-8").lstrip().startswith("<?xml")
    bundle = drawing._repr_mimebundle_()
    assert ET.fromstring(bundle["image/svg+xml"]).tag.endswith("svg")
    with pytest.raises(ValueError, match="dot layout only"):
        drawing.pipe("svg", engine="neato")


def slow_to_lay_out() -> Value:
    """x used by every step of a 60-step chain: long edges that take the renderer seconds."""
    x = Value(1.0, "x")
    y = x
    for _ in range(60):
        y = y * 1.01 + x
    return y


def test_a_renderer_that_takes_too_long_is_stopped() -> None:
    with pytest.raises(RenderError, match=r"still laying out the graph after 0.2 s and was stopped"):
        to_svg(slow_to_lay_out(), timeout=0.2)


def test_jupyter_falls_back_to_text_when_rendering_takes_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    render_module = importlib.import_module("minigrad.drawing.render")  # the package's `render` is the function
    monkeypatch.setattr(render_module, "REPR_TIMEOUT", 0.2)
    y = slow_to_lay_out()
    bundle = y._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert bundle["text/plain"].startswith(repr(y)) and "was stopped" in bundle["text/plain"]
