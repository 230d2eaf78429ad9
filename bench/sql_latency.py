"""Warm latency of typical economist queries through the SQL endpoint (`songhong serve sql`), and
the same queries with the one-shot shell (`songhong sql`, a JVM and a Spark session per query) as
the baseline, in the same run. Prints the parameters, the machine, a table with p50/p95 and the
ratio; appends to bench/results/sql_latency.csv and draws bench/results/sql_latency-latest.svg.

Usage: bench/sql-latency [--lake DIR] [--runs N]   (a lake with the sample: `songhong demo --lake DIR`;
without --lake it is built once into ~/.cache/songhong/bench-sample-lake)."""

from __future__ import annotations

import argparse
import csv
import datetime
import pathlib
import statistics
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=FutureWarning)
from pyspark.sql import SparkSession  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from serving import serving  # noqa: E402
from startup_report import machine  # noqa: E402

SONGHONG = str(ROOT / "songhong")
QUERIES = {
    "scorecard": "SELECT target_id, status, value, target, cagr_needed_from_now_pct FROM gold.scorecard WHERE geo_id = 'VN-31'",
    "one_series": "SELECT * FROM gold.series('grdp_current', 'VN-31')",
    "as_published": "SELECT count(*) FROM silver.observations_as_published(DATE'2025-03-01') WHERE geo_id = 'VN-31'",
    "time_travel": "SELECT count(*) FROM gold.target_attainment VERSION AS OF 1 WHERE geo_id = 'VN-31'",
}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", default=str(pathlib.Path.home() / ".cache/songhong/bench-sample-lake"))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--shell-runs", type=int, default=3)
    ap.add_argument("--results", default=str(ROOT / "bench/results"))
    a = ap.parse_args()
    lake = pathlib.Path(a.lake)
    where = machine()
    print(f"Benchmark sql_latency: runs={a.runs} shell_runs={a.shell_runs} lake={lake}\nMachine: {where}", flush=True)
    if not (lake / "gold").exists():
        print("Building the sample lake (songhong demo)...", flush=True)
        subprocess.run([SONGHONG, "demo", "--lake", str(lake)], check=True, stdout=subprocess.DEVNULL)
    with serving(["serve", "sql", "--lake", str(lake)], "listening on", lake.parent / "sql-latency-serve.log") as (port, up):
        print(f"endpoint up in {up:.1f} s", flush=True)
        spark = SparkSession.builder.remote(f"sc://localhost:{port}").getOrCreate()
        results = {}
        for name, q in QUERIES.items():
            t = time.perf_counter()
            spark.sql(q).collect()
            first = time.perf_counter() - t
            warm = []
            for i in range(a.runs):
                t = time.perf_counter()
                spark.sql(q).collect()
                warm.append(time.perf_counter() - t)
            shell = []
            for i in range(a.shell_runs):
                t = time.perf_counter()
                subprocess.run([SONGHONG, "sql", "--lake", str(lake), "--format", "json", q], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                shell.append(time.perf_counter() - t)
            results[name] = (first, statistics.median(warm), pct(warm, 95), statistics.median(shell))
            print(f"  {name:<14} first {first:6.3f} s  warm p50 {results[name][1]:6.3f} s  p95 {results[name][2]:6.3f} s  "
                  f"shell {results[name][3]:6.2f} s  ratio {results[name][1] / results[name][3]:.4f}", flush=True)
        spark.stop()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    params = f"runs={a.runs} shell_runs={a.shell_runs}"
    out = pathlib.Path(a.results) / "sql_latency.csv"
    new = not out.exists()
    with open(out, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["run_at_utc", "benchmark", "machine", "parameters", "measure", "value", "unit"])
        for name, (first, p50, p95, shell) in results.items():
            w.writerow([now, "sql_latency", where, params, f"{name}_first_seconds", round(first, 4), "s"])
            w.writerow([now, "sql_latency", where, params, f"{name}_warm_p50_seconds", round(p50, 4), "s"])
            w.writerow([now, "sql_latency", where, params, f"{name}_warm_p95_seconds", round(p95, 4), "s"])
            w.writerow([now, "sql_latency", where, params, f"{name}_shell_seconds", round(shell, 3), "s"])
            w.writerow([now, "sql_latency", where, params, f"{name}_ratio_endpoint_to_shell", round(p50 / shell, 5), "ratio"])
    print(f"\n{'query':<14} {'warm p50 (s)':>12} {'warm p95 (s)':>12} {'shell (s)':>10} {'ratio':>8}")
    for name, (first, p50, p95, shell) in results.items():
        print(f"{name:<14} {p50:>12.3f} {p95:>12.3f} {shell:>10.2f} {p50 / shell:>8.4f}")
    width, bar = 640, 20
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{70 + len(results) * 2 * bar + len(results) * 12}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">songhong SQL endpoint: warm p50 vs the one-shot shell (s, log scale) — {now} UTC</text>',
           f'<text x="10" y="38" fill="#555">{where}</text>']
    import math
    top = math.log10(max(r[3] for r in results.values()) * 10 / 0.01)
    y = 55
    for name, (first, p50, p95, shell) in results.items():
        for v, colour, label in ((p50, "#2a7", "endpoint"), (shell, "#999", "shell")):
            w_ = (width - 300) * math.log10(v * 10 / 0.01) / top
            svg.append(f'<text x="10" y="{y + 14}">{name} {label}</text>')
            svg.append(f'<rect x="200" y="{y}" width="{max(w_, 1):.0f}" height="{bar - 4}" fill="{colour}"/>')
            svg.append(f'<text x="{205 + w_:.0f}" y="{y + 14}">{v:.3f} s</text>')
            y += bar
        y += 12
    svg.append("</svg>")
    (pathlib.Path(a.results) / "sql_latency-latest.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")
    print(f"\nAppended to {out} and drew {out.parent / 'sql_latency-latest.svg'}")


if __name__ == "__main__":
    main()
