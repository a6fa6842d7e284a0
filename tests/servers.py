"""What the test servers share: a free loopback port, waiting until one answers, a clean stop.

Used by oxigraph_server.py, virtuoso_server.py, parlgraph_server.py, link_servers.py and
sparql_server.py, so each of them only says how its own server starts.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """True when a GET of url gets a 200 within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_answers(
    url: str,
    process: subprocess.Popen | None,
    *,
    name: str,
    seconds: float,
    interval: float = 0.1,
) -> None:
    """Poll url until it answers 200.

    Raises:
        RuntimeError: when the process exits first, or after `seconds`.
    """
    deadline = time.monotonic() + seconds
    while not answers(url):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} not answering at {url} in {seconds} s")
        time.sleep(interval)


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM, then SIGKILL when the process has not exited after `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
