"""A progress bar with an estimate of the time left, for terminals only."""

from __future__ import annotations

import time
from typing import IO


class ProgressBar:
    """``bar(done, total, agreements, failures)`` redraws one line on ``stream``;
    :meth:`close` ends it. Draws at most ten times a second."""

    def __init__(self, stream: IO[str], width: int = 28) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.first: int | None = None
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int, agreements: int, failures: int) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = done - 1 if done else 0
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        ran = done - (self.first or 0)
        rate = ran / (now - self.started) if now > self.started and ran > 0 else 0.0
        left = (total - done) / rate if rate > 0 else None
        eta = "--:--" if left is None else time.strftime("%H:%M:%S", time.gmtime(left))
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} sessions"
            f"  {agreements:,} agreements  {failures:,} failures  ETA {eta} ")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
