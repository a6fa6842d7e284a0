"""A real `parlgraph serve --port 0` process for tests: started, its URL read, stopped after."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from servers import stop, wait_until_answers

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 60.0


@contextmanager
def parlgraph_server(*options: str) -> Iterator[str]:
    """Run `parlgraph serve --port 0 OPTIONS`, yield the URL it prints once it answers."""
    command = [sys.executable, "-m", "parlgraph", "serve", "--port", "0", *options]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    said: list[str] = []
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        url = None
        while url is None:
            line = process.stderr.readline()
            said.append(line)
            if not line and process.poll() is not None:
                raise RuntimeError(f"parlgraph serve exited with {process.returncode}: {said}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"parlgraph serve printed no URL in {READY_TIMEOUT_S} s")
            found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
            url = found.group(1) if found else None
        # Keep the pipe drained, or a server that logs a lot would block on a full pipe.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        wait_until_answers(
            url, process, name="parlgraph serve", seconds=deadline - time.monotonic()
        )
        yield url
    finally:
        stop(process)
