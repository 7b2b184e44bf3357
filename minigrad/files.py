"""Writing files so that a failed or interrupted write never destroys the previous file.

Every file minigrad writes (model checkpoints, ``loss.csv``, ``loss.png``, drawings)
goes through this module: the new content is written to a temporary file in the same
folder, flushed to disk, and only then renamed over the target with :func:`os.replace`,
which is atomic. A full disk, a file-size limit, an error inside the writer or Ctrl-C
leaves the previous file exactly as it was, and the temporary file is removed.

- :func:`atomic_write` writes text or bytes;
- :func:`atomic_path` is for writers that want a file name (Matplotlib's ``savefig``,
  a renderer's ``-o``): it yields a temporary path that keeps the target's suffix, and
  moves it into place when the ``with`` block ends without an error;
- :func:`atomic_paths` does the same for several files that belong together (a model and
  its loss curve): none is replaced unless every one was written.

A failure raises :class:`WriteError` (an ``OSError``) whose message names the target.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(folder / "notes.txt", "first\\n").name
'notes.txt'
>>> with atomic_path(folder / "notes.txt") as tmp:
...     _ = tmp.write_text("second\\n")
>>> (folder / "notes.txt").read_text()
'second\\n'
>>> sorted(p.name for p in folder.iterdir())  # no temporary file left behind
['notes.txt']
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["WriteError", "atomic_path", "atomic_paths", "atomic_write"]


class WriteError(OSError):
    """A file could not be written; the message names it and says the previous file is unchanged.

    >>> error = WriteError("out/model.json", OSError(27, "File too large"))
    >>> str(error)
    'cannot write out/model.json: File too large (the previous file, if any, is unchanged)'
    >>> error.errno, error.filename
    (27, 'out/model.json')
    """

    def __init__(self, path: str | os.PathLike[str], cause: OSError) -> None:
        reason = cause.strerror or str(cause) or type(cause).__name__
        super().__init__(cause.errno, reason, os.fspath(path))
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.reason} (the previous file, if any, is unchanged)"


def _new_file_mode(target: Path) -> int:
    """The permission bits the finished file gets: the old file's, else what a plain ``open`` would give."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask: read from ``/proc`` where it can be (setting it, the only portable
    way to read it, briefly changes it for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``path``; when the block ends without error it replaces ``path``.

    The temporary file exists (empty) when the block starts and keeps ``path``'s suffix,
    so writers that pick a format from the file name (``savefig``) work unchanged. A
    symbolic link is followed (the file it points to is replaced); a device or a pipe
    such as ``/dev/stdout`` is written to directly, as there is no file to keep. On an
    error or an interrupt (``KeyboardInterrupt`` too) the temporary file is removed and
    ``path`` is left as it was; an ``OSError`` is raised again as :class:`WriteError`
    naming ``path``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "plot.png"
    >>> with atomic_path(target) as tmp:
    ...     tmp.suffix, tmp.parent == target.parent, tmp.exists()
    ('.png', True, True)
    """
    target = Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        # a device or a pipe (-o /dev/stdout): there is no previous file to keep, write to it as it is
        try:
            yield target
        except OSError as error:
            raise WriteError(target, error) from None
        return
    if target.is_symlink():  # replace the file the link points to, not the link
        target = Path(os.path.realpath(target))
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name[:100]}.", suffix=f".tmp{target.suffix[:20]}"
        )  # short enough for any file system, whatever the target's name
    except OSError as error:
        raise WriteError(target, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        try:
            yield temporary
            os.chmod(temporary, _new_file_mode(target))
            with open(temporary, "rb+") as written:  # flush what the writer wrote before the rename
                os.fsync(written.fileno())
            os.replace(temporary, target)
        except OSError as error:
            raise WriteError(target, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


@contextlib.contextmanager
def atomic_paths(*paths: str | os.PathLike[str]) -> Iterator[list[Path]]:
    """Temporary paths next to each of ``paths``, all moved into place when the block ends without error.

    Nothing is replaced until the block has written every file, so an error or Ctrl-C
    while writing any of them leaves all the previous files as they were (no new model
    next to an old loss curve). The renames then follow one another, in reverse order.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_paths(folder / "a.txt", folder / "b.txt") as (a, b):
    ...     _ = a.write_text("A"), b.write_text("B")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(path)) for path in paths]


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text, encoded with ``encoding``, or bytes) to ``path`` atomically; returns the path.

    Text is written as given: no newline translation, so ``"\\n"`` stays one byte on
    every system.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "data.bin"
    >>> atomic_write(path, b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    >>> atomic_write(path.parent / "missing" / "x.txt", "text")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    minigrad.files.WriteError: cannot write .../missing/x.txt: No such file or directory (the previous ...)
    """
    content = data.encode(encoding) if isinstance(data, str) else bytes(data)
    target = Path(path)
    with atomic_path(target) as temporary, open(temporary, "wb") as f:
        f.write(content)
    return target
