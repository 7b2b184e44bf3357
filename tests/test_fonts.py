"""Korean text in plots renders with real glyphs: the bundled font has them and matplotlib uses it.

Checked from the font file itself (its cmap, read with fontTools) and from matplotlib's own
verdict: when no font in its list has a character, Agg draws an empty box and warns
"Glyph ... missing from font(s)". Without the fallback it does (DejaVu Sans has no Hangul),
so these tests would fail if the font stopped being found or used.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib
import nbformat
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from minigrad.commands.train import plot_losses
from minigrad.fonts import HANGUL_FAMILY, HANGUL_FONT, add_hangul_fallback, hangul_rc, register_hangul_font

KOREAN_NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks" / "ko").glob("*.ipynb"))
HANGUL = re.compile(r"[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]")
TITLE = "AND에 대한 경사 하강법: 손실 함수 L, 기울기 dL/dw"


def _missing_glyph_warnings(title: str) -> list[str]:
    """Draw a figure titled ``title`` with Agg and return matplotlib's missing-glyph warnings."""
    fig = Figure(figsize=(4, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, 0])
    ax.set(title=title, xlabel="단계", ylabel="비용 J")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_matplotlib_finds_the_bundled_font_by_its_family_name() -> None:
    register_hangul_font()
    found = font_manager.findfont(font_manager.FontProperties(family=HANGUL_FAMILY), fallback_to_default=False)
    assert Path(found) == HANGUL_FONT


def test_the_bundled_font_has_every_hangul_syllable_and_jamo() -> None:
    cmap = TTFont(HANGUL_FONT).getBestCmap()
    for first, last in ((0xAC00, 0xD7A3), (0x3131, 0x318E), (0x1100, 0x11FF)):
        missing = [hex(c) for c in range(first, last + 1) if c not in cmap and chr(c).isprintable()]
        assert not missing, f"{HANGUL_FONT.name} lacks {missing[:5]}..."


@pytest.mark.parametrize("path", KOREAN_NOTEBOOKS, ids=[p.stem for p in KOREAN_NOTEBOOKS])
def test_the_bundled_font_has_every_hangul_character_the_korean_notebooks_draw(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    used = {ch for cell in nb.cells if cell.cell_type == "code" for ch in HANGUL.findall(cell.source)}
    assert used, f"{path.name} has no Hangul in its code (printed sentences and plot titles are translated)"
    cmap = TTFont(HANGUL_FONT).getBestCmap()
    assert not sorted(ch for ch in used if ord(ch) not in cmap)


def test_without_the_fallback_hangul_is_drawn_as_boxes() -> None:
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        assert _missing_glyph_warnings(TITLE), "matplotlib's default font unexpectedly has Hangul"


def test_with_the_fallback_hangul_is_drawn_with_real_glyphs() -> None:
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        add_hangul_fallback()
        assert matplotlib.rcParams["font.family"] == ["sans-serif", HANGUL_FAMILY]
        assert _missing_glyph_warnings(TITLE) == []


def test_latin_text_keeps_matplotlibs_usual_font() -> None:
    with matplotlib.rc_context(hangul_rc(["sans-serif"])):
        first = font_manager.findfont(font_manager.FontProperties())
    assert Path(first).name == "DejaVuSans.ttf"


def test_minigrad_train_loss_plot_draws_a_korean_title(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would raise here
        path = plot_losses([0.7, 0.5, 0.4, 0.35], 2, tmp_path / "loss.png", "손실 곡선")
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert HANGUL_FAMILY not in matplotlib.rcParams["font.family"]  # the global settings were left alone


def test_a_drawing_keeps_korean_labels_as_text_for_the_viewer_to_render() -> None:
    """SVG drawings carry Hangul as text: the browser or notebook draws it with the system's Hangul font."""
    from minigrad import Value, to_svg

    loss = Value(0.5, "손실") * Value(2.0, "가중치")
    loss.label = "비용 J"
    svg = to_svg(loss)
    assert "손실" in svg and "가중치" in svg and "비용 J" in svg


def test_an_svg_drawing_with_hangul_carries_the_glyphs_it_uses() -> None:
    """Viewers without a Hangul font (DejaVu Sans has none) still draw the labels: the SVG embeds them."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from minigrad import Value, to_svg

    weight, x = Value(2.0, "가중치"), Value(3.0, "입력")
    out = weight * x
    out.label = "출력"
    svg = to_svg(out)
    embedded = r'@font-face\{font-family:"minigrad Hangul";src:url\(data:font/otf;base64,([^)]*)\);unicode-range:'
    face = re.search(embedded, svg)
    assert face is not None
    cmap = TTFont(io.BytesIO(base64.b64decode(face.group(1)))).getBestCmap()
    assert all(ord(ch) in cmap for ch in "가중치입력출")
    assert len(face.group(1)) < 20_000  # only the syllables used, not the 1.3 MB font
    assert 'font-family="minigrad Hangul,DejaVu Sans,' in svg
    plain = to_svg(Value(1.0, "w"))
    assert "@font-face" not in plain and "minigrad Hangul" not in plain
