"""Runs every DAG for real with `airflow dags test` (tasks in-process, one at a time, each a real
`songhong run`) against one temporary lake fed from the bundled sample and small generated event
and monitor files, in the order data flows (the families, then the marts on their outputs, then
maintenance), and reads the tables the runs produced with the songhong launcher (one query per
test: each launch costs a JVM and a Spark session). test_airflow_standalone.py runs the provincial
and marts DAGs again under a real scheduler, the marts on the Asset event."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
import songhong_common
from conftest import REPO

AIRFLOW = str(pathlib.Path(sys.executable).parent / "airflow")
SONGHONG = str(REPO / "songhong")
DATE = "2025-07-01"
# Each DAG's jobs in run order (schemas/pipeline.yaml), by the DAG's short name.
JOBS = {
    short: [j["name"] for j in songhong_common.dag_jobs("songhong_" + dag)]
    for short, dag in [("logistics", "logistics"), ("environment", "environment"), ("provincial", "provincial_stats"),
                       ("marts", "marts"), ("maintenance", "maintenance")]
}


@pytest.fixture(scope="module")
def migrated():
    subprocess.run([AIRFLOW, "db", "migrate"], check=True, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def world(tmp_path_factory, migrated):
    """A lake, a log folder, and landing folders: the sample, plus two days of events and monitors."""
    root = tmp_path_factory.mktemp("dag-runs")
    events, environment = root / "events", root / "environment"
    for kind, out, extra in (("logistics-events", events, ["--scale", "0.02"]),
                             ("environment", environment, ["--air-stations", "2", "--discharge-points", "1"])):
        subprocess.run([SONGHONG, "generate", kind, "--from", "2025-06-30", "--to", DATE, "--out", str(out), *extra],
                       check=True, capture_output=True, text=True, timeout=600)
    env = dict(os.environ)
    env.update({
        "AIRFLOW_VAR_SONGHONG_LAKE": str(root / "lake"),
        "AIRFLOW_VAR_SONGHONG_LOG_DIR": str(root / "logs"),
        "AIRFLOW_VAR_SONGHONG_CONF": f"--conf songhong.logistics.events.dir={events} --conf songhong.environment.dir={environment}",
    })
    return {"lake": root / "lake", "logs": root / "logs", "env": env}


def dags_test(world, dag_id: str) -> None:
    run = subprocess.run([AIRFLOW, "dags", "test", dag_id, DATE], env=world["env"], capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]


def sql(world, query: str) -> list[dict]:
    out = subprocess.run(
        [SONGHONG, "sql", "--lake", str(world["lake"]), "--format", "json", query],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def runs_sql(jobs: list[str]) -> str:
    """A scalar subquery: the runs of these jobs, oldest first, as JSON [[job, status, logical_date], ...]."""
    quoted = ", ".join(f"'{j}'" for j in jobs)
    return (f"(SELECT to_json(transform(sort_array(collect_list(struct(started_at, job, status, logical_date))), "
            f"r -> array(r.job, r.status, string(r.logical_date)))) FROM ops.job_runs WHERE job IN ({quoted}))")


def runs(row: dict) -> list[tuple]:
    return [tuple(r) for r in json.loads(row["runs"])]


def test_logistics_dag_loads_reports_and_events(world):
    dags_test(world, "songhong_logistics")
    [row] = sql(world, """SELECT
        (SELECT count(*) FROM silver.gate_moves WHERE event_date BETWEEN DATE'2025-06-30' AND DATE'2025-07-01') AS moves,
        (SELECT count(DISTINCT activity_date) FROM silver.terminal_activity_daily) AS days,
        (SELECT count(*) FROM gold.logistics_throughput_yearly WHERE year = 2024 AND level = 'city') AS city_years,
        """ + runs_sql(JOBS["logistics"]) + " AS runs")
    assert row["moves"] > 100 and row["days"] == 2 and row["city_years"] > 0, row
    assert runs(row) == [(j, "succeeded", DATE) for j in JOBS["logistics"]]


def test_environment_dag_computes_aqi_and_compliance(world):
    dags_test(world, "songhong_environment")
    [row] = sql(world, """SELECT
        (SELECT count(DISTINCT station_id) FROM gold.aqi_daily WHERE date = DATE'2025-07-01') AS stations,
        (SELECT count(*) FROM gold.wastewater_compliance_daily WHERE date = DATE'2025-07-01') AS compliance,
        """ + runs_sql(JOBS["environment"]) + " AS runs")
    assert row["stations"] == 2 and row["compliance"] > 0, row
    assert runs(row) == [(j, "succeeded", DATE) for j in JOBS["environment"]]


def test_provincial_then_marts_dags_measure_every_target(world):
    dags_test(world, "songhong_provincial_stats")
    dags_test(world, "songhong_marts")
    [row] = sql(world, """SELECT
        (SELECT count(*) FROM silver.provincial_observations WHERE geo_id = 'VN-31') AS observations,
        (SELECT count(*) FROM gold.target_attainment_latest WHERE geo_id = 'VN-31') AS targets,
        (SELECT count(*) FROM gold.target_attainment_latest WHERE geo_id = 'VN-31' AND status <> 'insufficient_data') AS measured,
        (SELECT count(*) FROM gold.indicator_series WHERE geo_id = 'VN-31' AND indicator_code = 'port_cargo_throughput'
           AND source_file = 'gold.logistics_throughput_yearly') AS from_logistics,
        """ + runs_sql(JOBS["provincial"] + JOBS["marts"]) + " AS runs")
    assert row["observations"] > 100 and row["targets"] == 28 and row["measured"] >= 20, row
    assert row["from_logistics"] >= 1, row  # the marts read the yearly port throughput the logistics DAG built
    assert runs(row) == [(j, "succeeded", DATE) for j in JOBS["provincial"] + JOBS["marts"]]


def test_maintenance_dag_summarises_quality_and_maintains_every_table(world):
    dags_test(world, "songhong_maintenance")
    [row] = sql(world, """SELECT
        (SELECT count(*) FROM ops.maintenance_log) AS tables,
        (SELECT count(*) FROM ops.maintenance_log WHERE retention_hours < 168) AS short_retention,
        (SELECT count(*) FROM ops.maintenance_log WHERE optimized) AS optimized,
        (SELECT count(*) FROM ops.quality_daily) AS summary_rows,
        """ + runs_sql(JOBS["maintenance"]) + " AS runs")
    assert row["tables"] >= 25 and row["short_retention"] == 0, row
    assert row["optimized"] >= 1, row  # ops.job_run_log gets a small file per recorded state
    # the DAG summarises the day before its logical date: 2025-06-30, when nothing ran (the jobs ran today)
    assert row["summary_rows"] == 0, row
    assert runs(row) == [(j, "succeeded", "2025-06-30") for j in JOBS["maintenance"]]


def test_the_tasks_ran_in_one_warm_runner(songhong_runner, tmp_path_factory):
    """The DAGs' default (``SONGHONG_RUNNER=auto``): the first command started this user's runner and
    every task's job ran in it."""
    if songhong_runner is None:
        pytest.skip("SONGHONG_TEST_RUNNER=0: a JVM per task")
    assert len(list(songhong_runner.glob("*/url"))) == 1, "one runner for the session's build"
    ran = [line for log in pathlib.Path(tmp_path_factory.getbasetemp()).rglob("*.jsonl")
           for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
           if "Running songhong run " in line]
    for job in JOBS["logistics"] + JOBS["environment"] + JOBS["provincial"]:
        assert any(f"Running songhong run {job} --date {DATE} " in line for line in ran), f"{job} did not run in the runner"

