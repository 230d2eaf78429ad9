"""Shared settings of the songhong DAGs: how a task calls the songhong launcher.

Nothing here runs at import time beyond building small objects. Where the launcher, the lake and
the landing folder are comes from Airflow Variables, read when a task runs (Jinja templates), so
the same DAG file serves a laptop and a cluster:

- ``songhong_launcher``: path of the ``songhong`` launcher (default: the repository's, found
  relative to this file);
- ``songhong_lake``: lake root, a folder or a URI such as ``s3a://bucket/lake``;
- ``songhong_input``: landing folder the ingest jobs read;
- ``songhong_conf``: extra ``--conf`` arguments, e.g. ``--conf songhong.spark.master=spark://host:7077``.

Each task runs one job for the run's logical date; every job is idempotent for its input, so a
retry or a rerun of a date changes nothing that already succeeded.
"""

from __future__ import annotations

import os
from datetime import timedelta

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULT_ARGS = {
    "owner": "songhong",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
    "execution_timeout": timedelta(hours=2),
}


def _var(name: str, default: str) -> str:
    """A Jinja reference to an Airflow Variable, resolved when the task runs, not at import."""
    return "{{ var.value.get('%s', '%s') }}" % (name, default)


def songhong_command(job: str) -> str:
    """The bash command that runs one songhong job for the task's logical date."""
    launcher = _var("songhong_launcher", os.path.join(REPO, "songhong"))
    lake = _var("songhong_lake", os.path.join(REPO, "lakehouse"))
    landing = _var("songhong_input", os.path.join(REPO, "data", "sample"))
    conf = _var("songhong_conf", "")
    return f'{launcher} run {job} --date {{{{ ds }}}} --lake "{lake}" --input "{landing}" {conf}'


def songhong_env() -> dict[str, str]:
    """Environment added to the task's: where the tool writes its JSON-lines log."""
    return {"SONGHONG_LOG_DIR": _var("songhong_log_dir", os.path.join(REPO, "logs"))}
