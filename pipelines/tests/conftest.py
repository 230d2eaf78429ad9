"""Points Airflow at a throw-away home and at our DAGs before anything imports airflow."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DAGS = REPO / "pipelines" / "dags"
sys.path.insert(0, str(DAGS))  # the tests import songhong_common like the DAGs do

_home = pathlib.Path(tempfile.mkdtemp(prefix="songhong-airflow-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db?timeout=60",  # SQLite waits 5 s by default
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(_home / "logs"),
    }
)



@pytest.fixture(scope="session", autouse=True)
def songhong_runner(tmp_path_factory):
    """One warm songhong JVM for every task and query of the session (``songhong serve runner``).

    Each task still runs the launcher as the DAGs do (``songhong run JOB ...``); the launcher
    forwards the command to this runner, so a task pays for its job, not for a cold JVM and a
    Spark session. Set ``SONGHONG_TEST_RUNNER=0`` to run every task in its own JVM instead.
    """
    if os.environ.get("SONGHONG_TEST_RUNNER", "1") == "0":
        yield None
        return
    folder = tmp_path_factory.mktemp("runner")
    token = folder / "token"
    log = open(folder / "runner.log", "w", encoding="utf-8")
    env = dict(os.environ, SONGHONG_LOG_DIR=str(folder / "logs"))
    env.pop("SONGHONG_RUNNER", None)
    proc = subprocess.Popen([str(REPO / "songhong"), "serve", "runner", "--token-file", str(token)], env=env,
                             stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        url = None
        while url is None:
            assert proc.poll() is None, "songhong serve runner exited:\n" + (folder / "runner.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "songhong serve runner not up after 600 s"
            m = re.search(r"Runner on (http://127\.0\.0\.1:\d+)/", (folder / "runner.log").read_text(errors="replace"))
            url = m.group(1) if m else None
            if url is None:
                time.sleep(1)
        os.environ["SONGHONG_RUNNER"] = url
        os.environ["SONGHONG_RUNNER_TOKEN_FILE"] = str(token)
        yield url
    finally:
        os.environ.pop("SONGHONG_RUNNER", None)
        os.environ.pop("SONGHONG_RUNNER_TOKEN_FILE", None)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
