"""Runs jobs for a date as a scheduler's tasks do, each through the songhong launcher, one after the
other, and prints their summed wall seconds and CPU seconds on one line: ``WALL CPU``.

    python3 bench/daily_tasks.py MODE LAKE DATE JOB [JOB ...]

MODE ``process``: each task its own JVM (``SONGHONG_RUNNER=off``); the CPU is the launchers' and their
JVMs' (the children's rusage). MODE ``runner``: as the DAGs run them by default (``SONGHONG_RUNNER=auto``,
the runner's folder in ``SONGHONG_RUNNER_DIR``): the CPU adds what the warm runner used meanwhile, read
from ``/proc/PID/stat``, all of it when the first task started it. ``--expect-nothing-new`` fails if a
task did any work. A task that fails stops the run with its output.
"""

from __future__ import annotations

import os
import pathlib
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def runner_cpu() -> tuple[int | None, float]:
    """The pid of the runner in SONGHONG_RUNNER_DIR that is alive, and its CPU seconds so far."""
    for url in pathlib.Path(os.environ["SONGHONG_RUNNER_DIR"]).glob("*/url"):
        lines = url.read_text().split()
        if len(lines) < 2:
            continue
        try:
            fields = pathlib.Path(f"/proc/{lines[1]}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        return int(lines[1]), (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return None, 0.0


def main(argv: list[str]) -> int:
    nothing_new = "--expect-nothing-new" in argv
    mode, lake, date, *jobs = [a for a in argv if a != "--expect-nothing-new"]
    env = dict(os.environ, SONGHONG_RUNNER="auto" if mode == "runner" else "off")
    pid_before, cpu_before = runner_cpu() if mode == "runner" else (None, 0.0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = 0.0
    for job in jobs:
        start = time.monotonic()
        run = subprocess.run([str(ROOT / "songhong"), "run", job, "--date", date, "--lake", lake],
                             env=env, capture_output=True, text=True)
        wall += time.monotonic() - start
        if run.returncode != 0 or (nothing_new and "up to date" not in run.stdout + run.stderr):
            print(f"daily_tasks: {job} ({mode}) {'failed' if run.returncode else 'had work'}:\n"
                  + run.stdout[-3000:] + run.stderr[-3000:], file=sys.stderr)
            return 1
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    if mode == "runner":
        pid_after, cpu_after = runner_cpu()
        if pid_after is None:
            print("daily_tasks: no warm runner is running after the tasks", file=sys.stderr)
            return 1
        cpu += cpu_after - (cpu_before if pid_before == pid_after else 0.0)
    print(f"{wall:.2f} {cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
