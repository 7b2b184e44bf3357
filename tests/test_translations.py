"""Translated notebooks run the English lessons' code, and notebooks/translation.py says what to sync.

The rule (documented in notebooks/translation.py and docs/translating.md): code cells match
as Python syntax trees with string literals masked; comments may differ; a string may
differ only if the translated one contains a letter of the translation's script; in an
f-string only the text between the ``{...}`` fields may differ.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from notebook_scripts import NOTEBOOKS, load

translation = load("translation")
KOREAN = sorted((NOTEBOOKS / "ko").glob("*.ipynb"))


@pytest.mark.parametrize("path", KOREAN, ids=[p.stem for p in KOREAN])
def test_korean_notebook_runs_the_english_code(path: Path) -> None:
    english = NOTEBOOKS / path.name
    assert english.exists(), f"{path} translates {english.name}, which is not in {NOTEBOOKS}"
    problems = translation.compare(english, path, "ko")
    assert not problems, (
        f"ko/{path.name} is out of step with {english.name} (python notebooks/translation.py ko shows the same):\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("path", KOREAN, ids=[p.stem for p in KOREAN])
def test_korean_notebook_is_translated(path: Path) -> None:
    """Every markdown cell has Hangul: no English paragraph was left behind."""
    nb = nbformat.read(path, as_version=4)
    pattern = translation.SCRIPTS["ko"]
    markdown = [(i + 1, cell.source) for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"]
    english = [number for number, source in markdown if not pattern.search(source)]
    assert not english, f"ko/{path.name}: markdown cells {english} have no Hangul"


def _notebook(tmp_path: Path, name: str, *cells: tuple[str, str]) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        nb.cells.append(nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


ENGLISH_CELLS = (
    ("markdown", "# Lesson"),
    ("code", 'x = 3  # three\nprint(f"x is {x:.2f}", "and done")'),
    ("markdown", "More."),
    ("code", 'plt.imshow(img, cmap="gray_r")\nax.set(title="the average 3")'),
)


def test_translated_text_comments_and_layout_may_differ(tmp_path: Path) -> None:
    english = _notebook(tmp_path, "en.ipynb", *ENGLISH_CELLS)
    korean = _notebook(
        tmp_path,
        "ko.ipynb",
        ("markdown", "# 수업"),
        ("code", 'x = 3  # 셋\nprint(f"x는 {x:.2f}", "끝")'),
        ("code", "plt.imshow(img, cmap='gray_r')\nax.set(title='3들의 평균')"),
    )
    assert translation.compare(english, korean, "ko") == []


@pytest.mark.parametrize(
    ("changed", "says"),
    [
        ('x = 4  # three\nprint(f"x is {x:.2f}", "and done")', "runs different code"),  # a number
        ('x = 3\nprint(f"x는 {x:.3f}", "끝")', "runs different code"),  # a format spec
        ('x = 3\nprint(f"x는 {x + 1:.2f}", "끝")', "runs different code"),  # a field
        ('x = 3\nprint(f"x는 {x:.2f}")', "runs different code"),  # a dropped argument
        ('x = 3\nprint(f"x는 {x:.2f}", "finished")', "changes the string 'and done'"),  # not translated, changed
    ],
)
def test_a_code_change_in_one_language_is_caught(tmp_path: Path, changed: str, says: str) -> None:
    english = _notebook(tmp_path, "en.ipynb", *ENGLISH_CELLS)
    korean = _notebook(tmp_path, "ko.ipynb", ("code", changed), ("code", ENGLISH_CELLS[3][1]))
    problems = translation.compare(english, korean, "ko")
    assert len(problems) == 1 and says in problems[0], problems


def test_a_non_display_string_must_stay_byte_identical(tmp_path: Path) -> None:
    english = _notebook(tmp_path, "en.ipynb", *ENGLISH_CELLS)
    changed = 'plt.imshow(img, cmap="gray")\nax.set(title="평균")'
    korean = _notebook(tmp_path, "ko.ipynb", ("code", ENGLISH_CELLS[1][1]), ("code", changed))
    (problem,) = translation.compare(english, korean, "ko")
    assert "changes the string 'gray_r'" in problem and "to 'gray'" in problem


def test_missing_and_extra_cells_are_reported_with_where_they_go(tmp_path: Path) -> None:
    new_cell = 'for step in range(3):\n    print("step", step)'
    english = _notebook(tmp_path, "en.ipynb", *ENGLISH_CELLS[:2], ("code", new_cell), *ENGLISH_CELLS[2:])
    korean = _notebook(
        tmp_path,
        "ko.ipynb",
        ("markdown", "# 수업"),
        ("code", ENGLISH_CELLS[1][1]),
        ("markdown", "더."),
        ("code", ENGLISH_CELLS[3][1]),
        ("code", "print('extra')"),
    )
    missing, extra = translation.compare(english, korean, "ko")
    assert missing.startswith("English cell 3 is missing from ko/ko.ipynb; add it before its cell 4:")
    assert "print(\"step\", step)" in missing
    assert extra == "cell 5 of ko/ko.ipynb has no English counterpart: remove it"


def test_a_missing_translation_is_reported(tmp_path: Path) -> None:
    english = _notebook(tmp_path, "en.ipynb", *ENGLISH_CELLS)
    (problem,) = translation.compare(english, tmp_path / "ko" / "en.ipynb", "ko")
    assert "is missing" in problem


def test_sync_script_reports_in_step_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert translation.main(["ko", "01_computation_graph.ipynb"]) == 0
    assert capsys.readouterr().out == "ko/01_computation_graph.ipynb: in step\n"
    assert translation.main(["ko", "99_not_a_lesson.ipynb"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("ko/99_not_a_lesson.ipynb: 1 to sync\n") and "is missing" in out


def test_cells_that_are_not_python_are_compared_as_text() -> None:
    assert translation.skeleton("%timeit f(3)").shape == "%timeit f(3)"
    assert translation.skeleton("%timeit f(3)") != translation.skeleton("%timeit f(4)")


README = NOTEBOOKS.parent / "README.md"
TRANSLATED_READMES = sorted(NOTEBOOKS.parent.glob("README.*.md"))
COMMENT = re.compile(r"\s+#\s.*$")  # a comment after code on a doctest line: translated like the notebooks' comments


def _code_blocks(text: str) -> list[str]:
    """Fenced blocks and 4-space indented command blocks, in order, doctest comments removed."""
    blocks: list[str] = []
    for fenced, indented in re.findall(r"^```[^\n]*\n(.*?)^```|((?:^    \S[^\n]*\n)+)", text, re.MULTILINE | re.DOTALL):
        block = fenced or indented
        lines = [COMMENT.sub("", line) if line.startswith((">>> ", "... ")) else line for line in block.splitlines()]
        blocks.append("\n".join(lines))
    return blocks


def _heading_levels(text: str) -> list[str]:
    return re.findall(r"^(#+) ", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL), re.MULTILINE)


@pytest.mark.parametrize("path", TRANSLATED_READMES, ids=[p.name for p in TRANSLATED_READMES])
def test_translated_readme_has_the_english_code_and_sections(path: Path) -> None:
    """Same code blocks and commands in the same order (comments aside), and the same outline of headings."""
    english, translated = README.read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
    assert f"]({path.name})" in english, f"README.md does not link to {path.name}"
    assert "](README.md)" in translated, f"{path.name} does not link to README.md"
    e_blocks, t_blocks = _code_blocks(english), _code_blocks(translated)
    for number, (e, t) in enumerate(zip(e_blocks, t_blocks, strict=False), start=1):
        assert e == t, f"code block {number} of {path.name} differs from README.md's:\n{t}\n--- English:\n{e}"
    assert len(e_blocks) == len(t_blocks), f"README.md has {len(e_blocks)} code blocks, {path.name} {len(t_blocks)}"
    assert _heading_levels(english) == _heading_levels(translated), "the headings are not parallel to README.md's"
