"""``minigrad train`` end to end on small settings, writing into a temporary folder."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from minigrad.checkpoint import load
from minigrad.cli import main
from minigrad.data import gate
from minigrad.training import accuracy


def test_train_digits_writes_model_curve_and_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--epochs", "2", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert '"is it a 3?"' in out and "Neuron(64, activation='sigmoid')" in out
    for needle in ("train accuracy:", "test accuracy:", "final loss", "model.json", "loss.csv", "loss.png"):
        assert needle in out
    model = json.loads((tmp_path / "model.json").read_text())
    assert model["format"] == "minigrad-model" and len(model["parameters"]) == 65
    assert model["metadata"]["test_accuracy"] > 0.9
    assert len(model["metadata"]["standardizer"]["mean"]) == 64
    rows = list(csv.DictReader((tmp_path / "loss.csv").open()))
    assert len(rows) == 2 * 43 and rows[-1]["epoch"] == "2"
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_a_gate_and_reload_the_model(tmp_path: Path) -> None:
    assert main(["train", "--data", "or", "--epochs", "300", "--quiet", "--out", str(tmp_path)]) == 0
    model = load(tmp_path / "model.json")
    assert accuracy(model, *gate("OR")) == 1.0


def test_train_xor_with_a_tanh_hidden_layer(tmp_path: Path) -> None:
    args = ["train", "--data", "xor", "--hidden", "4", "--activation", "tanh", "--quiet", "--out", str(tmp_path)]
    assert main(args) == 0
    model = load(tmp_path / "model.json")
    assert model.config()["activation"] == "tanh"
    assert accuracy(model, *gate("XOR")) == 1.0


def test_train_moons_with_hidden_layers_and_full_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["train", "--data", "moons", "--hidden", "8", "--epochs", "2", "--batch-size", "full", "--lr", "0.5"]
    assert main([*args, "--activation", "relu", "--out", str(tmp_path)]) == 0
    assert "MLP(2, [8, 1], activation='relu', output_activation='sigmoid')" in capsys.readouterr().out
    assert len(list(csv.DictReader((tmp_path / "loss.csv").open()))) == 2


def test_train_ten_digit_classes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--data", "digits", "--epochs", "1", "--batch-size", "64", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Layer(64, 10, activation='linear')" in out and "softmax cross-entropy" in out
    assert json.loads((tmp_path / "model.json").read_text())["metadata"]["test_accuracy"] > 0.8


@pytest.mark.parametrize("bad", [["--batch-size", "0"], ["--batch-size", "many"], ["--data", "mnist"]])
def test_bad_options_exit_with_usage(bad: list[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["train", *bad, "--out", str(tmp_path)])
    assert info.value.code == 2


def test_python_dash_m_minigrad_train(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad", "train", "--data", "and", "--epochs", "200", "--out", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "train accuracy: 100.00 %" in result.stdout
    assert result.stderr == ""  # not a terminal: no progress bar
    assert (tmp_path / "loss.png").exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (["--epochs", "-1"], "argument --epochs: must be a positive integer, got '-1'"),
        (["--epochs", "0"], "argument --epochs: must be a positive integer, got '0'"),
        (["--epochs", "2.5"], "argument --epochs: expected a positive integer, got '2.5'"),
        (["--lr", "0"], "argument --lr: must be a positive finite number, got '0'"),
        (["--lr", "-0.1"], "argument --lr: must be a positive finite number, got '-0.1'"),
        (["--lr", "nan"], "argument --lr: must be a positive finite number, got 'nan'"),
        (["--lr", "inf"], "argument --lr: must be a positive finite number, got 'inf'"),
        (["--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["--momentum", "1"], r"argument --momentum: must be in \[0, 1\), got '1'"),
        (["--momentum", "-0.5"], r"argument --momentum: must be in \[0, 1\), got '-0.5'"),
        (["--momentum", "nan"], r"argument --momentum: must be in \[0, 1\), got 'nan'"),
        (["--hidden", "0"], "argument --hidden: must be a positive integer, got '0'"),
        (["--hidden", "8", "-3"], "argument --hidden: must be a positive integer, got '-3'"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer, got '-1'"),
    ],
)
def test_bad_numbers_are_usage_errors_not_tracebacks(
    bad: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["train", "--data", "and", *bad, "--out", str(tmp_path / "run")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(f"minigrad train: error: {message}$", err.strip()), err
    assert not (tmp_path / "run").exists()


def test_out_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "passwd"
    taken.write_text("root:x:0:0\n")
    for out in (taken, taken / "run"):
        assert main(["train", "--data", "and", "--epochs", "1", "-q", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("minigrad train: error: --out ") and "Traceback" not in err
    assert taken.read_text() == "root:x:0:0\n"


def test_out_etc_passwd_in_a_real_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad", "train", "--data", "and", "--epochs", "1", "--out", "/etc/passwd"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr == "minigrad train: error: --out /etc/passwd: exists and is not a folder\n"


def test_a_file_that_cannot_be_written_is_a_runtime_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.json").mkdir()  # a folder where the model file should go
    assert main(["train", "--data", "and", "--epochs", "1", "-q", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("minigrad train: error: ") and "model.json" in err and "Traceback" not in err


def test_divergence_says_to_lower_the_learning_rate(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad", "train", "--data", "moons", "--hidden", "8", "--activation", "relu",
         "--lr", "1e300", "--out", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("minigrad train: error: training diverged: the loss became nan or inf")
    assert "try a smaller --lr than 1e+300" in result.stderr
    assert not (tmp_path / "run" / "model.json").exists()
