#!/usr/bin/env python3
"""Writes the sample files in the statistics offices' exchange formats, and their source descriptors.

    tools/exchange-samples.py            # data/sample/exchange/{sdmx,px}/ and schemas/sources/exchange_*.yaml

Every figure below was found in a public source (the address beside it); the files put them in the
shapes statistics offices exchange, so that the SDMX-CSV and PC-Axis layouts are shown on real
numbers. The files themselves are ours (no office published these files), so their release dates
are the dates we give them. What they show:

- sdmx/rrd_grdp_provisional.csv: SDMX-CSV 2.0 with labels (REF_AREA "31: Hải Phòng"), the first,
  provisional figures (OBS_STATUS P) of real GRDP growth.
- sdmx/rrd_grdp_revised.csv: SDMX-CSV 1.0, the later figures (OBS_STATUS R where they revise a
  provisional one), GRDP at current prices in VND with UNIT_MULT 9, and a half-year figure (FREQ S)
  that the descriptor does not select, so it is counted in quarantine, not loaded.
- px/rrd_xa_hoi.px: PC-Axis in code page windows-1258 with Vietnamese metadata, three indicators
  with a unit each (CONTVARIABLE), missing cells marked "..".

The files are deterministic: running the script again writes the same bytes.
"""
import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "sample", "exchange")
SOURCES = os.path.join(ROOT, "schemas", "sources")

AREAS = {"31": ("VN-31", "Hải Phòng"), "01": ("VN-01", "Hà Nội"), "22": ("VN-22", "Quảng Ninh"),
         "30": ("VN-30", "Hải Dương"), "33": ("VN-33", "Hưng Yên"), "34": ("VN-34", "Thái Bình"),
         "37": ("VN-37", "Ninh Bình"), "35": ("VN-35", "Hà Nam")}

S_HP20 = "https://thongkehaiphong.gov.vn/thong-tin-kinh-te-xa-hoi/tinh-hinh-kinh-te-xa-hoi-thanh-pho-hai-phong-thang-12-12-thang-nam-2020-262.html"
S_SOHA21 = "https://soha.vn/tang-truong-grdp-nua-dau-nam-cua-5-dia-phuong-tang-truong-cao-nhat-ca-nuoc-2021-thay-doi-ra-sao-hai-phong-con-o-top-1-20220710165725563.htm"
S_HP21E = "https://nhadathungmanh.com/tin-tuc-khac/tinh-hinh-phat-trien-kinh-te-thanh-pho-nam-2021-du-kien/"
S_HP22 = "https://thanhphohaiphong.gov.vn/cong-bo-so-lieu-kinh-te-xa-hoi-nam-2022.html"
S_HP23 = "https://vneconomy.vn/hai-phong-tang-truong-hai-con-so-tiep-tuc-thu-ngan-sach-dat-tren-100-000-ty.htm"
S_HP24 = "https://congly.vn/nam-2024-tang-truong-kinh-te-cua-hai-phong-dung-thu-3-ca-nuoc-465666.html"
S_HP24H1 = "https://thanhphohaiphong.gov.vn/6-thang-dau-nam-2024-grdp-cua-hai-phong-tang-1032.html/amp"
S_CAFEF24 = "https://cafef.vn/mot-dia-phuong-lan-dau-tien-lot-top-5-tinh-thanh-quy-mo-kinh-te-lon-nhat-viet-nam-2024-thu-ngan-sach-dat-ky-luc-188250113140615991.chn"
S_HN20E = "https://kinhtedothi.vn/tag/nam-2020-cua-ha-noi"
S_THARONG = "https://tharong.com/so-sanh-kinh-te-cua-cac-tinh-nam-2024"
S_DAUTU23 = "https://dautu.kinhtechungkhoan.vn/lo-dien-4-dia-phuong-duoc-xac-dinh-la-cuc-tang-truong-cua-khu-vuc-dong-bang-song-hong-234032.html"
S_VNS24 = "https://vietnamnews.vn/economy/1690605/top-five-localities-with-the-largest-economies-in-2024.html"
S_QN23E = "https://baohaiduong.vn/quang-ninh-lap-ky-tich-9-nam-lien-tiep-tang-truong-grdp-hai-con-so-364640.html"
S_QN24 = "https://doanhnghiepkinhdoanh.doanhnhanvn.vn/bao-yagi-khien-grdp-quang-ninh-mat-chuoi-tang-truong-hai-con-so-tung-duy-tri-suot-9-nam-42202511016638618.htm"
S_HOMEHERE21 = "https://homehere.vn/top-20-tinh-tp-co-quy-mo-kinh-te-lon-nhat-viet-nam-2021-19682/"
S_SOHA21PC = "https://soha.vn/truoc-khi-duoc-chu-y-voi-trung-tam-hanh-chinh-10000-ty-dong-hai-phong-da-co-thanh-tich-khung-ra-sao-ma-duoc-ky-vong-phat-trien-nhu-tham-quyen-20220214191545908.htm"
S_COMINGO = "http://comingo.gov.vn/chitiet/chuong-trinh-van-dong-vien-tro-cua-dia-phuong/khanh-hoa-2022-2-19-8-50-881"
S_HD23 = "https://haiduong.gov.vn/2024/Trang/grdp.aspx"
S_HD24 = "http://congdoan.vn/tin-tuc/thoi-su-487/quy-mo-kinh-te-tinh-hai-duong-tiep-tuc-dung-thu-11-ca-nuoc-927846.tld"
S_HY23 = "https://nguoiquansat.vn/bat-ngo-tinh-co-thu-nhap-binh-quan-dau-nguoi-tang-48-lan-so-voi-nam-1997-khong-he-co-nui-rung-hay-bien-145818.html"
S_TB24 = "https://baomoi.net.vn/thai-binh-va-nhung-con-so-tang-truong-kinh-te-an-tuong-c51159043.epi"
S_NBHN24 = "https://dautu.kinhtechungkhoan.vn/ninh-binh-ha-nam-va-nam-dinh-tinh-nao-co-grdp-binh-quan-dau-nguoi-cao-nhat-282763.html"

# (area code, year, value, source): real GRDP growth, %, as first published (provisional)...
PROVISIONAL = [("31", 2021, "12.5", S_HP21E), ("01", 2020, "3.94", S_HN20E), ("22", 2023, "11.02", S_QN23E)]
# ...and as published later (R: it revises a provisional figure above).
REVISED_GROWTH = [("31", 2020, "11.22", "A", S_HP20), ("31", 2021, "12.38", "R", S_SOHA21), ("31", 2022, "12.32", "A", S_HP22),
                  ("31", 2023, "10.34", "A", S_HP23), ("31", 2024, "11.01", "A", S_HP24), ("01", 2020, "4.18", "R", S_THARONG),
                  ("01", 2021, "2.92", "A", S_THARONG), ("01", 2023, "6.27", "A", S_DAUTU23), ("01", 2024, "6.52", "A", S_VNS24),
                  ("22", 2021, "10.28", "A", S_SOHA21), ("22", 2023, "11.03", "R", S_DAUTU23), ("22", 2024, "8.42", "A", S_QN24)]
# GRDP at current prices, in billion VND as published; written in VND with UNIT_MULT 9.
REVISED_GRDP = [("31", 2024, "445995", S_CAFEF24), ("01", 2024, "1430000", S_VNS24), ("22", 2021, "238186", S_HOMEHERE21),
                ("22", 2024, "347500", S_QN24)]
HALF_YEAR = ("31", "2024-S1", "10.32", S_HP24H1)

# PX: (indicator code, area code, year) -> (value, source)
PX_INDICATORS = [("GRDP_PC", "GRDP bình quân đầu người", "Triệu đồng", "grdp_per_capita"),
                 ("URB", "Tỷ lệ đô thị hóa", "%", "urbanization_rate"),
                 ("POV", "Tỷ lệ hộ nghèo", "%", "poverty_rate")]
PX_AREAS = ["31", "01", "30", "33", "34", "37", "35"]
PX_YEARS = [2019, 2021, 2023, 2024]
PX_CELLS = {("GRDP_PC", "31", 2021): ("152.3", S_SOHA21PC), ("GRDP_PC", "01", 2023): ("151.1", S_DAUTU23),
            ("GRDP_PC", "01", 2024): ("163.5", S_VNS24), ("GRDP_PC", "30", 2023): ("94.1", S_HD23),
            ("GRDP_PC", "30", 2024): ("107.4", S_HD24), ("GRDP_PC", "33", 2023): ("112.3", S_HY23),
            ("GRDP_PC", "37", 2024): ("96", S_NBHN24), ("GRDP_PC", "35", 2024): ("109.8", S_NBHN24),
            ("URB", "31", 2019): ("45.59", S_COMINGO), ("POV", "31", 2019): ("0.72", S_COMINGO),
            ("POV", "34", 2024): ("1.59", S_TB24)}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print("wrote", os.path.relpath(path, ROOT))


def cp1258(text):
    """Windows-1258 bytes: Vietnamese letters as a base letter (with its breve, circumflex or horn) and a tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        shape = d[0] + "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")  # circumflex, breve, horn
        tones = "".join(m for m in d[1:] if m not in "\u0302\u0306\u031b")
        try:
            out += unicodedata.normalize("NFC", shape).encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            raise SystemExit("cannot write %r in windows-1258" % ch)
    return bytes(out)


def published_list(rows):
    lines = ["published:"]
    for ind, area, year, value, source in rows:
        lines.append('  - {indicator: %s, geo_id: %s, year: %d, value: %s,\n     source: "%s"}' % (ind, AREAS[area][0], year, value, source))
    return "\n".join(lines) + "\n"


def sdmx():
    rows = ["STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,REF_AREA: Reference area,INDICATOR: Indicator,TIME_PERIOD: Time,"
            "OBS_VALUE: Value,UNIT_MEASURE: Unit,UNIT_MULT: Unit multiplier,OBS_STATUS: Status"]
    for area, year, value, _ in PROVISIONAL:
        rows.append("dataflow,GSO:DF_GRDP(1.0),I,A: Annual,%s: %s,NGDP_R_PCH: Real GRDP growth,%d,%s,PC: Percent,0,P: Provisional"
                    % (area, AREAS[area][1], year, value))
    write(os.path.join(OUT, "sdmx", "rrd_grdp_provisional.csv"), ("\n".join(rows) + "\n").encode("utf-8"))
    rows = ["DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS"]
    for area, year, value, status, _ in REVISED_GROWTH:
        rows.append("GSO:DF_GRDP(1.0),A,%s,NGDP_R_PCH,%d,%s,PC,0,%s" % (area, year, value, status))
    for area, year, value, _ in REVISED_GRDP:
        rows.append("GSO:DF_GRDP(1.0),A,%s,NGDP_XDC,%d,%s,VND,9,A" % (area, year, value))
    area, period, value, _ = HALF_YEAR
    rows.append("GSO:DF_GRDP(1.0),S,%s,NGDP_R_PCH,%s,%s,PC,0,A" % (area, period, value))
    write(os.path.join(OUT, "sdmx", "rrd_grdp_revised.csv"), ("\n".join(rows) + "\n").encode("utf-8"))

    codes = """codes:
  indicator: {dimension: INDICATOR, map: {NGDP_R_PCH: grdp_growth_real, NGDP_XDC: grdp_current}}
  area: {dimension: REF_AREA, map: {%s}}
  time: {dimension: TIME_PERIOD}
  units: {PC: {unit: "%%"}, VND: {unit: billion VND, unit_mult: 9}}
  select: {FREQ: A}
  status: {P: preliminary, R: revised}
""" % ", ".join('"%s": %s' % (k, v[0]) for k, v in AREAS.items())
    head = """# Written by tools/exchange-samples.py: do not edit by hand (run the script).
# Real GRDP growth as first published, in SDMX-CSV 2.0. The figures are as published (each with
# its source below); the file and its release date are the sample's own.
source_id: exchange_sdmx_provisional
family: provincial_stats
layout: sdmx_csv
files: "provincial/sdmx/rrd_grdp_provisional.csv"
vintage: sdmx-sample-provisional
published_on: 2025-01-15
release_status: official
publisher: Sample in SDMX-CSV 2.0 of figures found in public sources (tools/exchange-samples.py)
"""
    pub = [("grdp_growth_real", a, y, v, s) for a, y, v, s in PROVISIONAL]
    write(os.path.join(SOURCES, "exchange_sdmx_provisional.yaml"), (head + codes + published_list(pub)).encode("utf-8"))
    head = head.replace("exchange_sdmx_provisional", "exchange_sdmx_revised").replace("rrd_grdp_provisional", "rrd_grdp_revised") \
        .replace("sdmx-sample-provisional", "sdmx-sample-revised").replace("2025-01-15", "2025-09-15") \
        .replace("Real GRDP growth as first published, in SDMX-CSV 2.0", "GRDP and its growth as published later, in SDMX-CSV 1.0")
    pub = [("grdp_growth_real", a, y, v, s) for a, y, v, _, s in REVISED_GROWTH] + [("grdp_current", a, y, v, s) for a, y, v, s in REVISED_GRDP]
    write(os.path.join(SOURCES, "exchange_sdmx_revised.yaml"), (head + codes + published_list(pub)).encode("utf-8"))


def px_quote(values):
    return ",".join('"%s"' % v for v in values)


def px():
    lines = ['CHARSET="ANSI";', 'AXIS-VERSION="2013";', 'CODEPAGE="windows-1258";', 'LANGUAGE="vi";',
             'CREATION-DATE="20250630 09:00";', 'LAST-UPDATED="20250915 14:30";', 'DECIMALS=2;', 'SHOWDECIMALS=1;',
             'MATRIX="XH01";', 'SUBJECT-CODE="XH";', 'SUBJECT-AREA="Kinh tế - xã hội";',
             'TITLE="Một số chỉ tiêu kinh tế - xã hội chia theo chỉ tiêu, tỉnh/thành phố và năm";',
             'CONTENTS="Một số chỉ tiêu kinh tế - xã hội";', 'UNITS="%";',
             'STUB="Chỉ tiêu","Tỉnh/thành phố";', 'HEADING="Năm";', 'CONTVARIABLE="Chỉ tiêu";',
             'VALUES("Chỉ tiêu")=%s;' % px_quote(name for _, name, _, _ in PX_INDICATORS),
             'VALUES("Tỉnh/thành phố")=%s;' % px_quote(AREAS[a][1] for a in PX_AREAS),
             'VALUES("Năm")=%s;' % px_quote(str(y) for y in PX_YEARS),
             'CODES("Chỉ tiêu")=%s;' % px_quote(code for code, _, _, _ in PX_INDICATORS),
             'CODES("Tỉnh/thành phố")=%s;' % px_quote(PX_AREAS)]
    for _, name, unit, _ in PX_INDICATORS:
        lines.append('UNITS("%s")="%s";' % (name, unit))
    lines += ['SOURCE="Số liệu tổng hợp từ các nguồn công khai (xem schemas/sources/exchange_px.yaml)";',
              'NOTE="Ô ghi hai dấu chấm (..) là không có số liệu.";', 'DATASYMBOL2="..";', 'DATA=']
    for code, _, _, _ in PX_INDICATORS:
        for area in PX_AREAS:
            lines.append(" ".join(PX_CELLS[(code, area, y)][0] if (code, area, y) in PX_CELLS else '".."' for y in PX_YEARS))
    lines[-1] += ";"
    write(os.path.join(OUT, "px", "rrd_xa_hoi.px"), cp1258("\r\n".join(lines) + "\r\n"))
    catalog = {code: ind for code, _, _, ind in PX_INDICATORS}
    pub = [(catalog[c], a, y, v, s) for (c, a, y), (v, s) in sorted(PX_CELLS.items())]
    text = """# Written by tools/exchange-samples.py: do not edit by hand (run the script).
# Figures found in public sources (each with its source below) in a PC-Axis table with Vietnamese
# metadata in code page windows-1258; the file is the sample's own. Its date is the file's
# LAST-UPDATED; the release's name is given here.
source_id: exchange_px
family: provincial_stats
layout: px
files: "provincial/px/*.px"
vintage: px-sample-2025
release_status: official
publisher: Sample in PC-Axis of figures found in public sources (tools/exchange-samples.py)
codes:
  indicator: {dimension: "Chỉ tiêu", map: {GRDP_PC: grdp_per_capita, URB: urbanization_rate, POV: poverty_rate}}
  area: {dimension: "Tỉnh/thành phố"}  # the Vietnamese names, as the geography knows them
  time: {dimension: "Năm"}
  units: {"Triệu đồng": {unit: million VND}, "%": {unit: "%"}}
"""
    write(os.path.join(SOURCES, "exchange_px.yaml"), (text + published_list(pub)).encode("utf-8"))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    sdmx()
    px()
