#!/usr/bin/env python3
"""Writes the bundled monthly port-authority and Cat Bi airport reports (data/sample/logistics/reports).

The container TEU figures follow the same yearly volumes and seasonal profile as the event
generator (LogisticsEventGenerator.java), so the reconciliation of December 2025 against the
generated gate moves is meaningful: every terminal within a couple of percent, except Nam Dinh Vu,
whose report counts 9% more than its gate moves (the month the demo's query finds).
Faults a real series has are planted on purpose: the April 2025 report restates March 2025 for
HICT; the June 2025 report has a negative tonnage, an unknown terminal and a '-' cell.
Run: python3 tools/make_logistics_sample.py
"""
import calendar
import os
import random

YEARLY_TEU = {"HICT": 1_200_000, "HHIT": 600_000, "NDV": 900_000, "DVP": 500_000, "TANVU": 700_000, "CHUAVE": 400_000}
SEASON = [0.92, 0.80, 1.00, 1.00, 1.02, 1.02, 1.03, 1.04, 1.03, 1.04, 1.05, 1.05]
AREA = {"HICT": "Lạch Huyện", "HHIT": "Lạch Huyện", "NDV": "Đình Vũ", "DVP": "Đình Vũ", "TANVU": "Đình Vũ",
        "CHUAVE": "Sông Cấm", "HOANGDIEU": "Sông Cấm"}
NAME = {"HICT": "HICT", "HHIT": "Lạch Huyện 3-4", "NDV": "Nam Đình Vũ", "DVP": "Cảng Đình Vũ", "TANVU": "Tân Vũ",
        "CHUAVE": "Chùa Vẽ", "HOANGDIEU": "Hoàng Diệu"}
# Non-container cargo, tonnes a month (2025 level).
BULK = {("HOANGDIEU", "Hàng rời khô"): 420_000, ("HOANGDIEU", "Hàng tổng hợp"): 180_000,
        ("DVP", "Hàng lỏng"): 260_000, ("CHUAVE", "Hàng tổng hợp"): 90_000}
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "sample", "logistics", "reports")


def vi(x, decimals=0):
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def expected_teu(t, year, month):
    base = YEARLY_TEU[t] / 365.0 * calendar.monthrange(year, month)[1] * SEASON[month - 1]
    return base * (0.9 if year == 2024 else 1.0)


def port_rows(year, month, rnd, restate_factor=1.0, only=None):
    rows = []
    for t in YEARLY_TEU:
        if only and t not in only:
            continue
        noise = 1 + rnd.uniform(-0.015, 0.015)
        if (year, month) == (2025, 12) and t == "NDV":
            noise = 1.09
        teu = expected_teu(t, year, month) * noise * restate_factor
        tonnes = teu * 12.0
        calls = round(teu / 1300)
        rows.append([f"{month:02d}/{year}", AREA[t], NAME[t], "Container", vi(tonnes * 0.45), vi(tonnes * 0.45),
                     vi(tonnes * 0.10), vi(teu), str(calls)])
    for (t, cargo), tonnes in BULK.items():
        if only and t not in only:
            continue
        tn = tonnes * (0.93 if year == 2024 else 1.0) * SEASON[month - 1] * (1 + rnd.uniform(-0.03, 0.03))
        rows.append([f"{month:02d}/{year}", AREA[t], NAME[t], cargo, vi(tn * 0.5), vi(tn * 0.2), vi(tn * 0.3), "",
                     str(round(tn / 8000))])
    return rows


def csv_line(cells):
    return ",".join(f'"{c}"' if ("," in c or "." in c) else c for c in cells)


def write_xlsx(path, preamble, header, rows):
    """The same report as an Excel workbook, as some months arrive: figures as numbers, labels as text."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bao cao"
    for p in preamble:
        ws.append([p])
    ws.append([])
    ws.append(header)
    for r in rows:
        out = []
        for c in r:
            if c and c[0].isdigit() and "/" not in c:
                out.append(float(c.replace(".", "").replace(",", ".")))
            else:
                out.append(c if c else None)
        ws.append(out)
    wb.save(path)
    # Stable bytes: fixed timestamps inside the zip.
    import zipfile, shutil
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                import re
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 10, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    shutil.move(tmp, path)


def write(path, preamble, header, rows):
    if path.endswith("2025-11.csv") and "cang-vu" in path:
        # November 2025 came as a workbook.
        return write_xlsx(path[:-4] + ".xlsx", preamble, header, rows)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for p in preamble:
            f.write(p + "\n")
        f.write("\n" + ",".join(header) + "\n")
        for r in rows:
            f.write(csv_line(r) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    with open(os.path.join(OUT, "_provenance.yaml"), "w", encoding="utf-8") as f:  # the ingest jobs skip names starting "_"
        f.write('# What this feed\'s data is (docs/METHODS.md, "The bundled sample\'s figures").\n'
                'figures: illustrative\n'
                'source: "the bundled sample\'s port and airport reports (tools/make_logistics_sample.py): invented figures of '
                'the right size, do not quote"\n')
    header = ["Tháng", "Khu vực cảng", "Bến cảng", "Loại hàng", "Nhập khẩu (tấn)", "Xuất khẩu (tấn)", "Nội địa (tấn)",
              "Container (TEU)", "Lượt tàu"]
    air_header = ["Tháng", "Cảng hàng không", "Hành khách quốc nội", "Hành khách quốc tế", "Hàng hóa (tấn)", "Lượt cất hạ cánh"]
    for year in (2024, 2025):
        for month in range(1, 13):
            rnd = random.Random(year * 100 + month)
            pub_y, pub_m = (year + 1, 1) if month == 12 else (year, month + 1)
            published = f"10/{pub_m:02d}/{pub_y}"
            rows = port_rows(year, month, rnd)
            if (year, month) == (2025, 4):
                # The April report restates March for HICT (a late tally of transshipment boxes).
                rows += port_rows(2025, 3, random.Random(202503), restate_factor=1.02, only={"HICT"})
            if (year, month) == (2025, 6):
                rows.append(["06/2025", "Đình Vũ", "Cảng Xanh VIP", "Container", "12.000", "11.000", "1.000", "1.950", "4"])
                rows.append(["06/2025", "Sông Cấm", "Chùa Vẽ", "Hàng rời khô", "-45.000", "10.000", "5.000", "", "3"])
                rows.append(["06/2025", "Đình Vũ", "Cảng Đình Vũ", "Hàng lỏng", "-", "-", "-", "", "-"])
            write(os.path.join(OUT, f"cang-vu-hai-phong_{year}-{month:02d}.csv"),
                  ["BÁO CÁO SẢN LƯỢNG HÀNG HÓA THÔNG QUA CẢNG BIỂN KHU VỰC HẢI PHÒNG",
                   "Đơn vị báo cáo: Cảng vụ Hàng hải Hải Phòng", f"Kỳ báo cáo: Tháng {month:02d}/{year}",
                   f"Ngày báo cáo: {published}"], header, rows)
            k = (0.88 if year == 2024 else 1.0) * SEASON[month - 1]
            dom = 230_000 * k * (1.25 if month in (1, 2, 6, 7) else 1.0) * (1 + rnd.uniform(-0.02, 0.02))
            intl = 34_000 * k * (1 + rnd.uniform(-0.03, 0.03))
            write(os.path.join(OUT, f"cang-hang-khong-cat-bi_{year}-{month:02d}.csv"),
                  ["BÁO CÁO KẾT QUẢ KHAI THÁC CẢNG HÀNG KHÔNG QUỐC TẾ CÁT BI", f"Ngày báo cáo: {published}"], air_header,
                  [[f"{month:02d}/{year}", "Cát Bi", vi(dom), vi(intl), vi(1_450 * k, 1), vi(round((dom + intl) / 160))]])


if __name__ == "__main__":
    main()
