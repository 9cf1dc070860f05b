"""Synthetic multi-region data at province or nation scale (示例数据, not real figures).

`ipmetrics sample --scale province` builds a province of about 150 counties in 17 cities, with about
2 million trademarks and 200,000 patents; `--scale nation` about 2,800 counties in 31 provinces,
40 million trademarks and 5 million patents. Luoshan County keeps the bundled sample (its 20
townships and records) inside 信阳市, so the dashboard's home county can be ranked among its peers.

Realistic skew, not real numbers: county sizes are log-normal (a few urban districts hold a large
share, most counties little), registrations grow about 20 % a year, old marks lapse when not renewed
at ten years, patents lapse when fees stop. Real province and city names are used for orientation;
every synthetic county is named 模拟… so that nobody mistakes it for a real one.

Records are generated with numpy, county by county in chunks, and bulk-inserted through the staging
table (sql/synthetic/*.sql), bypassing the row-by-row checks of the importer: the generator's output
is valid by construction, and at 40 million rows those checks would take hours. Regions, population
and the bundled sample still go through the importer.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import numpy as np
import pandas as pd

from ipmetrics.core.settings import SAMPLE_DIR, SQL_DIR
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files
from ipmetrics.io.readers import Source
from ipmetrics.io.schemas import KINDS

SEED = 2030
# High-value invention patents (高价值发明专利): the share of CN inventions flagged, drawn by a generator of
# their own (seeded with the run's seed plus this offset).
HIGH_VALUE_SHARE = 0.2
HIGH_VALUE_SEED_OFFSET = 14
CHUNK_ROWS = 2_000_000
HOME_PROVINCE, HOME_CITY, HOME_COUNTY = "410000", "411500", "411521"

# The 31 provincial-level regions of the mainland (code prefix, name, relative economic weight).
PROVINCES = [
    ("11", "北京市", 2.5), ("12", "天津市", 1.2), ("13", "河北省", 1.3), ("14", "山西省", 0.7), ("15", "内蒙古自治区", 0.6),
    ("21", "辽宁省", 0.9), ("22", "吉林省", 0.6), ("23", "黑龙江省", 0.6), ("31", "上海市", 2.5), ("32", "江苏省", 2.4),
    ("33", "浙江省", 2.6), ("34", "安徽省", 1.2), ("35", "福建省", 1.5), ("36", "江西省", 0.9), ("37", "山东省", 1.8),
    ("41", "河南省", 1.2), ("42", "湖北省", 1.1), ("43", "湖南省", 1.0), ("44", "广东省", 3.0), ("45", "广西壮族自治区", 0.7),
    ("46", "海南省", 0.5), ("50", "重庆市", 1.0), ("51", "四川省", 1.1), ("52", "贵州省", 0.6), ("53", "云南省", 0.6),
    ("54", "西藏自治区", 0.2), ("61", "陕西省", 0.9), ("62", "甘肃省", 0.4), ("63", "青海省", 0.3), ("64", "宁夏回族自治区", 0.4),
    ("65", "新疆维吾尔自治区", 0.5),
]
# Henan's 17 prefecture-level cities (codes 41xx00): the province of the sample county.
HENAN_CITIES = [
    ("01", "郑州市"), ("02", "开封市"), ("03", "洛阳市"), ("04", "平顶山市"), ("05", "安阳市"), ("06", "鹤壁市"),
    ("07", "新乡市"), ("08", "焦作市"), ("09", "濮阳市"), ("10", "许昌市"), ("11", "漯河市"), ("12", "三门峡市"),
    ("13", "南阳市"), ("14", "商丘市"), ("15", "信阳市"), ("16", "周口市"), ("17", "驻马店市"),
]
INDUSTRIES = ["茶叶", "绿色食品", "电子信息", "环保装备", "新能源", "精密加工", "生物医药", "纺织服装", "建材", "商贸服务"]
LENDERS = ["中国银行", "农业银行", "工商银行", "建设银行", "邮储银行", "农商银行"]


@dataclass(frozen=True)
class Scale:
    provinces: int          # how many of PROVINCES (Henan always among them)
    counties: int           # county-level regions in all
    trademarks: int
    patents: int


SCALE_LABELS = {"province": "省级", "nation": "全国", "custom": "自定"}
SCALES = {
    "province": Scale(provinces=1, counties=150, trademarks=2_000_000, patents=200_000),
    "nation": Scale(provinces=31, counties=2_800, trademarks=40_000_000, patents=5_000_000),
}


@dataclass
class Counties:
    """The synthetic county-level regions: code, name, weight (economic size), residents in 2020."""
    codes: list[str]
    names: list[str]
    weights: np.ndarray
    residents_2020: np.ndarray


@dataclass
class Generated:
    scale: str
    regions: int = 0
    counties: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    through: str = ""


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _split(total: int, parts: int, rng: np.random.Generator, low: int = 1) -> list[int]:
    """`total` spread over `parts` at random (each at least `low`), summing exactly to `total`."""
    low = min(low, total // parts)
    shares = rng.dirichlet(np.full(parts, 4.0))
    counts = np.maximum(low, np.floor(shares * total)).astype(int)
    counts[np.argmax(counts)] += total - counts.sum()
    return counts.tolist()


def build_regions(scale: Scale, rng: np.random.Generator) -> tuple[pd.DataFrame, Counties]:
    """Provinces, cities and counties (codes in the national pattern PPCCNN), and the counties' sizes."""
    henan = [p for p in PROVINCES if p[0] == "41"]
    provinces = PROVINCES[: scale.provinces]
    if henan[0] not in provinces:  # the sample county's province is always there
        provinces = provinces[:-1] + henan
    county_counts = _split(scale.counties, len(provinces), rng, low=20) if len(provinces) > 1 else [scale.counties]
    rows, codes, names, weights, districts = [], [], [], [], []
    for (prefix, pname, pweight), n_counties in zip(provinces, county_counts):
        rows.append((f"{prefix}0000", pname, "province", ""))
        if prefix == "41":
            cities = [(cc, cname) for cc, cname in HENAN_CITIES]
        else:
            n_cities = max(2, round(n_counties / 8.5))
            cities = [(f"{i:02d}", f"{_short(pname)}模拟市{i:02d}") for i in range(1, n_cities + 1)]
        per_city = _split(n_counties, len(cities), rng, low=3)
        for (cc, cname), n in zip(cities, per_city):
            city_code = f"{prefix}{cc}00"
            rows.append((city_code, cname, "city", f"{prefix}0000"))
            city_short = cname[:-1] if cname.endswith("市") else cname
            numbers = list(range(1, n + 2))
            if city_code == HOME_CITY:  # 罗山县 (21) is the real county; its number is not reused
                numbers = [k for k in numbers if k != 21][: n - 1]
            else:
                numbers = numbers[:n]
            for k in numbers:
                district = k <= max(1, n // 5)   # the first few numbers are urban districts, as in real codes
                code = f"{prefix}{cc}{k:02d}"
                name = f"{city_short}模拟{'区' if district else '县'}{k:02d}"
                rows.append((code, name, "county", city_code))
                codes.append(code)
                names.append(name)
                districts.append(district)
                weights.append(pweight)
    weights = np.array(weights) * rng.lognormal(0.0, 1.0, len(codes)) * np.where(districts, 3.0, 1.0)
    # Bigger economies have more people, less than in proportion: marks per 10,000 residents then
    # spread about tenfold between counties, not a thousandfold.
    residents = np.clip(rng.lognormal(math.log(450_000), 0.35, len(codes)) * (weights / weights.mean()) ** 0.5,
                        60_000, 3_000_000).round()
    regions = pd.DataFrame(rows, columns=["code", "name", "level", "parent_code"])
    return regions, Counties(codes, names, weights / weights.mean(), residents)


def _dates(rng: np.random.Generator, n: int, first_year: int, last_day: np.datetime64, growth: float) -> np.ndarray:
    """Days between 1 January `first_year` and `last_day`, more of them recent (exponential growth)."""
    start = np.datetime64(f"{first_year}-01-01")
    span = int((last_day - start).astype(int)) + 1
    # Inverse transform of a density rising as exp(growth × years): most mass near the end.
    u = rng.random(n)
    years = span / 365.25
    t = np.log1p(u * np.expm1(growth * years)) / growth  # in years since start
    return start + np.minimum((t * 365.25).astype(int), span - 1).astype("timedelta64[D]")


def _later(start: np.ndarray, years: np.ndarray) -> np.ndarray:
    return start + (years * 365.25).astype(int).astype("timedelta64[D]")


def _frame_dates(values: np.ndarray, keep: np.ndarray | None = None) -> pd.Series:
    series = pd.Series(values.astype("datetime64[s]"))
    return series.where(pd.Series(keep)) if keep is not None else series


def _numbered(codes: list[str], counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One row per record: its county's code, and its number within the county (1, 2, … per county)."""
    counts = np.asarray(counts)
    region = np.repeat(np.array(codes, dtype=object), counts)
    seq = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    return region, seq


def _county_chunks(counts: np.ndarray, limit: int = CHUNK_ROWS):
    """Runs of consecutive counties whose rows together stay near `limit`."""
    start, rows = 0, 0
    for i, n in enumerate(counts):
        rows += int(n)
        if rows >= limit:
            yield start, i + 1
            start, rows = i + 1, 0
    if start < len(counts):
        yield start, len(counts)


def trademark_frames(counties: Counties, total: int, last_day: np.datetime64, rng: np.random.Generator):
    counts = rng.multinomial(total, counties.weights / counties.weights.sum())
    for lo, hi in _county_chunks(counts):
        n = int(counts[lo:hi].sum())
        region, seq = _numbered(counties.codes[lo:hi], counts[lo:hi])
        registered = _dates(rng, n, 1985, last_day, 0.2)
        # Ten-year terms: about a third of the old marks are not renewed; a few are cancelled early.
        lapse = _later(registered, np.full(n, 10.0))
        cancelled = _later(registered, rng.uniform(1, 9, n))
        roll = rng.random(n)
        ended = np.where(roll < 0.33, lapse, np.where(roll < 0.36, cancelled, np.datetime64("NaT")))
        ended_known = ~np.isnat(ended) & (ended <= last_day)
        gi = rng.random(n) < 0.00005
        mark_type = np.where(gi, np.where(rng.random(n) < 0.5, "collective", "certification"), "ordinary")
        famous = (rng.random(n) < 0.00002) & (registered < np.datetime64("2015-01-01"))
        famous_on = _later(registered, rng.uniform(3, 12, n))
        famous_known = famous & (famous_on <= last_day)
        yield pd.DataFrame({
            "region_code": region, "seq": seq, "mark_type": mark_type, "is_gi": gi,
            "industry": rng.choice(INDUSTRIES, n),
            "registered_on": _frame_dates(registered), "ended_on": _frame_dates(ended, ended_known),
            "well_known_on": _frame_dates(famous_on, famous_known),
        })


def patent_frames(counties: Counties, total: int, last_day: np.datetime64, rng: np.random.Generator,
                  flags: np.random.Generator):
    """Patents county by county. `flags` draws which CN inventions are high value (about a fifth), apart
    from `rng` so that the records are the same as before the flag existed."""
    weights = counties.weights * rng.lognormal(0.0, 0.5, len(counties.codes))  # patents follow, loosely
    counts = rng.multinomial(total, weights / weights.sum())
    for lo, hi in _county_chunks(counts):
        n = int(counts[lo:hi].sum())
        region, seq = _numbered(counties.codes[lo:hi], counts[lo:hi])
        kind = rng.choice(np.array(["invention", "utility_model", "design"]), n, p=[0.18, 0.62, 0.20])
        granted = _dates(rng, n, 2000, last_day, 0.18)
        invention = kind == "invention"
        applied = _later(granted, -np.where(invention, rng.uniform(1, 4, n), rng.uniform(0.3, 1.5, n)))
        # Fees stop: inventions after 4–20 years for a quarter of them, the others within their term.
        term = np.where(invention, rng.uniform(4, 20, n), rng.uniform(2, 10, n))
        lapses = rng.random(n) < np.where(invention, 0.25, 0.55)
        ended = _later(granted, term)
        ended_known = lapses & (ended <= last_day)
        office = np.where(rng.random(n) < 0.995, "CN", rng.choice(np.array(["US", "EP", "JP"]), n))
        high_value = invention & (office == "CN") & (flags.random(n) < HIGH_VALUE_SHARE)
        yield pd.DataFrame({
            "region_code": region, "seq": seq, "patent_type": kind, "office": office,
            "industry": rng.choice(INDUSTRIES, n),
            "applied_on": _frame_dates(applied), "granted_on": _frame_dates(granted),
            "ended_on": _frame_dates(ended, ended_known), "high_value": high_value,
        })


def pledge_frame(counties: Counties, last_day: np.datetime64, rng: np.random.Generator) -> pd.DataFrame:
    counts = rng.poisson(6.0 * counties.weights)
    n = int(counts.sum())
    region, seq = _numbered(counties.codes, counts)
    return pd.DataFrame({
        "region_code": region, "seq": seq, "ip_type": rng.choice(np.array(["专利", "商标", "专利、商标"]), n),
        "lender": rng.choice(LENDERS, n), "amount_wan": np.round(rng.lognormal(math.log(300), 0.9, n), 2),
        "registered_on": _frame_dates(_dates(rng, n, 2018, last_day, 0.25)),
    })


def enterprise_frame(counties: Counties, last_day: np.datetime64, rng: np.random.Generator) -> pd.DataFrame:
    counts = rng.poisson(40.0 * counties.weights) + 5
    n = int(counts.sum())
    region, seq = _numbered(counties.codes, counts)
    high_tech = rng.random(n) < 0.4
    tech_sme = rng.random(n) < 0.6
    tech = high_tech | tech_sme

    def designated(share: float, first_year: int) -> pd.Series:
        return _frame_dates(_dates(rng, n, first_year, last_day, 0.15), (rng.random(n) < share) & tech)

    return pd.DataFrame({
        "region_code": region, "seq": seq, "industry": rng.choice(INDUSTRIES, n),
        "high_tech": high_tech, "tech_sme": tech_sme,
        "ip_standard_on": designated(0.35, 2014), "national_ip_on": designated(0.015, 2013),
        "provincial_strong_on": designated(0.04, 2016),
    })


def population_frame(counties: Counties, rng: np.random.Generator, years=range(2019, 2027)) -> pd.DataFrame:
    drift = rng.uniform(-0.01, 0.01, len(counties.codes))
    rows = []
    for year in years:
        resident = (counties.residents_2020 * (1 + drift) ** (year - 2020)).round().astype(int)
        registered = (resident * 1.25).round().astype(int)
        rows.append(pd.DataFrame({"region_code": counties.codes, "year": year, "resident": resident,
                                  "registered": registered}))
    return pd.concat(rows, ignore_index=True)


def generate(store: Store, scale_name: str | Scale, *, seed: int = SEED,
             progress: Callable[[str], None] | None = None) -> Generated:
    """Load the bundled sample, then the synthetic regions and records of `scale_name` (or of a Scale
    of one's own, as the tests use), into `store`."""
    say = progress or (lambda _: None)
    scale = SCALES[scale_name] if isinstance(scale_name, str) else scale_name
    scale_name = scale_name if isinstance(scale_name, str) else "custom"
    began = time.perf_counter()
    rng = np.random.default_rng(seed)
    result = Generated(scale=scale_name)

    say("载入示例县（罗山县）数据")
    sample = [(kind, SAMPLE_DIR / f"{kind}.csv") for kind in KINDS if (SAMPLE_DIR / f"{kind}.csv").is_file()]
    import_files(store, sample, mark_sample=True)
    through = pd.Period(store.frame("import_log")["data_through"].dropna().max(), freq="M")
    last_day = np.datetime64(through.end_time.date())
    result.through = str(through)

    say("生成区划")
    regions, counties = build_regions(scale, rng)
    # The sample's county joins its real city; its townships come with it from the sample.
    home = pd.read_csv(SAMPLE_DIR / "regions.csv", dtype=str, keep_default_na=False)
    home.loc[home["code"] == HOME_COUNTY, "parent_code"] = HOME_CITY
    regions = pd.concat([regions, home], ignore_index=True)
    import_files(store, [("regions", _csv_source(regions, "regions.csv")),
                         ("population", _csv_source(population_frame(counties, rng), "population.csv"))],
                 mark_sample=True)
    result.regions, result.counties = len(regions), len(counties.codes) + 1

    loads = [
        ("trademarks", trademark_frames(counties, scale.trademarks, last_day, rng)),
        ("patents", patent_frames(counties, scale.patents, last_day, rng,
                                  np.random.default_rng(seed + HIGH_VALUE_SEED_OFFSET))),
        ("pledges", iter([pledge_frame(counties, last_day, rng)])),
        ("enterprises", iter([enterprise_frame(counties, last_day, rng)])),
    ]
    now = datetime.now()
    with store.transaction() as tx:
        for kind, frames in loads:
            rows = 0
            for frame in frames:
                say(f"写入{KINDS[kind].title}：已 {rows:,} 行")
                tx.stage(frame)
                tx.run_script(SQL_DIR / "synthetic" / f"{kind}.sql")
                tx.drop_stage()
                rows += len(frame)
            result.rows[kind] = rows
            tx.execute("log_import", kind=kind, file_name=f"synthetic-{scale_name}", sha256="-", rows_read=rows,
                       rows_loaded=rows, rows_rejected=0, imported_by="ipmetrics sample", imported_at=now,
                       data_through=str(through))
        say("汇总各地区逐月变化")
        for kind, _ in loads:
            tx.run_script(SQL_DIR / "imports" / "rebuild_measure_monthly.sql", source=kind)
        tx.execute("bump_data_version")
        tx.execute("set_meta_value", key="sample_data", value="true")
    result.seconds = time.perf_counter() - began
    return result


def _csv_source(frame: pd.DataFrame, name: str) -> Source:
    """A frame as an in-memory CSV file for the importer (which validates and logs it)."""
    return Source(name=name, data=frame.to_csv(index=False).encode("utf-8"))
