"""
### Lake maintenance and the data-quality summary

Daily at 03:00 UTC:

1. `quality_summary` writes the previous day's summary to `ops.quality_daily`: records quarantined
   per job, table and rule, and job runs per final state (failed and abandoned runs stand out).
2. `lake_maintenance` compacts tables whose current version has many small files (Delta
   `OPTIMIZE`, from `songhong.maintenance.optimize.min.files`), then `VACUUM`s every table with a
   retention of at least `songhong.maintenance.vacuum.retention.hours` (7 days by default) and
   longer where a version is pinned (`songhong pin create NAME`): a pinned release stays readable
   with `VERSION AS OF` for as long as the pin exists. What it did is in `ops.maintenance_log`.

Neither task changes a table's rows; both are safe to rerun.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import DEFAULT_ARGS, job_chain, run_timeout, record_failure


with DAG(
    dag_id="songhong_maintenance",
    description="OPTIMIZE and VACUUM (keeping pinned releases), and the daily data-quality summary",
    schedule="0 3 * * *",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=record_failure,
    dagrun_timeout=run_timeout(hours=4),
    tags=["songhong", "maintenance", "data-quality"],
    doc_md=__doc__,
) as dag:
    job_chain("songhong_maintenance", date="{{ macros.ds_add(ds, -1) }}")
