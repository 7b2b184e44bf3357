"""Run the notebooks top to bottom and save them with their outputs.

    python notebooks/execute.py                       # every lesson, translations too, in place
    python notebooks/execute.py notebooks/02_*.ipynb  # some of them
    python notebooks/execute.py notebooks/ko/*.ipynb  # one translation

The lessons are ``notebooks/*.ipynb``; translations are ``notebooks/<language>/*.ipynb``
(see ``notebooks/translation.py``) and run the same way, in their own folder.

Each notebook runs in a fresh ``python3`` kernel (the Python running this script), with
the notebooks folder as its working directory, matplotlib's inline backend and a fixed
hash seed. A cell that raises, runs longer than ``--timeout`` seconds or kills its kernel
stops that notebook: the file is left as it was, the error is printed, the other
notebooks still run, and the exit status is 1. Volatile metadata (execution timings, the
exact Python version) is not saved, so re-running unchanged notebooks does not change
the files beyond their outputs; outputs that print wall-clock timings (notebook 03) do
change from run to run.

``tests/test_notebooks.py`` runs every notebook with :func:`execute_notebook` on an
in-memory copy, so the test suite and this script run notebooks the same way.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

HERE = Path(__file__).resolve().parent
CELL_TIMEOUT = 120  # seconds per cell; a whole notebook is meant to take well under a minute

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def all_notebooks() -> list[Path]:
    """The lessons (``notebooks/*.ipynb``), then their translations (``notebooks/<language>/*.ipynb``)."""
    return sorted(HERE.glob("*.ipynb")) + sorted(HERE.glob("*/*.ipynb"))


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this one, plus the inline plot backend and a fixed hash seed."""
    return {
        **os.environ,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
    }


def execute_notebook(nb: nbformat.NotebookNode, cwd: str | os.PathLike[str], timeout: int = CELL_TIMEOUT) -> None:
    """Execute ``nb`` in place (its cells get their outputs).

    A failing cell raises ``CellExecutionError``, a cell running longer than ``timeout``
    seconds ``CellTimeoutError``, a kernel that dies ``DeadKernelError`` (all from
    ``nbclient.exceptions``).
    """
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
    )
    client.execute(env=kernel_env())


def strip_volatile(nb: nbformat.NotebookNode) -> None:
    """Drop what changes from run to run without the notebook changing: timings, versions.

    Consecutive prints to the same stream are merged into one output: how the kernel
    happens to split them into messages depends on timing.
    """
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        merged: list[nbformat.NotebookNode] = []
        for output in cell.outputs:
            last = merged[-1] if merged else None
            if (
                output.output_type == "stream"
                and last is not None
                and last.output_type == "stream"
                and last.name == output.name
            ):
                last.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    nb.metadata.pop("widgets", None)


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks named in ``argv`` (default: all) and save them; 1 if any failed, else 0."""
    parser = argparse.ArgumentParser(description="Execute notebooks in place and save their outputs.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb and */*.ipynb")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell (default %(default)s)")
    args = parser.parse_args(argv)
    paths = args.notebooks or all_notebooks()
    failed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            execute_notebook(nb, cwd=path.resolve().parent, timeout=args.timeout)
        except CellExecutionError as error:
            failed += 1
            print(f"FAILED {path} after {time.perf_counter() - start:.1f} s:\n{error}", file=sys.stderr)
            continue
        except (CellTimeoutError, DeadKernelError) as error:
            failed += 1
            elapsed = time.perf_counter() - start
            print(f"FAILED {path} after {elapsed:.1f} s: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        strip_volatile(nb)
        nbformat.validate(nb)
        nbformat.write(nb, path)
        size = path.stat().st_size / 1024
        print(f"ok     {path}  {time.perf_counter() - start:5.1f} s  {size:6.0f} KB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
