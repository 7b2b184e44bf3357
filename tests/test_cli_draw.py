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
            ["draw", program, "a=5", "b=3", "c=2", "--rules", "--tb", "--format", ".2f", "-o", str(tmp_path / "J.svg")]
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
