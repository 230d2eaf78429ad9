"""Turns bench/startup's timings into rows of bench/results/startup.csv (same columns as the other
benchmarks: date, machine, parameters, measure, value, unit), prints a table, draws an SVG chart."""

from __future__ import annotations

import csv
import datetime
import os
import platform
import statistics
import subprocess
import sys


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kib = int(f.readline().split()[1])
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    java = java.split('"')[1] if '"' in java else java
    return f"{cpu}, {os.cpu_count()} cores, {round(mem_kib / 1024 / 1024)} GiB, Linux {platform.release()}, Java {java}"


def main(times_csv: str, out_dir: str, runs: str) -> None:
    rows = list(csv.DictReader(open(times_csv, encoding="utf-8")))
    cases = sorted({r["case"] for r in rows}, key=lambda c: (c != "sql_trivial_query", c))
    med = {(c, cds): statistics.median(float(r["seconds"]) for r in rows if r["case"] == c and r["cds"] == cds)
           for c in cases for cds in ("0", "1")}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    where = machine()
    out = os.path.join(out_dir, "startup.csv")
    new = not os.path.exists(out)
    with open(out, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["run_at_utc", "benchmark", "machine", "parameters", "measure", "value", "unit"])
        for c in cases:
            w.writerow([now, "startup", where, f"runs={runs}", f"{c}_seconds_without_cds", med[(c, "0")], "s"])
            w.writerow([now, "startup", where, f"runs={runs}", f"{c}_seconds_with_cds", med[(c, "1")], "s"])
            w.writerow([now, "startup", where, f"runs={runs}", f"{c}_cds_ratio", round(med[(c, "1")] / med[(c, "0")], 3), "ratio"])
    print(f"machine: {where}")
    print(f"{'case':<20} {'without CDS (s)':>16} {'with CDS (s)':>13} {'ratio':>6}")
    for c in cases:
        print(f"{c:<20} {med[(c, '0')]:>16.2f} {med[(c, '1')]:>13.2f} {med[(c, '1')] / med[(c, '0')]:>6.2f}")
    # a bar chart: one group per case, without/with CDS, as a share of the slower
    width, bar, gap = 640, 22, 18
    height = 60 + len(cases) * (2 * bar + gap)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">songhong start-up, median of runs (s) — {now} UTC</text>',
           f'<text x="10" y="38" fill="#555">{where}</text>']
    y = 55
    for c in cases:
        top = max(med[(c, "0")], med[(c, "1")])
        for cds, colour, label in (("0", "#999", "without CDS"), ("1", "#2a7", "with CDS")):
            w_ = (width - 260) * med[(c, cds)] / top
            svg.append(f'<text x="10" y="{y + 15}">{c} {label}</text>')
            svg.append(f'<rect x="200" y="{y}" width="{w_:.0f}" height="{bar - 4}" fill="{colour}"/>')
            svg.append(f'<text x="{205 + w_:.0f}" y="{y + 15}">{med[(c, cds)]:.1f} s</text>')
            y += bar
        y += gap
    svg.append("</svg>")
    with open(os.path.join(out_dir, "startup-latest.svg"), "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
