"""Writing output files so that nothing already there is lost.

Every file tratado writes (a converted scenario, a session record, a plot, a results
folder) goes through :func:`atomic_write` or :func:`atomic_writer`: the bytes go to a
temporary file in the target's own folder, which replaces the target with one
``os.replace`` only once it is complete. A full disk, a file-size limit or an
interrupted run leaves the old file as it was (and no temporary file behind), and the
error names the file. :func:`read_input` reads an input file within the ``input_bytes``
limit. :func:`refuse_overwrite` and :func:`refuse_clashes` refuse,
before any work is done, to replace a file the user did not ask to replace, or to
write two outputs (or an output and an input) to the same path.

    with atomic_writer("record.json") as out:   # a text stream
        for chunk in chunks:
            out.write(chunk)
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from tratado.errors import TratadoError
from tratado.limits import env_name, limit

_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EFBIG: ("the file grew past the size this system allows",
                  "raise the file-size limit (ulimit -f) or write somewhere else"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write somewhere else"),
    errno.EACCES: ("permission denied", "write to a folder you may write to"),
    errno.EROFS: ("the file system is read-only", "write to another folder"),
    errno.ENOENT: ("the folder does not exist", "create the folder first, or check the path"),
}


def write_error(path: str | Path, error: OSError) -> TratadoError:
    """A :class:`TratadoError` that names ``path`` and says why writing it failed."""
    reason, fix = _REASONS.get(error.errno or 0,
                               (error.strerror or str(error), "check the path and the disk"))
    return TratadoError(f"cannot write this file: {reason}; nothing was changed there.",
                        file=str(path), fix=fix + ".")


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, binary: bool = False,
                  mode: int | None = None) -> Iterator[IO[str] | IO[bytes]]:
    """A file object whose contents replace ``path`` only when the block ends without
    error (the target is untouched otherwise). Raises :class:`TratadoError` naming the
    file when the system refuses the write. ``mode``: the file's permissions (``0o600``
    for a secret: the bytes are never readable by others, not even for a moment);
    default: an existing file's, else what the umask allows."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=folder)
    except OSError as error:
        raise write_error(path, error) from None
    done = False
    try:
        out: IO[str] | IO[bytes] = (
            os.fdopen(handle, "wb") if binary
            else os.fdopen(handle, "w", encoding="utf-8", newline="\n"))
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        elif path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        done = True
    except OSError as error:
        raise write_error(path, error) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def atomic_write(path: str | Path, data: str | bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; returns the path.
    ``mode``: as for :func:`atomic_writer`."""
    binary = isinstance(data, bytes)
    with atomic_writer(path, binary=binary, mode=mode) as out:
        out.write(data)  # type: ignore[arg-type]
    return Path(path)


def too_large(file: str, size: int, error: type[TratadoError] = TratadoError) -> TratadoError:
    """The refusal of an input of ``size`` bytes, over the ``input_bytes`` limit."""
    return error(f"the file is {size:,} bytes, more than the {limit('input_bytes'):,} tratado"
                 " reads.", file=file,
                 fix=f"check that this is the right file; if it is, raise the limit with"
                 f" {env_name('input_bytes')}={size} (docs/security.md).")


def read_input(path: str | Path, *, error: type[TratadoError] = TratadoError,
               what: str = "file", fix: str = "check the path and the file name.") -> bytes:
    """The bytes of the input file ``path`` (a scenario, a record, a bundle), refusing
    with ``error`` — naming the file — one larger than the ``input_bytes`` limit before
    reading it (and one that grows past it while being read), a missing file (``fix``
    says what to give instead), a folder, or an unreadable file."""
    path = Path(path)
    cap = limit("input_bytes")
    try:
        size = path.stat().st_size
        if size > cap:
            raise too_large(str(path), size, error)
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise error("the file does not exist.", file=str(path), fix=fix) from None
    except IsADirectoryError:
        raise error(f"this is a folder, not a {what}.", file=str(path), fix=fix) from None
    except OSError as exc:
        raise error(f"the file cannot be read ({exc.strerror or exc}).", file=str(path),
                    fix="check the path and that you may read it.") from None
    if len(data) > cap:
        raise too_large(str(path), len(data), error)
    return data


def refuse_overwrite(path: str | Path, overwrite: bool, *, option: str = "--force") -> None:
    """Refuse to replace an existing ``path`` unless ``overwrite`` is set."""
    path = Path(path)
    if path.exists() and not overwrite:
        what = "folder" if path.is_dir() else "file"
        raise TratadoError(f"the {what} already exists and would be replaced.", file=str(path),
                           fix=f"choose another name, or pass {option} to replace it.")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a.absolute() == b.absolute()


def refuse_clashes(outputs: Mapping[str, str | Path | None],
                   inputs: Iterable[str | Path] = ()) -> None:
    """Refuse when two outputs (``{option: path}``; ``None`` = not asked for) are the
    same file, or an output is one of the ``inputs`` (or lies inside an input folder)."""
    given = [(option, Path(p)) for option, p in outputs.items() if p is not None]
    sources = [Path(p) for p in inputs]
    for k, (option, path) in enumerate(given):
        for other, earlier in given[:k]:
            if _same(path, earlier):
                raise TratadoError(f"{other} and {option} name the same file; one would"
                                   " overwrite the other.", file=str(path),
                                   fix=f"give {option} another file name.")
        for source in sources:
            if _same(path, source) or (source.is_dir() and _inside(path, source)):
                raise TratadoError(f"{option} would overwrite the input it reads.",
                                   file=str(path), fix=f"give {option} another file name.")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True
