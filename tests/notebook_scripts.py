"""The notebooks' own scripts (notebooks/execute.py, notebooks/translation.py) as modules, for the tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def load(name: str) -> ModuleType:
    """``notebooks/<name>.py`` as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"notebooks_{name}", NOTEBOOKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
