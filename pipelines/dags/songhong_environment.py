"""
### Environment monitors → AQI, exceedances and wastewater compliance

Daily: loads the station registry, lands the monitor files of the run's day and the lookback
window (`songhong.environment.lookback.days`, 2 by default) in `bronze.env_readings`, conforms them
into `silver.env_readings` with their quality flags (out of range, stuck, spike, late; flagged
readings are kept, not used), and rebuilds for those days `gold.aqi_hourly` (NowCast for PM),
`gold.aqi_daily`, `gold.air_limit_exceedances_daily` (the QCVN 05:2023 limit in force on each
date) and the wastewater compliance marts that feed target HP30-18; the last task emits the Asset
`gold.wastewater_compliance_yearly` that schedules **`songhong_marts`**.

For readings as they arrive, run `songhong stream environment` instead of the two ingest tasks;
both write the same tables the same way, so they can be mixed. Reruns and backfills are safe:
files are skipped by checksum and each day's marts are rewritten only when they change.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import DEFAULT_ARGS, job_chain, run_timeout, record_failure


with DAG(
    dag_id="songhong_environment",
    description="Air and wastewater monitors: readings -> AQI, exceedances, compliance",
    schedule="@daily",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=record_failure,
    dagrun_timeout=run_timeout(hours=3),
    tags=["songhong", "environment", "marts"],
    doc_md=__doc__,
) as dag:
    job_chain("songhong_environment")
