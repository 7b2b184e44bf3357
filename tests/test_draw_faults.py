"""``minigrad draw`` under hostile input: huge literals and counts, slow parsing, sizes refused up front."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minigrad import Value, draw
from minigrad.cli import build_parser, main
from minigrad.expression import build

DRAW = [sys.executable, "-m", "minigrad", "draw"]


def _draw(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DRAW, *args], capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload,no-any-return]


def _one_line_usage_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("minigrad draw: error: ")
    return result.stderr


@pytest.mark.parametrize(
    ("literal", "size"), [("0x" + "f" * 4000, "~10^4816"), ("0b" + "1" * 20000, "~10^6020")]
)
def test_a_literal_past_pythons_int_to_string_limit_is_a_clear_error(literal: str, size: str, tmp_path: Path) -> None:
    err = _one_line_usage_error(_draw(f"x + {literal}", "x=1", cwd=tmp_path))
    assert err == f"minigrad draw: error: column 5: the number {size} is too large for a float\n"


def _doublings(n: int) -> str:
    """``u1 = tanh(x) + x; u2 = tanh(u1) + u1; ...``: 2**n paths from x to the output, finite values."""
    return "; ".join(["u1 = tanh(x) + x", *(f"u{i + 1} = tanh(u{i}) + u{i}" for i in range(1, n))])


def _values(n: int) -> str:
    """A program whose graph has ``2n + 1`` values."""
    return "; ".join(f"u{i + 1} = tanh(u{i}) + u{i}" for i in range(n))


def _main_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """``minigrad draw`` in this process (a program too long for a command line): exit 2 and one line."""
    assert main(["draw", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("minigrad draw: error: ")
    return err


def test_paths_beyond_10_to_the_4300_are_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "p.svg")
    err = _main_error([_doublings(14300), "x=1", "--paths", "x", "--max-values", "30000", "-o", out], capsys)
    assert err.startswith("minigrad draw: error: --paths x: ~10^4304 paths lead from x to the output, more than the")
    assert err.rstrip().endswith("or raise the limit with --max-paths")
    assert not list(tmp_path.iterdir())


def test_many_long_paths_are_refused_before_listing_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chain = "; ".join(f"v{i + 1} = v{i} * 1.0" for i in range(10_000))
    program = f"{_doublings(13)}; v0 = u13; {chain}"  # 8,192 paths of 10,013 steps
    start = time.perf_counter()
    out = str(tmp_path / "p.svg")
    err = _main_error([program, "x=1", "--paths", "x", "--max-values", "30000", "-o", out], capsys)
    assert time.perf_counter() - start < 60
    assert err == (
        "minigrad draw: error: --paths x: 8,192 paths of up to 10,026 steps make 82,141,184 steps to list, "
        "more than the limit of 1,000,000; choose a node closer to the output, or raise the limit with "
        "--max-path-steps 82141184\n"
    )


def test_a_graph_too_large_to_draw_is_refused_up_front(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = _values(50_000)  # 100,001 values
    start = time.perf_counter()
    err = _main_error([program, "u0=0.5", "-o", str(tmp_path / "big.svg")], capsys)
    assert time.perf_counter() - start < 60
    assert err == (
        "minigrad draw: error: the graph has 100,001 values, more than the limit of 10,000 for a drawing; "
        "draw a smaller expression, or raise the limit with --max-values 100001\n"
    )


def test_parsing_is_linear_in_the_number_of_statements() -> None:
    program = "; ".join(f"x{i + 1} = x{i} * 1.0001" for i in range(8000))
    start = time.perf_counter()
    assert build(program, {"x0": 1.0}).label == "x8000"
    assert time.perf_counter() - start < 10  # 214 s when every operation read its source segment


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("100000000.4g", "asks for a field 100,000,000 characters wide; at most 40"),
        (".100000000f", "asks for 100,000,000 digits; at most 30"),
        ("pdf", "is not a number format such as .4g or .2f (it is not the file format: -o NAME.png)"),
    ],
)
def test_a_number_format_is_bounded(spec: str, message: str, tmp_path: Path) -> None:
    start = time.perf_counter()
    err = _one_line_usage_error(_draw("a*a", "a=2", "--number-format", spec, cwd=tmp_path))
    assert time.perf_counter() - start < 30
    assert message in err


def test_the_number_format_option_is_not_called_format(capsys: pytest.CaptureFixture[str]) -> None:
    draw_help = build_parser()._subparsers._group_actions[0].choices["draw"].format_help()  # type: ignore[union-attr]
    assert "--number-format SPEC" in draw_help and "--format" not in draw_help.replace("--number-format", "")
    with pytest.raises(SystemExit) as info:
        main(["draw", "a", "a=1", "--format", ".2f"])
    assert info.value.code == 2


def test_only_the_file_formats_that_work_are_offered(tmp_path: Path) -> None:
    draw_help = build_parser()._subparsers._group_actions[0].choices["draw"].format_help()  # type: ignore[union-attr]
    assert ".pdf" not in draw_help and ".png" in draw_help
    err = _one_line_usage_error(_draw("a*a", "a=2", "-o", str(tmp_path / "x.pdf")))
    formats = "the formats are .svg, .png, .dot, .gv"
    assert err == f"minigrad draw: error: -o {tmp_path / 'x.pdf'}: cannot write .pdf files; {formats}\n"
    assert not (tmp_path / "x.pdf").exists()
    for name in ("x.svg", "x.png", "x.dot"):
        assert _draw("a*a", "a=2", "-q", "-o", str(tmp_path / name)).returncode == 0
    assert (tmp_path / "x.png").read_bytes()[:4] == b"\x89PNG"


def test_bindings_are_nfkc_normalised_like_the_expression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", "\ufb01 * 3", "\ufb01=2", "-o", str(tmp_path / "fi.svg")]) == 0  # ﬁ, the ligature
    out = capsys.readouterr().out
    assert "output = 6" in out and "doutput/dfi = 3" in out
    assert main(["draw", "y = \ufb01 * 3", "\ufb01=2", "--paths", "\ufb01", "-q", "-o", str(tmp_path / "p.svg")]) == 0


def test_a_negative_zero_is_printed_as_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", "J = a * 1", "a=-0", "-o", str(tmp_path / "J.svg")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "J = 0"


def test_the_render_timeout_names_the_option_that_raises_it(tmp_path: Path) -> None:
    program = _values(300)
    result = _draw(program, "u0=0.5", "--timeout", "0.01", "-o", str(tmp_path / "big.svg"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        "minigrad draw: error: the renderer was still laying out the graph after 0.01 s and was stopped; "
        "draw a smaller graph, or allow it more time with --timeout SECONDS\n"
    )


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_drawing_past_a_file_size_limit_leaves_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "J.svg"
    assert main(["draw", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "-q", "-o", str(out)]) == 0
    before = out.read_bytes()
    program = _values(20)  # an SVG of about 20 KB
    result = _draw(program, "u0=0.5", "-q", "-o", str(out), preexec_fn=_limit_file_size)
    assert result.returncode == 1
    kept = "(the previous file, if any, is unchanged)"
    assert result.stderr == f"minigrad draw: error: cannot write {out}: File too large {kept}\n"
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["J.svg"]


def test_gradient_paths_names_a_count_past_the_int_to_string_limit() -> None:
    from minigrad import gradient_paths
    from minigrad.drawing import TooManyPathsError

    x = Value(1.0, "x")
    y = x
    for _ in range(14300):
        y = y.tanh() + y  # two paths per level, finite values
    with pytest.raises(TooManyPathsError, match=r"^~10\^4304 paths lead from x to the output"):
        gradient_paths(y, x)


def test_paths_from_refuses_many_long_paths_before_listing_them() -> None:
    from minigrad.drawing import TooManyPathsError

    x = Value(1.0, "x")
    y = x
    for _ in range(13):
        y = y.tanh() + y  # 8,192 paths
    for _ in range(10_000):
        y = y * 1.0
    start = time.perf_counter()
    with pytest.raises(TooManyPathsError, match=r"^the 8,192 paths from x to the output have 82,141,184 steps in all"):
        draw(y, paths_from=x)
    assert time.perf_counter() - start < 10  # 222 s and 3.8 GB when it listed them
