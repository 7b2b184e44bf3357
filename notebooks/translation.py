"""Check that translated notebooks run the same code as the English ones, and say what to sync.

    python notebooks/translation.py ko                 # every notebooks/ko/*.ipynb against notebooks/*.ipynb
    python notebooks/translation.py ko 02_logistic_regression.ipynb

A translated lesson (``notebooks/<language>/<name>.ipynb``) has its own markdown, but
its code cells are the English notebook's, in the same order, under one rule:

* Comments may differ (Python never sees them).
* String literals may differ only where the translation is display text: a string in
  the translated cell may differ from the English one only if it contains a letter of
  the translation's script (Hangul for ``ko``). Printed sentences, plot titles, axis
  labels and docstrings are translated; ``"gray_r"``, ``activation="tanh"``, the label
  ``"w1"`` and dictionary keys stay byte-identical, because translating them would
  change what the code does.
* In an f-string only the text may differ: the ``{...}`` fields, in order, with their
  format specs, stay the same.
* Everything else (names, numbers, calls, the order of statements) is compared as
  Python's syntax tree, so layout must stay parseable but need not match byte for byte.

``tests/test_translations.py`` fails when a translated notebook breaks the rule. This
script prints, for each notebook, the code cells that are missing, extra or different,
with the English source to copy and where it goes, and exits with status 1 if anything
needs syncing (0 when all is in step).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

HERE = Path(__file__).resolve().parent

SCRIPTS = {"ko": re.compile(r"[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]")}
"""Per language: a pattern that a translated string must contain to be allowed to differ."""


class Skeleton(NamedTuple):
    """A code cell with its display text taken out: ``shape`` compares code, ``texts`` the strings in order."""

    shape: str
    texts: tuple[str, ...]


class _Masker(ast.NodeTransformer):
    def __init__(self) -> None:
        self.texts: list[str] = []

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            self.texts.append(node.value)
            return ast.Constant(value="<text>")
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        self.texts.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        fields = [
            ast.FormattedValue(value=self.visit(v.value), conversion=v.conversion, format_spec=v.format_spec)
            for v in node.values
            if isinstance(v, ast.FormattedValue)
        ]
        return ast.JoinedStr(values=fields)


def skeleton(source: str) -> Skeleton:
    """The code of a cell with every string literal masked, and the strings themselves.

    Source that is not plain Python (an IPython ``%magic``) is compared as it is.

    >>> a = skeleton('print(f"step {i}: cost {c:.3f}")  # one line')
    >>> b = skeleton('print(f"{i}단계: 비용 {c:.3f}")')
    >>> a.shape == b.shape, b.texts
    (True, ('{}단계: 비용 {}',))
    >>> skeleton('print(f"{c:.2f}")').shape == a.shape
    False
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return Skeleton(shape=source, texts=())
    masker = _Masker()
    tree = masker.visit(tree)
    return Skeleton(shape=ast.dump(tree), texts=tuple(masker.texts))


def untranslated_changes(english: str, translated: str, language: str) -> list[tuple[str, str]]:
    """The strings that differ between two cells of the same shape without being translations.

    >>> untranslated_changes('plt.imshow(x, cmap="gray_r", title="digits")',
    ...                      'plt.imshow(x, cmap="gray", title="숫자")', "ko")
    [('gray_r', 'gray')]
    """
    pattern = SCRIPTS[language]
    pairs = zip(skeleton(english).texts, skeleton(translated).texts, strict=True)
    return [(e, t) for e, t in pairs if e != t and not pattern.search(t)]


def code_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(index among all cells, source) of each code cell."""
    return [(i, cell.source) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]


def compare(english_path: Path, translated_path: Path, language: str) -> list[str]:
    """What differs between the code of two notebooks, as readable paragraphs (empty: in step).

    Cells are numbered as a notebook front end shows them, from 1, counting markdown.
    """
    name = f"{language}/{translated_path.name}"
    if not translated_path.exists():
        return [f"{name} is missing: translate {english_path.name} (copy it, then translate its text)"]
    english = code_cells(nbformat.read(english_path, as_version=4))
    translated = code_cells(nbformat.read(translated_path, as_version=4))
    e_shapes = [skeleton(s).shape for _, s in english]
    t_shapes = [skeleton(s).shape for _, s in translated]
    problems: list[str] = []

    def where(position: int) -> str:
        if not translated:
            return "as its first code cell"
        if position < len(translated):
            return f"before its cell {translated[position][0] + 1}"
        return f"after its cell {translated[-1][0] + 1}"

    matcher = difflib.SequenceMatcher(a=e_shapes, b=t_shapes, autojunk=False)
    for tag, e0, e1, t0, t1 in matcher.get_opcodes():
        if tag == "equal":
            for (ei, es), (ti, ts) in zip(english[e0:e1], translated[t0:t1], strict=True):
                for e, t in untranslated_changes(es, ts, language):
                    problems.append(
                        f"cell {ti + 1} of {name} changes the string {e!r} (English cell {ei + 1}) "
                        f"to {t!r}: only text in the translation's script may differ"
                    )
            continue
        if tag == "replace" and e1 - e0 == t1 - t0:
            for (ei, es), (ti, ts) in zip(english[e0:e1], translated[t0:t1], strict=True):
                diff = difflib.unified_diff(
                    es.splitlines(), ts.splitlines(), f"English cell {ei + 1}", f"translated cell {ti + 1}", lineterm=""
                )
                problems.append(
                    f"cell {ti + 1} of {name} runs different code from English cell {ei + 1}:\n"
                    + _indent("\n".join(diff))
                )
            continue
        for ei, es in english[e0:e1]:
            problems.append(
                f"English cell {ei + 1} is missing from {name}; add it {where(t0)}:\n" + _indent(es)
            )
        for ti, _ in translated[t0:t1]:
            problems.append(f"cell {ti + 1} of {name} has no English counterpart: remove it")
    return problems


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:
    """Report, per notebook, what a translation must change to run the English code; 1 if anything."""
    parser = argparse.ArgumentParser(description="Compare translated notebooks' code cells with the English ones.")
    parser.add_argument("language", choices=sorted(SCRIPTS), help="the folder under notebooks/")
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: every English notebook)")
    args = parser.parse_args(argv)
    names = args.notebooks or sorted(p.name for p in HERE.glob("*.ipynb"))
    out_of_step = 0
    for name in names:
        problems = compare(HERE / name, HERE / args.language / name, args.language)
        status = "in step" if not problems else f"{len(problems)} to sync"
        print(f"{args.language}/{name}: {status}")
        for problem in problems:
            print("  - " + problem.replace("\n", "\n    "))
        out_of_step += bool(problems)
    return 1 if out_of_step else 0


if __name__ == "__main__":
    sys.exit(main())
