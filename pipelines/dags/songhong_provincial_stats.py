"""
### Provincial statistics → silver observations

Lands the provincial statistics files of the landing folder in bronze, then conforms them into
`silver.provincial_observations` (province names matched to stable ids, units checked, bad records
quarantined with a reason). The silver task emits the Asset `silver.provincial_observations`;
**`songhong_marts`** is scheduled on it and rebuilds the target-attainment marts.

Runs monthly and on demand (statistics offices publish when they publish). Each task calls
`songhong run JOB --date {{ ds }}`; jobs skip input files they have already processed, so a rerun
or a backfill of any date is safe. Configure with the Variables `songhong_lake`, `songhong_input`,
`songhong_conf`, `songhong_runner` (see `songhong_common.py`). Inspect with
`songhong sql "SELECT * FROM ops.job_runs"`.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import DEFAULT_ARGS, job_chain, run_timeout, record_failure


with DAG(
    dag_id="songhong_provincial_stats",
    description="Provincial statistics: bronze -> silver.provincial_observations (then songhong_marts)",
    schedule="@monthly",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=record_failure,
    dagrun_timeout=run_timeout(hours=2),
    tags=["songhong", "provincial-stats"],
    doc_md=__doc__,
) as dag:
    job_chain("songhong_provincial_stats")
