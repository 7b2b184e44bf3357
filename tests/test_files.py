"""minigrad.files: a failed or interrupted write never destroys the previous file."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from minigrad.checkpoint import load, save
from minigrad.files import WriteError, atomic_path, atomic_write
from minigrad.nn import MLP, Neuron


def test_an_error_inside_the_block_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = atomic_write(tmp_path / "a.txt", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half of the new")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_ctrl_c_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = atomic_write(tmp_path / "a.txt", "old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_the_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as info:
        atomic_write(tmp_path / "no such folder" / "model.json", "{}")
    assert str(info.value).startswith(f"cannot write {tmp_path / 'no such folder' / 'model.json'}: ")
    assert isinstance(info.value, OSError) and info.value.filename == str(tmp_path / "no such folder" / "model.json")


def test_the_new_file_gets_the_permissions_a_plain_write_gives(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert stat.S_IMODE(atomic_write(tmp_path / "new.txt", "x").stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    os.chmod(plain, 0o640)
    assert stat.S_IMODE(atomic_write(plain, "y").stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_text_is_written_without_newline_translation(tmp_path: Path) -> None:
    assert atomic_write(tmp_path / "t.csv", "a\nb\n").read_bytes() == b"a\nb\n"


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_checkpoint_past_a_real_file_size_limit_leaves_the_previous_one(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    save(Neuron(3, seed=1), path)
    before = path.read_bytes()
    code = (
        "import sys\n"
        "from minigrad.checkpoint import save\n"
        "from minigrad.nn import MLP\n"
        "try:\n"
        f"    save(MLP(2, [300, 1], seed=0), {str(path)!r})\n"
        "except OSError as error:\n"
        "    print(error)\n"
        "    sys.exit(1)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=_limit_file_size)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"cannot write {path}: File too large (the previous file, if any, is unchanged)")
    assert path.read_bytes() == before
    assert load(path).config() == Neuron(3).config()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    save(MLP(2, [300, 1], seed=0), path)  # without the limit it fits
    assert load(path).config()["sizes"] == [300, 1]
