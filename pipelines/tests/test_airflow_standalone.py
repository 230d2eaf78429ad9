"""A real Airflow (`airflow standalone`: scheduler, DAG processor, API server, triggerer) on a loopback
port, operated with songhong's Java client (`songhong airflow ...`): unpause, trigger the provincial
DAG for a date and wait for it, read a task's log, see that the marts DAG ran because of the Asset
the provincial DAG emitted, emit an asset event by hand, and get one clear line for each error
Airflow answers (401, 404, 409, 422). Airflow is stopped afterwards, even when a test fails."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings

import pytest
from conftest import DAGS, REPO

AIRFLOW = str(pathlib.Path(sys.executable).parent / "airflow")
SONGHONG = str(REPO / "songhong")
PASSWORD = "songhong-it-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/v2/monitor/health", timeout=5) as r:
            health = json.load(r)
    except OSError:
        return False
    parts = ("metadatabase", "scheduler", "dag_processor", "triggerer")
    return all(health.get(p, {}).get("status") == "healthy" for p in parts)


@pytest.fixture(scope="module")
def airflow(tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow-home")
    lake = tmp_path_factory.mktemp("standalone-lake")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": PASSWORD}), encoding="utf-8")
    env = dict(os.environ)
    env.update({
        # standalone starts its components as `airflow ...` subprocesses: the venv's bin/ must come first
        "PATH": str(pathlib.Path(AIRFLOW).parent) + os.pathsep + env.get("PATH", ""),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        # a 60 s busy timeout (SQLite's default is 5 s): under load, a write waiting for the scheduler's failed with 500
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db?timeout=60",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__BASE_URL": url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": "songhong-it-secret-0123456789abcdef",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW_VAR_SONGHONG_LAKE": str(lake / "lake"),
        "AIRFLOW_VAR_SONGHONG_LOG_DIR": str(lake / "logs"),
    })
    log = open(home / "standalone.log", "w", encoding="utf-8")
    proc = subprocess.Popen([AIRFLOW, "standalone"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not _healthy(url):
            assert proc.poll() is None, "airflow standalone exited:\n" + (home / "standalone.log").read_text()[-4000:]
            assert time.monotonic() < deadline, "Airflow not healthy after 240 s:\n" + (home / "standalone.log").read_text()[-4000:]
            time.sleep(3)
        # 90 s a request: the API server's writes wait up to 60 s for SQLite's lock (above) while the
        # scheduler holds it; on 2 busy cores a 30 s request timed out (a CI run of 2026-12-03)
        client_env = dict(os.environ, SONGHONG_AIRFLOW_URL=url, SONGHONG_AIRFLOW_USER="admin", SONGHONG_AIRFLOW_PASSWORD=PASSWORD,
                          SONGHONG_AIRFLOW_HTTP_TIMEOUT="90")
        yield {"url": url, "env": client_env, "home": home, "lake": lake / "lake"}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()


def client(airflow, *args, env=None, timeout=1200) -> subprocess.CompletedProcess:
    return subprocess.run([SONGHONG, "airflow", *args], env=env or airflow["env"], capture_output=True, text=True, timeout=timeout)


def ok(airflow, *args, timeout=1200) -> str:
    r = client(airflow, *args, timeout=timeout)
    if r.returncode != 0:
        server = (airflow["home"] / "standalone.log").read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"songhong airflow {' '.join(args)}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}\n"
                    f"--- the end of airflow standalone's log:\n{server}")
    return r.stdout


def wait_until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(3)


def _api(airflow, path: str):
    """GET `path` of Airflow's REST API from this process, retried for up to 90 s while Airflow answers
    5xx or not at all (its SQLite database busy). The waits poll with it: each `songhong airflow`
    command is a JVM (about 1.2 CPU s), and one every 3 s took a share of the two cores the DAGs'
    tasks run on; what the tests assert is still read with `songhong airflow`."""
    deadline = time.monotonic() + 90
    while True:
        try:
            if "token" not in airflow:
                login = urllib.request.Request(
                    airflow["url"] + "/auth/token", method="POST", headers={"Content-Type": "application/json"},
                    data=json.dumps({"username": "admin", "password": PASSWORD}).encode())
                with urllib.request.urlopen(login, timeout=90) as r:
                    airflow["token"] = json.load(r)["access_token"]
            request = urllib.request.Request(airflow["url"] + path,
                                             headers={"Authorization": "Bearer " + airflow["token"]})
            with urllib.request.urlopen(request, timeout=90) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            if e.code < 500 or time.monotonic() > deadline:
                raise AssertionError(f"GET {path}: Airflow answered {e.code}: {e.read()[:500]!r}") from e
        except urllib.error.URLError as e:
            if time.monotonic() > deadline:
                raise AssertionError(f"GET {path}: {e}") from e
        time.sleep(2)


def _runs(airflow, dag: str) -> list[dict]:
    """The DAG's runs as Airflow's REST API lists them (each with its state and run_type)."""
    return _api(airflow, f"/api/v2/dags/{dag}/dagRuns?limit=100")["dag_runs"]


def _dag_listed(airflow):
    listed = {d["dag_id"] for d in _api(airflow, "/api/v2/dags?limit=100")["dags"]}
    return all(d in listed for d in ("songhong_provincial_stats", "songhong_marts", "songhong_maintenance"))


def test_trigger_wait_log_and_the_asset_scheduled_marts_run(airflow):
    wait_until(lambda: _dag_listed(airflow), 120, "the DAG processor to parse the DAGs")
    listing = ok(airflow, "dags")
    provincial = next(line for line in listing.splitlines() if line.startswith("songhong_provincial_stats"))
    assert " yes " in provincial, provincial  # paused at creation

    out = ok(airflow, "unpause", "songhong_provincial_stats", "songhong_marts")
    assert "songhong_marts: unpaused" in out

    # Unpausing makes the scheduler create a run for the latest interval at once. Triggering while
    # that run's first task started made the standalone's API server stall for 60 s (both write its
    # SQLite database) and Airflow killed the task, which passed on its retry a minute later (193 s
    # instead of 60-85 s): the trigger waits for that run to end.
    def scheduled_done():
        return [r for r in _runs(airflow, "songhong_provincial_stats")
                if r["run_type"] == "scheduled" and r["state"] in ("success", "failed")]

    wait_until(scheduled_done, 600, "the run created at unpause to end")
    scheduled = ok(airflow, "runs", "songhong_provincial_stats").splitlines()[1:]
    assert [r for r in scheduled if r.startswith("scheduled__") and (" success " in r or " failed " in r)], scheduled

    out = ok(airflow, "trigger", "songhong_provincial_stats", "--date", "2025-07-01", "--run-id", "it-provincial",
             "--conf", "reason=integration-test", "--wait", "--timeout", "900")
    assert "triggered songhong_provincial_stats run it-provincial (logical date 2025-07-01T00:00:00Z)" in out
    assert "it-provincial: success, 2/2 tasks done" in out, out

    tasks = ok(airflow, "tasks", "songhong_provincial_stats", "it-provincial")
    assert [line.split()[:2] for line in tasks.splitlines()[1:]] == [
        ["provincial_stats_bronze", "success"], ["provincial_stats_silver", "success"]]

    # The scheduler's own run at unpause (the latest @monthly interval) may have loaded the sample's files
    # first: then this run found nothing new and wrote nothing. Either way the task logs songhong's line.
    log = ok(airflow, "log", "songhong_provincial_stats", "it-provincial", "provincial_stats_silver")
    assert ("ok: provincial_stats_silver run provincial_stats_silver-" in log
            or "up to date: provincial_stats_silver" in log), log[-3000:]

    wait_until(lambda: [r for r in _runs(airflow, "songhong_marts") if r["run_type"] == "asset_triggered"
                        and r["state"] == "success"], 600, "songhong_marts to run on the asset event")
    marts = [r for r in ok(airflow, "runs", "songhong_marts").splitlines()[1:]
             if "asset_triggered" in r and " success " in r]
    assert marts, ok(airflow, "runs", "songhong_marts")
    # one of the asset-triggered runs built the marts; a later one (another asset event) found nothing new
    logs = [ok(airflow, "log", "songhong_marts", m.split()[0], "provincial_marts") for m in marts]
    assert any("ok: provincial_marts run" in log for log in logs), logs
    out = subprocess.run(
        [SONGHONG, "sql", "--lake", str(airflow["lake"]), "--format", "json",
         "SELECT count(*) AS n, min(vintage) AS v FROM gold.target_attainment_latest WHERE geo_id = 'VN-31'"],
        check=True, capture_output=True, text=True, timeout=600).stdout
    assert json.loads(next(line for line in out.splitlines() if line.startswith("{"))) == {"n": 28, "v": "yearbook-2025"}
    _warn_of_retries(airflow)


def _warn_of_retries(airflow):
    """A task that needed a second attempt passed only after Airflow's retry delay (a minute, then
    two): twice in CI this test took 200 s instead of 60-85 s, and the cause was not kept. Name each
    retried task and how its first attempt ended, in pytest's warnings summary, which a passing run
    prints too."""
    for retried in sorted((airflow["home"] / "logs").glob("dag_id=*/run_id=*/task_id=*/attempt=[2-9].log")):
        first = retried.with_name("attempt=1.log")
        tail = first.read_text(encoding="utf-8", errors="replace")[-1500:] if first.exists() else "(no log)"
        warnings.warn(f"{retried.relative_to(airflow['home'])}: a retry; the first attempt ended:\n{tail}", stacklevel=1)


def test_an_asset_event_emitted_by_hand_schedules_the_marts(airflow):
    before = ok(airflow, "runs", "songhong_marts", "--limit", "50").count("asset_triggered")
    runs_before = sum(r["run_type"] == "asset_triggered" for r in _runs(airflow, "songhong_marts"))
    assets = ok(airflow, "assets")
    assert "songhong://lake/gold/wastewater_compliance_yearly  ->  songhong_marts" in assets, assets
    out = ok(airflow, "asset-event", "songhong://lake/gold/wastewater_compliance_yearly", "--extra", "why=fixed-by-hand")
    assert out.startswith("asset event ")
    wait_until(lambda: sum(r["run_type"] == "asset_triggered" for r in _runs(airflow, "songhong_marts")) > runs_before, 120,
               "a new asset-triggered marts run")
    assert ok(airflow, "runs", "songhong_marts", "--limit", "50").count("asset_triggered") > before


def _one_line_error(r: subprocess.CompletedProcess, status: int) -> str:
    assert r.returncode == 1, r.stdout + r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"Airflow answered {status}" in lines[0], r.stderr
    return lines[0]


def test_errors_from_airflow_come_back_as_one_clear_line(airflow):
    wrong = dict(airflow["env"], SONGHONG_AIRFLOW_PASSWORD="not-the-password")
    assert "check the user and password" in _one_line_error(client(airflow, "dags", env=wrong), 401)
    assert "songhong_nope" in _one_line_error(client(airflow, "trigger", "songhong_nope"), 404)
    again = client(airflow, "trigger", "songhong_provincial_stats", "--date", "2025-07-01", "--run-id", "it-provincial")
    assert "choose another run id" in _one_line_error(again, 409)
    bad = client(airflow, "runs", "songhong_marts", "--limit", "-1")
    assert "limit" in _one_line_error(bad, 422)
    gone = dict(airflow["env"], SONGHONG_AIRFLOW_URL="http://127.0.0.1:9")
    r = client(airflow, "dags", env=gone)
    assert r.returncode == 1 and "Cannot reach Airflow at http://127.0.0.1:9" in r.stderr


def test_backfill_runs_the_missing_dates_and_not_the_succeeded_one(airflow):
    """2025-07-01 succeeded as run it-provincial (first test); 2025-08-01 never ran. A backfill of
    both months runs 08-01 only; its tasks find nothing new (the sample was loaded once, by the
    first run that had it), so the jobs' ledger holds one run per job."""
    dag = "songhong_provincial_stats"
    plan = ok(airflow, "backfill", dag, "--from", "2025-07-01", "--to", "2025-08-01", "--dry-run")
    assert f"{dag} from 2025-07-01 to 2025-08-01: 1 date(s) to run: 2025-08-01" in plan, plan
    assert "skipped, already ran: 2025-07-01" in plan, plan
    assert "created" not in plan, plan

    out = ok(airflow, "backfill", dag, "--from", "2025-07-01", "--to", "2025-08-01", "--wait", "--timeout", "900")
    assert ": all 1 run(s) succeeded" in out and "created" in out, out
    assert "2025-08-01 success" in out, out

    runs = ok(airflow, "runs", dag, "--limit", "50").splitlines()[1:]
    by_date = {}
    for r in runs:
        cols = r.split()
        if cols[3].startswith("2025-"):
            by_date.setdefault(cols[3][:10], []).append((cols[1], cols[2]))
    assert by_date == {"2025-07-01": [("success", "manual")], "2025-08-01": [("success", "backfill")]}, runs
    backfilled = next(r.split()[0] for r in runs if r.split()[3].startswith("2025-08-01"))
    assert "up to date: provincial_stats_bronze" in ok(airflow, "log", dag, backfilled, "provincial_stats_bronze")

    # the same backfill again: nothing left to run, nothing created
    again = ok(airflow, "backfill", dag, "--from", "2025-07-01", "--to", "2025-08-01")
    assert "0 date(s) to run" in again and "skipped, already ran: 2025-07-01, 2025-08-01" in again and "created" not in again, again

    out = subprocess.run(
        [SONGHONG, "sql", "--lake", str(airflow["lake"]), "--format", "json",
         "SELECT job, count(*) AS n, collect_set(status) AS s FROM ops.job_runs "
         "WHERE job LIKE 'provincial_stats_%' GROUP BY job ORDER BY job"],
        check=True, capture_output=True, text=True, timeout=600).stdout
    ledger = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert ledger == [{"job": j, "n": 1, "s": ["succeeded"]} for j in ("provincial_stats_bronze", "provincial_stats_silver")], ledger
