"""The Dask backend: a real LocalCluster with worker processes (so that the job and
the rows are pickled) gives the serial run's rows, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

from tratado.experiments.tournament import Tournament

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")


def test_a_local_cluster_gives_the_serial_rows(tmp_path: Path) -> None:
    def tournament() -> Tournament:
        return Tournament(["boulware", "conceder:e=3", "frequency"], ["job-offer", "river-basin"],
                          repetitions=2, seed=9)

    serial = tournament().run(tmp_path / "serial", jobs=0)
    dask = tournament().run(tmp_path / "dask", dask_workers=2)
    assert serial.sessions.equals(dask.sessions)
    assert (tmp_path / "serial" / "sessions.parquet").read_bytes() == (
        tmp_path / "dask" / "sessions.parquet").read_bytes()
