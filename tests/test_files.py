"""minigrad.files: a failed or interrupted write never destroys the previous file."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from minigrad.checkpoint import load, save
from minigrad.files import InterruptedAfterWriting, WriteError, atomic_path, atomic_paths, atomic_write
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


def test_save_svg_past_a_real_file_size_limit_leaves_the_previous_drawing(tmp_path: Path) -> None:
    path = tmp_path / "J.svg"
    code = (
        "import sys\n"
        "from minigrad import Value, save_svg\n"
        "x = Value(0.5, 'x'); y = x\n"
        "for _ in range(int(sys.argv[1])):\n"
        "    y = y.tanh() + y\n"
        "try:\n"
        f"    save_svg(y, {str(path)!r})\n"
        "except OSError as error:\n"
        "    print(error)\n"
        "    sys.exit(1)\n"
    )
    subprocess.run([sys.executable, "-c", code, "1"], check=True)
    before = path.read_bytes()
    assert len(before) < 8192
    result = subprocess.run([sys.executable, "-c", code, "30"], capture_output=True, text=True,
                            preexec_fn=_limit_file_size)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"cannot write {path}: File too large")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["J.svg"]


def test_a_symlink_is_followed_and_a_device_written_directly(tmp_path: Path) -> None:
    real = atomic_write(tmp_path / "real.txt", "old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    atomic_write("/dev/null", b"discarded")  # no temporary file next to a device


def test_a_target_with_a_name_near_the_length_limit(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 250 + ".svg")
    assert atomic_write(target, "<svg/>").read_text() == "<svg/>"


def test_a_failed_group_replaces_none_and_names_the_file_that_failed(tmp_path: Path) -> None:
    a, b = atomic_write(tmp_path / "a.txt", "old a"), atomic_write(tmp_path / "b.txt", "old b")
    with pytest.raises(WriteError) as info, atomic_paths(a, b) as (new_a, new_b):
        new_a.write_text("new a")
        (tmp_path / "missing" / "x").write_text("x")  # an error that names its own file, not one of ours
    assert str(info.value).startswith(f"cannot write {a}, {b}: No such file or directory")
    with pytest.raises(WriteError) as info, atomic_paths(a, b) as (new_a, new_b):
        new_a.write_text("new a")
        os.rmdir(new_b)  # an error on b's temporary file: b is named
    assert str(info.value).startswith(f"cannot write {b}: ")
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_ctrl_c_during_the_renames_is_held_until_every_file_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = atomic_write(tmp_path / "a.txt", "old a"), atomic_write(tmp_path / "b.txt", "old b")
    real_replace = os.replace

    def replace_then_ctrl_c(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        real_replace(source, target)
        os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, right after the first rename

    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    with pytest.raises(InterruptedAfterWriting), atomic_paths(a, b) as (new_a, new_b):
        new_a.write_text("new a")
        new_b.write_text("new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")  # both, not one
