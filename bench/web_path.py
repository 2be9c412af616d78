"""The web path of `make bench`: reports per second and latency of `factorcheck serve` under 16 clients.

The server runs as its own process on a free loopback port, as a person starts it; each client
keeps one connection and posts answer sets as the form API takes them. Bounded in count and time.
The same clients measure the web floor (bench/web_floor.py).
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode, urlsplit


def form_body(answers: dict[str, object]) -> bytes:
    """An answer set as the form posts it: true/false, numbers as text, a list as repeated fields."""
    pairs: list[tuple[str, str]] = []
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, ("true" if one else "false") if isinstance(one, bool) else str(one)))
    return urlencode(pairs).encode("ascii")


def _start_server(command: Sequence[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("factorcheck is ready at "):
        process.kill()
        raise SystemExit(f"bench: {command[-1]} did not start: {line.strip()} {process.stderr}")
    return process, line.split(" at ")[1].split(" ")[0]


def _cpu_seconds(root: int) -> float:
    """CPU time (user and system) used so far by a process and its children (serve's workers)."""
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            frontier += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def web_path(
    command: Sequence[str], bodies: Sequence[bytes], clients: int = 16, seconds: float = 20.0
) -> dict[str, float]:
    """The server `command` starts (`factorcheck serve --port 0`, or the web floor), which prints
    the address it is ready at; every form body posted to it once across `clients` threads (or
    until `seconds` pass): the rate, p50 and p99 latency in milliseconds, how many reports came
    back, and the server's CPU time per page in microseconds (on Linux; else 0): on a busy
    machine, the one figure the other work hardly moves."""
    process, url = _start_server(command)
    parts = urlsplit(url)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        mine: list[float] = []
        for index in range(offset, len(bodies), clients):
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            connection.request(
                "POST",
                "/report",
                body=bodies[index],
                headers={"Host": parts.netloc, "Content-Type": "application/x-www-form-urlencoded"},
            )
            response = connection.getresponse()
            page = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200 or b'<footer class="consult">' not in page:
                with lock:
                    failures.append(f"{response.status}")
        connection.close()
        with lock:
            latencies.extend(mine)

    try:
        threads = [threading.Thread(target=client, args=(offset,)) for offset in range(clients)]
        cpu = _cpu_seconds(process.pid)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(process.pid) - cpu
    finally:
        process.terminate()
        process.wait(timeout=10)
    if failures:
        raise SystemExit(f"bench: {len(failures)} web requests failed (status {failures[0]}); no figures.")
    ordered = sorted(latencies)
    return {
        "reports": len(ordered),
        "rate": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "cpu_us": cpu / len(ordered) * 1e6,
    }
