"""Save a model's parameters to JSON and load them back, every float exactly.

The file is one JSON object::

    {
      "format": "minigrad-model",
      "version": 1,
      "model": {"type": "Neuron", "nin": 64, "activation": "sigmoid"},
      "parameters": [0.123..., -0.456..., ...],
      "metadata": {...}
    }

``model`` is ``module.config()``, enough to rebuild the module's shape with
:func:`minigrad.nn.from_config`. ``parameters`` lists ``module.parameters()`` in order
(for a neuron ``w1 … wn, b``; a layer neuron by neuron; an MLP layer by layer). Each is
written as Python's shortest ``repr`` of the float, which reads back to the very same
float, so a loaded model predicts bit for bit what the saved one did. ``metadata`` is
optional and free-form (JSON values), e.g. how the model was trained.

A file that is not such an object — not UTF-8, bad JSON, a missing or wrong key (the
version must be the integer 1), a bad model shape, a non-number or non-finite parameter,
the wrong number of parameters — raises ``ValueError`` naming the file and what is
wrong. The number of parameters is worked out from the shape (:func:`parameter_count`)
and checked before the model is built, so a small file claiming a huge model is refused
at once.

>>> import tempfile, pathlib
>>> from minigrad.nn import Neuron
>>> neuron = Neuron(3, seed=7)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "neuron.json"
>>> _ = save(neuron, path)
>>> copy = load(path)
>>> [p.data for p in copy.parameters()] == [p.data for p in neuron.parameters()]
True
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from minigrad.files import atomic_write
from minigrad.nn import Module, from_config

__all__ = ["FORMAT", "VERSION", "from_dict", "load", "load_parameters", "parameter_count", "save", "to_dict", "to_json"]

FORMAT = "minigrad-model"
"""The value of the ``format`` key of every model file."""

VERSION = 1
"""The version of the file layout this module writes and reads."""


def to_dict(model: Module, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-ready description of ``model``: its shape and every parameter.

    >>> from minigrad.nn import Neuron
    >>> n = Neuron(1, seed=0)
    >>> n.w[0].data = 0.1
    >>> to_dict(n)  # doctest: +NORMALIZE_WHITESPACE
    {'format': 'minigrad-model', 'version': 1,
     'model': {'type': 'Neuron', 'nin': 1, 'activation': 'sigmoid'}, 'parameters': [0.1, 0.0]}
    """
    values = [p.data for p in model.parameters()]
    for i, x in enumerate(values):
        if not math.isfinite(x):
            raise ValueError(f"parameter {i} is {x!r}: a model with non-finite parameters cannot be saved")
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "model": model.config(), "parameters": values}
    if metadata is not None:
        out["metadata"] = metadata
    return out


def to_json(model: Module, metadata: dict[str, Any] | None = None) -> str:
    """The text :func:`save` writes: :func:`to_dict` as indented JSON, ending with a new line.

    >>> from minigrad.nn import Neuron
    >>> to_json(Neuron(1, seed=0)).splitlines()[:3]
    ['{', ' "format": "minigrad-model",', ' "version": 1,']
    """
    return json.dumps(to_dict(model, metadata), indent=1, allow_nan=False) + "\n"


def save(model: Module, path: str | os.PathLike[str], metadata: dict[str, Any] | None = None) -> Path:
    """Write ``model`` (and optional JSON-ready ``metadata``) to ``path``; returns the path.

    The file is replaced atomically (:func:`minigrad.files.atomic_write`): if the write
    fails (full disk, file-size limit, Ctrl-C) the previous file stays as it was, and
    the :class:`~minigrad.files.WriteError` names the file.

    >>> import tempfile, pathlib
    >>> from minigrad.nn import MLP
    >>> path = save(MLP(2, [3, 1], seed=0), pathlib.Path(tempfile.mkdtemp()) / "mlp.json")
    >>> path.suffix
    '.json'
    """
    return atomic_write(path, to_json(model, metadata))


def _reject_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} is not allowed")


def _read(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text ({error.reason} at byte {error.start})"
        raise ValueError(f"{path}: not a minigrad model file: {problem}") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise ValueError(f"{path}: not a minigrad model file: invalid JSON ({error})") from None
    except RecursionError:
        raise ValueError(f"{path}: not a minigrad model file: JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a minigrad model file: expected a JSON object, got {type(data).__name__}")
    return data


def _parameters(data: dict[str, Any], where: str) -> list[float]:
    values = data.get("parameters")
    if not isinstance(values, list):
        raise ValueError(f"{where}: 'parameters' must be a list of numbers, got {type(values).__name__}")
    floats = []
    for i, x in enumerate(values):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ValueError(f"{where}: parameter {i} is not a number: {x!r}")
        try:
            number = float(x)
        except OverflowError:  # an integer too large for a float
            raise ValueError(f"{where}: parameter {i} is not finite: an integer of {len(str(x))} digits") from None
        if not math.isfinite(number):
            raise ValueError(f"{where}: parameter {i} is not finite: {x!r}")
        floats.append(number)
    return floats


def _check_header(data: dict[str, Any], where: str) -> None:
    if data.get("format") != FORMAT:
        raise ValueError(f"{where}: not a minigrad model file: 'format' is {data.get('format')!r}, not {FORMAT!r}")
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        raise ValueError(f"{where}: unsupported model file version {version!r} (this minigrad reads {VERSION})")
    if "model" not in data:
        raise ValueError(f"{where}: the 'model' key (the model's shape) is missing")


def _size(config: dict[str, Any], key: str, kind: str) -> int:
    n = config.get(key)
    if type(n) is not int or n < 1:
        raise ValueError(f"bad {kind} config: {key!r} must be a positive integer, got {n!r}")
    return n


def parameter_count(config: Any) -> int:
    """How many parameters the model ``config`` describes, worked out without building it.

    A neuron has ``nin + 1`` (its weights and bias), a layer ``(nin + 1)·nout``, an MLP
    the sum over its layers. The sizes are checked first: a ``ValueError`` names a config
    that is not a JSON object, an unknown ``type`` or a size that is not a positive integer.

    >>> parameter_count({"type": "Neuron", "nin": 64, "activation": "sigmoid"})
    65
    >>> parameter_count({"type": "MLP", "nin": 2, "sizes": [16, 16, 1]})
    337
    >>> parameter_count({"type": "Layer", "nin": 3, "nout": 0})
    Traceback (most recent call last):
    ...
    ValueError: bad Layer config: 'nout' must be a positive integer, got 0
    """
    if not isinstance(config, dict):
        raise ValueError(f"a model config must be a JSON object, got {type(config).__name__}")
    kind = config.get("type")
    if not isinstance(kind, str) or kind not in ("Neuron", "Layer", "MLP"):
        raise ValueError(f"unknown model type {kind!r}; expected one of Neuron, Layer, MLP")
    nin = _size(config, "nin", kind)
    if kind == "Neuron":
        return nin + 1
    if kind == "Layer":
        return (nin + 1) * _size(config, "nout", kind)
    sizes = config.get("sizes")
    if not isinstance(sizes, list) or not sizes or any(type(n) is not int or n < 1 for n in sizes):
        raise ValueError(f"bad MLP config: 'sizes' must be a non-empty list of positive integers, got {sizes!r}")
    widths = [nin, *sizes]
    return sum((widths[i] + 1) * widths[i + 1] for i in range(len(sizes)))


def _check_count(config: Any, values: list[float], where: str) -> None:
    try:
        expected = parameter_count(config)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    if len(values) != expected:
        raise ValueError(f"{where}: the file has {len(values)} parameters but the model has {expected}")


def _assign(model: Module, values: list[float], where: str) -> None:
    params = model.parameters()
    if len(values) != len(params):
        raise ValueError(f"{where}: the file has {len(values)} parameters but the model has {len(params)}")
    for p, x in zip(params, values, strict=True):
        p.data = x
        p.grad = 0.0


def from_dict(data: dict[str, Any], where: str = "model data") -> Module:
    """Rebuild a module from :func:`to_dict`'s output; ``ValueError`` naming what is wrong.

    >>> from minigrad.nn import Neuron
    >>> from_dict(to_dict(Neuron(4, seed=0)))
    Neuron(4, activation='sigmoid')
    >>> from_dict({"format": "minigrad-model", "version": 1, "model": {"type": "Neuron", "nin": 1,
    ...            "activation": "sigmoid"}, "parameters": [1.0]})
    Traceback (most recent call last):
    ...
    ValueError: model data: the file has 1 parameters but the model has 2
    """
    _check_header(data, where)
    values = _parameters(data, where)
    _check_count(data["model"], values, where)  # before building: a tiny file may claim a huge model
    try:
        model = from_config(data["model"])
    except (ValueError, TypeError) as error:
        raise ValueError(f"{where}: {error}") from None
    _assign(model, values, where)
    return model


def load(path: str | os.PathLike[str]) -> Module:
    """The model saved at ``path``, rebuilt with its saved parameters.

    See :func:`save` for an example; bad files raise ``ValueError`` naming the problem.
    """
    return from_dict(_read(path), str(path))


def load_parameters(model: Module, path: str | os.PathLike[str]) -> None:
    """Overwrite ``model``'s parameters with those saved at ``path`` (same shape required).

    >>> import tempfile, pathlib
    >>> from minigrad.nn import Neuron
    >>> path = save(Neuron(2, seed=1), pathlib.Path(tempfile.mkdtemp()) / "n.json")
    >>> load_parameters(Neuron(3, seed=0), path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ...n.json: the file holds a model {...'nin': 2, ...} but this model is {...'nin': 3, ...}
    """
    data = _read(path)
    _check_header(data, str(path))
    if data["model"] != model.config():
        raise ValueError(f"{path}: the file holds a model {data['model']!r} but this model is {model.config()!r}")
    _assign(model, _parameters(data, str(path)), str(path))
