"""Every DAG imports cleanly and follows the house rules (tags, retries, docs, callbacks, no cycles),
the marts DAG is scheduled on the Assets the other DAGs emit, and a task's command renders for both
runners (the launcher, and spark-submit to a cluster)."""

from __future__ import annotations

import json

import jinja2
import pytest
from airflow.dag_processing.dagbag import DagBag
from conftest import DAGS

import songhong_common

# Each DAG's jobs in run order, from schemas/pipeline.yaml (the file songhong's own order comes from).
EXPECTED: dict[str, list[str]] = {}
for _job in songhong_common.pipeline():
    EXPECTED.setdefault(_job["dag"], []).append(_job["name"])


def test_the_pipeline_file_declares_the_five_dags_and_every_job_once():
    assert sorted(EXPECTED) == ["songhong_environment", "songhong_logistics", "songhong_maintenance",
                                "songhong_marts", "songhong_provincial_stats"]
    names = [j["name"] for j in songhong_common.pipeline()]
    assert len(names) == len(set(names)) == 12, names


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_expected_dags_are_there(dagbag):
    assert set(EXPECTED) == set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_id,order", sorted(EXPECTED.items()))
def test_each_dag_runs_its_jobs_in_pipeline_order(dagbag, dag_id, order):
    dag = dagbag.dags[dag_id]
    assert [t.task_id for t in dag.topological_sort()] == order


def test_schedules_follow_the_data(dagbag):
    for dag_id in ("songhong_logistics", "songhong_environment"):
        assert dagbag.dags[dag_id].timetable.expression in ("@daily", "0 0 * * *"), dag_id
    assert dagbag.dags["songhong_provincial_stats"].timetable.expression in ("@monthly", "0 0 1 * *")
    assert dagbag.dags["songhong_maintenance"].timetable.expression == "0 3 * * *"


def _asset_names(condition) -> set[str]:
    """The names of the Assets in a condition (any/all, nested)."""
    if hasattr(condition, "objects"):
        return set().union(*(_asset_names(o) for o in condition.objects))
    return {condition.name}


def test_the_marts_dag_is_scheduled_on_the_assets_the_other_dags_emit(dagbag):
    marts = dagbag.dags["songhong_marts"]
    wanted = {"silver.provincial_observations", "gold.logistics_throughput_yearly", "gold.wastewater_compliance_yearly"}
    assert _asset_names(marts.timetable.asset_condition) == wanted
    emitted = {}
    for dag_id, dag in dagbag.dags.items():
        for task in dag.tasks:
            for outlet in task.outlets:
                emitted[outlet.name] = f"{dag_id}.{task.task_id}"
    assert emitted == {
        "silver.provincial_observations": "songhong_provincial_stats.provincial_stats_silver",
        "gold.logistics_throughput_yearly": "songhong_logistics.logistics_marts",
        "gold.wastewater_compliance_yearly": "songhong_environment.environment_marts",
    }


def test_every_dag_has_tags_docs_retries_callbacks_and_a_run_timeout(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert "songhong" in dag.tags, dag_id
        assert dag.doc_md and len(dag.doc_md) > 100, dag_id
        assert dag.max_active_runs == 1, dag_id
        assert dag.dagrun_timeout, f"{dag_id} has no run timeout"
        assert dag.on_failure_callback, dag_id
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.retry_exponential_backoff, f"{dag_id}.{task.task_id} retries without backoff"
            assert task.on_failure_callback, f"{dag_id}.{task.task_id} has no failure callback"


def test_tasks_pass_dates_and_paths_not_data(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            cmd = task.bash_command
            assert f"run {task.task_id} --date {{{{" in cmd and "--lake" in cmd, f"{task.task_id}: {cmd}"


class _Vars:
    def __init__(self, values):
        self.values = values

    def get(self, name, default=None):
        return self.values.get(name, default)


class _Conn:
    host = "spark://10.0.0.5:7077"
    extra_dejson = {"submit_args": "--deploy-mode client --conf spark.executor.memory=4g"}


def _render(command: str, variables: dict) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return " ".join(env.from_string(command).render(
        ds="2025-07-01", var={"value": _Vars(variables)}, conn={"songhong_spark": _Conn()}).split())


def test_the_command_renders_for_the_launcher_and_for_spark_submit():
    cmd = songhong_common.songhong_command("logistics_marts")
    local = _render(cmd, {"songhong_lake": "/data/lake", "songhong_input": "/data/in"})
    assert local.endswith('songhong run logistics_marts --date 2025-07-01 --lake "/data/lake" --input "/data/in"')
    cluster = _render(cmd, {"songhong_runner": "spark-submit", "songhong_lake": "s3a://b/lake", "songhong_input": "s3a://b/in",
                            "songhong_jar": "/opt/songhong.jar", "songhong_spark_submit": "/opt/spark/bin/spark-submit"})
    assert cluster == (
        "/opt/spark/bin/spark-submit --master 'spark://10.0.0.5:7077' --deploy-mode client --conf spark.executor.memory=4g"
        ' --class org.songhong.cli.Main /opt/songhong.jar run logistics_marts --date 2025-07-01 --lake "s3a://b/lake"'
        ' --input "s3a://b/in"')


def test_tasks_use_the_warm_runner_unless_it_is_turned_off():
    env = songhong_common.songhong_env()
    assert _render(env["SONGHONG_RUNNER"], {}) == "auto"
    assert _render(env["SONGHONG_RUNNER"], {"songhong_warm_runner": "off"}) == "off"
    assert _render(env["SONGHONG_LOG_DIR"], {"songhong_log_dir": "/var/log/songhong"}) == "/var/log/songhong"


def test_a_failure_is_logged_with_what_to_do_next(tmp_path, monkeypatch):
    monkeypatch.setenv("SONGHONG_LOG_DIR", str(tmp_path))

    class TI:
        dag_id, task_id, run_id, try_number = "songhong_logistics", "logistics_marts", "manual__x", 3

    songhong_common.record_failure({"ti": TI(), "exception": RuntimeError("Job logistics_marts failed\nstack...")})
    line = json.loads((tmp_path / "failures.jsonl").read_text(encoding="utf-8"))
    assert line["error"] == "Job logistics_marts failed"
    assert line["next"] == "songhong airflow log songhong_logistics manual__x logistics_marts"
    assert line["try_number"] == 3
