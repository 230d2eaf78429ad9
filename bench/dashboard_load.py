"""The dashboard API under concurrent load: `songhong serve dashboard` on a sample lake, and wrk (a
real HTTP load generator) on loopback against each endpoint the page calls, then against a static
asset served from memory as the baseline (the server's floor), in the same run. Prints the
parameters, the machine and a table (requests/s, p50/p95/p99 ms, errors, p95 ratio to the
baseline); appends to bench/results/dashboard.csv and draws bench/results/dashboard-latest.svg.
The issue's bar: p95 under 50 ms per call.

Usage: bench/dashboard-load [--lake DIR] [--seconds 15] [--connections 32] [--threads 2]
(without --lake: ~/.cache/songhong/bench-sample-lake, built once with `songhong demo`)."""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import pathlib
import subprocess
import sys
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from serving import serving  # noqa: E402
from startup_report import machine  # noqa: E402

SONGHONG = str(ROOT / "songhong")
BASELINE = "static_asset"


def endpoints(base: str) -> dict[str, str]:
    with urllib.request.urlopen(base + "/api/v1/aqi/stations") as r:
        station = json.loads(r.read())["data"][0]["station_id"]
    return {
        "health": "/api/v1/health",
        "scorecard": "/api/v1/scorecard?geo=VN-31",
        "trend": "/api/v1/trends?target=HP30-02&geo=VN-31",
        "port_throughput": "/api/v1/ports/throughput?level=terminal",
        "aqi_year": f"/api/v1/aqi/daily?station={station}&year=2025",
        BASELINE: "/static/app.css",
    }


def wrk(url: str, seconds: int, connections: int, threads: int) -> dict[str, float]:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", str(ROOT / "bench/wrk-report.lua"), url], capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT "))
    n, errors, duration_us, p50, p95, p99, mx = line.split()[1:]
    return {"requests": int(n), "errors": int(errors), "rps": int(n) / (int(duration_us) / 1e6),
            "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "max_ms": float(mx)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", default=str(pathlib.Path.home() / ".cache/songhong/bench-sample-lake"))
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--results", default=str(ROOT / "bench/results"))
    a = ap.parse_args()
    lake = pathlib.Path(a.lake)
    where = machine()
    params = f"seconds={a.seconds} connections={a.connections} wrk_threads={a.threads}"
    print(f"Benchmark dashboard: {params} lake={lake}\nMachine: {where}", flush=True)
    if not (lake / "gold" / "dash_aqi_daily").exists():
        print("Building the sample lake (songhong demo)...", flush=True)
        subprocess.run([SONGHONG, "demo", "--lake", str(lake)], check=True, stdout=subprocess.DEVNULL)
    results: dict[str, dict[str, float]] = {}
    with serving(["serve", "dashboard", "--lake", str(lake)], "Dashboard on", lake.parent / "dashboard-load-serve.log") as (port, up):
        base = f"http://127.0.0.1:{port}"
        print(f"server up in {up:.1f} s", flush=True)
        eps = endpoints(base)
        wrk(base + eps["scorecard"], 5, a.connections, a.threads)  # warm-up (JIT)
        for name, path in eps.items():
            results[name] = r = wrk(base + path, a.seconds, a.connections, a.threads)
            print(f"  {name:<16} {r['rps']:>9.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p95 {r['p95_ms']:6.2f} ms  "
                  f"p99 {r['p99_ms']:6.2f} ms  errors {r['errors']}", flush=True)
    floor = results[BASELINE]["p95_ms"]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    out = pathlib.Path(a.results) / "dashboard.csv"
    new = not out.exists()
    with open(out, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["run_at_utc", "benchmark", "machine", "parameters", "measure", "value", "unit"])
        for name, r in results.items():
            for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors"):
                w.writerow([now, "dashboard", where, params, f"{name}_{k}", round(r[k], 3), k.split("_")[-1] if "_" in k else k])
            w.writerow([now, "dashboard", where, params, f"{name}_p95_ratio_to_{BASELINE}", round(r["p95_ms"] / floor, 3), "ratio"])
    print(f"\n{'endpoint':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'p95/floor':>9}")
    for name, r in results.items():
        print(f"{name:<16} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7} "
              f"{r['p95_ms'] / floor:>9.2f}")
    worst = max(r["p95_ms"] for n, r in results.items() if n != BASELINE)
    print(f"\nworst p95 {worst:.2f} ms: {'under' if worst < 50 else 'OVER'} the 50 ms bar")
    width, bar = 680, 22
    top = max(50.0, max(r["p95_ms"] for r in results.values())) * 1.1
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{90 + len(results) * bar}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">songhong dashboard API: p95 latency under load (ms), {a.connections} connections — {now} UTC</text>',
           f'<text x="10" y="38" fill="#555">{where}</text>']
    scale = (width - 260) / top
    y = 52
    for name, r in results.items():
        colour = "#999" if name == BASELINE else "#2a7"
        svg.append(f'<text x="10" y="{y + 14}">{name}</text>')
        svg.append(f'<rect x="150" y="{y}" width="{max(r["p95_ms"] * scale, 1):.0f}" height="{bar - 6}" fill="{colour}"/>')
        svg.append(f'<text x="{155 + r["p95_ms"] * scale:.0f}" y="{y + 14}">{r["p95_ms"]:.2f} ms ({r["rps"]:.0f}/s)</text>')
        y += bar
    x50 = 150 + 50 * scale
    svg.append(f'<line x1="{x50:.0f}" y1="48" x2="{x50:.0f}" y2="{y}" stroke="#c92a2a" stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{x50 - 40:.0f}" y="{y + 16}" fill="#c92a2a">50 ms bar</text>')
    svg.append("</svg>")
    (pathlib.Path(a.results) / "dashboard-latest.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")
    print(f"Appended to {out} and drew {out.parent / 'dashboard-latest.svg'}")


if __name__ == "__main__":
    main()
