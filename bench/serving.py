"""A `songhong serve ...` server for a benchmark: started on a free loopback port in its own process
group, waited for until its log says it is ready, and stopped (SIGTERM to the group) afterwards."""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import time

SONGHONG = str(pathlib.Path(__file__).resolve().parents[1] / "songhong")


@contextlib.contextmanager
def serving(what: list[str], ready: str, log_path: pathlib.Path, timeout: float = 300):
    """Runs `songhong *what --port P`; yields (P, seconds it took to be ready)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(log_path, "w") as log:
        server = subprocess.Popen([SONGHONG, *what, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True, env={**os.environ, "SONGHONG_SKIP_BUILD": "1"})
        try:
            t0 = time.monotonic()
            while ready not in log_path.read_text():
                if server.poll() is not None or time.monotonic() - t0 > timeout:
                    raise SystemExit(f"songhong {' '.join(what)} did not start:\n" + log_path.read_text()[-3000:])
                time.sleep(0.5)
            yield port, time.monotonic() - t0
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
