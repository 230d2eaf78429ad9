"""Points Airflow at a throw-away home and at our DAGs before anything imports airflow."""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

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
