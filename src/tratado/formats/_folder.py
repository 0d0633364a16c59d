"""Writing a scenario folder (GENIUS, GeniusWeb) as a whole, or not at all.

The files are written into a temporary sibling folder, which then takes the
target's place: an existing target is moved aside, the new folder renamed in, the old
one deleted. So the target never mixes old and new files (a stale profile of the
old folder would become a party of the new one), an interrupted write leaves the
old folder as it was, and a target that exists is replaced only when asked.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from tratado.errors import TratadoError
from tratado.files import refuse_overwrite, write_error


def replace_folder(target: Path, overwrite: bool,
                   fill: Callable[[Path], list[Path]]) -> list[Path]:
    """Write a new folder ``target`` with ``fill(staging)`` (which writes its files into
    ``staging`` and returns their paths); return the paths inside ``target``. An empty
    existing folder is used without ``overwrite`` (nothing in it can be lost)."""
    empty = target.is_dir() and not any(target.iterdir())
    refuse_overwrite(target, overwrite or empty)
    if target.exists() and not target.is_dir():
        raise TratadoError("this is a file, but GENIUS and GeniusWeb scenarios are written to a "
                           "folder.", file=str(target), fix="name a folder as the target.")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=parent))
    except OSError as error:
        raise write_error(target, error) from None
    old = staging.with_name(staging.name[:-len(".part")] + ".old")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        written = fill(staging)
        if target.exists():
            os.replace(target, old)
            try:
                os.replace(staging, target)
            except OSError:
                os.replace(old, target)
                raise
        else:
            os.replace(staging, target)
    except OSError as error:
        raise write_error(target, error) from None
    finally:
        for leftover in (staging, old):
            if leftover.exists():
                with contextlib.suppress(OSError):
                    shutil.rmtree(leftover)
    return [target / path.name for path in written]
