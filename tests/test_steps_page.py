"""draw(root, step=k), save_html and ``minigrad step``: the drawings, the page file and the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from minigrad import Value, draw, save_html, steps, to_svg
from minigrad.drawing.steps_style import draw_step
from minigrad.examples import canonical_J, logistic_neuron
from minigrad.files import atomic_write
from minigrad.steps_html import to_html

SVG = "{http://www.w3.org/2000/svg}"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "minigrad", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def node_boxes(svg: str) -> dict[str, str]:
    """Each drawn node's title and the outline the renderer gave it (where it sits, how big)."""
    root = ET.fromstring(svg)
    boxes = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            shapes = [e for e in g if e.tag in (f"{SVG}polygon", f"{SVG}ellipse", f"{SVG}path")]
            outline = [(e.get("points"), e.get("cx"), e.get("cy"), e.get("d")) for e in shapes]
            boxes[g.find(f"{SVG}title").text] = outline
    return boxes


@pytest.mark.parametrize(("root", "drawn"), [(canonical_J()["J"], 10), (logistic_neuron()["L"], 32)])
def test_every_frame_has_the_same_layout(root: Value, drawn: int) -> None:
    frames = steps(root)
    layouts = [node_boxes(to_svg(draw_step(frames, k, caption=False))) for k in range(len(frames))]
    assert len(layouts[0]) == drawn and all(len(shapes) > 0 for shapes in layouts[0].values())
    for k, layout in enumerate(layouts):
        moved = {name: (layout[name], layouts[0][name]) for name in layout if layout[name] != layouts[0][name]}
        assert not moved, f"frame {k} moves {moved}"


def test_what_is_not_computed_is_grey_and_the_current_node_is_red() -> None:
    nodes = canonical_J()
    J = nodes["J"]
    source = draw(J, step=0).source
    assert "data 33" not in source and source.count("data ?") == 3  # u, v and J are still to compute
    assert source.count("grad ?") == 6
    assert "<b>step 0</b> (forward): the leaves are given: a = 5, b = 3, c = 2" in source
    backward = draw_step(steps(J), 5, caption=False).source  # v passes 3 × 1 to a and to u
    assert backward.count("3 × 1 = 3") == 2 and "passed 3" in backward  # J's edge carried 3 before
    assert 'border="1" cellborder="1" cellspacing="0" cellpadding="5" color="#dc2626"' in backward  # v's box
    done = draw(J, step=-1).source
    assert "grad ?" not in done and "×" in done and "#dc2626" not in done


def test_step_out_of_range_and_mixed_options_are_refused() -> None:
    J = canonical_J()["J"]
    with pytest.raises(IndexError, match="step 8 is out of range: this graph has 8 frames, 0 to 7"):
        draw(J, step=8)
    with pytest.raises(ValueError, match="step= and paths_from="):
        draw(J, step=1, paths_from=J)
    with pytest.raises(ValueError, match="number_format"):
        draw(J, step=1, number_format="x")


def test_the_jupyter_view_is_a_fragment_with_its_own_keys() -> None:
    frames = steps(canonical_J()["J"])
    html = frames._repr_html_()
    assert not html.startswith("<!DOCTYPE") and html.count('class="mg-frame"') == len(frames)
    ids = re.findall(r'<div class="mg-steps" id="([^"]+)"', html)
    assert len(ids) == 1 and f'document.getElementById("{ids[0]}"), document.getElementById' in html
    assert ids[0] not in frames._repr_html_()  # a second view on the same notebook page gets its own id
    assert 'id="node' not in html  # no duplicate SVG ids across frames


def test_the_page_data_matches_the_frames() -> None:
    frames = steps(canonical_J()["J"])
    page = to_html(frames)
    data = json.loads(re.search(r'<script type="application/json" class="mg-data">(.*?)</script>', page).group(1))
    assert [d["caption"] for d in data] == [f.caption for f in frames]
    names = re.findall(r'<tr data-name="([^"]+)">', page)
    assert names == ["J", "v", "a", "u", "b", "c"]
    assert [row[1] for row in data[-1]["rows"]] == ["1", "3", "3", "3", "6", "9"]


def test_save_html_leaves_the_users_gradients_alone(tmp_path: Path) -> None:
    a = Value(2.0, "a")
    y = a * a + a
    out = save_html(y, tmp_path / "y.html", title="y = a² + a")
    assert a.grad == 0.0 and y.grad == 0.0
    text = out.read_text(encoding="utf-8")
    assert "<title>y = a² + a</title>" in text and "a adds up" in text


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    page = tmp_path / "J.html"
    page.write_text("the previous page", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(page, "half written \ud800 and never finished")  # a lone surrogate cannot be encoded
    assert page.read_text(encoding="utf-8") == "the previous page"
    assert [p.name for p in tmp_path.iterdir()] == ["J.html"]  # no temporary file left behind


def test_a_failed_render_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "J.html"
    page.write_text("the previous page", encoding="utf-8")
    monkeypatch.setenv("MINIGRAD_DOT", "false")  # a renderer that fails
    result = run(tmp_path, "step", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "-o", "J.html")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("minigrad step: error: ") and "Traceback" not in result.stderr
    assert page.read_text(encoding="utf-8") == "the previous page"


def test_step_command_writes_the_page(tmp_path: Path) -> None:
    result = run(tmp_path, "step", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "-o", "J.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["J = 33: 4 forward and 4 backward steps", f"wrote {tmp_path / 'J.html'}"]
    text = (tmp_path / "J.html").read_text(encoding="utf-8")
    assert "dJ/dv = 3 reaches v; v passes 3 × 1 = 3 to a and 3 × 1 = 3 to u" in text
    default = run(tmp_path, "step", "u = b*c; L = u*u", "b=1", "c=2", "-q")
    assert default.returncode == 0 and default.stdout == "" and (tmp_path / "L.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["open('x')", "-o", "x.html"], "calling 'open' is not allowed"),
        (["a*2", "a=five", "-o", "x.html"], "'five' is not a number"),
        (["a*2", "-o", "x.html"], "unknown name"),
        (["a*a", "a=1", "a=2", "-o", "x.html"], "'a' is bound twice"),
        (["a*2", "a=1", "-o", "missing/x.html"], "the folder missing does not exist"),
        (["a*2", "a=1", "-o", "."], "is a folder"),
        ([], "the following arguments are required"),
        (["x" + " * x" * 45, "x=1", "-o", "x.html"], "is for small graphs: this one has 46 values"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(tmp_path, "step", *args)
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr
    assert result.stderr.startswith("minigrad step: error: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_a_page_with_hangul_labels_carries_the_font_for_its_text_too(tmp_path: Path) -> None:
    a, b = Value(5.0, "가"), Value(3.0, "나")
    loss = a * b
    loss.label = "손실"
    save_html(loss, tmp_path / "ko.html")
    text = (tmp_path / "ko.html").read_text(encoding="utf-8")
    assert '@font-face{font-family:"minigrad Hangul"' in text  # from the frames' SVG, global in the page
    assert 'font-family: "minigrad Hangul",' in text  # and asked for first by the caption and the table
