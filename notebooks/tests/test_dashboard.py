"""The dashboard served by `songhong serve dashboard` on the sample lake: its API from Python, and
its page in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).
The page test saves screenshots in notebooks/tests/screenshots/ (not committed)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import urllib.error
import urllib.request

SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("SONGHONG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
TARGETS_2030 = 28  # Resolution 30-NQ/TW, for Hai Phong (VN-31): schemas/catalog/targets.yaml


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_api_serves_the_sample_lakes_aggregates(dashboard):
    status, health = _get(dashboard["url"] + "/api/v1/health")
    assert status == 200 and health["status"] == "ok"
    for table in ("gold.scorecard", "gold.dash_target_trends", "gold.dash_port_throughput", "gold.dash_aqi_daily"):
        assert health["tables"][table]["rows"] > 0, f"{table} is empty on the sample lake: {health}"
    _, sc = _get(dashboard["url"] + "/api/v1/scorecard?geo=VN-31")
    assert sc["count"] == TARGETS_2030
    for row in sc["data"]:
        status, trend = _get(dashboard["url"] + f"/api/v1/trends?target={row['target_id']}&geo=VN-31")
        assert status == 200, trend
    _, stations = _get(dashboard["url"] + "/api/v1/aqi/stations")
    assert stations["count"] == 6  # the demo's six generated air stations (the sample lake is the demo's)
    first = stations["data"][0]
    _, days = _get(dashboard["url"] + f"/api/v1/aqi/daily?station={first['station_id']}&year=2025")
    assert days["count"] == first["days"] > 300
    status, err = _get(dashboard["url"] + "/api/v1/aqi/daily?station=../../etc/passwd")
    assert status == 400 and err["error"] == "bad_parameter"


def test_the_page_shows_every_target_a_chart_and_switches_language(dashboard):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "no chromium: apt-get install chromium (run-tests does), or set SONGHONG_CHROMIUM"

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append("failed: " + r.url))
            # Nothing may come from outside the server: the page works offline.
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(dashboard["url"])
                       else (errors.append("outside request: " + route.request.url), route.abort()))
            page.goto(dashboard["url"] + "/?lang=vi")
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)

            assert page.locator("html").get_attribute("lang") == "vi"
            assert page.locator("h1").inner_text() == "Mục tiêu 2030 của Hải Phòng"
            rows = page.locator("#scorecard tbody tr")
            assert rows.count() == TARGETS_2030
            badges = page.locator("#scorecard tbody .status")
            colours = badges.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
            assert len(colours) == TARGETS_2030 and all(c not in ("", "rgba(0, 0, 0, 0)") for c in colours)

            # The trend chart has drawn the series and the target line.
            page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")
            series = page.evaluate("() => Chart.getChart('trend-chart').data.datasets.map(d => d.data.filter(v => v != null).length)")
            assert series[0] > 0 and len(series) >= 2, series
            painted = page.evaluate("""() => { const c = document.getElementById('trend-chart');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
            assert painted > 2000, f"the trend canvas is (nearly) blank: {painted} painted pixels"
            ports = page.evaluate("() => Chart.getChart('port-chart').data.datasets.length")
            assert ports > 0
            assert page.locator("#aqi-calendar .day[data-aqi]").count() > 300
            page.screenshot(path=str(SCREENSHOTS / "dashboard-vi.png"), full_page=True)

            # A mark on each status that rests on an illustrative figure, as many as the API says, and the note.
            _, card = _get(dashboard["url"] + "/api/v1/scorecard?geo=VN-31")
            marked = sum(1 for r in card["data"] if r["rests_on_illustrative"])
            assert marked > 0, card
            assert page.locator("#scorecard tbody .illustrative").count() == marked
            assert "không trích dẫn" in page.locator(".illustrative-note").inner_text()
            # The chance of meeting each target (gold.scorecard's p_meet_target), or a dash with the reason.
            chances = page.locator("#scorecard tbody td.chance").all_inner_texts()
            assert len(chances) == TARGETS_2030 and sum(c.endswith("%") for c in chances) > 20, chances
            # The fan of a level target: from its latest figure to 2030, the 95% band around the 80% band
            # around the median (hospital beds per 10,000, HP30-15a).
            page.select_option("#trend-target", "HP30-15a")
            page.wait_for_function("() => Chart.getChart('trend-chart').data.datasets.some(d => d.label === 'Khoảng 80%')")
            fan = page.evaluate("""() => { const c = Chart.getChart('trend-chart'); const i = c.data.labels.indexOf(2030);
                const at = (l) => c.data.datasets.find(d => d.label === l).data[i];
                return [at('Khoảng 95%'), at('Khoảng 80%'), at('Dự báo (trung vị)'), at('Khoảng 80% '), at('Khoảng 95% ')]; }""")
            assert all(v is not None for v in fan), fan
            hi95, hi80, central, lo80, lo95 = fan
            assert lo95 < lo80 < central < hi80 < hi95, fan
            page.locator("#trend-chart").screenshot(path=str(SCREENSHOTS / "dashboard-fan.png"))

            # A scenario typed in: HP30-01 at 11% a year from 2025 lands at 11.2% for 2021-2030, not met
            # (the marts' calculator, via /api/v1/scenario); at 15% the line moves up and the status with it.
            # An average-growth target (HP30-01, 2021-2030): the line of the average since 2020 ends on the
            # scorecard's measured value, and the fan hangs on it, ending on the period's 80% interval.
            page.select_option("#trend-target", "HP30-01")
            page.wait_for_function("() => Chart.getChart('trend-chart').data.datasets.some(d => d.label.startsWith('Bình quân từ 2020'))"
                                   " && Chart.getChart('trend-chart').data.datasets.some(d => d.label === 'Khoảng 80%')")
            hp01 = next(r for r in card["data"] if r["target_id"] == "HP30-01")
            avg = page.evaluate("""(y) => { const c = Chart.getChart('trend-chart'); const i = c.data.labels.indexOf(y);
                const at = (l) => c.data.datasets.find(d => d.label === l || d.label.startsWith(l)).data[i];
                return [at('Bình quân từ 2020'), at('Khoảng 80%'), at('Dự báo (trung vị)'), at('Khoảng 80% ')]; }""",
                                hp01["as_of_year"])
            assert abs(avg[0] - hp01["value"]) < 1e-6 and avg[1:] == [avg[0]] * 3, (avg, hp01)
            end = page.evaluate("""() => { const c = Chart.getChart('trend-chart'); const i = c.data.labels.indexOf(2030);
                const at = (l) => c.data.datasets.find(d => d.label === l).data[i];
                return [at('Khoảng 80%'), at('Dự báo (trung vị)'), at('Khoảng 80% ')]; }""")
            assert end == [hp01["projected_hi_80"], hp01["projected_central"], hp01["projected_lo_80"]], (end, hp01)
            page.locator("#trend-chart").screenshot(path=str(SCREENSHOTS / "dashboard-fan-average.png"))
            page.fill("#scenario-growth", "11")
            page.wait_for_function("() => document.getElementById('scenario-result').textContent.includes('2030')")
            result = page.locator("#scenario-result").inner_text()
            assert "11,2" in result and "chưa đạt" in result and "Tiến triển vừa phải" in result, result
            line = "() => Chart.getChart('trend-chart').data.datasets.find(d => d.label.startsWith('Kịch bản')).data.at(-1)"
            assert page.evaluate(line) == 11
            page.fill("#scenario-growth", "15")
            page.wait_for_function("() => document.getElementById('scenario-result').textContent.includes('13,59')")
            assert page.evaluate(line) == 15
            assert "Đúng tiến độ" in page.locator("#scenario-result").inner_text()
            page.locator("#trend-chart").screenshot(path=str(SCREENSHOTS / "dashboard-scenario.png"))

            page.click("#lang-en")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.locator("h1").inner_text() == "Hai Phong's 2030 targets"
            english = {"Achieved", "On track", "Moderate progress", "Insufficient progress", "Moving away", "Insufficient data"}
            assert set(badges.all_inner_texts()) <= english
            assert "lang=en" in page.url
            assert page.locator("#scorecard tbody tr").count() == TARGETS_2030
            page.screenshot(path=str(SCREENSHOTS / "dashboard-en.png"), full_page=True)

            page.reload()  # the choice survives a reload (it is in the URL)
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator("h1").inner_text() == "Hai Phong's 2030 targets"
            page.click("#lang-vi")
            assert page.locator("h1").inner_text() == "Mục tiêu 2030 của Hải Phòng"
            assert errors == []
        finally:
            browser.close()
