"""``minigrad train`` under faults: divergence that is not nan, Ctrl-C, a file-size limit, sizes refused up front."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minigrad.checkpoint import load
from minigrad.cli import main
from minigrad.data import gate
from minigrad.training import accuracy

TRAIN = [sys.executable, "-m", "minigrad", "train"]


def _train(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TRAIN, *args], capture_output=True, text=True, timeout=300, cwd=cwd, **kwargs)  # type: ignore[call-overload,no-any-return]


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (["--lr", "1e300"], "the loss rose from 0.686 at step 1 to "),  # digits3: the loss blows up
        (["--data", "and", "--lr", "1e300"], "e+29"),
        (["--data", "and", "--momentum", "0.9999"], "past the bound of ±100"),
    ],
)
def test_a_blown_up_run_is_divergence_not_a_result(options: list[str], reason: str, tmp_path: Path) -> None:
    result = _train(*options, "--out", str(tmp_path))
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("minigrad train: error: training diverged: ")
    assert re.search(r"parameter (w1|w2|b) reached ", result.stderr) or "the loss rose" in result.stderr
    assert reason in result.stderr
    assert "try a smaller --lr than" in result.stderr
    if "--momentum" in options:
        assert "or a smaller --momentum than 0.9999" in result.stderr
    assert "final loss" not in result.stdout
    assert not (tmp_path / "model.json").exists()


def test_a_higher_divergence_bound_lets_a_saturated_run_finish(tmp_path: Path) -> None:
    result = _train("--data", "and", "--momentum", "0.9999", "--divergence-bound", "1000", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "final loss (whole training set): 0.0000" in result.stdout  # not "-0.0000"


def test_ctrl_c_during_training_exits_130_and_keeps_the_previous_files(tmp_path: Path) -> None:
    assert main(["train", "--data", "and", "--epochs", "5", "-q", "--out", str(tmp_path)]) == 0
    before = {name: (tmp_path / name).read_bytes() for name in ("model.json", "loss.csv", "loss.png")}
    process = subprocess.Popen(
        [*TRAIN, "--data", "digits", "--epochs", "50", "--no-progress", "--out", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("train:"):
            break
    time.sleep(1.0)  # well inside the first of 50 epochs
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    kept = f"nothing was written: {tmp_path} keeps its previous files"
    assert err == f"minigrad train: interrupted while training; {kept}\n"
    assert "wrote" not in rest
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)  # no temporary file left


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_file_size_limit_leaves_the_previous_model_intact(tmp_path: Path) -> None:
    assert main(["train", "--data", "and", "--epochs", "5", "-q", "--out", str(tmp_path)]) == 0
    before = {name: (tmp_path / name).read_bytes() for name in ("model.json", "loss.csv", "loss.png")}
    # 2-300-1: a model.json of about 20 KB, past the 8 KB limit
    result = _train("--data", "and", "--hidden", "300", "--epochs", "2", "-q", "--out", str(tmp_path),
                    preexec_fn=_limit_file_size)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(f"minigrad train: error: cannot write {tmp_path / 'model.json'}: File too large")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)
    assert accuracy(load(tmp_path / "model.json"), *gate("AND")) >= 0.75  # still a valid model file


def test_a_huge_hidden_layer_is_refused_before_any_work(tmp_path: Path) -> None:
    start = time.perf_counter()
    result = _train("--hidden", "100000000", "--out", str(tmp_path / "run"))
    assert time.perf_counter() - start < 30
    assert result.returncode == 2
    assert result.stderr == (
        "minigrad train: error: --hidden 100000000 makes a model of 6,600,000,001 parameters, more than the limit "
        "of 100,000; choose smaller layers, or raise the limit with --max-parameters 6600000001\n"
    )
    assert not (tmp_path / "run").exists()


def test_max_parameters_raises_the_limit(tmp_path: Path) -> None:
    args = ["train", "--data", "and", "--hidden", "8", "-q", "--out", str(tmp_path)]
    assert main([*args, "--max-parameters", "32"]) == 2  # 2-8-1 has 33
    assert main([*args, "--max-parameters", "33"]) == 0


def test_activation_without_hidden_layers_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--data", "and", "--activation", "tanh", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minigrad train: error: --activation tanh is the activation of hidden layers")
    assert "add --hidden N" in err and err.count("\n") == 1


@pytest.mark.parametrize("seed", [0, 4])  # the seeds on which a 2-4-1 relu network dies
def test_xor_with_one_hidden_layer_learns_with_the_defaults(seed: int, tmp_path: Path) -> None:
    args = ["train", "--data", "xor", "--hidden", "4", "--seed", str(seed), "-q", "--out", str(tmp_path)]
    assert main(args) == 0
    assert accuracy(load(tmp_path / "model.json"), *gate("XOR")) == 1.0


def test_one_epoch_of_one_step_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--data", "and", "--epochs", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "train: 1 epoch x 1 step (batch size full)" in out


def test_every_data_set_has_the_number_of_features_its_size_check_assumes() -> None:
    from minigrad.commands.train import DATASETS

    for name, spec in DATASETS.items():
        X, _ = spec.load()
        assert X.shape[1] == spec.features, name
