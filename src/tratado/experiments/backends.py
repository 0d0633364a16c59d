"""Where sessions run: in this process, in local worker processes, or on Dask.

Every backend takes the job (:class:`~tratado.experiments.worker.Work`: a tournament's
:class:`~tratado.experiments.worker.Job` or a forecast's) and a list of chunks
(``(start, stop)`` ranges of session numbers) and yields ``(start, stop, rows)`` as
chunks finish, in any order; the results do not depend on the backend, the number of
workers or the order (each session's seed comes from its identity).

* :func:`run_serial` — in this process (the Python API's ``jobs=0``; tests).
* :func:`run_local` — ``jobs`` worker processes (``spawn``/``forkserver``, never
  ``fork``), one chunk at a time each. A watchdog kills a worker whose session runs
  more than ``timeout`` + :data:`GRACE` seconds (a plug-in that never returns control),
  records that session as failed, and starts a new worker for the rest of the chunk;
  a worker that dies (a crash, ``os._exit``, the kernel's out-of-memory killer) is
  handled the same way. ``memory`` (bytes) caps each worker's address space, so a
  negotiator that eats memory gets a ``MemoryError`` inside its own session; by default
  (:func:`default_memory`) the machine's memory shared out between the workers, at
  least :data:`MIN_MEMORY`.
* :func:`run_dask` — the chunks as tasks on a Dask distributed cluster: an existing one
  (``scheduler`` address) or a local one started for the run (``dask_workers``
  processes). The job is sent to every worker once; the rows come back to this process,
  which writes them. Dask runs tasks in worker threads, where the per-session
  ``timeout`` cannot interrupt a session: with untrusted plug-ins, prefer the local
  backend or give the protocol a deadline in seconds.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from tratado.errors import TratadoError
from tratado.experiments.worker import Work, run_chunk

Chunk = tuple[int, int]
Done = tuple[int, int, list[dict[str, Any]]]
GRACE = 5.0  # seconds a session may run past `timeout` before its worker is killed
MIN_MEMORY = 2 * 1024**3  # bytes: the least address space a worker gets by default


def default_memory(jobs: int) -> int | None:
    """Each worker's share of the machine's physical memory (at least
    :data:`MIN_MEMORY`), or None where the system does not say."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    return max(MIN_MEMORY, total // max(jobs, 1))


def run_serial(job: Work, chunks: Sequence[Chunk]) -> Iterator[Done]:
    """Run the chunks one after another in this process."""
    for start, stop in chunks:
        yield start, stop, run_chunk(job, start, stop)


def _serve(connection: Connection, job: Work, status: Any, memory: int | None) -> None:
    """A local worker: receive chunks, send back their rows, until told to stop."""
    if memory is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        try:
            chunk = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if chunk is None:
            return
        try:
            rows = run_chunk(job, chunk[0], chunk[1], status)
        except KeyboardInterrupt:
            return
        connection.send((chunk[0], chunk[1], rows))


@dataclass
class _Worker:
    process: Any
    connection: Connection
    status: Any
    chunk: Chunk | None = None


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(job: Work, chunks: Sequence[Chunk], jobs: int,
              memory: int | None = None) -> Iterator[Done]:
    """Run the chunks on ``jobs`` local worker processes (see the module docstring)."""
    context = _context()
    if memory is None:
        memory = default_memory(jobs)
    queue: deque[Chunk] = deque(chunks)
    workers: list[_Worker] = []

    def start_worker() -> _Worker:
        mine, theirs = context.Pipe()
        status = context.RawArray("d", 2)
        process = context.Process(target=_serve, args=(theirs, job, status, memory),
                                  daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, mine, status)

    limit = None if job.timeout is None else job.timeout + GRACE
    try:
        workers = [start_worker() for _ in range(max(1, min(jobs, len(queue))))]
        while queue or any(w.chunk is not None for w in workers):
            for worker in workers:
                if worker.chunk is None and queue:
                    worker.chunk = queue.popleft()
                    worker.status[1] = 0.0
                    worker.connection.send(worker.chunk)
            busy = {w.connection: w for w in workers if w.chunk is not None}
            for connection in wait(list(busy), timeout=0.5):
                worker = busy[connection]  # type: ignore[index]
                try:
                    start, stop, rows = worker.connection.recv()
                except (EOFError, OSError):
                    continue  # it died: handled below
                worker.chunk = None
                yield start, stop, rows
            for k, worker in enumerate(workers):
                if worker.chunk is None:
                    continue
                began = worker.status[1]
                overran = limit is not None and began > 0 and time.monotonic() - began > limit
                if not overran and worker.process.is_alive():
                    continue
                index = int(worker.status[0]) if began > 0 else worker.chunk[0]
                start, stop = worker.chunk
                if overran:
                    reason = (f"the session ran past the timeout ({job.timeout:g} s) and did"
                              " not stop; its worker process was killed")
                else:
                    reason = f"its worker process died (exit code {worker.process.exitcode})"
                worker.process.kill()
                worker.process.join()
                worker.connection.close()
                if not start <= index < stop:
                    index = start
                yield index, index + 1, [job.failed_row(index, reason)]
                for rest in ((start, index), (index + 1, stop)):
                    if rest[0] < rest[1]:
                        queue.appendleft(rest)
                workers[k] = start_worker()
    finally:
        for worker in workers:
            if worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
        for worker in workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def _dask_chunk(job: Work, start: int, stop: int) -> Done:
    return start, stop, run_chunk(job, start, stop)


def run_dask(job: Work, chunks: Sequence[Chunk], scheduler: str | None = None,
             dask_workers: int | None = None) -> Iterator[Done]:
    """Run the chunks on a Dask distributed cluster (see the module docstring)."""
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise TratadoError("running on Dask needs dask.distributed, which is not installed.",
                           field="--scheduler" if scheduler else "--dask-workers",
                           fix="from a checkout of tratado: pip install '.[dask]'; from PyPI:"
                           " pip install 'tratado[dask]'. Or leave the option out to run on"
                           " local worker processes.") from None
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(n_workers=dask_workers or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = distributed.Client(cluster)
    else:
        try:
            client = distributed.Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise TratadoError(f"cannot reach the Dask scheduler ({error}).",
                               field="--scheduler",
                               fix="check the address (tcp://HOST:8786) and that the"
                               " scheduler is running.") from None
    try:
        shared = client.scatter(job, broadcast=True)
        futures = [client.submit(_dask_chunk, shared, start, stop, pure=False)
                   for start, stop in chunks]
        for future in distributed.as_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
