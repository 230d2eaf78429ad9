"""
### Provincial statistics → target attainment

Lands the provincial statistics files of the landing folder in bronze, conforms them into
`silver.provincial_observations` (province names matched to stable ids, units checked, bad
records quarantined with a reason), then rebuilds the marts: `gold.target_attainment` for every target of
the catalog and every release, `gold.indicator_series` and `gold.scorecard`.

Runs monthly and on demand (statistics offices publish when they publish). Each task calls
`songhong run JOB --date {{ ds }}`; jobs skip input files they have already processed, so a rerun
or a backfill of any date is safe. Configure with the Variables `songhong_lake`, `songhong_input`,
`songhong_conf` (see `songhong_common.py`). Inspect with `songhong sql "SELECT * FROM ops.job_runs"`.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import DEFAULT_ARGS, songhong_command, songhong_env

# The jobs in pipeline order, each one task.
JOBS = [
    ("provincial_stats_bronze", "Land new statistics files in bronze.provincial_stats_long, as they came."),
    ("provincial_stats_silver", "Conform into silver.provincial_observations; rejects to ops.quarantine."),
    ("provincial_marts", "Rebuild gold.target_attainment, gold.indicator_series, gold.scorecard and the subtotal checks."),
]

with DAG(
    dag_id="songhong_provincial_stats",
    description="Provincial statistics: bronze -> silver -> gold.target_attainment",
    schedule="@monthly",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["songhong", "provincial-stats", "marts"],
    doc_md=__doc__,
) as dag:
    previous = None
    for job, doc in JOBS:
        task = BashOperator(
            task_id=job,
            bash_command=songhong_command(job),
            env=songhong_env(),
            append_env=True,
            doc_md=doc,
        )
        if previous is not None:
            previous >> task
        previous = task
