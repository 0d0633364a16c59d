"""The results folder: rows streamed to disk in parts, compacted once at the end.

    DIR/tournament.yaml     the tournament as it ran (written before any session)
    DIR/parts/              while running: one JSON Lines file per finished chunk,
                            named by its range of sessions (START-STOP.jsonl)
    DIR/sessions.parquet    at the end: every row, sorted by session (deterministic bytes)
    DIR/timing.parquet      at the end: each session's wall-clock seconds
    DIR/records/            with --records: each session's record (SESSION.json)

Each part is written atomically (:mod:`tratado.files`), so an interrupted run leaves
only whole parts behind; started again, it finds which sessions are done from the
part names and runs only the others. The final compaction streams the parts in
session order into ``sessions.parquet`` with fixed-size row groups — the bytes do not
depend on how the sessions were chunked, on how many workers ran them or on
interruptions — then removes the parts. Memory stays flat: one part at a time.

Parquet needs ``pyarrow`` (the ``tournament`` extra). Without it the compaction writes
``sessions.jsonl`` and ``timing.jsonl`` instead (one JSON object per line, the same
columns) and says how to get Parquet.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tratado.errors import TratadoError
from tratado.files import atomic_write

TOURNAMENT_FILE = "tournament.yaml"
SESSIONS = "sessions.parquet"
SESSIONS_JSONL = "sessions.jsonl"
TIMING = "timing.parquet"
TIMING_JSONL = "timing.jsonl"
ROW_GROUP = 16_384
_PART = re.compile(r"^(\d{10})-(\d{10})\.jsonl$")
INSTALL_FIX = ("install pyarrow: from a checkout of tratado, pip install '.[tournament]'; from"
               " PyPI, pip install 'tratado[tournament]'.")


def have_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


class Store:
    """A results folder (see the module docstring)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.parts = self.folder / "parts"

    @property
    def sessions_file(self) -> Path | None:
        """The compacted sessions file, if the tournament is complete."""
        for name in (SESSIONS, SESSIONS_JSONL):
            if (self.folder / name).exists():
                return self.folder / name
        return None

    def open(self, settings_text: str) -> bool:
        """Prepare the folder for this tournament; True when it resumes one already
        there. Refuses a folder holding another tournament's results."""
        saved = self.folder / TOURNAMENT_FILE
        if saved.exists():
            if saved.read_text(encoding="utf-8") != settings_text:
                raise TratadoError(
                    "this results folder holds another tournament (its tournament.yaml"
                    " differs from this one: other settings, or a scenario changed).",
                    file=str(self.folder),
                    fix="choose another --out folder, or delete this one to start over.")
            self.parts.mkdir(exist_ok=True)
            return True
        if self.folder.exists() and any(self.folder.iterdir()):
            raise TratadoError("the folder exists and is not a tournament's results folder.",
                               file=str(self.folder),
                               fix="choose a new or empty folder for --out.")
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            from tratado.files import write_error

            raise write_error(self.folder, error) from None
        atomic_write(saved, settings_text)
        return False

    def done(self) -> list[tuple[int, int]]:
        """The ranges of sessions already written, sorted."""
        if not self.parts.exists():
            return []
        found = []
        for path in self.parts.iterdir():
            match = _PART.match(path.name)
            if match:
                found.append((int(match.group(1)), int(match.group(2))))
        return sorted(found)

    def write_part(self, start: int, stop: int, rows: list[dict[str, Any]]) -> None:
        """Write the rows of sessions ``start`` to ``stop - 1`` (atomically)."""
        lines = "".join(json.dumps(row, ensure_ascii=False, allow_nan=True,
                                   separators=(",", ":")) + "\n" for row in rows)
        atomic_write(self.parts / f"{start:010d}-{stop:010d}.jsonl", lines)

    def _rows(self, total: int) -> Iterator[list[dict[str, Any]]]:
        expected = 0
        for start, stop in self.done():
            if start != expected:
                raise TratadoError(f"sessions {expected} to {start - 1} are missing from"
                                   " the parts.", file=str(self.parts),
                                   fix="run the same tournament command again.")
            path = self.parts / f"{start:010d}-{stop:010d}.jsonl"
            with path.open(encoding="utf-8") as lines:
                yield [json.loads(line) for line in lines]
            expected = stop
        if expected != total:
            raise TratadoError(f"only {expected} of {total} sessions are done.",
                               file=str(self.parts), fix="run the same command again.")

    def compact(self, columns: list[tuple[str, str]], total: int) -> Path:
        """Stream the parts into the final files and remove them; returns the sessions file."""
        if have_pyarrow():
            path = self._compact_parquet(columns, total)
        else:
            path = self._compact_jsonl(columns, total)
        shutil.rmtree(self.parts, ignore_errors=True)
        return path

    def _compact_jsonl(self, columns: list[tuple[str, str]], total: int) -> Path:
        from tratado.files import atomic_writer

        names = [name for name, _ in columns]
        sessions, timing = self.folder / SESSIONS_JSONL, self.folder / TIMING_JSONL
        with atomic_writer(sessions, binary=True) as out, \
                atomic_writer(timing, binary=True) as times:
            for rows in self._rows(total):
                for row in rows:
                    line = json.dumps({k: row.get(k) for k in names}, ensure_ascii=False,
                                      separators=(",", ":")) + "\n"
                    out.write(line.encode("utf-8"))  # type: ignore[arg-type]
                    time = json.dumps({"session": row["session"], "seconds": row["seconds"]})
                    times.write((time + "\n").encode("utf-8"))  # type: ignore[arg-type]
        return sessions

    def _compact_parquet(self, columns: list[tuple[str, str]], total: int) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from tratado.files import atomic_writer

        kinds = {"int64": pa.int64(), "string": pa.string(), "bool": pa.bool_(),
                 "double": pa.float64()}
        schema = pa.schema([(name, kinds[kind]) for name, kind in columns])
        timing_schema = pa.schema([("session", pa.int64()), ("seconds", pa.float64())])
        names = [name for name, _ in columns]
        sessions, timing = self.folder / SESSIONS, self.folder / TIMING
        with atomic_writer(sessions, binary=True) as out, \
                atomic_writer(timing, binary=True) as times:
            writer = pq.ParquetWriter(out, schema, compression="zstd")
            timer = pq.ParquetWriter(times, timing_schema, compression="zstd")
            buffered: list[Any] = []  # Arrow tables, fewer than ROW_GROUP rows in all
            count = 0

            def write(table: Any) -> None:
                table = table.combine_chunks()  # the same bytes however the rows were chunked
                writer.write_table(table.select(names), row_group_size=ROW_GROUP)
                timer.write_table(table.select(["session", "seconds"]).cast(timing_schema),
                                  row_group_size=ROW_GROUP)

            for rows in self._rows(total):
                data = {k: [row.get(k) for row in rows] for k in names}
                data["seconds"] = [row["seconds"] for row in rows]
                buffered.append(pa.Table.from_pydict(
                    data, schema=schema.append(pa.field("seconds", pa.float64()))))
                count += len(rows)
                while count >= ROW_GROUP:
                    table = pa.concat_tables(buffered)
                    write(table.slice(0, ROW_GROUP))
                    rest = table.slice(ROW_GROUP)
                    buffered, count = [rest], rest.num_rows
            if count:
                write(pa.concat_tables(buffered))
            writer.close()
            timer.close()
        return sessions


class ParquetColumns:
    """A sessions file read a column at a time (the ranking of millions of sessions
    needs a few columns, not the whole table, in memory)."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = path
        self._file = pq.ParquetFile(path)
        self.column_names: list[str] = list(self._file.schema_arrow.names)
        self.num_rows = int(self._file.metadata.num_rows)

    def column(self, name: str, dictionary: bool = False) -> Any:
        """One column; ``dictionary``: as read, dictionary-encoded (text columns are
        stored so), which keeps millions of repeated values small."""
        import pyarrow.parquet as pq

        return pq.read_table(self.path, columns=[name],
                             read_dictionary=[name] if dictionary else None).column(name)

    def to_pandas(self) -> Any:
        import pyarrow.parquet as pq

        return pq.read_table(self.path).to_pandas()


def read_sessions(folder: str | Path) -> list[dict[str, Any]] | Any:
    """The sessions of a results folder (or a sessions file): an Arrow table when
    pyarrow is installed and the file is Parquet, else a list of row dicts."""
    path = Path(folder)
    if path.is_dir():
        found = Store(path).sessions_file
        if found is None:
            hint = " (it holds parts: the run was interrupted)" if (path / "parts").exists() else ""
            raise TratadoError(f"the folder holds no finished tournament{hint}.",
                               file=str(path),
                               fix="run the tournament command again to finish it, or give"
                               " the folder a finished `tratado tournament --out` wrote.")
        path = found
    if not path.exists():
        raise TratadoError("the file does not exist.", file=str(path),
                           fix="give a results folder written by `tratado tournament --out`.")
    if path.suffix == ".parquet":
        if not have_pyarrow():
            raise TratadoError("reading Parquet results needs pyarrow, which is not installed.",
                               file=str(path), fix=INSTALL_FIX)
        try:
            return ParquetColumns(path)
        except Exception as error:  # noqa: BLE001 - any damage to the file
            raise TratadoError(f"this is not a readable results file ({error}).",
                               file=str(path), fix="give sessions.parquet of a results folder.") from None
    try:
        with path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TratadoError(f"this is not a readable results file ({error}).", file=str(path),
                           fix="give sessions.jsonl or sessions.parquet of a results folder.") from None
