"""Run ``tratado serve`` in a process of its own, for the tests that need a real server
(concurrency across processes, kill -9)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parents[2] / "src"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``tratado serve --db URL --key-file KEY --port P`` in a child process."""

    def __init__(self, url: str, key_file: Path, log: Path, extra: tuple[str, ...] = ()) -> None:
        self.url, self.key_file, self.log, self.extra = url, key_file, log, extra
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> Server:
        env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from tratado.cli import main; main()", "serve",
                 "--db", self.url, "--key-file", str(self.key_file), "--port", str(self.port),
                 *self.extra],
                stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/openapi.json", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the server and its worker processes (Linux)."""
        assert self.process is not None
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def kill(self) -> None:
        """kill -9."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def login(base: str, email: str, password: str) -> httpx.Client:
    """A client logged in with the session cookie, sending the CSRF token. (The cookie is
    ``Secure``: httpx keeps it for HTTPS only, so over the loopback's plain HTTP it is
    sent by hand, as a browser does for ``localhost``.)"""
    client = httpx.Client(base_url=base, timeout=60)
    answer = client.post("/api/login", json={"email": email, "password": password})
    answer.raise_for_status()
    client.cookies.clear()
    client.headers["Cookie"] = f"tratado_session={answer.cookies['tratado_session']}"
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client
