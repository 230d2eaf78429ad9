#!/usr/bin/env python3
"""Writes the bundled provincial-statistics sample under data/sample/provincial/.

The figures in PUBLISHED below (each with where it was published) are as they were published, and
so is Hai Phong's 2019 census population; every other figure is an illustrative value of the right
size, made deterministically here around them (a published GRDP anchors its province's series, a
published rate shifts its indicator's line to pass through it). The descriptors' `published:` lists
in schemas/sources/ are written from PUBLISHED, for the figures each release holds
(docs/METHODS.md, "The bundled sample's figures"). Releases:
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
import math
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

# Figures as they were published, for the sample's provinces and indicators (from a list of figures
# found in public sources): (name, indicator, year, value, source). A 2025 figure is the merged
# unit's where the province was merged. Where sources disagree the one kept is the later or the
# official one; conflicting versions are not used.
_SOHA_2021 = ("Soha, GRDP growth of the five fastest-growing provinces (July 2022): https://soha.vn/tang-truong-grdp-nua-"
              "dau-nam-cua-5-dia-phuong-tang-truong-cao-nhat-ca-nuoc-2021-thay-doi-ra-sao-hai-phong-con-o-top-1-20220710165725563.htm")
_SOHA_HP_2021 = ("Soha, Hai Phong's results before its new administrative centre (February 2022): https://soha.vn/truoc-khi-duoc-"
                 "chu-y-voi-trung-tam-hanh-chinh-10000-ty-dong-hai-phong-da-co-thanh-tich-khung-ra-sao-ma-duoc-ky-vong-phat-trien-"
                 "nhu-tham-quyen-20220214191545908.htm")
_HOMEHERE_2021 = ("Homehere, the 20 largest provincial economies of 2021 (a compiled list): "
                  "https://homehere.vn/top-20-tinh-tp-co-quy-mo-kinh-te-lon-nhat-viet-nam-2021-19682/")
_COMINGO_HP = ("Committee for Foreign NGO Affairs, Hai Phong's profile (2022): http://comingo.gov.vn/chitiet/chuong-trinh-"
               "van-dong-vien-tro-cua-dia-phuong/khanh-hoa-2022-2-19-8-50-881")
_DTCK_2023 = ("Dau tu Chung khoan, four growth poles of the Red River Delta (2024): https://dautu.kinhtechungkhoan.vn/lo-dien-"
              "4-dia-phuong-duoc-xac-dinh-la-cuc-tang-truong-cua-khu-vuc-dong-bang-song-hong-234032.html")
_DTCK_2024 = ("Dau tu Chung khoan, Ninh Binh, Ha Nam and Nam Dinh's GRDP per head (2025): https://dautu.kinhtechungkhoan.vn/"
              "ninh-binh-ha-nam-va-nam-dinh-tinh-nao-co-grdp-binh-quan-dau-nguoi-cao-nhat-282763.html")
_VNS_2024 = ("Viet Nam News, the five largest local economies of 2024: "
             "https://vietnamnews.vn/economy/1690605/top-five-localities-with-the-largest-economies-in-2024.html")
_QN_2024 = ("Doanh nghiep Kinh doanh, Quang Ninh's 2024 after typhoon Yagi: https://doanhnghiepkinhdoanh.doanhnhanvn.vn/"
            "bao-yagi-khien-grdp-quang-ninh-mat-chuoi-tang-truong-hai-con-so-tung-duy-tri-suot-9-nam-42202511016638618.htm")
_HD_2024 = ("Cong doan, Hai Duong's economy stays 11th in the country (2025): http://congdoan.vn/tin-tuc/thoi-su-487/"
            "quy-mo-kinh-te-tinh-hai-duong-tiep-tuc-dung-thu-11-ca-nuoc-927846.tld")
_BN_2024 = ("CafeF, the smallest and the largest provinces' economies (February 2025): https://cafef.vn/tinh-nho-nhat-va-rong-"
            "nhat-viet-nam-co-quy-mo-kinh-te-chenh-lech-bao-nhieu-18825022207373165.chn")
_TB_2024 = ("Bao Moi, Thai Binh's growth figures for 2024: https://baomoi.net.vn/thai-binh-va-nhung-con-so-tang-truong-kinh-"
            "te-an-tuong-c51159043.epi")
_TB_2023 = ("Con so su kien, Thai Binh's GRDP in 2023: https://consosukien.vn/nam-2023-grdp-tren-dia-ban-tinh-thai-binh-tang-"
            "7-37-so-voi-cung-ky-nam-2022.htm")
_HY_2023 = ("Nguoi Quan sat, Hung Yen's GRDP per head (2024): https://nguoiquansat.vn/bat-ngo-tinh-co-thu-nhap-binh-quan-dau-"
            "nguoi-tang-48-lan-so-voi-nam-1997-khong-he-co-nui-rung-hay-bien-145818.html")
PUBLISHED = [
    ("Hải Phòng", "grdp_growth_real", 2020, 11.22, "Hai Phong Statistics Office, socio-economic situation in December and the year "
     "2020: https://thongkehaiphong.gov.vn/thong-tin-kinh-te-xa-hoi/tinh-hinh-kinh-te-xa-hoi-thanh-pho-hai-phong-thang-12-12-"
     "thang-nam-2020-262.html"),
    ("Hải Phòng", "grdp_growth_real", 2021, 12.38, _SOHA_2021),
    ("Hải Phòng", "grdp_growth_real", 2022, 12.32, "Hai Phong City portal, socio-economic figures for 2022 (estimate): "
     "https://thanhphohaiphong.gov.vn/cong-bo-so-lieu-kinh-te-xa-hoi-nam-2022.html"),
    ("Hải Phòng", "grdp_growth_real", 2023, 10.34, "VnEconomy, Hai Phong grows by two digits: https://vneconomy.vn/hai-phong-"
     "tang-truong-hai-con-so-tiep-tuc-thu-ngan-sach-dat-tren-100-000-ty.htm"),
    ("Hải Phòng", "grdp_growth_real", 2024, 11.01, "Cong ly, the Statistics Office's estimate of 6 January 2025: "
     "https://congly.vn/nam-2024-tang-truong-kinh-te-cua-hai-phong-dung-thu-3-ca-nuoc-465666.html"),
    ("Hải Phòng", "grdp_current", 2021, 315700, _SOHA_HP_2021),
    ("Hải Phòng", "grdp_per_capita", 2021, 152.3, _SOHA_HP_2021),
    ("Hải Phòng", "grdp_current", 2024, 445995, "CafeF, the five largest provincial economies of 2024 (13 January 2025): "
     "https://cafef.vn/mot-dia-phuong-lan-dau-tien-lot-top-5-tinh-thanh-quy-mo-kinh-te-lon-nhat-viet-nam-2024-thu-ngan-sach-"
     "dat-ky-luc-188250113140615991.chn"),
    ("Hải Phòng", "urbanization_rate", 2019, 45.59, _COMINGO_HP),
    ("Hải Phòng", "poverty_rate", 2019, 0.72, _COMINGO_HP),
    ("Hải Phòng", "grdp_growth_real", 2025, 11.81, "Mekong ASEAN, the merged city's 2025 growth (estimate of 6 January 2026): "
     "https://mekongasean.vn/grdp-cua-hai-phong-dung-thu-hai-ca-nuoc-50490.html"),
    ("Hải Phòng", "grdp_current", 2025, 734420, "Bao Phap luat, the merged city's 2025 GRDP: "
     "https://beta.baophapluat.vn/tang-truong-grdp-cua-hai-phong-dung-thu-hai-ca-nuoc.html"),
    ("Hà Nội", "grdp_growth_real", 2021, 2.92, "Tha Rong, the provinces' economies compared (2024): "
     "https://tharong.com/so-sanh-kinh-te-cua-cac-tinh-nam-2024"),
    ("Hà Nội", "grdp_growth_real", 2023, 6.27, _DTCK_2023),
    ("Hà Nội", "grdp_per_capita", 2023, 151.1, _DTCK_2023),
    ("Hà Nội", "grdp_growth_real", 2024, 6.52, _VNS_2024),
    ("Hà Nội", "grdp_current", 2024, 1430000, _VNS_2024),
    ("Hà Nội", "grdp_per_capita", 2024, 163.5, _VNS_2024),
    ("Hà Nội", "grdp_growth_real", 2025, 8.16, "Tai chinh Doanh nghiep, Hanoi Statistics' 2025 estimate (January 2026): "
     "https://taichinhdoanhnghiep.net.vn/grdp-cua-ha-noi-tang-khoang-815-trong-2025-d63865.html"),
    ("Quảng Ninh", "grdp_growth_real", 2021, 10.28, _SOHA_2021),
    ("Quảng Ninh", "grdp_current", 2021, 238186, _HOMEHERE_2021),
    ("Quảng Ninh", "grdp_growth_real", 2023, 11.03, _DTCK_2023),
    ("Quảng Ninh", "grdp_growth_real", 2024, 8.42, _QN_2024),
    ("Quảng Ninh", "grdp_current", 2024, 347500, _QN_2024),
    ("Quảng Ninh", "grdp_growth_real", 2025, 11.89, "Mekong ASEAN, cited in Hai Phong's 2025 release: "
     "https://mekongasean.vn/grdp-cua-hai-phong-dung-thu-hai-ca-nuoc-50490.html"),
    ("Bắc Ninh", "grdp_current", 2021, 227614, _HOMEHERE_2021),
    ("Bắc Ninh", "grdp_current", 2023, 220222, "Giao duc Thoi dai, Bac Ninh a growth pole of the delta: "
     "https://giaoducthoidai.vn/bac-ninh-tro-thanh-cuc-tang-truong-cua-vung-dong-bang-song-hong-post706651.html"),
    ("Bắc Ninh", "grdp_growth_real", 2024, 6.03, _BN_2024),
    ("Bắc Ninh", "grdp_current", 2024, 232800, _BN_2024),
    ("Hải Dương", "grdp_current", 2021, 149090, _HOMEHERE_2021),
    ("Hải Dương", "grdp_per_capita", 2023, 94.1, "Hai Duong provincial portal, GRDP: https://haiduong.gov.vn/2024/Trang/grdp.aspx"),
    ("Hải Dương", "grdp_growth_real", 2024, 10.2, _HD_2024),
    ("Hải Dương", "grdp_current", 2024, 212386, _HD_2024),
    ("Hải Dương", "grdp_per_capita", 2024, 107.4, _HD_2024),
    ("Hưng Yên", "grdp_current", 2021, 112306, _HOMEHERE_2021),
    ("Hưng Yên", "grdp_growth_real", 2023, 10.05, _HY_2023),
    ("Hưng Yên", "grdp_per_capita", 2023, 112.3, _HY_2023),
    ("Vĩnh Phúc", "grdp_current", 2021, 136183, _HOMEHERE_2021),
    ("Vĩnh Phúc", "grdp_growth_real", 2022, 9.54, "Nghe An 24h, Vinh Phuc's 2022 (2023): https://nghean24h.vn/chu-tich-ubnd-"
     "tinh-vinh-phuc-co-tin-nhiem-thap-5319-se-xin-tu-chuc-hay-nhu-nao-a713037.html"),
    ("Thái Bình", "grdp_growth_real", 2023, 7.37, _TB_2023),
    ("Thái Bình", "grdp_current", 2023, 123328, _TB_2023),
    ("Thái Bình", "grdp_growth_real", 2024, 7.01, _TB_2024),
    ("Thái Bình", "grdp_current", 2024, 132700, _TB_2024),
    ("Thái Bình", "poverty_rate", 2024, 1.59, _TB_2024),
    ("Ninh Bình", "grdp_growth_real", 2024, 8.52, _DTCK_2024),
    ("Ninh Bình", "grdp_per_capita", 2024, 96, _DTCK_2024),
    ("Hà Nam", "grdp_growth_real", 2024, 10.93, _DTCK_2024),
    ("Hà Nam", "grdp_per_capita", 2024, 109.8, _DTCK_2024),
    ("Nam Định", "grdp_growth_real", 2023, 10.19, "Nam Dinh TV, the province's 2023 GRDP growth: "
     "http://www.namdinhtv.vn/kinh-te/grdp-cua-tinh-nam-dinh-tang-1019-so-voi-nam-2022"),
]
GEO_IDS = {"Hà Nội": "VN-01", "Hải Phòng": "VN-31", "Quảng Ninh": "VN-22", "Vĩnh Phúc": "VN-26", "Bắc Ninh": "VN-27",
           "Hải Dương": "VN-30", "Hưng Yên": "VN-33", "Thái Bình": "VN-34", "Hà Nam": "VN-35", "Nam Định": "VN-36",
           "Ninh Bình": "VN-37", "Bắc Giang": "VN-24", "Phú Thọ": "VN-25", "Hòa Bình": "VN-17"}
MERGED_IDS_2025 = {"Hải Phòng", "Hưng Yên", "Ninh Bình", "Bắc Ninh", "Phú Thọ"}  # new units with a -2025 id


def published(name, year=None):
    """The published figures of one province: {(year, indicator): value}."""
    return {(y, ind): v for n, ind, y, v, _ in PUBLISHED if n == name and (year is None or y == year)}


def geo_id(name, year):
    return GEO_IDS[name] + ("-2025" if year >= 2025 and name in MERGED_IDS_2025 else "")


def anchored_level(base, anchors):
    """A level series made to pass through its published years: the difference at a published year
    applies in full before it and fades linearly to nothing at the last year after it."""
    out = dict(base)
    for a, v in sorted(anchors.items()):
        d = v - out[a]
        for y in out:
            out[y] += d if y <= a else d * max(0.0, (YEARS[-1] - y) / (YEARS[-1] - a)) if a < YEARS[-1] else 0.0
    return out


def series(name, grdp24, pop24, growth):
    rnd = random.Random(name)
    out = {}
    pop = {y: (HP_POP_2019 * (1.0105 ** (y - 2019)) if name == "Hải Phòng" else pop24 / (1.011 ** (2024 - y)))
           for y in YEARS}
    g = {y: (HP_GROWTH[y] if name == "Hải Phòng" else round(growth + rnd.uniform(-1.5, 1.5), 2)) for y in YEARS}
    pub = published(name)
    g.update({y: v for (y, ind), v in pub.items() if ind == "grdp_growth_real" and y in g})
    grdp = {2024: float(pub.get((2024, "grdp_current"), grdp24))}
    for y in range(2023, 2014, -1):
        deflator = 1.03 + rnd.uniform(0.0, 0.02)
        grdp[y] = grdp[y + 1] / ((1 + g[y + 1] / 100) * deflator)
    # Published GRDP figures anchor the series: the ratio to them is interpolated (in logs) between
    # published years and held before the first.
    anchors = sorted((y, math.log(v / grdp[y])) for (y, ind), v in pub.items() if ind == "grdp_current" and y in grdp)
    if anchors:
        for y in YEARS:
            before = [a for a in anchors if a[0] <= y]
            after = [a for a in anchors if a[0] >= y]
            if not before:
                r = after[0][1]
            elif not after:
                r = before[-1][1]
            elif before[-1][0] == after[0][0]:
                r = before[-1][1]
            else:
                (y0, r0), (y1, r1) = before[-1], after[0]
                r = r0 + (r1 - r0) * (y - y0) / (y1 - y0)
            grdp[y] *= math.exp(r)
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
    for (y, ind), v in pub.items():  # figures published as such (a growth rate, a GRDP per head)
        if (y, ind) in out and ind in ("grdp_growth_real", "grdp_current", "grdp_per_capita"):
            out[(y, ind)] = (v, out[(y, ind)][1])
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
    pub = published(name)
    for ind in ("urbanization_rate", "poverty_rate"):
        anchors = {y: v for (y, i), v in pub.items() if i == ind and y in YEARS}
        if anchors:
            line = anchored_level({y: out[(y, ind)][0] for y in YEARS}, anchors)
            for y in YEARS:
                out[(y, ind)] = (anchors.get(y, round(max(0.0, line[y]), 2)), out[(y, ind)][1])
    return out


SPELLINGS = {  # how some offices write names, per docs/METHODS.md section 6
    "yearbook-2023": {"Hải Phòng": "TP. Hải Phòng", "Hà Nội": "Thành phố Hà Nội",
                      "Hải Dương": unicodedata.normalize("NFD", "Hải Dương")},
    "estimate-2024": {"Hải Phòng": "HẢI PHÒNG", "Quảng Ninh": "Tỉnh Quảng Ninh"},
    "yearbook-2024": {"Hải Phòng": "Thành phố Hải Phòng", "Nam Định": unicodedata.normalize("NFD", "Nam Định")},
}


HELD = {}  # release -> {(name, indicator, year): value} of what its file holds, for the descriptors


def hold(release, name, ind, year, value):
    HELD.setdefault(release, {})[(name, ind, year)] = value


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
                    hold(vintage, name, ind, y, v)
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
            hold("estimate-2024", name, ind, 2024, v)
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
        value_2025[new].update({ind: v for (y, ind), v in published(new, 2025).items()})
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
                hold("yearbook-2025", name, ind, y, v)
            v25 = value_2025.get(name, {}).get(ind)
            if v25 is not None:
                hold("yearbook-2025", name, ind, 2025, v25)
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
            if (2025, ind) in published(new, 2025):
                v = published(new, 2025)[(2025, ind)]
            elif new == "Hải Phòng" and ind in HP_2025:
                v = HP_2025[ind]
            elif ind in ADDITIVE:
                v = round(sum(every[p][(2024, ind)][0] for p in parts) * (nominal or 1.1), 1)
            else:
                w = sum(pops.values())
                v = sum(every[p][(2024, ind)][0] * pops[p] for p in parts) / w
                trend = every[parts[0]][(2024, ind)][0] - every[parts[0]][(2023, ind)][0]
                v = round(min(100.0, v + trend) if unit == "%" else v + trend, 2)
            rows.append([ind, new, 2025, v, unit])
            hold("estimate-2025", new, ind, 2025, v)
    write(OUT / "rrd_estimate_2025_long.csv", rows)


DESCRIPTORS = {"yearbook-2023": "rrd_yearbook_2023.yaml", "yearbook-2024": "rrd_yearbook_2024.yaml",
               "estimate-2024": "rrd_estimate_2024.yaml", "yearbook-2025": "rrd_yearbook_2025.yaml",
               "estimate-2025": "rrd_estimate_2025.yaml"}
EXTRA_PUBLISHED = {  # published figures a release holds in place of the sample's (a release's own)
    "estimate-2024": [("Hải Phòng", "grdp_growth_real", 2024, 10.55, "Tai chinh Cong nghe, the City People's Committee's "
                       "report on 2024 (10.55%; the Statistics Office's estimate was 11.01%): https://taichinhcongnghe.vn/grdp-"
                       "cua-hai-phong-tang-truong-an-tuong-10-nam-lien-tiep")]}


def descriptors():
    """Rewrites each descriptor's `published:` list: the figures of PUBLISHED its release holds with
    the published value (a release that revised one holds another value, which stays illustrative)."""
    import re
    sources = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "sources"
    for release, fname in DESCRIPTORS.items():
        held = HELD[release]
        lines = ["published:"]
        for name, ind, y, v, src in PUBLISHED + EXTRA_PUBLISHED.get(release, []):
            if held.get((name, ind, y)) == v:
                lines.append(f"  - {{indicator: {ind}, geo_id: {geo_id(name, y)}, year: {y}, value: {v},")
                lines.append(f'     source: "{src}"}}')
        path = sources / fname
        text = path.read_text(encoding="utf-8")
        block = re.compile(r"^published:\n(?:  .*\n)*", re.M)
        assert block.search(text), f"{path}: no published: list"
        path.write_text(block.sub("\n".join(lines) + "\n", text, count=1), encoding="utf-8")


if __name__ == "__main__":
    main()
    yearbook_2025({p[0]: series(*p) for p in PROVINCES})
    estimate_2025({p[0]: series(*p) for p in PROVINCES})
    descriptors()
