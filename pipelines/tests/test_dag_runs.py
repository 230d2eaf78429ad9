"""Runs the provincial DAG for real with `airflow dags test` against a temporary lake, then reads
the gold table the run produced with the songhong launcher."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
from conftest import REPO

AIRFLOW = str(pathlib.Path(sys.executable).parent / "airflow")
SONGHONG = str(REPO / "songhong")


@pytest.fixture(scope="module")
def migrated():
    subprocess.run([AIRFLOW, "db", "migrate"], check=True, capture_output=True, text=True, timeout=600)


def sql(lake: pathlib.Path, query: str) -> list[dict]:
    out = subprocess.run(
        [SONGHONG, "sql", "--lake", str(lake), "--format", "json", query],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_provincial_dag_builds_the_attainment_mart(migrated, tmp_path):
    lake = tmp_path / "lake"
    env = dict(os.environ)
    env["AIRFLOW_VAR_SONGHONG_LAKE"] = str(lake)
    env["AIRFLOW_VAR_SONGHONG_LOG_DIR"] = str(tmp_path / "logs")
    run = subprocess.run(
        [AIRFLOW, "dags", "test", "songhong_provincial_stats", "2025-07-01"],
        env=env, capture_output=True, text=True, timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    latest = sql(lake, "SELECT target_id, status, vintage FROM gold.target_attainment_latest WHERE geo_id = 'VN-31' ORDER BY target_id")
    assert len(latest) == 28 and latest[0]["target_id"] == "HP30-01"
    assert {r["vintage"] for r in latest} == {"yearbook-2025"}
    assert latest[0]["status"] == "moderate_progress"

    runs = sql(lake, "SELECT job, status, logical_date FROM ops.job_runs ORDER BY started_at")
    assert [(r["job"], r["status"], r["logical_date"]) for r in runs] == [
        ("provincial_stats_bronze", "succeeded", "2025-07-01"),
        ("provincial_stats_silver", "succeeded", "2025-07-01"),
        ("provincial_marts", "succeeded", "2025-07-01"),
    ]
    log = (tmp_path / "logs" / "songhong.jsonl").read_text(encoding="utf-8").splitlines()
    assert log and all(json.loads(line)["run_id"] for line in log)
