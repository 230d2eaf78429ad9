"""What the warm runner keeps resident while it waits, what giving memory back frees, and what the
next job pays for it (bench/runner-memory; README "A warm runner").

    python3 bench/runner_memory.py [--days N] [--scale S] [--pairs P]

Generates DAYS days of terminal events (scale S), loads them into bronze in a JVM of its own, then
starts a warm runner as the DAGs do (SONGHONG_RUNNER=auto, giving memory back after 15 s idle) and
sends it `logistics_events_silver` over all the days, each time on a fresh copy of that bronze lake:
twice to warm it, then P pairs of a run after the runner gave memory back and a run right after
that one (no idle between: what a run pays in a runner that did not give memory back). Records the
runner's resident memory before and after each release (its log line), each run's wall and CPU
seconds (the runner's, from /proc/PID/stat), and the ratio of the medians: after a release / back to
back. Appends to bench/results/runner-memory.csv and draws runner-memory-latest.svg.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SONGHONG = str(ROOT / "songhong")
TICK = os.sysconf("SC_CLK_TCK")
RELEASE = re.compile(r"heap committed (\d+) MiB -> (\d+) MiB, resident (\d+) MiB -> (\d+) MiB")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = round(int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 1048576)
    return f"{os.cpu_count()} cores, {mem} GiB, {cpu}, Java 17"


def songhong(env: dict, *args: str) -> None:
    r = subprocess.run([SONGHONG, *args], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"runner-memory: songhong {' '.join(args)} failed:\n{r.stdout[-2000:]}{r.stderr[-3000:]}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--pairs", type=int, default=3)
    a = ap.parse_args()
    subprocess.run([SONGHONG, "--version"], check=True, capture_output=True)  # builds if stale
    work = pathlib.Path(tempfile.mkdtemp(prefix="songhong-runner-memory."))
    runners = work / "runners"
    runners.mkdir(mode=0o700)
    env = dict(os.environ, SONGHONG_SKIP_BUILD="1", SONGHONG_RUNNER="off", SONGHONG_LOG_DIR=str(work / "logs"),
               SONGHONG_LOGISTICS_EVENTS_DIR=str(work / "events"), SONGHONG_RUNNER_DIR=str(runners),
               SONGHONG_RUNNER_RELEASE_MINUTES="0.25")
    start = datetime.date(2025, 1, 1)
    last = start + datetime.timedelta(days=a.days - 1)
    lookback = ["--conf", f"songhong.logistics.lookback.days={a.days}"]
    pid = None
    try:
        print(f"runner-memory: {a.days} days of gate events at scale {a.scale}, into bronze...", file=sys.stderr)
        songhong(env, "generate", "logistics-events", "--from", str(start), "--to", str(last), "--scale", str(a.scale),
                 "--out", str(work / "events"))
        songhong(env, "run", "logistics_events_bronze", "--date", str(last), "--lake", str(work / "bronze"), *lookback)
        env["SONGHONG_RUNNER"] = "auto"

        def silver() -> tuple[float, float]:
            lake = work / "lake"
            shutil.rmtree(lake, ignore_errors=True)
            shutil.copytree(work / "bronze", lake)
            before = cpu_of(pid) if pid else 0.0
            t = time.monotonic()
            songhong(env, "run", "logistics_events_silver", "--date", str(last), "--lake", str(lake), *lookback)
            return time.monotonic() - t, cpu_of(runner_pid(runners)) - before

        silver()  # starts the runner and warms it
        silver()  # its compiler mostly done: the pairs below compare the release, not the warm-up
        pid = runner_pid(runners)
        log = next(runners.glob("*/runner.log"))
        after_release, back_to_back, releases = [], [], []
        for i in range(a.pairs):
            seen = len(RELEASE.findall(log.read_text()))
            deadline = time.monotonic() + 120
            while len(RELEASE.findall(log.read_text())) == seen:
                if time.monotonic() > deadline:
                    sys.exit(f"runner-memory: the runner gave no memory back within 120 s:\n{log.read_text()[-2000:]}")
                time.sleep(1)
            releases.append(tuple(int(x) for x in RELEASE.findall(log.read_text())[-1]))
            after_release.append(silver())
            back_to_back.append(silver())
            print(f"runner-memory: pair {i + 1}: released resident {releases[-1][2]} -> {releases[-1][3]} MiB; "
                  f"after the release {after_release[-1][1]:.1f} CPU s, back to back {back_to_back[-1][1]:.1f} CPU s",
                  file=sys.stderr)
    finally:
        if pid:
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                pass
        shutil.rmtree(work, ignore_errors=True)
    med = lambda xs: statistics.median(xs)  # noqa: E731
    figures = [
        ("resident before giving memory back", med([r[2] for r in releases]), "MiB"),
        ("resident after giving memory back", med([r[3] for r in releases]), "MiB"),
        ("heap committed before", med([r[0] for r in releases]), "MiB"),
        ("heap committed after", med([r[1] for r in releases]), "MiB"),
        ("logistics_events_silver after a release, wall", med([x[0] for x in after_release]), "s"),
        ("logistics_events_silver back to back, wall", med([x[0] for x in back_to_back]), "s"),
        ("logistics_events_silver after a release, CPU", med([x[1] for x in after_release]), "cpu_s"),
        ("logistics_events_silver back to back, CPU", med([x[1] for x in back_to_back]), "cpu_s"),
    ]
    figures.append(("CPU after a release / back to back", figures[6][1] / figures[7][1], "ratio"))
    figures.append(("resident after / before", figures[1][1] / figures[0][1], "ratio"))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = f"days={a.days} scale={a.scale} pairs={a.pairs} (medians)"
    results = ROOT / "bench" / "results"
    out = results / "runner-memory.csv"
    new = not out.exists()
    with open(out, "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["run_at_utc", "machine", "parameters", "measure", "value", "unit"])
        for name, value, unit in figures:
            w.writerow([stamp, machine(), params, name, f"{value:.2f}", unit])
    draw(results / "runner-memory-latest.svg", figures)
    print(f"machine: {machine()}; {params}")
    for name, value, unit in figures:
        print(f"  {name:<48} {value:>9.2f} {unit}")
    return 0


def runner_pid(runners: pathlib.Path) -> int:
    url = next(runners.glob("*/url"))
    return int(url.read_text().split()[1])


def cpu_of(pid: int) -> float:
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def draw(path: pathlib.Path, figures: list) -> None:
    """Two pairs of bars: resident MiB before and after the release; the next job's CPU seconds."""
    pairs = [("resident memory, MiB", figures[0], figures[1]), ("the next job, CPU s", figures[7], figures[6])]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="640" height="230" font-family="sans-serif" font-size="13">',
             f'<text x="10" y="22" font-size="15">The idle runner giving memory back ({machine()[:60]})</text>']
    for i, (title, a, b) in enumerate(pairs):
        y = 50 + 90 * i
        top = max(a[1], b[1])
        parts.append(f'<text x="10" y="{y + 12}">{title}</text>')
        for j, (name, value, _) in enumerate((a, b)):
            width = 360 * value / top
            parts.append(f'<text x="10" y="{y + 36 + 26 * j}">{name[:38]}</text>')
            parts.append(f'<rect x="260" y="{y + 22 + 26 * j}" width="{width:.1f}" height="20" '
                         f'fill="{"#6c757d" if j == 0 else "#0d6efd"}"/>')
            parts.append(f'<text x="{266 + width:.1f}" y="{y + 36 + 26 * j}">{value:.1f}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
