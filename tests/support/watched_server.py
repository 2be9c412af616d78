"""`factorcheck serve` in its own process, for the fuzz suite: every word on its output is watched."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO

import pytest

from support import ROOT


class WatchedServer:
    """`factorcheck serve --port 0` in its own process (uvicorn as `serve` configures it), with
    everything it writes after its ready line kept: a traceback, a log line or an echo of what was
    posted is a failure of the case that caused it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "factorcheck", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        ready = self.process.stdout.readline().decode()
        if not ready.startswith("factorcheck is ready at http://127.0.0.1:"):
            self.process.kill()
            _, err = self.process.communicate(timeout=20)
            raise AssertionError(f"factorcheck serve did not start: {ready}{err.decode(errors='replace')}")
        self.port = int(ready.split(" at ")[1].split(" ")[0].rstrip("/").rsplit(":", 1)[1])
        self._written: list[bytes] = []
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._drain, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()

    def _drain(self, stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            with self._lock:
                self._written.append(line)

    def written(self) -> str:
        """What the server wrote since it said it was ready."""
        with self._lock:
            return b"".join(self._written).decode("utf-8", "backslashreplace")

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
        """POST `body` as a same-origin page would: the status, the content type and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Host": f"127.0.0.1:{self.port}",
                    "Origin": f"http://127.0.0.1:{self.port}",
                    "Content-Type": content_type,
                },
            )
            response = connection.getresponse()
            return response.status, response.getheader("content-type", ""), response.read()
        finally:
            connection.close()

    def stop(self) -> str:
        """Stop it as Ctrl-C would; returns what it wrote apart from its goodbye."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.written().replace("factorcheck stopped.\n", "")


@pytest.fixture(scope="module")
def watched_server() -> Iterator[WatchedServer]:
    """A server for one test module, which must have written nothing at all when it stops."""
    server = WatchedServer()
    yield server
    written = server.stop()
    assert server.process.returncode == 0
    assert written == "", written
