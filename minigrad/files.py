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
import dataclasses
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["InterruptedAfterWriting", "WriteError", "atomic_path", "atomic_paths", "atomic_write"]


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
    with atomic_paths(path) as (temporary,):
        yield temporary


@dataclasses.dataclass
class _Pending:
    """A file being written: its target, and the temporary file (``None``: written directly)."""

    target: Path
    temporary: Path | None


def _prepare(path: str | os.PathLike[str]) -> _Pending:
    target = Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        return _Pending(target, None)  # a device or a pipe (-o /dev/stdout): no previous file to keep
    if target.is_symlink():  # replace the file the link points to, not the link
        target = Path(os.path.realpath(target))
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name[:100]}.", suffix=f".tmp{target.suffix[:20]}"
        )  # short enough for any file system, whatever the target's name
    except OSError as error:
        raise WriteError(target, error) from None
    os.close(handle)
    return _Pending(target, Path(name))


def _flush(pending: _Pending) -> None:
    """Give the temporary file its permissions and put its bytes on disk, ready to be renamed."""
    if pending.temporary is None:
        return
    try:
        os.chmod(pending.temporary, _new_file_mode(pending.target))
        with open(pending.temporary, "rb+") as written:
            os.fsync(written.fileno())
    except OSError as error:
        raise WriteError(pending.target, error) from None


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C arrived while :func:`atomic_paths` moved its files into place: it was held back
    until the last rename, so every new file is in place.

    >>> issubclass(InterruptedAfterWriting, KeyboardInterrupt)
    True
    """


def _hold_interrupts() -> set[int | signal.Signals] | None:
    """Block SIGINT where the system allows it (Unix, main thread); the previous mask, or ``None``."""
    if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
        return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return None


def _release_interrupts(previous: set[int | signal.Signals] | None, done: bool) -> None:
    """Restore the mask; a Ctrl-C held meanwhile is raised here (``pthread_sigmask`` runs the
    handlers at once), as :class:`InterruptedAfterWriting` when every file was moved."""
    if previous is None:
        return
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except KeyboardInterrupt:
        if done:
            raise InterruptedAfterWriting("interrupted after every file was written") from None
        raise


def _blame(error: OSError, pending: list[_Pending]) -> WriteError:
    """The :class:`WriteError` for an error raised while writing: naming the file it came from when known."""
    if isinstance(error, WriteError):
        return error
    for p in pending:
        if error.filename is not None and error.filename in (os.fspath(p.temporary or p.target), os.fspath(p.target)):
            return WriteError(p.target, error)
    return WriteError(pending[0].target if len(pending) == 1 else ", ".join(str(p.target) for p in pending), error)


@contextlib.contextmanager
def atomic_paths(*paths: str | os.PathLike[str]) -> Iterator[list[Path]]:
    """Temporary paths next to each of ``paths``, all moved into place when the block ends without error.

    Nothing is replaced until the block has written every file, so an error or Ctrl-C
    while writing any of them leaves all the previous files as they were (no new model
    next to an old loss curve). Then every file is flushed to disk, and the renames
    follow one another with Ctrl-C held back (on Unix) until the last is done; a Ctrl-C
    held so is then raised as :class:`InterruptedAfterWriting`. An error
    inside the block names the file when it can tell which (raise a :class:`WriteError`
    yourself to say), else every target.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_paths(folder / "a.txt", folder / "b.txt") as (a, b):
    ...     _ = a.write_text("A"), b.write_text("B")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """
    pending: list[_Pending] = []
    try:
        for path in paths:
            pending.append(_prepare(path))
        try:
            yield [p.temporary or p.target for p in pending]
        except OSError as error:
            raise _blame(error, pending) from None
        for p in pending:
            _flush(p)
        held, done = _hold_interrupts(), False
        try:
            for p in pending:
                if p.temporary is not None:
                    try:
                        os.replace(p.temporary, p.target)
                    except OSError as error:
                        raise WriteError(p.target, error) from None
            done = True
        finally:
            _release_interrupts(held, done)
    finally:
        for p in pending:
            if p.temporary is not None:
                with contextlib.suppress(FileNotFoundError):
                    p.temporary.unlink()


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
