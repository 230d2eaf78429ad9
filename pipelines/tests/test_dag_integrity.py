"""Every DAG imports cleanly and follows the house rules (tags, retries, docs, no cycles)."""

from __future__ import annotations

import pytest
from airflow.dag_processing.dagbag import DagBag
from conftest import DAGS


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_expected_dags_are_there(dagbag):
    assert {"songhong_provincial_stats", "songhong_logistics", "songhong_environment"} <= set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_id,order", [
    ("songhong_provincial_stats", ["provincial_stats_bronze", "provincial_stats_silver", "provincial_marts"]),
    ("songhong_logistics", ["logistics_stats", "logistics_events_bronze", "logistics_events_silver", "logistics_marts"]),
    ("songhong_environment", ["environment_bronze", "environment_silver", "environment_marts"]),
])
def test_each_dag_runs_its_jobs_in_pipeline_order(dagbag, dag_id, order):
    dag = dagbag.dags[dag_id]
    assert [t.task_id for t in dag.topological_sort()] == order


def test_the_event_and_monitor_dags_run_daily(dagbag):
    for dag_id in ("songhong_logistics", "songhong_environment"):
        assert dagbag.dags[dag_id].timetable.expression in ("@daily", "0 0 * * *"), dag_id


def test_every_dag_has_tags_docs_and_retries(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert "songhong" in dag.tags, dag_id
        assert dag.doc_md and len(dag.doc_md) > 100, dag_id
        assert dag.max_active_runs == 1, dag_id
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.retry_exponential_backoff, f"{dag_id}.{task.task_id} retries without backoff"


def test_tasks_pass_dates_and_paths_not_data(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            cmd = task.bash_command
            assert "{{ ds }}" in cmd and "--lake" in cmd, f"{task.task_id}: {cmd}"
