"""The command line, run as users run it: ``python -m minigrad`` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minigrad", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_demo_prints_every_value_and_gradient(tmp_path: Path) -> None:
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "u = b*c = 6" in result.stdout and "v = a + u = 11" in result.stdout and "J = 3*v = 33" in result.stdout
    for expected in ("dJ/dv = 3", "dJ/du = 3", "dJ/da = 3", "dJ/db = 6", "dJ/dc = 9"):
        assert expected in result.stdout
    svg = ElementTree.parse(tmp_path / "J.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_demo_takes_other_values(tmp_path: Path) -> None:
    result = run("demo", "-a", "1", "-b", "2", "-c", "3", cwd=tmp_path)
    assert result.returncode == 0
    assert "J = 3*v = 21" in result.stdout and "dJ/db = 9" in result.stdout


def test_unknown_command_is_an_error(tmp_path: Path) -> None:
    result = run("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
