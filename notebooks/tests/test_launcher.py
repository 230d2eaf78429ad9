"""The launcher: the class-data-sharing archive that the first `songhong demo` or `songhong run` after a
build makes in the background (later launches load classes from it), and the warm runner it starts
and uses for `SONGHONG_RUNNER=auto`, the DAGs' default."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import time

import pytest

from conftest import REPO, SONGHONG

TARGET = REPO / "cli" / "target"  # the launcher's distribution


def test_the_first_demo_after_the_build_archived_its_classes_and_launches_use_them(lake):
    if os.environ.get("SONGHONG_CDS", "1") != "1":
        pytest.skip("SONGHONG_CDS turns the archive off")
    jar, jsa = TARGET / "songhong.jar", TARGET / "songhong.jsa"
    if (lake / "_built").stat().st_mtime < jar.stat().st_mtime:
        pytest.skip("the sample lake was built before this build: no demo has run since (run-tests builds both)")
    lock = TARGET / "songhong.jsa.lock"  # held while the training run archives (about a minute)
    deadline = time.monotonic() + 600
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(2)
    log = TARGET / "songhong.jsa.log"
    assert jsa.exists(), ("the demo that built the sample lake left no archive (see the launcher, 'Class-data sharing'):\n"
                          + (log.read_text(errors="replace")[-3000:] if log.exists() else "no training log"))
    assert jsa.stat().st_mtime >= jar.stat().st_mtime, "the archive is older than the jar"
    assert jsa.stat().st_size > 50_000_000, f"an archive of {jsa.stat().st_size} bytes lacks Spark's classes"
    # A launch loads its classes from the archive: the JVM says where each class came from.
    r = subprocess.run([SONGHONG, "--version"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "SONGHONG_SKIP_BUILD": "1", "SONGHONG_JAVA_OPTS": "-Xlog:class+load=info"})
    assert r.returncode == 0, r.stderr[-2000:]
    shared = [line for line in r.stdout.splitlines() if "org.songhong.cli.Main " in line]
    assert shared and "shared objects file (top)" in shared[0], shared or r.stdout[-2000:]


CommandRunnerHeartbeat = 2  # seconds between the runner's heartbeat lines (CommandRunner.HEARTBEAT)


def _runner_pid(state) -> int:
    [url] = state.glob("*/url")
    return int(url.read_text().split()[1])


def _alive(pid: int) -> bool:
    """Running (not ended, nor a zombie its new parent has not reaped yet)."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _ran_in_runner(logs) -> int:
    return sum(line.count("Running songhong jobs") for f in logs.glob("*.jsonl") for line in f.read_text().splitlines())


def test_the_warm_runner_starts_on_first_use_is_used_then_and_starts_again_after_it_died(tmp_path):
    """SONGHONG_RUNNER=auto (the DAGs' default): of three commands at once, one starts this user's
    runner in a folder only the user can use and all run in it, the next is forwarded to it; idle, it
    gives memory back; a command whose runner is killed (-9)
    while running it is run again by the launcher itself, and the next command starts another runner,
    which ends when its build is replaced;
    a folder others can use is refused and the command runs in its own JVM."""
    state, logs = tmp_path / "runners", tmp_path / "logs"
    env = {**os.environ, "SONGHONG_SKIP_BUILD": "1", "SONGHONG_RUNNER": "auto", "SONGHONG_RUNNER_DIR": str(state),
           "SONGHONG_LOG_DIR": str(logs), "SONGHONG_RUNNER_RELEASE_MINUTES": "0.05"}

    def jobs() -> subprocess.CompletedProcess:
        r = subprocess.run([SONGHONG, "jobs"], env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0 and "provincial_stats_bronze" in r.stdout, r.stdout[-1000:] + r.stderr[-2000:]
        return r

    pids = []
    try:
        # three commands at once, none running: one starts the runner, the others wait for it
        first = [subprocess.Popen([SONGHONG, "jobs"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        answers = [p.communicate(timeout=600) for p in first]
        assert all(p.returncode == 0 for p in first) and all("provincial_stats_bronze" in out for out, _ in answers), answers
        assert sum("starting a warm runner" in err for _, err in answers) == 1, [err for _, err in answers]
        assert _ran_in_runner(logs) == 3
        pids.append(_runner_pid(state))
        assert state.stat().st_mode & 0o777 == 0o700
        # its working folder is its own (a task's, which Airflow deletes after the task, would not do)
        assert os.readlink(f"/proc/{pids[0]}/cwd") == str(next(state.glob("*/url")).parent)
        assert next(state.glob("*/token")).stat().st_mode & 0o077 == 0
        assert "starting" not in jobs().stderr
        assert _ran_in_runner(logs) == 4
        # idle for SONGHONG_RUNNER_RELEASE_MINUTES (3 s here): it gives its heap's unused memory back
        log = next(state.glob("*/runner.log"))
        deadline = time.monotonic() + 60
        while "memory given back" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.5)
        given = re.search(r"heap committed (\d+) MiB -> (\d+) MiB", log.read_text())
        assert given and int(given.group(2)) < int(given.group(1)), log.read_text()[-2000:]
        # killed while it runs a command (after a heartbeat): the launcher runs the command itself
        slow = subprocess.Popen([SONGHONG, "sql", "--lake", str(tmp_path / "lake"),
                                 "SELECT reflect('java.lang.Thread', 'sleep', 4000L) AS slept"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while "Running songhong sql" not in "".join(f.read_text() for f in logs.glob("*.jsonl")):
            assert time.monotonic() < deadline and slow.poll() is None, "the runner did not take the query"
            time.sleep(0.2)
        time.sleep(CommandRunnerHeartbeat + 0.5)
        os.kill(pids[0], signal.SIGKILL)
        out, err = slow.communicate(timeout=300)
        assert slow.returncode == 0 and "1 row" in out, out[-1000:] + err[-2000:]
        assert "stopped while it ran the command" in err and "running it here" in err, err[-2000:]
        assert "starting a warm runner" in jobs().stderr
        pids.append(_runner_pid(state))
        assert pids[1] != pids[0] and _ran_in_runner(logs) == 5
        # a rebuilt jar: the runner of the old build ends (the launcher would start one for the new)
        jar = TARGET / "songhong.jar"
        built = jar.stat()
        try:
            os.utime(jar, ns=(built.st_atime_ns, built.st_mtime_ns + 10**9))
            deadline = time.monotonic() + 60
            while _alive(pids[1]):
                assert time.monotonic() < deadline, "the old build's runner did not end"
                time.sleep(0.5)
        finally:
            os.utime(jar, ns=(built.st_atime_ns, built.st_mtime_ns))
        assert "The build it runs changed" in "".join(f.read_text() for f in state.glob("*/runner.log"))
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    state.chmod(0o755)
    refused = jobs()
    assert "not a folder only you can use" in refused.stderr and _ran_in_runner(logs) == 5
