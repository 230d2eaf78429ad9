#!/usr/bin/env python3
"""Writes the bundled provincial-statistics sample under data/sample/provincial/.

Figures for Hai Phong listed in docs/METHODS.md ("The bundled sample's figures") (real growth 2020-2024, GRDP 2024 at
current prices, the 2019 census population) are the published ones; every other figure is an
illustrative value of the right size, made deterministically here. Three releases:
  - yearbook-2023 (official, 2015-2023),
  - estimate-2024 (preliminary year-end estimates for 2024 only),
  - yearbook-2024 (official, 2015-2024; revises the 2024 estimates),
plus a few lines that must be quarantined (an unknown province, a non-number, a wrong unit, an
exact duplicate), as real files have them. Run: python3 tools/make_provincial_sample.py
(needs openpyxl: pip install openpyxl).

gso_neighbours_2015_2019.parquet (a Parquet drop: GRDP and population of Bắc Giang, Phú Thọ and
Hòa Bình, 2015-2019, values from series() below) was written once with the tool itself:
  songhong sql --lake /tmp/x <<'SQL'
  CREATE TEMPORARY VIEW src USING csv OPTIONS (path 'neighbours.csv', header 'true');
  INSERT OVERWRITE DIRECTORY 'out' USING parquet SELECT /*+ COALESCE(1) */ indicator, province,
    CAST(year AS INT) AS year, CAST(value AS DOUBLE) AS value, unit FROM src;
  SQL
"""
import csv
import pathlib
import random
import unicodedata

OUT = pathlib.Path(__file__).resolve().parent.parent / "data" / "sample" / "provincial"
YEARS = range(2015, 2025)

# name, GRDP 2024 (bn VND, current), population 2024 (thousand), typical real growth %
PROVINCES = [
    ("Hà Nội", 1_426_000, 8_718, 7.0),
    ("Hải Phòng", 445_995, 2_131, None),
    ("Quảng Ninh", 331_000, 1_390, 9.5),
    ("Vĩnh Phúc", 156_000, 1_240, 6.5),
    ("Bắc Ninh", 245_000, 1_540, 5.5),
    ("Hải Dương", 163_000, 1_960, 8.5),
    ("Hưng Yên", 143_000, 1_310, 7.5),
    ("Thái Bình", 113_000, 1_880, 8.0),
    ("Hà Nam", 76_000, 890, 9.0),
    ("Nam Định", 101_000, 1_890, 7.5),
    ("Ninh Bình", 92_000, 1_010, 7.5),
]
HP_GROWTH = {2015: 10.08, 2016: 10.84, 2017: 16.25, 2018: 16.68, 2019: 16.68, 2020: 11.22,
             2021: 12.38, 2022: 12.32, 2023: 10.34, 2024: 11.01}
HP_GROWTH_ESTIMATE_2024 = 10.55
HP_POP_2019 = 2_028.514


def series(name, grdp24, pop24, growth):
    rnd = random.Random(name)
    out = {}
    pop = {y: (HP_POP_2019 * (1.0105 ** (y - 2019)) if name == "Hải Phòng" else pop24 / (1.011 ** (2024 - y)))
           for y in YEARS}
    g = {y: (HP_GROWTH[y] if name == "Hải Phòng" else round(growth + rnd.uniform(-1.5, 1.5), 2)) for y in YEARS}
    grdp = {2024: float(grdp24)}
    for y in range(2023, 2014, -1):
        deflator = 1.03 + rnd.uniform(0.0, 0.02)
        grdp[y] = grdp[y + 1] / ((1 + g[y + 1] / 100) * deflator)
    unemp0 = 3.6 if name == "Hải Phòng" else rnd.uniform(2.2, 3.8)
    beds0 = 30.2 if name == "Hải Phòng" else rnd.uniform(24, 34)
    ins0 = 91.5 if name == "Hải Phòng" else rnd.uniform(85, 92)
    for y in YEARS:
        k = y - 2015
        out[(y, "grdp_growth_real")] = (round(g[y], 2), "%")
        out[(y, "grdp_current")] = (round(grdp[y]), "billion VND")
        out[(y, "population_avg")] = (round(pop[y], 1), "thousand persons")
        out[(y, "grdp_per_capita")] = (round(grdp[y] / pop[y], 1), "million VND")
        out[(y, "urban_unemployment_rate")] = (round(unemp0 - 0.07 * k + rnd.uniform(-0.1, 0.1), 2), "%")
        out[(y, "hospital_beds_per_10k")] = (round(beds0 + 1.3 * (y - 2020) + rnd.uniform(-0.2, 0.2), 1), "beds per 10k")
        out[(y, "health_insurance_coverage")] = (round(min(99.5, ins0 + 0.8 * (y - 2020)), 1), "%")
    out.update(target_indicators(name, grdp))
    if name == "Hải Phòng":
        out[(2024, "urban_unemployment_rate")] = (3.0, "%")  # the yearbook's figure: exactly the strict bound
        out[(2024, "hospital_beds_per_10k")] = (35.4, "beds per 10k")
        out[(2024, "health_insurance_coverage")] = (94.8, "%")
    return out


def lerp(a, b, y, y0=2015, y1=2024):
    return a + (b - a) * (y - y0) / (y1 - y0)


def target_indicators(name, grdp):
    """Every other indicator the 2030 targets need, for one province (illustrative values; Hai
    Phong's are fixed, the others vary around them by a seeded offset)."""
    rnd = random.Random(name + " extra")
    k = 0.0 if name == "Hải Phòng" else random.Random(name + " offset").uniform(-0.15, 0.15)
    out = {}
    for y in YEARS:
        shares = {"grdp_industry_construction_current": lerp(45.0, 51.5, y), "grdp_services_current": lerp(39.0, 38.5, y),
                  "grdp_agriculture_current": lerp(9.0, 4.5, y)}
        shares["grdp_product_taxes_current"] = 100.0 - sum(shares.values())
        for ind, sh in shares.items():
            out[(y, ind)] = (round(grdp[y] * sh / 100.0), "billion VND")
        level = {
            "labour_productivity_growth": (round(8.0 + rnd.uniform(-0.8, 1.4), 2), "%"),
            "tfp_contribution_to_growth": (round(lerp(40.0, 50.0, y) + rnd.uniform(-1, 1), 1), "%"),
            "digital_economy_share": (round(lerp(6.0, 18.5, y), 1), "%"),
            "urbanization_rate": (round(lerp(46.1, 51.2, y), 2), "%"),
            "communes_model_new_rural": (round(max(0.0, lerp(-30.0, 42.0, y)), 1), "%"),
            "schools_standard_preschool": (round(lerp(62.0, 78.0, y), 1), "%"),
            "schools_standard_primary": (round(lerp(80.0, 90.0, y), 1), "%"),
            "schools_standard_lower_secondary": (round(lerp(74.0, 86.0, y), 1), "%"),
            "schools_standard_upper_secondary": (round(lerp(50.0, 72.0, y), 1), "%"),
            "trained_labour_certified": (round(lerp(26.0, 35.0, y), 1), "%"),
            "poverty_rate": (round(lerp(1.4, 0.15, y), 2), "%"),
            "doctors_per_10k": (round(lerp(9.5, 13.1, y), 1), "doctors per 10k"),
            "clean_water_access": (round(lerp(86.0, 98.0, y), 1), "%"),
            "industrial_zones_wastewater_compliant": (round(lerp(70.0, 92.0, y), 1), "%"),
            "solid_waste_collected_treated": (round(lerp(86.0, 95.0, y), 1), "%"),
            "hazardous_waste_collected_treated": (round(lerp(78.0, 93.0, y), 1), "%"),
            "ghg_emissions_bau": (round(21000 * 1.06 ** (y - 2015)), "kt CO2e"),
            "ghg_emissions_inventory": (round(21000 * 1.06 ** (y - 2015) * (1 - max(0.0, lerp(-0.02, 0.09, y)))), "kt CO2e"),
        }
        for ind, (v, unit) in level.items():
            if k and unit == "%" and ind != "labour_productivity_growth":
                v = round(min(100.0, max(0.0, v * (1 + k))), 2)
            elif k and unit != "%":
                v = round(v * (1 + k), 1)
            out[(y, ind)] = (v, unit)
    return out


SPELLINGS = {  # how some offices write names, per docs/METHODS.md section 6
    "yearbook-2023": {"Hải Phòng": "TP. Hải Phòng", "Hà Nội": "Thành phố Hà Nội",
                      "Hải Dương": unicodedata.normalize("NFD", "Hải Dương")},
    "estimate-2024": {"Hải Phòng": "HẢI PHÒNG", "Quảng Ninh": "Tỉnh Quảng Ninh"},
    "yearbook-2024": {"Hải Phòng": "Thành phố Hải Phòng", "Nam Định": unicodedata.normalize("NFD", "Nam Định")},
}


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "province", "year", "value", "unit"])
        w.writerows(rows)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    data = {p[0]: series(*p) for p in PROVINCES}
    for vintage, years, fname in [("yearbook-2023", range(2015, 2024), "rrd_yearbook_2023_long.csv"),
                                  ("yearbook-2024", YEARS, "rrd_yearbook_2024_long.csv")]:
        rows = []
        for name, s in data.items():
            shown = SPELLINGS[vintage].get(name, name)
            for (y, ind), (v, unit) in sorted(s.items()):
                if y in years:
                    rows.append([ind, shown, y, v, unit])
        if vintage == "yearbook-2024":
            rows.append(["grdp_current", "Hà Tây", 2007, 45000, "billion VND"])  # merged into Hà Nội in 2008
            rows.append(["grdp_growth_real", "Hải Dương", 2024, "8,4", "%"])  # decimal comma: not a number here
            rows.append(["grdp_current", "Hưng Yên", 2024, 143000, "tỷ đồng"])  # unit in Vietnamese
            rows.append(rows[0])  # the same line twice
        write(OUT / fname, rows)
    # Preliminary year-end estimates for 2024: a few indicators, some revised by the yearbook later.
    rows = []
    for name, s in data.items():
        shown = SPELLINGS["estimate-2024"].get(name, name)
        for ind in ["grdp_growth_real", "grdp_current", "grdp_per_capita", "urban_unemployment_rate"]:
            v, unit = s[(2024, ind)]
            if name == "Hải Phòng":
                v = {"grdp_growth_real": HP_GROWTH_ESTIMATE_2024, "grdp_current": 440_512,
                     "grdp_per_capita": 206.7, "urban_unemployment_rate": 2.9}[ind]
            rows.append([ind, shown, 2024, v, unit])
    write(OUT / "rrd_estimate_2024_long.csv", rows)


# Outside the old delta, needed for the new-boundary units Bắc Ninh (+ Bắc Giang) and Phú Thọ
# (+ Vĩnh Phúc + Hòa Bình): GRDP 2024 (bn VND), population 2024 (thousand), growth.
NEIGHBOURS = [("Bắc Giang", 190_000, 1_930, 11.5), ("Phú Thọ", 95_000, 1_530, 7.0), ("Hòa Bình", 60_000, 880, 7.5)]
# After 1 July 2025: the new unit, its parts (old names), nominal GRDP growth 2025.
MERGED_2025 = {
    "Hải Phòng": (["Hải Phòng", "Hải Dương"], None),
    "Hưng Yên": (["Hưng Yên", "Thái Bình"], 1.12),
    "Ninh Bình": (["Ninh Bình", "Nam Định", "Hà Nam"], 1.115),
    "Bắc Ninh": (["Bắc Ninh", "Bắc Giang"], 1.13),
    "Phú Thọ": (["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"], 1.11),
    "Hà Nội": (["Hà Nội"], 1.12),
    "Quảng Ninh": (["Quảng Ninh"], 1.13),
}
HP_2025 = {"grdp_current": 734_420, "population_avg": 4_102.7, "grdp_growth_real": 11.81}
YB25_YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


def vi_number(v, decimals):
    """A number as Vietnamese yearbooks print it: '.' for thousands, ',' for decimals."""
    s = f"{v:,.{decimals}f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


def stabilise(path):
    """openpyxl stamps the save time into the workbook; rewrite it with fixed times so that the file
    only changes when its content does."""
    import re
    import zipfile
    entries = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-06-30T00:00:00Z", data)
            entries.append((info.filename, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 6, 30, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def yearbook_2025(data):
    """The 2025 yearbook edition: wide tables, one sheet per indicator, .xlsx, published after the
    merger. Rows keep the old provinces for 2020-2024; 2025 figures sit on the row of the unit that
    kept its name (the merged unit), and '-' on the rows of units that no longer exist."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    neighbours = {n: series(n, g, p, gr) for n, g, p, gr in NEIGHBOURS}
    every = {**data, **neighbours}
    sheets = [("GRDP", "grdp_current", "Tổng sản phẩm trên địa bàn theo giá hiện hành phân theo địa phương", "Tỷ đồng", 0),
              ("Dân số", "population_avg", "Dân số trung bình phân theo địa phương", "Nghìn người", 1),
              ("Tăng trưởng", "grdp_growth_real", "Tốc độ tăng tổng sản phẩm trên địa bàn (giá so sánh 2010)", "%", 2)]
    value_2025 = {}
    for new, (parts, nominal) in MERGED_2025.items():
        if new == "Hải Phòng":
            value_2025[new] = dict(HP_2025)
            continue
        grdp = sum(every[p][(2024, "grdp_current")][0] for p in parts) * nominal
        pop = sum(every[p][(2024, "population_avg")][0] for p in parts) * 1.009
        value_2025[new] = {"grdp_current": round(grdp), "population_avg": round(pop, 1),
                           "grdp_growth_real": round((nominal - 1) * 100 - 3.2, 2)}
    rows_order = [p[0] for p in PROVINCES] + [n[0] for n in NEIGHBOURS]
    for title_sheet, ind, title, unit, mode in sheets:
        ws = wb.create_sheet(title_sheet)
        ws.append([title])
        ws.append([f"Đơn vị tính: {unit}"])
        ws.append(["Tỉnh, thành phố"] + [str(y) for y in YB25_YEARS[:-1]] + ["Sơ bộ 2025"])
        region = ["Đồng bằng sông Hồng"]
        for y in YB25_YEARS[:-1]:
            region.append(round(sum(data[p[0]][(y, ind)][0] for p in PROVINCES)) if mode == 0 else
                          vi_number(sum(data[p[0]][(y, ind)][0] for p in PROVINCES), 1) if mode == 1 else None)
        region.append(round(sum(value_2025[n][ind] for n in MERGED_2025)) if mode == 0 else
                      vi_number(sum(value_2025[n][ind] for n in MERGED_2025), 1) if mode == 1 else None)
        if mode != 2:
            ws.append(region)
        for name in rows_order:
            row = [name]
            for y in YB25_YEARS[:-1]:
                v = every[name][(y, ind)][0]
                row.append(v if mode != 1 else vi_number(v, 1))
            v25 = value_2025.get(name, {}).get(ind)
            row.append("-" if v25 is None else (v25 if mode != 1 else vi_number(v25, 1)))
            ws.append(row)
        ws.append([])
        ws.append(["Ghi chú: Số liệu năm 2025 theo địa giới hành chính sau sắp xếp (Nghị quyết 202/2025/QH15)."])
        ws.append(["Nguồn: Niên giám thống kê các tỉnh, thành phố (số liệu minh họa)."])
    wb.save(OUT / "rrd_yearbook_2025.xlsx")
    stabilise(OUT / "rrd_yearbook_2025.xlsx")

    # One indicator as a wide CSV with Vietnamese decimals, as some offices send it.
    with open(OUT / "rrd_yearbook_2025_unemployment.csv", "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Tỷ lệ thất nghiệp của lực lượng lao động trong độ tuổi khu vực thành thị"])
        w.writerow(["Đơn vị tính: %"])
        w.writerow(["Tỉnh, thành phố"] + [str(y) for y in YB25_YEARS[:-1]] + ["2025*"])
        for name in [p[0] for p in PROVINCES]:
            row = [name] + [vi_number(data[name][(y, "urban_unemployment_rate")][0], 2) for y in YB25_YEARS[:-1]]
            row.append(vi_number(2.85, 2) if name == "Hải Phòng" else ("-" if name in ("Hải Dương", "Thái Bình", "Nam Định", "Hà Nam", "Vĩnh Phúc") else vi_number(data[name][(2024, "urban_unemployment_rate")][0] - 0.1, 2)))
            w.writerow(row)
        w.writerow([])
        w.writerow(["(*) Số liệu sơ bộ."])


ADDITIVE = {"grdp_current", "population_avg", "ghg_emissions_inventory", "ghg_emissions_bau",
            "grdp_industry_construction_current", "grdp_services_current", "grdp_agriculture_current",
            "grdp_product_taxes_current"}
ESTIMATE_2025_SKIP = {"grdp_per_capita"}  # derived by the pipeline from GRDP and population


def estimate_2025(data):
    """Year-end estimates for 2025 on the new boundaries, every indicator the targets need: additive
    figures are the parts' 2024 figures grown a little, rates the parts' population-weighted 2024
    rates nudged by a year's trend (illustrative values)."""
    neighbours = {n: series(n, g, p, gr) for n, g, p, gr in NEIGHBOURS}
    every = {**data, **neighbours}
    indicators = sorted({ind for (y, ind) in data["Hải Phòng"] if y == 2024} - ESTIMATE_2025_SKIP)
    rows = []
    for new, (parts, nominal) in MERGED_2025.items():
        pops = {p: every[p][(2024, "population_avg")][0] for p in parts}
        for ind in indicators:
            have = [p for p in parts if (2024, ind) in every[p]]
            if len(have) != len(parts):
                continue
            unit = every[parts[0]][(2024, ind)][1]
            if new == "Hải Phòng" and ind in HP_2025:
                v = HP_2025[ind]
            elif ind in ADDITIVE:
                v = round(sum(every[p][(2024, ind)][0] for p in parts) * (nominal or 1.1), 1)
            else:
                w = sum(pops.values())
                v = sum(every[p][(2024, ind)][0] * pops[p] for p in parts) / w
                trend = every[parts[0]][(2024, ind)][0] - every[parts[0]][(2023, ind)][0]
                v = round(min(100.0, v + trend) if unit == "%" else v + trend, 2)
            rows.append([ind, new, 2025, v, unit])
    write(OUT / "rrd_estimate_2025_long.csv", rows)


if __name__ == "__main__":
    main()
    yearbook_2025({p[0]: series(*p) for p in PROVINCES})
    estimate_2025({p[0]: series(*p) for p in PROVINCES})
