"""Points Airflow at a throw-away home and at our DAGs before anything imports airflow."""

from __future__ import annotations

import os
import pathlib
import signal
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
    """One warm songhong JVM for every task and query of the session, as the DAGs use by default.

    The tasks run the launcher as the DAGs do (``songhong run JOB ...``, with ``SONGHONG_RUNNER=auto``
    from ``songhong_env()``): the first starts this user's runner in a folder of the session's, the
    others forward their command to it, so a task pays for its job, not for a cold JVM and a Spark
    session. At the end the runner is stopped. Set ``SONGHONG_TEST_RUNNER=0`` to run every task in its
    own JVM instead (the Variable ``songhong_warm_runner=off``).
    """
    if os.environ.get("SONGHONG_TEST_RUNNER", "1") == "0":
        os.environ["SONGHONG_RUNNER"] = os.environ["AIRFLOW_VAR_SONGHONG_WARM_RUNNER"] = "off"
        yield None
        return
    folder = tmp_path_factory.mktemp("runner")
    os.environ.update({"SONGHONG_RUNNER": "auto", "SONGHONG_RUNNER_DIR": str(folder / "state")})
    try:
        yield folder / "state"
    finally:
        os.environ.pop("SONGHONG_RUNNER", None)
        for url in (folder / "state").glob("*/url"):
            lines = url.read_text().split()
            if len(lines) < 2:
                continue
            pid = int(lines[1])
            try:
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    os.kill(pid, 0)
                    time.sleep(0.5)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
