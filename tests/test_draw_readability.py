"""Drawings read as drawn: text fits its boxes in the font used, wide graphs fit a page,
highlighted paths keep their labels readable, parameters are told apart, any label draws.

Rendered for real (graphviz-pure when there is no system dot); text widths are measured
with the DejaVu Sans font files that matplotlib ships.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageFont

from minigrad import Value, draw, gradient_paths, to_svg
from minigrad.drawing import PATH_COLOURS
from minigrad.examples import canonical_J, logistic_neuron
from minigrad.nn import MLP, Layer, Neuron

SVG = "{http://www.w3.org/2000/svg}"
DOCS = Path(__file__).resolve().parent.parent / "docs"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
SLACK = 0.5  # points: rounding in the SVG's coordinates


def font_file(bold: bool) -> str:
    return str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))


@cache
def font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(bold), round(size * 100))


@cache
def covered(bold: bool) -> frozenset[int]:
    with TTFont(font_file(bold), lazy=True) as ttf:
        return frozenset(ttf.getBestCmap())


def text_width(element: ET.Element) -> float:
    """The width in points of an SVG ``<text>`` drawn in DejaVu Sans; a character it lacks (Hangul) is
    drawn by the viewer in another font, counted as 1 em."""
    size = float(element.get("font-size", "14"))
    bold = element.get("font-weight") == "bold"
    text = element.text or ""
    drawn = "".join(ch for ch in text if ord(ch) in covered(bold))
    return font(bold, size).getlength(drawn) / 100 + (len(text) - len(drawn)) * size


def extent(element: ET.Element) -> tuple[float, float]:
    x, width = float(element.get("x", "0")), text_width(element)
    anchor = element.get("text-anchor", "start")
    left = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
    return left, left + width


Box = tuple[float, float, float, float]


def rectangle(polygon: ET.Element) -> Box | None:
    """The polygon as (x0, y0, x1, y1) if it is an axis-aligned rectangle."""
    points = [tuple(map(float, p.split(","))) for p in polygon.get("points", "").split()]
    xs, ys = {x for x, _ in points}, {y for _, y in points}
    if len(points) == 5 and len(xs) == 2 and len(ys) == 2:
        return min(xs), min(ys), max(xs), max(ys)
    return None


def rectangles(group: ET.Element) -> list[Box]:
    """The rectangles drawn as polygons directly in ``group``."""
    return [r for p in group.findall(f"{SVG}polygon") if (r := rectangle(p)) is not None]


def overflows(svg: str) -> list[str]:
    """Every text that does not fit: wider than the table cell or operation node it is written in, or
    reaching out of the picture (a cut caption or edge label)."""
    root = ET.fromstring(svg)
    background = rectangles(root.find(f"{SVG}g"))[0]
    problems = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        texts = [t for t in group.iter(f"{SVG}text") if t.text and t.text.strip()]
        for text in texts:
            left, right = extent(text)
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            boxes = [background]
            if kind == "node":
                cells = [r for r in rectangles(group) if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
                boxes += sorted(cells, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))[:1]
                ellipse = group.find(f".//{SVG}ellipse")
                if ellipse is not None and not cells:
                    cx, rx = float(ellipse.get("cx", "0")), float(ellipse.get("rx", "0"))
                    boxes.append((cx - rx, y - 1, cx + rx, y + 1))
            for x0, _, x1, _ in boxes:
                if left < x0 - SLACK or right > x1 + SLACK:
                    problems.append(f"{kind}: {text.text!r} spans {left:.1f}..{right:.1f}, its box {x0:.1f}..{x1:.1f}")
    return problems


def long_product() -> Value:
    """A path of 30 factors: a caption line with 29 ``×``, a character graphviz-pure guesses too narrow."""
    x = Value(1.5, "x")
    y = x
    for _ in range(30):
        y = y * 1.0
        y.label = "m"
    y.label = "y"
    y.backward()
    return y


def micrograd_example() -> tuple[Value, Value]:
    """micrograd's README example: 24 paths lead from ``a`` to ``g``."""
    a = Value(-4.0, "a")
    b = Value(2.0, "b")
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.label = "g"
    g.backward()
    return g, a


def mlp_example() -> tuple[Value, MLP]:
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    out.label = "out"  # type: ignore[union-attr]
    out.backward()  # type: ignore[union-attr]
    return out, model  # type: ignore[return-value]


# ------------------------------------------------------------------ fonts


def test_drawings_are_laid_out_in_dejavu_sans_and_ask_the_viewer_for_it() -> None:
    svg = to_svg(canonical_J()["J"])
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families and all(f.split(",")[0] == "DejaVu Sans" for f in families), families
    assert all(f.endswith("sans-serif") for f in families)  # a viewer without it still draws a sans-serif
    assert 'fontname="DejaVu Sans"' in draw(canonical_J()["J"]).source


@pytest.mark.parametrize(
    "name, build, options",
    [
        ("J", lambda: canonical_J()["J"], {"local_grads": True, "rules": True}),
        ("neuron", lambda: logistic_neuron()["L"], {"local_grads": True, "rules": True}),
        ("micrograd paths", lambda: micrograd_example()[0], "paths"),
        ("MLP paths", lambda: mlp_example()[0], "paths"),
        ("wide numbers", lambda: Value(-123456.789, "WMW") * Value(-0.000123456, "mmm"), {"number_format": ".9g"}),
        ("× in a caption", lambda: long_product(), "paths"),
        ("beyond ASCII", lambda: Value(2.0, "가중치 ×××× σσ") * Value(3.0, "∂∂∂ →→ ——"), {"local_grads": True}),
    ],
)
def test_every_text_fits_its_box_in_the_font_it_is_drawn_in(name: str, build, options) -> None:
    root = build()
    if options == "paths":
        start = next(p for p in reversed(_leaves(root)))
        options = {"paths_from": start}
    problems = overflows(to_svg(draw(root, **options)))
    assert not problems, "\n".join(problems[:10])


def _leaves(root: Value) -> list[Value]:
    from minigrad import topological_order

    return [n for n in topological_order(root) if not n.parents and n.label]


@pytest.mark.parametrize("name", ["J.svg", "neuron.svg"])
def test_the_committed_figures_fit_their_text(name: str) -> None:
    problems = overflows((DOCS / name).read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems[:10])


# ------------------------------------------------------------------ layout


def svg_size(svg: str) -> tuple[float, float]:
    view = ET.fromstring(svg).get("viewBox", "").split()
    return float(view[2]), float(view[3])


def test_a_deep_graph_is_drawn_top_to_bottom_to_read_at_page_width() -> None:
    L = logistic_neuron()["L"]
    drawing = draw(L, local_grads=True, rules=True)
    assert drawing.graph_attr["rankdir"] == "TB"
    width, height = svg_size(to_svg(drawing))
    assert width <= 1000 and height > width
    assert svg_size(to_svg(draw(L, local_grads=True, rules=True, rankdir="LR")))[0] > 2000  # what it replaces


def test_small_and_fanned_out_graphs_stay_left_to_right() -> None:
    assert draw(canonical_J()["J"], local_grads=True, rules=True).graph_attr["rankdir"] == "LR"
    assert draw(Value(1.0, "x")).graph_attr["rankdir"] == "LR"
    out, _ = mlp_example()  # a neuron's dot node has many operands: top to bottom would be wider
    assert draw(out).graph_attr["rankdir"] == "LR"
    assert draw(out, rankdir="TB").graph_attr["rankdir"] == "TB"  # asked for, given


def test_the_readme_figures_read_at_page_width() -> None:
    for name in ("J.svg", "neuron.svg"):
        width, _ = svg_size((DOCS / name).read_text(encoding="utf-8"))
        assert width <= 1000, (name, width)


# ------------------------------------------------------------------ highlighted paths


def edge_groups(svg: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "edge"]


def test_many_paths_are_drawn_one_line_per_edge_in_one_colour_and_the_caption_says_so() -> None:
    g, a = micrograd_example()
    assert len(gradient_paths(g, a)) == 24
    drawing = draw(g, paths_from=a)
    colours = re.findall(r'color="([^"]*)" penwidth', drawing.source)
    assert colours and set(colours) == {PATH_COLOURS[0]}  # no bundles of parallel lines
    assert "24 paths, more than the 8 colours" in drawing.source


def test_few_paths_keep_a_colour_each() -> None:
    x = Value(3.0, "x")
    y = x * x + x
    y.label = "y"
    y.backward()
    source = draw(y, paths_from=x).source
    assert f"{PATH_COLOURS[0]}:{PATH_COLOURS[1]}" in source and "more than the" not in source


def test_edge_labels_sit_on_a_white_ground_drawn_over_their_highlighted_edge() -> None:
    g, a = micrograd_example()
    svg = to_svg(draw(g, paths_from=a))
    checked = 0
    for group in edge_groups(svg):
        path = group.find(f"{SVG}path")
        if path is None or path.get("stroke-width") != "2":
            continue
        children = list(group)
        texts = [c for c in children if c.tag == f"{SVG}text"]
        assert texts, "a highlighted edge carries its local derivative"
        grounds = [
            (i, box)
            for i, c in enumerate(children)
            if c.tag == f"{SVG}polygon" and c.get("fill") == "white" and (box := rectangle(c)) is not None
        ]
        for text in texts:
            left, right = extent(text)
            y = float(text.get("y", "0"))
            under = [
                i
                for i, (x0, y0, x1, y1) in grounds
                if x0 - SLACK <= left and right <= x1 + SLACK and y0 <= y <= y1
            ]
            assert under and min(under) > children.index(path), ET.tostring(group, encoding="unicode")[:400]
            checked += 1
    assert checked >= 24


# ------------------------------------------------------------------ telling parameters apart


def test_mlp_parameters_have_labels_that_say_where_they_are() -> None:
    model = MLP(3, [4, 2, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels)
    assert labels[:5] == ["L1.n1.w1", "L1.n1.w2", "L1.n1.w3", "L1.n1.b", "L1.n2.w1"]
    assert labels[-1] == "L3.n1.b"
    assert [p.label for p in Layer(2, 2, seed=0).parameters()] == ["n1.w1", "n1.w2", "n1.b", "n2.w1", "n2.w2", "n2.b"]
    assert [p.label for p in Neuron(2, seed=0).parameters()] == ["w1", "w2", "b"]


def test_mlp_path_captions_name_each_parameter_once() -> None:
    out, model = mlp_example()
    second_layer_w1 = model.layers[1].neurons[0].w[0]
    source = draw(out, paths_from=model.parameters()[0]).source
    assert "L1.n1.w1 → (·) → (tanh) → out" in source
    assert "∂out/∂L2.n1.w1" in draw(out, paths_from=second_layer_w1).source


def test_values_that_share_a_label_are_numbered_in_boxes_and_captions() -> None:
    neurons = [Neuron(2, seed=i) for i in range(2)]  # built apart: both have w1, w2, b
    z = neurons[0]([1.0, 2.0]) * neurons[1]([1.0, 2.0])
    z.label = "z"
    z.backward()
    source = draw(z, paths_from=neurons[1].w[0]).source
    for name in ("w1#1", "w1#2", "b#1", "b#2"):
        assert f"<b>{name}</b>" in source
    assert "∂z/∂w1#2" in source and "w1#2 → (·) → (σ) → z" in source
    assert "<b>z</b>" in source  # a label used once is shown as it is


# ------------------------------------------------------------------ any label draws

NASTY = ["\x00", "\x1b[31mred\x1b[0m", "\ud800", "\udfff lone", "a\tb\nc\r", "\x7f\x85\u2028\u2029", "x" * 5000]


@pytest.mark.parametrize("label", NASTY, ids=range(len(NASTY)))
def test_any_str_label_draws(label: str) -> None:
    x = Value(2.0, label)
    y = x * x
    y.label = label
    y.backward()
    svg = to_svg(draw(y, paths_from=x))
    ET.fromstring(svg)  # well formed
    width, _ = svg_size(svg)
    assert width < 1500  # a long label is cut, not drawn 30,000 points wide
    assert not overflows(svg)


def test_printable_escapes_what_cannot_be_drawn_and_keeps_the_rest() -> None:
    from minigrad.drawing.text import printable

    assert printable("\x00") == "\\x00"
    assert printable("\x1b[31m") == "\\x1b[31m"
    assert printable("\ud800") == "\\ud800"
    assert printable("\u2028") == "\\u2028"
    assert printable("σ(z) ∂L/∂w₁ 한국어 🙂") == "σ(z) ∂L/∂w₁ 한국어 🙂"
    assert printable("x" * 100) == "x" * 39 + "…" and len(printable("x" * 100, limit=None)) == 100
    for label in NASTY:
        printable(label).encode("utf-8")  # no lone surrogate left
