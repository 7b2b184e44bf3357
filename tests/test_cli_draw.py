"""``minigrad draw`` and the SVG of ``minigrad demo``, run as users run them, in a temporary directory."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from minigrad.cli import main
from minigrad.expression import ExpressionError, build

SVG = "{http://www.w3.org/2000/svg}"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "minigrad", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def nodes(svg: Path) -> list[str]:
    root = ET.parse(svg).getroot()
    return [g.find(f"{SVG}title").text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


def test_draw_writes_a_valid_svg_for_the_canonical_example(tmp_path: Path) -> None:
    result = run(tmp_path, "draw", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", "J.svg")
    assert result.returncode == 0, result.stderr
    assert "dJ" not in result.stdout and "output = 33" in result.stdout
    assert "doutput/da = 3   doutput/db = 6   doutput/dc = 9" in result.stdout
    assert str(tmp_path / "J.svg") in result.stdout
    assert len(nodes(tmp_path / "J.svg")) == 10  # six values (a b c, b*c, a+bc, J), three operations, the 3


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os')",
        "__import__('os').system('echo hacked')",
        "a.__class__",
        "a[0]",
        "open('x')",
        "x + 1",
        "lambda: 1",
        "a; import os",
        "exec('1')",
        "a if a else b",
        "[a, b]",
        "a // 2",
        "'text'",
        "3*(a +",
        "",
    ],
)
def test_draw_rejects_anything_outside_the_whitelist(
    tmp_path: Path, expression: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.svg"
    status = main(["draw", expression, "a=1", "b=2", "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("minigrad draw: error: ") and "Traceback" not in err
    assert not out.exists()


def test_draw_rejects_import_in_a_real_process(tmp_path: Path) -> None:
    result = run(tmp_path, "draw", "__import__('os').system('touch pwned')")
    assert result.returncode != 0
    assert "not allowed" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_error_messages_name_the_problem() -> None:
    cases = {
        "__import__('os')": "calling '__import__' is not allowed",
        "a.b": "attribute access (a.b) is not allowed",
        "x * 2": "unknown name 'x'; bind it on the command line as x=VALUE",
        "log(a - 1)": "log(x) needs x > 0",
        "a / 0": "division by zero",
        "exp(a, a)": "exp() takes exactly one argument",
    }
    for expression, message in cases.items():
        with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
            build(expression, {"a": 1.0})


def test_bad_bindings_are_usage_errors(tmp_path: Path) -> None:
    result = run(tmp_path, "draw", "a*2", "a=five")
    assert result.returncode == 2 and "not a number" in result.stderr


def test_draw_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = "u = b*c; v = a + u; J = 3*v"
    assert (
        main(
            ["draw", program, "a=5", "b=3", "c=2", "--rules", "--tb", "--number-format", ".2f", "-o",
             str(tmp_path / "J.svg")]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "J = 33.00" in printed and "dJ/dc = 9.00" in printed
    text = "".join(ET.parse(tmp_path / "J.svg").getroot().itertext())
    assert "∂/∂x = y" in text and "data 33.00" in text and "u" in text
    assert main(["draw", program, "a=5", "b=3", "c=2", "--paths", "b", "-q", "-o", str(tmp_path / "p.svg")]) == 0
    assert "sum = 6" in "".join(ET.parse(tmp_path / "p.svg").getroot().itertext())
    assert main(["draw", "a*a", "a=3", "--no-grads", "-q", "-o", str(tmp_path / "aa.dot")]) == 0
    assert (tmp_path / "aa.dot").read_text(encoding="utf-8").count("v0 -> v1_op") == 2
    assert main(["draw", "a*a", "a=3", "-q", "-o", str(tmp_path / "aa.png")]) == 0
    assert (tmp_path / "aa.png").read_bytes().startswith(b"\x89PNG")
    assert main(["draw", "a*a", "a=3", "--paths", "zz", "-o", str(tmp_path / "x.svg")]) == 2


def test_constants_are_drawn_as_constants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = "z = w*x + b; p = sigmoid(z); L = -(y*log(p) + (1-y)*log(1-p))"
    args = ["draw", program, "w=0.5", "x=2", "b=-1", "--const", "y=1", "-o", str(tmp_path / "L.svg")]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "dL/dy" not in printed and "dL/dw" in printed
    names = nodes(tmp_path / "L.svg")
    assert any("_op_c" in n for n in names)
    assert main(["draw", "y*2", "y=1", "--const", "y=2", "-o", str(tmp_path / "bad.svg")]) == 2


def test_demo_writes_its_svg_where_told(tmp_path: Path) -> None:
    result = run(tmp_path, "demo", "--svg", "drawing.svg")
    assert result.returncode == 0, result.stderr
    assert f"drawing:   {tmp_path / 'drawing.svg'}" in result.stdout
    assert len(nodes(tmp_path / "drawing.svg")) == 10
    default = run(tmp_path, "demo", "-q")
    assert default.returncode == 0 and default.stdout == "" and (tmp_path / "J.svg").exists()
    assert run(tmp_path, "demo", "--no-svg", "-a", "1").returncode == 0


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("9" * 400 + "*a", r"column 1: the number 999999…9 \(400 digits\) is too large for a float"),
        ("a + 1e999", "column 5: the number 1e999 is not finite"),
        ("a*1e308*1e308", r"column 1: a\*1e308: mul\(2.0, 1e\+308\) overflows a float"),  # a = 2
    ],
)
def test_huge_and_non_finite_numbers_in_the_expression_are_refused(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        build(expression, {"a": 2.0})


def test_huge_integer_literal_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    result = run(tmp_path, "draw", "9" * 400 + "*a", "a=1", "-o", "x.svg")
    assert result.returncode == 2
    assert result.stderr.startswith("minigrad draw: error: ") and "Traceback" not in result.stderr
    assert "too large" in result.stderr and not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["a*2", "a=nan"],
        ["a*2", "a=inf"],
        ["a*2", "a=-inf"],
        ["a*2", "a=1e999"],
        ["a*y", "a=1", "-k", "y=nan"],
        ["a + 1e999", "a=1"],
    ],
)
def test_non_finite_numbers_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, "draw", *args, "-o", "x.svg")
    assert result.returncode == 2, result.stdout
    assert "not finite" in result.stderr and "Traceback" not in result.stderr
    assert "output = " not in result.stdout and not (tmp_path / "x.svg").exists()


def test_build_refuses_non_finite_bindings() -> None:
    from minigrad import Value

    for variables, constants in [({"a": float("nan")}, {}), ({"a": Value(float("inf"))}, {}), ({}, {"a": 1e999})]:
        with pytest.raises(ExpressionError, match="'a' is not finite"):
            build("a*2", variables, constants)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a*a", "a=1", "a=2"], "'a' is bound twice: a=1 and a=2"),
        (["a*b", "a=1", "-k", "b=2", "-k", "b=3"], "'b' is bound twice: b=2 and b=3"),
    ],
)
def test_a_name_bound_twice_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(tmp_path, "draw", *args, "-o", "x.svg")
    assert result.returncode == 2
    assert result.stderr.startswith("minigrad draw: error: ") and message in result.stderr
    assert not (tmp_path / "x.svg").exists()


def test_the_epilog_shows_how_to_draw_an_expression_starting_with_minus(tmp_path: Path) -> None:
    """The help's own example for a leading '-' is run as written (options before '--')."""
    import argparse
    import re
    import shlex

    from minigrad.commands.draw import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    documented = re.search(r"starting with \"-\".*?: (minigrad draw [^)]*)", parser.epilog or "")
    assert documented, parser.epilog
    words = shlex.split(documented.group(1))
    assert words[:2] == ["minigrad", "draw"] and "--" in words and words[words.index("--") + 1].startswith("-")
    result = run(tmp_path, *words[1:])
    assert result.returncode == 0, result.stderr
    assert "output = -1" in result.stdout and "doutput/da = -1" in result.stdout
    assert (tmp_path / "L.svg").exists()


def test_columns_count_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError, match=r"^column 9: attribute access"):
        build("é + ü + a.b", {"é": 1.0, "ü": 2.0, "a": 3.0})
    with pytest.raises(ExpressionError, match=r"^line 2, column 5: unknown name 'x'"):
        build("é = 1\né + x", {})


def test_build_does_not_relabel_the_callers_values() -> None:
    from minigrad import Value

    v, labelled = Value(2.0), Value(3.0, "b")
    w = build("w = a", {"a": v})
    assert w is v and v.label == ""
    assert build("x = b; y = x", {"b": labelled}) is labelled and labelled.label == "b"
    assert build("u = +a", {"a": v}) is v and v.label == ""
    created = build("w = a*2", {"a": v})
    assert created.label == "w" and v.label == ""


def test_a_refused_statement_reads_well() -> None:
    with pytest.raises(ExpressionError) as info:
        build("a; import os", {"a": 1.0})
    message = str(info.value)
    assert message.startswith("column 4: an import (import os) is not allowed; ")
    assert "only expressions and assignments `name = expression` are allowed" in message
    assert "this statement is not allowed" not in message
