"""Every notebook in notebooks/ (lessons and their translations) runs top to bottom, and is committed with its outputs.

Each notebook is executed on an in-memory copy (the committed file is never rewritten)
in a fresh ``python3`` kernel whose working directory is a temporary folder, with the
same settings as ``notebooks/execute.py`` (which is loaded from there, not copied). A
failing cell fails the test with that cell's source and traceback.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from notebook_scripts import NOTEBOOKS, load

MAX_KB = 600  # committed outputs stay small: small graphs, modest figures
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in IPython tracebacks


execute = load("execute")
PATHS = execute.all_notebooks()  # notebooks/*.ipynb, then the translations notebooks/<language>/*.ipynb
IDS = [p.relative_to(NOTEBOOKS).with_suffix("").as_posix() for p in PATHS]


def test_the_lessons_are_there():
    names = [p.relative_to(NOTEBOOKS).as_posix() for p in PATHS]
    lessons = (
        "01_computation_graph.ipynb",
        "02_logistic_regression.ipynb",
        "03_real_data.ipynb",
        "04_loops_to_vectors.ipynb",
        "05_beyond_the_gradient.ipynb",
    )
    for lesson in lessons:
        assert lesson in names, f"{lesson} is missing from {NOTEBOOKS}"
    for lesson in lessons:  # all translated; a lesson added later is listed by notebooks/translation.py ko until it is
        assert f"ko/{lesson}" in names, f"the Korean {lesson} is missing from {NOTEBOOKS / 'ko'}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    failure = None
    try:
        execute.execute_notebook(nb, cwd=tmp_path)
    except CellExecutionError as error:
        failure = ANSI.sub("", str(error))  # the failing cell's source and traceback
    except (CellTimeoutError, DeadKernelError) as error:
        failure = f"{type(error).__name__}: {ANSI.sub('', str(error))}"
    if failure is not None:  # outside the except: no second, coloured copy of the traceback
        pytest.fail(f"{path.name}: a cell failed\n{failure}", pytrace=False)
    print(f"{path.name}: {time.perf_counter() - start:.1f} s")
    assert not list(tmp_path.iterdir()), "the notebook left files in its working directory"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_committed_with_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code cells"
    missing = [i for i, cell in enumerate(code) if cell.execution_count is None]
    assert not missing, f"{path.name}: code cells {missing} were not executed; run python notebooks/execute.py"
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name} was not run top to bottom: {counts}"
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"{path.name} is saved with an error output"
    assert path.stat().st_size < MAX_KB * 1024, f"{path.name} is {path.stat().st_size // 1024} KB"


def test_execute_reports_timeouts_and_dead_kernels_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell that times out or kills its kernel fails that notebook only; the others still run and are saved."""
    cells = {
        "a_slow.ipynb": "import time\ntime.sleep(30)",
        "b_dies.ipynb": "import os\nos._exit(1)",
        "c_fine.ipynb": "print(6 * 7)",
    }
    for name, source in cells.items():
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(nb, tmp_path / name)
    before = {name: (tmp_path / name).read_text() for name in cells}
    status = execute.main([*(str(tmp_path / name) for name in cells), "--timeout", "3"])
    captured = capsys.readouterr()
    assert status == 1
    assert f"FAILED {tmp_path / 'a_slow.ipynb'}" in captured.err and "CellTimeoutError" in captured.err
    assert f"FAILED {tmp_path / 'b_dies.ipynb'}" in captured.err and "DeadKernelError" in captured.err
    assert f"ok     {tmp_path / 'c_fine.ipynb'}" in captured.out
    for name in ("a_slow.ipynb", "b_dies.ipynb"):
        assert (tmp_path / name).read_text() == before[name]  # left as it was
    fine = nbformat.read(tmp_path / "c_fine.ipynb", as_version=4)
    assert fine.cells[0].outputs[0].text == "42\n"
