"""
### Target attainment: rebuilt when its inputs change

Scheduled on Airflow **Assets**, not on a clock: it runs when any of its inputs has been updated by
a successful task of another DAG —

- `silver.provincial_observations` (emitted by `songhong_provincial_stats`),
- `gold.logistics_throughput_yearly` (emitted by `songhong_logistics`),
- `gold.wastewater_compliance_yearly` (emitted by `songhong_environment`) —

and rebuilds `gold.target_attainment` for every target of the catalog and every release,
`gold.indicator_series`, `gold.scorecard` and the regional subtotal checks. The job rewrites a mart
only when its rows change, so an extra run is harmless. To force a rebuild, trigger it by hand or
emit an asset event: `songhong airflow asset-event songhong://lake/silver/provincial_observations`.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import (
    DEFAULT_ARGS,
    job_chain,
    record_failure,
    run_timeout,
    upstream_assets,
)


with DAG(
    dag_id="songhong_marts",
    description="Target attainment marts, rebuilt when observations, throughput or compliance change",
    # Any of the Assets the other DAGs emit that provincial_marts reads (schemas/pipeline.yaml).
    schedule=upstream_assets("songhong_marts"),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=record_failure,
    dagrun_timeout=run_timeout(hours=1),
    tags=["songhong", "marts"],
    doc_md=__doc__,
) as dag:
    # An asset-triggered run has no logical date: then the job's date is when the run was scheduled.
    job_chain("songhong_marts", date="{{ (dag_run.logical_date or dag_run.run_after) | ds }}")
