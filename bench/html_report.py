"""Writes bench/results/NAME-latest.html for each benchmark: the latest run's chart (the SVG each
benchmark draws) and its figures as a table, with the date, machine and parameters, in one page
that opens in any browser. Run by each bench command after it appends its results; by hand:
python3 bench/html_report.py [RESULTS_DIR]."""

from __future__ import annotations

import csv
import html
import pathlib
import sys


def page(results: pathlib.Path, name: str) -> str | None:
    rows = list(csv.DictReader(open(results / f"{name}.csv", encoding="utf-8")))
    if not rows:
        return None
    last = rows[-1]["run_at_utc"]
    latest = [r for r in rows if r["run_at_utc"] == last]
    svg_path = results / f"{name}-latest.svg"
    svg = svg_path.read_text(encoding="utf-8") if svg_path.exists() else ""
    body = "".join(f"<tr><td>{html.escape(r['measure'])}</td><td class=n>{html.escape(r['value'])}</td>"
                   f"<td>{html.escape(r['unit'])}</td></tr>" for r in latest)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>songhong benchmark: {html.escape(name)}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529}}table{{border-collapse:collapse}}
td,th{{padding:3px 10px;border-bottom:1px solid #dee2e6;text-align:left}}.n{{text-align:right;font-variant-numeric:tabular-nums}}</style>
</head><body><h1>Benchmark: {html.escape(name)}</h1>
<p>Run at {html.escape(last)} UTC on {html.escape(latest[0]['machine'])}; parameters: {html.escape(latest[0]['parameters'])}.
All runs: <code>{html.escape(name)}.csv</code>; how it is measured: <code>bench/README.md</code>.</p>
{svg}
<table><thead><tr><th>figure</th><th class=n>value</th><th>unit</th></tr></thead><tbody>{body}</tbody></table>
</body></html>
"""


def main() -> None:
    results = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "results")
    for f in sorted(results.glob("*.csv")):
        text = page(results, f.stem)
        if text:
            (results / f"{f.stem}-latest.html").write_text(text, encoding="utf-8")
            print(f"drew {results / (f.stem + '-latest.html')}")


if __name__ == "__main__":
    main()
