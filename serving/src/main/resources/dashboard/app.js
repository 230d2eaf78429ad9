// The songhong dashboard: reads /api/v1 (same server), draws with Chart.js (served by the same
// server; no CDN, works offline). Vietnamese and English; the choice is kept in ?lang= and localStorage.
"use strict";

const T = {
  vi: {
    title: "Mục tiêu 2030 của Hải Phòng", subtitle: "Nghị quyết 30-NQ/TW: tiến độ theo số liệu mới nhất",
    scorecard: "Bảng theo dõi mục tiêu", col_target: "Mục tiêu", col_status: "Tình trạng", col_value: "Giá trị",
    col_goal: "Chỉ tiêu", col_needed: "Cần tăng/năm", col_chance: "Khả năng đạt", col_note: "Giải thích", trend: "Xu hướng so với mục tiêu",
    fan_central: "Dự báo (trung vị)", fan_80: "Khoảng 80%", fan_95: "Khoảng 95%", average_since: "Bình quân từ",
    illustrative: "※ Dựa trên số liệu minh hoạ (số liệu mẫu tự tạo): không trích dẫn",
    scenario_growth: "Kịch bản: tăng mỗi năm", scenario_line: "Kịch bản", scenario_in: "Năm", met: "đạt mục tiêu", not_met: "chưa đạt",
    pick_target: "Mục tiêu", ports: "Sản lượng cảng theo tháng", pick_measure: "Chỉ số", aqi: "Lịch chỉ số chất lượng không khí (VN_AQI)",
    pick_station: "Trạm", pick_year: "Năm", no_data: "Chưa có số liệu", value: "Giá trị", target_line: "Mục tiêu",
    versions: "Phiên bản dữ liệu", geo: "Địa bàn", of: "trên", targets: "mục tiêu",
    status: {achieved: "Đã đạt", on_track: "Đúng tiến độ", moderate_progress: "Tiến triển vừa phải",
      insufficient_progress: "Tiến triển chậm", moving_away: "Đi ngược mục tiêu", insufficient_data: "Thiếu số liệu"},
    measures: {container_teu: "Container (TEU)", cargo_tonnes: "Hàng hoá (tấn)", vessel_calls: "Lượt tàu", passengers: "Hành khách"},
  },
  en: {
    title: "Hai Phong's 2030 targets", subtitle: "Resolution 30-NQ/TW: progress on the latest figures",
    scorecard: "Target scorecard", col_target: "Target", col_status: "Status", col_value: "Value",
    col_goal: "Target", col_needed: "Growth needed/yr", col_chance: "Chance of meeting it", col_note: "Explanation", trend: "Trend against the target",
    fan_central: "Projection (median)", fan_80: "80% range", fan_95: "95% range", average_since: "Average since",
    illustrative: "※ Rests on illustrative figures (invented for the sample): do not quote",
    scenario_growth: "Scenario: grow each year by", scenario_line: "Scenario", scenario_in: "In", met: "target met", not_met: "not met",
    pick_target: "Target", ports: "Port throughput by month", pick_measure: "Measure", aqi: "Air quality calendar (VN_AQI)",
    pick_station: "Station", pick_year: "Year", no_data: "No data yet", value: "Value", target_line: "Target",
    versions: "Data versions", geo: "Unit", of: "of", targets: "targets",
    status: {achieved: "Achieved", on_track: "On track", moderate_progress: "Moderate progress",
      insufficient_progress: "Insufficient progress", moving_away: "Moving away", insufficient_data: "Insufficient data"},
    measures: {container_teu: "Containers (TEU)", cargo_tonnes: "Cargo (tonnes)", vessel_calls: "Vessel calls", passengers: "Passengers"},
  },
};
const COLOURS = {achieved: "#1a7f37", on_track: "#4caf50", moderate_progress: "#f0b400",
  insufficient_progress: "#e8590c", moving_away: "#c92a2a", insufficient_data: "#868e96"};
const GEO = "VN-31";
const state = {lang: "vi", scorecard: [], charts: {}, health: null, scenario: null};

async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || r.status);
  return body;
}
const t = (k) => T[state.lang][k] ?? k;
const fmt = (v, d = 1) => v == null ? "–" : Number(v).toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", {maximumFractionDigits: d});
const rgb = (s) => (s && !s.startsWith("#") ? "rgb(" + s + ")" : s);  // VN_AQI colours are "R,G,B"
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => k === "style" ? e.setAttribute("style", v) : (e[k] = v));
  kids.forEach((k) => e.append(k));
  return e;
};

function setLang(lang) {
  state.lang = T[lang] ? lang : "vi";
  document.documentElement.lang = state.lang;
  localStorage.setItem("songhong.lang", state.lang);
  const u = new URL(location.href);
  u.searchParams.set("lang", state.lang);
  history.replaceState(null, "", u);
  document.querySelectorAll("[data-i18n]").forEach((e) => (e.textContent = t(e.dataset.i18n)));
  document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
  document.title = t("title");
  renderScorecard();
  renderTrendOptions();
  renderMeasures();
  renderVersions();
  drawTrend(); drawPorts(); drawAqi();
}

function rows() { return state.scorecard.filter((r) => r.geo_id === GEO); }

function renderScorecard() {
  const body = document.querySelector("#scorecard tbody");
  body.replaceChildren();
  const counts = {};
  for (const r of rows()) {
    counts[r.status] = (counts[r.status] || 0) + 1;
    const wording = state.lang === "vi" ? r.wording_vi : r.wording_en;
    const tr = el("tr", {className: "target", id: "target-" + r.target_id});
    tr.dataset.status = r.status;
    tr.append(
      el("td", {}, el("b", {}, r.target_id), el("div", {className: "wording"}, wording || "")),
      el("td", {}, el("span", {className: "status", style: "background:" + (COLOURS[r.status] || "#868e96")}, T[state.lang].status[r.status] || r.status),
        r.rests_on_illustrative ? el("span", {className: "illustrative", title: t("illustrative")}, " ※") : ""),
      el("td", {className: "num"}, fmt(r.value, 2) + " " + (r.unit || "")),
      el("td", {}, r.target + " (" + r.target_year + ")"),
      el("td", {className: "num"}, r.cagr_needed_from_now_pct == null ? "–" : fmt(r.cagr_needed_from_now_pct, 1) + "%"),
      el("td", {className: "num chance", title: r.p_meet_target == null ? (r.odds_note || "") : oddsTitle(r)},
        r.p_meet_target == null ? "–" : fmt(100 * r.p_meet_target, 0) + "%"),
      el("td", {}, state.lang === "vi" ? r.explanation_vi : r.explanation_en));
    body.append(tr);
  }
  const summary = document.getElementById("summary");
  summary.replaceChildren(el("span", {className: "total"}, rows().length + " " + t("targets") + ":"));
  Object.keys(COLOURS).filter((s) => counts[s]).forEach((s) => summary.append(
    el("span", {className: "pill", style: "background:" + COLOURS[s]}, T[state.lang].status[s] + ": " + counts[s])));
  if (rows().some((r) => r.rests_on_illustrative)) summary.append(el("div", {className: "illustrative-note"}, t("illustrative")));
}

// The chance's tooltip: the value likely in the target year and its 80% range, in the measured unit.
function oddsTitle(r) {
  const unit = r.unit || "";
  return (state.lang === "vi" ? "Năm " : "In ") + r.target_year + ": " + fmt(r.projected_central, 2) + " " + unit
    + " (80%: " + fmt(r.projected_lo_80, 2) + "–" + fmt(r.projected_hi_80, 2) + ")";
}

function renderTrendOptions() {
  const sel = document.getElementById("trend-target");
  const keep = sel.value;
  sel.replaceChildren(...rows().map((r) => el("option", {value: r.target_id},
    r.target_id + " · " + ((state.lang === "vi" ? r.wording_vi : r.wording_en) || r.indicator_code).slice(0, 60))));
  if (keep) sel.value = keep;
}

function chart(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  state.charts[id] = new Chart(document.getElementById(id), config);
  return state.charts[id];
}

async function drawTrend() {
  const id = document.getElementById("trend-target").value;
  if (!id) return;
  const {data} = await api("/api/v1/trends?target=" + encodeURIComponent(id) + "&geo=" + GEO);
  const first = data[0] || {};
  const years = data.map((d) => d.year);
  const lastYear = first.target_year || Math.max(...years, 2030);
  const labels = [];
  for (let y = Math.min(...years, first.baseline_year || 9999); y <= lastYear; y++) labels.push(y);
  const byYear = Object.fromEntries(data.map((d) => [d.year, d.value]));
  const datasets = [{label: t("value") + " (" + (first.unit || "") + ")", data: labels.map((y) => byYear[y] ?? null),
    borderColor: "#0b3d5c", backgroundColor: "#0b3d5c", spanGaps: true}];
  // A target on the average growth over a period is measured on that average, not on one year's
  // rate: its line is the average from the baseline year to each year (compounded), and the fan and
  // the target line are read against it (docs/METHODS.md section 7).
  const average = first.measure === "average_growth";
  const measured = {};
  if (average) {
    let index = 1;
    for (const y of labels) {
      if (y <= first.baseline_year) continue;
      if (byYear[y] == null) break;  // a year missing: the average stops before it
      index *= 1 + byYear[y] / 100;
      measured[y] = (Math.pow(index, 1 / (y - first.baseline_year)) - 1) * 100;
    }
    datasets.push({label: t("average_since") + " " + first.baseline_year + " (%)", data: labels.map((y) => measured[y] ?? null),
      borderColor: "#2b8a3e", backgroundColor: "#2b8a3e", spanGaps: false});
  }
  if (first.target_level != null) {
    datasets.push({label: t("target_line") + " " + lastYear, data: labels.map(() => first.target_level),
      borderColor: "#c92a2a", borderDash: [6, 4], pointRadius: 0, fill: false});
  }
  if (first.target_lo != null && first.target_hi != null) {
    datasets.push({label: t("target_line") + " (max)", data: labels.map(() => first.target_hi),
      borderColor: "#e8590c", borderDash: [2, 3], pointRadius: 0});
  }
  // The fan: where the indicator may go from its latest figure to the target year (gold.scorecard's fan,
  // docs/METHODS.md section 7): the 95% and 80% ranges as bands, the median dashed.
  const card = state.scorecard.find((r) => r.target_id === id && r.geo_id === GEO);
  const from = average ? measured : byYear;
  if (card && card.fan && card.fan.length && from[card.as_of_year] != null) {
    const start = from[card.as_of_year];
    const at = Object.fromEntries(card.fan.map((f) => [f.year, f]));
    const band = (k) => labels.map((y) => y === card.as_of_year ? start : (at[y] ? at[y][k] : null));
    const shade = (label, lo, hi, colour) => [
      {label: label, data: band(hi), borderWidth: 0, pointRadius: 0, backgroundColor: colour, fill: "+1", spanGaps: false},
      {label: label + " ", data: band(lo), borderWidth: 0, pointRadius: 0, backgroundColor: colour, fill: false}];
    datasets.push(...shade(t("fan_95"), "lo_95", "hi_95", "rgba(28,126,214,0.15)"),
      ...shade(t("fan_80"), "lo_80", "hi_80", "rgba(28,126,214,0.30)"),
      {label: t("fan_central"), data: band("central"), borderColor: "#1c7ed6", borderDash: [4, 3], pointRadius: 0, fill: false});
  }
  // The scenario the user typed (GET /api/v1/scenario: the marts' own calculator, docs/METHODS.md section 8).
  const sc = state.scenario;
  const result = document.getElementById("scenario-result");
  result.textContent = "";
  if (sc && sc.target_id === id) {
    const at = Object.fromEntries(sc.path.map((p) => [p.year, p.value]));
    datasets.push({label: t("scenario_line") + " " + fmt(sc.growth_pct, 1) + "%", data: labels.map((y) => at[y] ?? null),
      borderColor: "#862e9c", borderDash: [2, 2], pointRadius: 2, fill: false});
    result.textContent = t("scenario_in") + " " + sc.target_year + ": " + fmt(sc.landed_value, 2) + " " + (card ? card.unit : "")
      + " · " + (sc.target_met ? t("met") : t("not_met")) + " · " + (T[state.lang].status[sc.status_if] || sc.status_if);
  }
  chart("trend-chart", {type: "line", data: {labels, datasets},
    options: {animation: false, maintainAspectRatio: false,
      plugins: {legend: {position: "bottom", labels: {filter: (item) => !item.text.endsWith(" ")}}}}});
}

// Asks the server where the chosen target lands at the typed growth; an empty box removes the line.
let scenarioTimer = null;
function updateScenario() {
  clearTimeout(scenarioTimer);
  scenarioTimer = setTimeout(async () => {
    const id = document.getElementById("trend-target").value;
    const g = document.getElementById("scenario-growth").value;
    state.scenario = null;
    if (id && g !== "" && Number.isFinite(Number(g))) {
      try {
        const {data} = await api("/api/v1/scenario?target=" + encodeURIComponent(id) + "&geo=" + GEO + "&growth=" + encodeURIComponent(g));
        state.scenario = data[0] || null;
      } catch (e) {
        document.getElementById("scenario-result").textContent = e.message;
        return;
      }
    }
    drawTrend();
  }, 250);
}

let throughput = [];
function renderMeasures() {
  const sel = document.getElementById("port-measure");
  const keep = sel.value || "container_teu";
  const measures = [...new Set(throughput.map((r) => r.measure))].filter((m) => T.en.measures[m]);
  sel.replaceChildren(...measures.map((m) => el("option", {value: m}, T[state.lang].measures[m])));
  if (measures.includes(keep)) sel.value = keep;
}

function drawPorts() {
  const measure = document.getElementById("port-measure").value;
  const rowsM = throughput.filter((r) => r.measure === measure && r.level === "terminal");
  document.getElementById("port-empty").hidden = rowsM.length > 0;
  const months = [...new Set(rowsM.map((r) => r.month.slice(0, 7)))].sort().slice(-24);
  const units = [...new Set(rowsM.map((r) => r.unit_name))].sort();
  const palette = ["#0b3d5c", "#1c7ed6", "#4dabf7", "#12b886", "#fab005", "#e8590c", "#862e9c", "#495057"];
  const datasets = units.map((u, i) => ({label: u, backgroundColor: palette[i % palette.length],
    data: months.map((m) => { const r = rowsM.find((x) => x.unit_name === u && x.month.startsWith(m)); return r ? r.value : null; })}));
  chart("port-chart", {type: "bar", data: {labels: months, datasets},
    options: {animation: false, maintainAspectRatio: false, scales: {x: {stacked: true}, y: {stacked: true}},
      plugins: {legend: {position: "bottom", labels: {boxWidth: 10}}}}});
}

async function drawAqi() {
  const station = document.getElementById("aqi-station").value;
  const year = document.getElementById("aqi-year").value;
  const cal = document.getElementById("aqi-calendar");
  cal.replaceChildren();
  document.getElementById("aqi-empty").hidden = !!station;
  if (!station) return;
  const {data} = await api("/api/v1/aqi/daily?station=" + encodeURIComponent(station) + (year ? "&year=" + year : ""));
  const byDate = Object.fromEntries(data.map((d) => [d.date, d]));
  const bands = new Map();
  for (let m = 1; m <= 12; m++) {
    const label = new Date(Date.UTC(2001, m - 1, 1)).toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", {month: "short", timeZone: "UTC"});
    cal.append(el("div", {className: "m"}, label));
    for (let d = 1; d <= 31; d++) {
      const iso = year + "-" + String(m).padStart(2, "0") + "-" + String(d).padStart(2, "0");
      if (new Date(Date.UTC(+year, m - 1, d)).getUTCMonth() !== m - 1) { cal.append(el("div")); continue; }  // no 30 February
      const r = byDate[iso];
      const cell = el("div", {className: "day", title: iso + (r ? ": AQI " + r.aqi + " (" + (state.lang === "vi" ? r.band_vi : r.band) + ")" : "")});
      if (r) { cell.style.background = rgb(r.band_rgb); cell.dataset.aqi = r.aqi; bands.set(rgb(r.band_rgb), state.lang === "vi" ? r.band_vi : r.band); }
      cal.append(cell);
    }
  }
  document.getElementById("aqi-legend").replaceChildren(...[...bands].map(([rgb, name]) =>
    el("div", {}, el("span", {style: "background:" + rgb}), name)));
}

function renderVersions() {
  if (!state.health) return;
  const parts = Object.entries(state.health.tables).map(([k, v]) => k + " v" + (v.version ?? "–"));
  document.getElementById("versions").textContent = t("versions") + ": " + parts.join(" · ");
}

async function main() {
  const [health, sc, tp, st] = await Promise.all([api("/api/v1/health"), api("/api/v1/scorecard"),
    api("/api/v1/ports/throughput?level=terminal"), api("/api/v1/aqi/stations")]);
  state.health = health;
  state.scorecard = sc.data;
  throughput = tp.data;
  const stationSel = document.getElementById("aqi-station");
  stationSel.replaceChildren(...st.data.map((s) => el("option", {value: s.station_id}, s.station_name + " (" + s.station_id + ")")));
  const years = new Set();
  st.data.forEach((s) => { for (let y = +s.first_date.slice(0, 4); y <= +s.last_date.slice(0, 4); y++) years.add(y); });
  const yearSel = document.getElementById("aqi-year");
  yearSel.replaceChildren(...[...years].sort().reverse().map((y) => el("option", {value: y}, String(y))));
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => setLang(b.dataset.lang)));
  document.getElementById("trend-target").addEventListener("change", updateScenario);
  document.getElementById("scenario-growth").addEventListener("input", updateScenario);
  document.getElementById("port-measure").addEventListener("change", drawPorts);
  stationSel.addEventListener("change", drawAqi);
  yearSel.addEventListener("change", drawAqi);
  const wanted = new URL(location.href).searchParams.get("lang") || localStorage.getItem("songhong.lang") || "vi";
  setLang(wanted);
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  document.getElementById("summary").textContent = "Error: " + e.message;
  document.body.dataset.ready = "error";
});
