"""Save → load gives the very same floats and predictions; bad files give clear errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.checkpoint import load, load_parameters, save
from minigrad.data import make_moons
from minigrad.nn import MLP, Layer, Neuron
from minigrad.training import predict

odd_floats = [0.1 + 0.2, 1 / 3, -1e-300, 5e-324, 1.7976931348623157e308, -0.0, 2.0**-1074 * 3, math.pi]


@pytest.mark.parametrize(
    "model",
    [Neuron(8, seed=1), Layer(8, 3, "tanh", seed=2), MLP(8, [5, 4, 1], "relu", "sigmoid", seed=3)],
    ids=["neuron", "layer", "mlp"],
)
def test_round_trip_predicts_bit_for_bit(model: Neuron | Layer | MLP, tmp_path: Path) -> None:
    for p, x in zip(model.parameters(), odd_floats * 20, strict=False):
        p.data = x if abs(x) < 1e3 else x / 1e308  # keep the network's outputs finite
    path = save(model, tmp_path / "model.json", metadata={"note": "test"})
    copy = load(path)
    assert type(copy) is type(model) and copy.config() == model.config()
    saved, loaded = [p.data for p in model.parameters()], [p.data for p in copy.parameters()]
    assert [x.hex() for x in loaded] == [x.hex() for x in saved]
    X, _ = make_moons(40, seed=0)
    inputs = [list(row) * 4 for row in X.tolist()]
    assert repr(predict(copy, inputs)) == repr(predict(model, inputs))
    assert json.loads(path.read_text())["metadata"] == {"note": "test"}


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=3, max_size=3))
def test_every_finite_float_round_trips(values: list[float]) -> None:
    import tempfile

    model = Neuron(2, seed=0)
    for p, x in zip(model.parameters(), values, strict=True):
        p.data = x
    with tempfile.TemporaryDirectory() as folder:
        copy = load(save(model, Path(folder) / "n.json"))
    assert [p.data.hex() for p in copy.parameters()] == [x.hex() for x in values]


def test_load_parameters_into_an_existing_model(tmp_path: Path) -> None:
    trained, fresh = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    load_parameters(fresh, save(trained, tmp_path / "m.json"))
    assert [p.data for p in fresh.parameters()] == [p.data for p in trained.parameters()]
    with pytest.raises(ValueError, match="the file holds a model"):
        load_parameters(MLP(2, [4, 1], seed=0), tmp_path / "m.json")


def test_non_finite_parameters_are_not_saved(tmp_path: Path) -> None:
    model = Neuron(2, seed=0)
    model.b.data = math.nan
    with pytest.raises(ValueError, match="parameter 2 is nan"):
        save(model, tmp_path / "n.json")


def _valid() -> dict:
    model = {"type": "Neuron", "nin": 2, "activation": "sigmoid"}
    return {"format": "minigrad-model", "version": 1, "model": model, "parameters": [0.5, -0.25, 0.0]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid JSON"),
        ("", "invalid JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        (json.dumps({**_valid(), "format": "pytorch"}), "'format' is 'pytorch'"),
        (json.dumps({k: v for k, v in _valid().items() if k != "format"}), "'format' is None"),
        (json.dumps({**_valid(), "version": 7}), "unsupported model file version 7"),
        (json.dumps({k: v for k, v in _valid().items() if k != "model"}), "'model' key"),
        (json.dumps({**_valid(), "model": {"type": "Conv"}}), "unknown model type 'Conv'"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": -1, "activation": "sigmoid"}}), "nin"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": 2, "activation": "gelu"}}), "unknown activation"),
        (json.dumps({**_valid(), "parameters": [0.5, 0.1]}), "the file has 2 parameters but the model has 3"),
        (json.dumps({**_valid(), "parameters": "0.5"}), "'parameters' must be a list"),
        (json.dumps({**_valid(), "parameters": [0.5, "x", 0.0]}), "parameter 1 is not a number"),
        (json.dumps({**_valid(), "parameters": [0.5, True, 0.0]}), "parameter 1 is not a number"),
        (json.dumps(_valid()).replace("-0.25", "1e999"), "parameter 1 is not finite"),  # JSON's 1e999 reads as inf
        ('{"format": "minigrad-model", "parameters": [NaN]}', "non-finite number NaN"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        load(path)
    assert "bad.json" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nothing.json")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ({"type": "Neuron", "nin": 3_000_000, "activation": "sigmoid"}, 3_000_001),
        ({"type": "Layer", "nin": 1000, "nout": 3000, "activation": "tanh"}, 1001 * 3000),
        ({"type": "MLP", "nin": 2000, "sizes": [1500, 1], "activation": "relu", "output_activation": "linear"},
         2001 * 1500 + 1501),
        ({"type": "Neuron", "nin": 10**9, "activation": "sigmoid"}, 10**9 + 1),
    ],
    ids=["neuron", "layer", "mlp", "neuron-1e9"],
)  # fmt: skip
def test_parameter_count_is_checked_before_the_model_is_built(tmp_path: Path, model: dict, expected: int) -> None:
    """A tiny file claiming a huge model is refused without allocating the model (it used to take 677 MB)."""
    import tracemalloc

    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"format": "minigrad-model", "version": 1, "model": model, "parameters": [1.0, 2.0]}))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=f"huge.json: the file has 2 parameters but the model has {expected}$"):
            load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "minigrad-model", "version": 1, "model": {"type": "Neuron", "nin": 1, "activation": "sigmoid"},'
         ' "parameters": [' + "9" * 400 + ", 0.0]}", "parameter 0 is not finite"),
        (json.dumps({**_valid(), "model": {"type": [1]}}), r"unknown model type \[1\]"),
        (json.dumps({**_valid(), "model": {"type": {"a": 1}, "nin": 2}}), "unknown model type"),
        (json.dumps({**_valid(), "model": [1, 2]}), "a model config must be a JSON object, got list"),
        (json.dumps({**_valid(), "version": True}), "unsupported model file version True"),
        (json.dumps({**_valid(), "version": 1.0}), "unsupported model file version 1.0"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": True, "activation": "sigmoid"}}), "'nin'"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": 2.0, "activation": "sigmoid"}}), "'nin'"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "activation": "sigmoid"}}), "'nin'"),
        (json.dumps({**_valid(), "model": {"type": "Layer", "nin": 2, "nout": 0}}), "'nout'"),
        (json.dumps({**_valid(), "model": {"type": "MLP", "nin": 2, "sizes": []}}), "'sizes'"),
        (json.dumps({**_valid(), "model": {"type": "MLP", "nin": 2, "sizes": [2, "1"]}}), "'sizes'"),
        (json.dumps({**_valid(), "model": {"type": "MLP", "nin": 2, "sizes": "21"}}), "'sizes'"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": 2, "activation": ["x"]}}), "unknown activation"),
        (json.dumps({**_valid(), "model": {"type": "Neuron", "nin": 2, "colour": "red"}}), "bad Neuron config"),
    ],
)  # fmt: skip
def test_malformed_files_raise_value_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        load(path)
    assert type(info.value) is ValueError
    assert str(info.value).startswith(f"{path}: ")


def test_a_file_that_is_not_utf8_raises_value_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"format": "minigrad-model", "note": "caf\xe9"}')
    for read in (load, lambda p: load_parameters(Neuron(2, seed=0), p)):
        with pytest.raises(ValueError, match="not UTF-8") as info:
            read(path)
        assert type(info.value) is ValueError
        assert str(info.value).startswith(f"{path}: ")


def test_load_parameters_checks_version_and_numbers_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text(json.dumps({**_valid(), "version": True}))
    with pytest.raises(ValueError, match="unsupported model file version True"):
        load_parameters(Neuron(2, seed=0), path)
    path.write_text(json.dumps(_valid()).replace("-0.25", "9" * 400))
    with pytest.raises(ValueError, match="parameter 1 is not finite") as info:
        load_parameters(Neuron(2, seed=0), path)
    assert type(info.value) is ValueError
