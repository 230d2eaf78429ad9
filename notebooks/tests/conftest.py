"""One sample lake and one SQL endpoint for the notebook tests, started by the tests and stopped
after them (even when a test fails).

The lake is built by tools/sample-lake.sh: the demo's lake (provincial statistics, the ports'
monthly reports, December 2025 of terminal events, a generated year of hourly readings for six air
stations and four discharge points, and the marts); then a release is pinned. The endpoint is `songhong serve sql` on a free loopback
port with an access token. SONGHONG_TEST_LAKE=DIR reuses a lake built before (it is built there if
missing)."""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SONGHONG = str(REPO / "songhong")
TOKEN = "songhong-notebook-tests"
# The endpoint's limits in these tests (test_endpoint_security.py waits for the time limit to pass).
QUERY_TIMEOUT = 40
MAX_ROWS = 100_000


def _build(lake: pathlib.Path) -> None:
    """tools/sample-lake.sh builds the lake the JVM client test shares (run-tests builds it once)."""
    r = subprocess.run([str(REPO / "tools" / "sample-lake.sh"), str(lake.parent)], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, f"tools/sample-lake.sh {lake.parent}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


@pytest.fixture(scope="session")
def lake(tmp_path_factory) -> pathlib.Path:
    given = os.environ.get("SONGHONG_TEST_LAKE")
    # resolved: pytest repoints its pytest-current link when it makes this run's folders
    lake = pathlib.Path(given).resolve() if given else tmp_path_factory.mktemp("notebook-lake") / "lake"
    if not (lake / "_built").exists():
        _build(lake)
    return lake


@pytest.fixture(scope="session")
def endpoint(lake, tmp_path_factory):
    port = _free_port()
    work = tmp_path_factory.mktemp("endpoint")
    token_file = work / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    log_path = work / "serve.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen([SONGHONG, "serve", "sql", "--lake", str(lake), "--port", str(port), "--token-file", str(token_file),
                             "--conf", f"songhong.sql.query.timeout.seconds={QUERY_TIMEOUT}",
                             "--conf", f"songhong.sql.max.result.rows={MAX_ROWS}"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(proc, log_path, "listening on", "songhong serve sql")
        yield {"port": port, "url": f"sc://localhost:{port}/;token={TOKEN}", "bare_url": f"sc://localhost:{port}", "log": log_path}
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="session")
def dashboard(lake, tmp_path_factory):
    """`songhong serve dashboard` on the sample lake, on a free loopback port."""
    port = _free_port()
    work = tmp_path_factory.mktemp("dashboard")
    log_path = work / "dashboard.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen([SONGHONG, "serve", "dashboard", "--lake", str(lake), "--port", str(port), "--refresh-seconds", "2"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(proc, log_path, "Dashboard on", "songhong serve dashboard")
        yield {"port": port, "url": f"http://127.0.0.1:{port}", "log": log_path}
    finally:
        _stop(proc)
        log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(proc: subprocess.Popen, log_path: pathlib.Path, line: str, what: str, timeout: int = 300) -> None:
    deadline = time.monotonic() + timeout
    while line not in log_path.read_text(encoding="utf-8"):
        assert proc.poll() is None, f"{what} exited:\n" + log_path.read_text(encoding="utf-8")[-4000:]
        assert time.monotonic() < deadline, f"{what}: nothing after {timeout} s:\n" + log_path.read_text(encoding="utf-8")[-4000:]
        time.sleep(1)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group (the launcher and its JVM), then SIGKILL if it lingers."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
