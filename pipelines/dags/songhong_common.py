"""Shared parts of the songhong DAGs: how a task runs a songhong job, the lake's Assets, callbacks.

Nothing here runs at import time beyond building small objects. Where the launcher, the lake and
the landing folder are comes from Airflow Variables and a Connection, read when a task runs (Jinja
templates), so the same DAG file serves a laptop and a cluster:

- ``songhong_runner``: ``launcher`` (default: the ``songhong`` script, Spark in local mode or the
  master given in ``songhong_conf``) or ``spark-submit`` (the application jar is submitted to the
  master of the Connection ``songhong_spark``: its host is the master URL, e.g. ``spark://h:7077``,
  ``yarn`` or ``k8s://https://...``; its extra ``submit_args`` is added to the command line);
- ``songhong_launcher``: path of the ``songhong`` launcher (default: the repository's);
- ``songhong_spark_submit`` and ``songhong_jar``: ``spark-submit`` and the shaded jar
  (``cli/target/songhong-spark.jar``) for the ``spark-submit`` runner;
- ``songhong_lake``: lake root, a folder or a URI such as ``s3a://bucket/lake``;
- ``songhong_input``: landing folder the ingest jobs read;
- ``songhong_conf``: extra ``--conf`` arguments, e.g. ``--conf songhong.spark.master=spark://host:7077``;
- ``songhong_log_dir``: where the jobs write their JSON-lines log, and failures are recorded;
- ``songhong_warm_runner``: ``auto`` (default) or ``off``. With the launcher, ``auto`` runs every task's
  job in one warm JVM per machine, user and build (``SONGHONG_RUNNER=auto``: the first task starts it, it
  ends after 30 minutes without a command), so a task pays for its job, not for a JVM and a Spark
  session; a task killed meanwhile has its job cancelled there. ``off``: a JVM per task. A URL with
  ``SONGHONG_RUNNER_TOKEN_FILE`` in the workers' environment names a runner started by hand.

Each task runs one job for the run's logical date; every job is idempotent for its input, so a
retry or a rerun of a date changes nothing that already succeeded.
"""

from __future__ import annotations

import functools
import json
import logging
import operator
import os
from datetime import datetime, timedelta, timezone

import yaml

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import Asset

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The jobs in run order, the DAG that runs each, the tables each reads and writes, the Assets a DAG
# emits after a job: the file songhong's own job order comes from (schemas/pipeline.yaml).
PIPELINE_FILE = os.environ.get("SONGHONG_PIPELINE_FILE", os.path.join(REPO, "schemas", "pipeline.yaml"))
log = logging.getLogger("songhong")


@functools.cache
def pipeline() -> tuple[dict, ...]:
    """The jobs of ``schemas/pipeline.yaml`` in run order (name, stage, dag, doc, reads, writes, emits)."""
    with open(PIPELINE_FILE, encoding="utf-8") as f:
        return tuple(yaml.safe_load(f)["jobs"])


def dag_jobs(dag_id: str) -> list[dict]:
    """The jobs one DAG runs, in run order."""
    jobs = [j for j in pipeline() if j["dag"] == dag_id]
    if not jobs:
        raise ValueError(f"{PIPELINE_FILE} declares no job for the DAG {dag_id}")
    return jobs


def table_asset(table: str) -> Asset:
    """The Asset of a lake table: its name is the table's (``silver.provincial_observations``)."""
    layer, name = table.split(".", 1)
    return Asset(name=table, uri=f"songhong://lake/{layer}/{name}", group="songhong-lake")


def upstream_assets(dag_id: str):
    """What schedules a DAG on data: any of the Assets the other DAGs emit that its jobs read."""
    reads = {t for j in dag_jobs(dag_id) for t in j.get("reads", [])}
    tables = [t for j in pipeline() if j["dag"] != dag_id for t in j.get("emits", []) if t in reads]
    if not tables:
        raise ValueError(f"{PIPELINE_FILE}: no other DAG emits a table the DAG {dag_id} reads")
    return functools.reduce(operator.or_, [table_asset(t) for t in tables])


def record_failure(context) -> None:
    """on_failure_callback: one clear line in the task log and in ``failures.jsonl`` of the log folder."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    tries = getattr(ti, "try_number", "?")
    error = context.get("exception")
    line = {
        "at": datetime.now(timezone.utc).isoformat(),
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": run_id,
        "try_number": tries,
        "error": str(error).splitlines()[0] if error else None,
        "next": f"songhong airflow log {dag_id} {run_id} {task_id}",
    }
    log.error("songhong: task %s of %s (run %s) failed on try %s: %s. Read its log with: %s",
              task_id, dag_id, run_id, tries, line["error"], line["next"])
    folder = os.environ.get("SONGHONG_LOG_DIR", os.path.join(REPO, "logs"))
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "failures.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
    except OSError as e:  # the alert must not hide the task's own failure
        log.error("songhong: could not record the failure in %s: %s", folder, e)


DEFAULT_ARGS = {
    "owner": "songhong",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
    "execution_timeout": timedelta(hours=2),
    "on_failure_callback": record_failure,
}


def run_timeout(hours: float) -> timedelta:
    """How long a DAG run may take before Airflow fails it (and the failure callback reports it).

    Airflow 3's Deadline Alerts would only notify; with 3.3.2 a DAG carrying one breaks
    ``airflow dags test`` (the deadline lookup fails in SQLAlchemy), so a run timeout it is.
    """
    return timedelta(hours=hours)


def _var(name: str, default: str) -> str:
    """A Jinja reference to an Airflow Variable, resolved when the task runs, not at import."""
    return "{{ var.value.get('%s', '%s') }}" % (name, default)


def songhong_command(job: str, date: str = "{{ ds }}") -> str:
    """The bash command that runs one songhong job for ``date`` (a template; the logical date by default)."""
    lake = _var("songhong_lake", os.path.join(REPO, "lakehouse"))
    landing = _var("songhong_input", os.path.join(REPO, "data", "sample"))
    conf = _var("songhong_conf", "")
    args = f'run {job} --date {date} --lake "{lake}" --input "{landing}" {conf}'
    launcher = _var("songhong_launcher", os.path.join(REPO, "songhong"))
    submit = (
        _var("songhong_spark_submit", "spark-submit")
        + " --master '{{ conn.songhong_spark.host }}' {{ conn.songhong_spark.extra_dejson.get('submit_args', '') }}"
        + " --class org.songhong.cli.Main "
        + _var("songhong_jar", os.path.join(REPO, "cli", "target", "songhong-spark.jar"))
    )
    return (
        "{% if var.value.get('songhong_runner', 'launcher') == 'spark-submit' %}"
        + f"{submit} {args}"
        + "{% else %}"
        + f"{launcher} {args}"
        + "{% endif %}"
    )


def songhong_env() -> dict[str, str]:
    """Environment added to the task's: where the tool writes its JSON-lines log, and the warm runner."""
    return {
        "SONGHONG_LOG_DIR": _var("songhong_log_dir", os.path.join(REPO, "logs")),
        "SONGHONG_RUNNER": _var("songhong_warm_runner", "auto"),
    }


def job_chain(dag_id: str, date: str = "{{ ds }}") -> list[BashOperator]:
    """One task per job of the DAG (``schemas/pipeline.yaml``), each after the previous, in run order;
    a task's outlets are the Assets of the tables its job emits."""
    tasks: list[BashOperator] = []
    for job in dag_jobs(dag_id):
        task = BashOperator(
            task_id=job["name"],
            bash_command=songhong_command(job["name"], date),
            env=songhong_env(),
            append_env=True,
            doc_md=job["doc"],
            outlets=[table_asset(t) for t in job.get("emits", [])],
        )
        if tasks:
            tasks[-1] >> task
        tasks.append(task)
    return tasks
