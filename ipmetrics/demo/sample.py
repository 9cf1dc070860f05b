"""A deterministic, illustrative sample of Luoshan County's IP records (示例数据, not real figures).

The scale follows the public facts in the domain brief: 493,208 residents at the 2020 census, about
3,000 valid trademarks and 15–30 valid invention patents at the end of 2020, 2.24亿元 of pledge
financing in 2024. Records are generated to a fixed horizon and then cut at the requested month, so
the months before the cut are the same whatever the cut.

The story at 2025-12: pledge financing (count and amount) and the national enterprise goal already met;
trademarks and 贯标 coverage on track; invention patents per 10,000 and GI marks at risk; well-known
marks and provincial IP-strong enterprises off track.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS
from ipmetrics.demo import sample_reported, sample_targets, sample_tasks
from ipmetrics.io.schemas import KINDS

SEED = 202128
HORIZON = date(2030, 12, 31)
COUNTY = ("411521", "罗山县")

# (code suffix, name, share of residents, weight of economic activity)
TOWNSHIPS = [
    ("001", "丽水街道", 0.100, 3.0), ("002", "宝城街道", 0.090, 3.0), ("003", "龙山街道", 0.080, 3.5),
    ("101", "周党镇", 0.060, 1.2), ("102", "竹竿镇", 0.050, 1.0), ("103", "灵山镇", 0.050, 1.3),
    ("104", "子路镇", 0.050, 1.0), ("105", "楠杆镇", 0.045, 0.9), ("106", "青山镇", 0.045, 0.8),
    ("107", "潘新镇", 0.050, 0.9), ("108", "彭新镇", 0.045, 0.8), ("109", "莽张镇", 0.040, 0.7),
    ("110", "东铺镇", 0.040, 0.8), ("111", "铁铺镇", 0.040, 0.8), ("202", "庙仙乡", 0.035, 0.5),
    ("204", "定远乡", 0.035, 0.6), ("205", "山店乡", 0.035, 0.5), ("207", "朱堂乡", 0.030, 0.4),
    ("208", "尤店乡", 0.030, 0.4), ("209", "高店乡", 0.030, 0.4),
]
STREETS = {"001", "002", "003"}
# Townships with no high-tech or tech-SME firm: their 贯标 coverage has no data.
NO_TECH_FIRMS = {"207", "209"}

RESIDENT = {2019: 497_900, 2020: 493_208, 2021: 489_100, 2022: 485_600, 2023: 482_300, 2024: 479_500,
            2025: 476_800, 2026: 474_200, 2027: 471_700, 2028: 469_300, 2029: 467_000, 2030: 464_800}
REGISTERED = {2019: 771_500, 2020: 770_200, 2021: 768_400, 2022: 766_100, 2023: 764_000, 2024: 761_800,
              2025: 759_300, 2026: 757_000, 2027: 754_600, 2028: 752_100, 2029: 749_800, 2030: 747_400}

# The industry groups of the bundled goal file, which this sample illustrates (the weights and words below
# give each of its industries a share and a vocabulary).
_GROUPS = {group.name: list(group.industries) for group in load_registry(DEFAULT_INDICATORS).industry_groups}
TRADITIONAL, EMERGING = _GROUPS["传统产业"], _GROUPS["新兴产业"]
OTHER = ["纺织服装", "建材", "商贸服务"]
INDUSTRY_WEIGHTS = {"茶叶": 14, "绿色食品": 12, "禽产品": 6, "电子信息": 9, "环保装备": 5, "新能源": 5,
                    "精密加工": 8, "生物医药": 4, "纺织服装": 7, "建材": 6, "商贸服务": 24}
FIRM_SUFFIX = {"茶叶": "茶业", "绿色食品": "食品", "禽产品": "禽业", "电子信息": "电子科技", "环保装备": "环保设备",
               "新能源": "新能源科技", "精密加工": "精密机械", "生物医药": "生物科技", "纺织服装": "服饰",
               "建材": "建材", "商贸服务": "商贸"}
PRODUCT_WORDS = {"茶叶": ["毛尖", "红茶", "茶园", "山茶", "春芽"], "绿色食品": ["香米", "板栗", "腐竹", "挂面", "菜籽油"],
                 "禽产品": ["土鸡", "麻鸭", "鹅业", "蛋品"], "电子信息": ["芯", "电子", "智联", "光电"],
                 "环保装备": ["净", "环保", "清源"], "新能源": ["光伏", "储能", "绿能"], "精密加工": ["精工", "机械", "锻造"],
                 "生物医药": ["康", "药业", "生物"], "纺织服装": ["服饰", "织造", "鞋业"], "建材": ["建材", "石材", "管业"],
                 "商贸服务": ["商行", "超市", "餐饮", "物流", "酒店", "农家乐"]}
BRAND_WORDS = ["灵山", "董寨", "宝城", "龙山", "子路", "石山口", "豫南", "淮畔", "恒泰", "金鼎", "瑞丰", "宏达",
               "福源", "嘉禾", "天润", "绿源", "康宁", "兴旺", "华瑞", "盛达", "永丰", "博远", "新锐", "山水",
               "金桥", "鑫源", "青峰", "云雾", "竹韵", "楚风", "申城", "罗峰", "凤鸣", "翠谷", "春晓", "丰华"]
LENDERS = ["中国银行罗山支行", "中原银行罗山支行", "罗山农村商业银行", "中国邮政储蓄银行罗山县支行",
           "中国建设银行罗山支行", "中国农业银行罗山县支行"]
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Named records of the story (article 五 brands and designations); later ones fall after the cut.
TEA_LEADERS = ["老寨山", "亿峰", "灵山", "申林"]
NAMED_MARKS = [
    # reg_no, name, holder, township, type, is_gi, registered_on, well_known_on
    ("38215506", "罗山板栗", "罗山县板栗产业协会", "205", "certification", True, date(2022, 6, 14), None),
    ("50337128", "罗山大肠汤", "罗山县餐饮行业协会", "001", "collective", False, date(2023, 3, 13), None),
    ("61894002", "铁铺豆腐", "罗山县铁铺镇豆腐产业协会", "111", "certification", True, date(2024, 9, 20), None),
    ("70412655", "罗山石山口鱼", "罗山县水产协会", "109", "certification", True, date(2027, 5, 7), None),
    ("72108830", "好品罗山", "罗山县农产品品牌促进会", "002", "collective", False, date(2027, 11, 21), None),
    ("75530017", "罗山渔稻米", "罗山县稻渔综合种养协会", "107", "certification", True, date(2028, 8, 30), None),
]
# The brands of article 五 and their application steps; dates after the cut are not known yet.
BRANDS = [
    # name, type, applicant, township, filed, accepted, published, registered, reg_no
    ("罗山板栗", "gi", "罗山县板栗产业协会", "205", date(2020, 11, 2), date(2021, 1, 5), date(2022, 3, 13),
     date(2022, 6, 14), "38215506"),
    ("罗山大肠汤", "collective", "罗山县餐饮行业协会", "001", date(2021, 9, 10), date(2021, 10, 20),
     date(2022, 11, 27), date(2023, 3, 13), "50337128"),
    ("铁铺豆腐", "gi", "罗山县铁铺镇豆腐产业协会", "111", date(2022, 5, 16), date(2022, 7, 1), date(2024, 6, 13),
     date(2024, 9, 20), "61894002"),
    ("罗山石山口鱼", "gi", "罗山县水产协会", "109", date(2024, 3, 5), date(2024, 5, 11), date(2026, 8, 6),
     date(2027, 5, 7), "70412655"),
    ("好品罗山", "collective", "罗山县农产品品牌促进会", "002", date(2025, 6, 18), date(2025, 8, 2),
     date(2027, 6, 30), date(2027, 11, 21), "72108830"),
    ("罗山渔稻米", "gi", "罗山县稻渔综合种养协会", "107", date(2026, 4, 22), date(2026, 11, 10), date(2028, 3, 2),
     date(2028, 8, 30), "75530017"),
]
# Yearly counts that carry the story; the days, places and holders are random.
INVENTION_GRANTS = {2012: 1, 2013: 1, 2014: 2, 2015: 2, 2016: 2, 2017: 3, 2018: 3, 2019: 4, 2020: 5,
                    2021: 4, 2022: 4, 2023: 4, 2024: 3, 2025: 2, 2026: 4, 2027: 5, 2028: 6, 2029: 6, 2030: 7}
INVENTION_LAPSES = {2019: 1, 2020: 1, 2021: 1, 2022: 1, 2023: 2, 2024: 1, 2025: 1, 2026: 1, 2027: 1,
                    2028: 1, 2029: 1, 2030: 1}
FOREIGN_GRANTS = {2021: ["US"], 2023: ["US", "EP"], 2024: ["JP"], 2025: ["US", "KR"], 2026: ["EP"],
                  2027: ["US"], 2028: ["US", "JP"], 2029: ["EP"], 2030: ["US"]}
PLEDGES = {2019: (1, 300), 2020: (1, 500), 2021: (2, 800), 2022: (3, 1500), 2023: (5, 3000),
           2024: (12, 22400), 2025: (10, 15800), 2026: (11, 18000), 2027: (11, 19000), 2028: (12, 20000),
           2029: (12, 21000), 2030: (13, 22000)}
CERTIFICATIONS = {2017: 1, 2018: 1, 2019: 2, 2020: 2, 2021: 5, 2022: 7, 2023: 10, 2024: 12, 2025: 16,
                  2026: 14, 2027: 12, 2028: 8, 2029: 4}
# A fifth of the county's CN invention patents are reported as high value (高价值发明专利), drawn with a
# generator of their own so that every other record is the same as before the flag existed.
HIGH_VALUE_BLOCK = 5
HIGH_VALUE_SEED = SEED + 14
NATIONAL_ON = date(2024, 11, 20)
PROVINCIAL_ON = [date(2023, 8, 15), date(2027, 10, 9)]
# Issue 16, fixed dates drawing nothing from the generator (so every other record stays as it was): the
# national firm upgraded from 优势 to 示范企业; the second provincial firm applied in 2026, a year and more
# before its designation (在途 meanwhile); a firm designated provincially in 2015 that was not renewed at its
# three-year review and lapsed in 2018 — before the series starts, so no goal's history changes.
NATIONAL_DEMO_ON = date(2026, 9, 25)
PROVINCIAL_APPLIED_ON = date(2026, 6, 12)
LAPSED_PROVINCIAL = (date(2015, 7, 20), date(2018, 7, 20))
_DESIGNATION_COLUMNS = ("national_demo_on", "national_ip_until", "provincial_strong_until",
                        "national_ip_applied_on", "provincial_strong_applied_on")


def _random_day(rng: random.Random, year: int, month: int | None = None) -> date:
    if month is None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        start = date(year, month, 1)
        end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _township_code(suffix: str) -> str:
    return COUNTY[0] + suffix


class _Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.activity = {s: w for s, _, _, w in TOWNSHIPS}
        self.enterprises: list[dict] = []
        self.used_numbers: set[str] = set()

    # --- who ------------------------------------------------------------------------------------
    def credit_code(self) -> str:
        while True:
            code = "91411521" + "".join(self.rng.choice(CREDIT_CHARS) for _ in range(10))
            if code not in self.used_numbers:
                self.used_numbers.add(code)
                return code

    def make_enterprises(self) -> None:
        names = set()
        for leader in TEA_LEADERS:
            self._add_firm(f"罗山县{leader}茶业有限公司", "茶叶", "103" if leader == "灵山" else "101", names)
        while len(self.enterprises) < 280:
            industry = _pick(self.rng, INDUSTRY_WEIGHTS)
            brand = self.rng.choice(BRAND_WORDS)
            name = f"罗山县{brand}{FIRM_SUFFIX[industry]}有限公司"
            if name in names:
                name = f"信阳{brand}{FIRM_SUFFIX[industry]}有限公司"
            if name in names:
                continue
            self._add_firm(name, industry, _pick(self.rng, self.activity), names)
        # Technology status: most high-tech and tech-SME firms are in the emerging industries.
        for firm in self.enterprises:
            if firm["township"] in NO_TECH_FIRMS:
                continue
            emerging = firm["industry"] in EMERGING
            firm["high_tech"] = self.rng.random() < (0.40 if emerging else 0.06)
            firm["tech_sme"] = self.rng.random() < (0.55 if emerging else 0.17)

    def _add_firm(self, name: str, industry: str, township: str, names: set) -> None:
        names.add(name)
        self.enterprises.append({
            "credit_code": self.credit_code(), "name": name, "township": township, "industry": industry,
            "high_tech": False, "tech_sme": False, "ip_standard_on": None, "national_ip_on": None,
            "provincial_strong_on": None, **dict.fromkeys(_DESIGNATION_COLUMNS),
        })

    def firms(self, industries=None, tech_only=False) -> list[dict]:
        return [f for f in self.enterprises
                if (industries is None or f["industry"] in industries)
                and (not tech_only or f["high_tech"] or f["tech_sme"])]

    # --- enterprises' dates -----------------------------------------------------------------------
    def designate(self) -> None:
        eligible = self.firms(tech_only=True)
        order = self.rng.sample(eligible, len(eligible))
        index = 0
        for year, count in CERTIFICATIONS.items():
            for _ in range(count):
                if index < len(order):
                    order[index]["ip_standard_on"] = _random_day(self.rng, year)
                    index += 1
        # A few firms outside the high-tech lists certify too; they do not count for the goal.
        for firm in self.rng.sample(self.firms(industries=TRADITIONAL), 3):
            if not (firm["high_tech"] or firm["tech_sme"]):
                firm["ip_standard_on"] = _random_day(self.rng, self.rng.choice([2022, 2023, 2024]))
        certified = sorted((f for f in eligible if f["ip_standard_on"]), key=lambda f: f["ip_standard_on"])
        strong = [f for f in certified if f["industry"] in EMERGING]
        strong[0]["national_ip_on"] = NATIONAL_ON
        strong[0]["national_demo_on"] = NATIONAL_DEMO_ON
        for firm, day in zip(strong[1:], PROVINCIAL_ON):
            firm["provincial_strong_on"] = day
        strong[2]["provincial_strong_applied_on"] = PROVINCIAL_APPLIED_ON
        strong[3]["provincial_strong_on"], strong[3]["provincial_strong_until"] = LAPSED_PROVINCIAL

    # --- trademarks -------------------------------------------------------------------------------
    def reg_no(self, day: date) -> str:
        base = 3_000_000 + (day.toordinal() - date(2004, 1, 1).toordinal()) * 2_600
        while True:
            number = str(base + self.rng.randrange(2_600))
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def trademark(self, day: date) -> dict:
        if self.rng.random() < 0.8:
            firm = self.rng.choice(self.enterprises)
            holder, township, industry = firm["name"], firm["township"], firm["industry"]
        else:  # individual businesses and cooperatives
            industry = _pick(self.rng, INDUSTRY_WEIGHTS)
            township = _pick(self.rng, self.activity)
            place = next(n for s, n, _, _ in TOWNSHIPS if s == township).rstrip("街道镇乡")
            holder = f"罗山县{place}{self.rng.choice(BRAND_WORDS)}{'专业合作社' if industry in TRADITIONAL else '商行'}"
        name = self.rng.choice(BRAND_WORDS) + self.rng.choice(PRODUCT_WORDS[industry])
        ended = None
        term_start = day
        while ended is None:
            expiry = _years_later(term_start, 10)
            if self.rng.random() < 0.06:  # cancelled or invalidated during the term
                ended = term_start + timedelta(days=self.rng.randrange((expiry - term_start).days))
            elif self.rng.random() < 0.45:  # not renewed
                ended = expiry
            else:
                term_start = expiry + timedelta(days=1)
                if term_start > HORIZON:
                    break
        return {"reg_no": self.reg_no(day), "mark_name": name, "holder": holder,
                "region_code": _township_code(township), "mark_type": "ordinary", "is_gi": False,
                "industry": industry, "registered_on": day, "ended_on": ended, "well_known_on": None}

    def trademarks(self) -> list[dict]:
        rows = []
        # The stock registered before the period the data cover.
        for year in range(2006, 2019):
            for _ in range(int(65 * 1.16 ** (year - 2006))):
                rows.append(self.trademark(_random_day(self.rng, year)))
        monthly = {2019: 30, 2020: 31, 2021: 32, 2022: 33, 2023: 34, 2024: 35, 2025: 36, 2026: 37,
                   2027: 38, 2028: 39, 2029: 40, 2030: 41}
        for year, rate in monthly.items():
            for month in range(1, 13):
                seasonal = 0.8 if month in (1, 2) else 1.05
                for _ in range(max(0, round(self.rng.gauss(rate * seasonal, rate * 0.12)))):
                    rows.append(self.trademark(_random_day(self.rng, year, month)))
        for reg_no, name, holder, township, mark_type, is_gi, day, known in NAMED_MARKS:
            self.used_numbers.add(reg_no)
            rows.append({"reg_no": reg_no, "mark_name": name, "holder": holder,
                         "region_code": _township_code(township), "mark_type": mark_type, "is_gi": is_gi,
                         "industry": "绿色食品" if "茶" not in name else "茶叶", "registered_on": day,
                         "ended_on": None, "well_known_on": known})
        return rows

    # --- patents ----------------------------------------------------------------------------------
    def patent_holder(self, patent_type: str) -> dict:
        pool = self.firms(industries=EMERGING) if patent_type == "invention" else self.enterprises
        tech = [f for f in pool if f["high_tech"] or f["tech_sme"]]
        return self.rng.choice(tech if tech and self.rng.random() < 0.8 else pool)

    def patent(self, patent_type: str, office: str, granted: date) -> dict:
        firm = self.patent_holder(patent_type)
        lag = {"invention": (700, 1500), "utility_model": (150, 420), "design": (90, 240)}[patent_type]
        applied = granted - timedelta(days=self.rng.randrange(*lag))
        digit = {"invention": "1", "utility_model": "2", "design": "3"}[patent_type]
        while True:
            if office == "CN":
                number = f"ZL{applied.year}{digit}{self.rng.randrange(10**7):07d}.{self.rng.randrange(10)}"
            else:
                kind = {"US": "B2", "EP": "B1", "JP": "B2", "KR": "B1"}[office]
                number = f"{office}{self.rng.randrange(10**6, 10**7)}{kind}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                break
        topic = self.rng.choice(PRODUCT_WORDS[firm["industry"]])
        what = {"invention": "一种{}的制备方法", "utility_model": "一种{}用装置", "design": "{}包装盒"}[patent_type]
        return {"patent_no": number, "title": what.format(topic), "holder": firm["name"],
                "region_code": _township_code(firm["township"]), "patent_type": patent_type, "office": office,
                "industry": firm["industry"], "applied_on": applied, "granted_on": granted, "ended_on": None,
                "high_value": False}

    def patents(self) -> list[dict]:
        rows = []
        inventions = []
        for year, count in INVENTION_GRANTS.items():
            for _ in range(count):
                inventions.append(self.patent("invention", "CN", _random_day(self.rng, year)))
        for year, count in INVENTION_LAPSES.items():
            alive = [p for p in inventions if p["ended_on"] is None and p["granted_on"].year < year]
            for patent in self.rng.sample(alive, count):
                patent["ended_on"] = _random_day(self.rng, year)
        rows += inventions
        utility = {2012: 40, 2014: 70, 2016: 110, 2018: 170, 2019: 200, 2020: 240, 2021: 290, 2022: 310,
                   2023: 330, 2024: 320, 2025: 340, 2026: 350, 2027: 360, 2028: 370, 2029: 380, 2030: 390}
        design = {2012: 20, 2014: 30, 2016: 45, 2018: 60, 2019: 70, 2020: 80, 2021: 95, 2022: 100, 2023: 105,
                  2024: 100, 2025: 110, 2026: 115, 2027: 120, 2028: 125, 2029: 130, 2030: 135}
        for table, patent_type, life in ((utility, "utility_model", 10), (design, "design", 15)):
            for year in range(2012, 2031):
                count = table.get(year, table.get(year - 1, 0))
                for _ in range(count):
                    patent = self.patent(patent_type, "CN", _random_day(self.rng, year))
                    # Most utility models and designs lapse when their annual fees stop.
                    kept = self.rng.choice([2, 3, 4, 5, 6, life, life])
                    patent["ended_on"] = _years_later(patent["granted_on"], kept)
                    rows.append(patent)
        for year, offices in FOREIGN_GRANTS.items():
            for office in offices:
                rows.append(self.patent("invention", office, _random_day(self.rng, year)))
        return rows

    # --- pledges ----------------------------------------------------------------------------------
    def pledges(self) -> list[dict]:
        rows = []
        borrowers = self.firms(tech_only=True)
        for year, (count, total) in PLEDGES.items():
            shares = [self.rng.uniform(0.5, 1.5) for _ in range(count)]
            amounts = [round(total * s / sum(shares) / 10) * 10 for s in shares]
            amounts[-1] = total - sum(amounts[:-1])
            days = sorted(_random_day(self.rng, year) for _ in range(count))
            for seq, (day, amount) in enumerate(zip(days, amounts), start=1):
                firm = self.rng.choice(borrowers)
                rows.append({"contract_no": f"ZY{year}{seq:03d}", "enterprise": firm["name"],
                             "region_code": _township_code(firm["township"]),
                             "ip_type": self.rng.choice(["专利权", "专利权", "商标权", "专利权、商标权"]),
                             "lender": self.rng.choice(LENDERS), "amount_wan": float(amount),
                             "registered_on": day})
        return rows

    # --- places and people ------------------------------------------------------------------------
    @staticmethod
    def regions() -> list[dict]:
        rows = [{"code": COUNTY[0], "name": COUNTY[1], "level": "county", "parent_code": None}]
        rows += [{"code": _township_code(s), "name": n, "level": "township", "parent_code": COUNTY[0]}
                 for s, n, _, _ in TOWNSHIPS]
        return rows

    @staticmethod
    def population() -> list[dict]:
        rows = []
        for year in RESIDENT:
            # Towns grow slightly against the villages around them.
            weights = [share * (1 + (0.012 if s in STREETS else -0.004) * (year - 2020))
                       for s, _, share, _ in TOWNSHIPS]
            resident = _split(RESIDENT[year], weights)
            registered = _split(REGISTERED[year], [w * (0.9 if i < 3 else 1.05) for i, w in enumerate(weights)])
            rows.append({"region_code": COUNTY[0], "year": year, "resident": RESIDENT[year],
                         "registered": REGISTERED[year]})
            for (suffix, _, _, _), res, reg in zip(TOWNSHIPS, resident, registered):
                rows.append({"region_code": _township_code(suffix), "year": year, "resident": res,
                             "registered": reg})
        return rows


def _split(total: int, weights: list[float]) -> list[int]:
    parts = [round(total * w / sum(weights)) for w in weights]
    parts[0] += total - sum(parts)
    return parts


# 督办事项 the leadership group might have raised (code, goal, problem, measure, lead unit, co-units,
# deadline, meeting month, closed on, progress).
ACTIONS = [
    ("DB-2025-06-01", "well_known_marks", "尚无中国驰名商标，距目标差2件",
     "梳理茶叶、板栗龙头企业商标使用证据，择优推荐驰名商标认定", "县市场监督管理局", "县农业农村局、县工业和信息化局",
     date(2026, 6, 30), "2025-06", None, "已确定2家重点培育企业，材料整理中"),
    ("DB-2025-06-02", "provincial_ip_enterprises", "省知识产权强企仅1家，距目标差1家",
     "组织3家高新技术企业申报河南省知识产权强企", "县科学技术局", "县市场监督管理局",
     date(2025, 12, 31), "2025-06", date(2026, 1, 20), "3家企业已提交申报材料"),
    ("DB-2025-09-01", "gi_marks", "地理标志商标2件，距目标差1件",
     "指导罗山渔稻米协会补正产地证明材料后重新申报", "县市场监督管理局", "县农业农村局、潘新镇",
     date(2026, 3, 31), "2025-09", date(2026, 4, 22), "已于2026年4月重新申报"),
    ("DB-2025-12-01", "invention_patents_per_10k", "每万人口有效发明专利低于序时进度",
     "对高新技术企业开展专利挖掘，兑现第十条发明专利奖励", "县科学技术局", "县市场监督管理局、各乡镇（街道）",
     date(2026, 6, 30), "2025-12", None, None),
    ("DB-2026-03-01", "ip_standard_coverage", "贯标覆盖率不足六成",
     "分批组织科技型中小企业贯标培训与认证", "县市场监督管理局", "县科学技术局",
     date(2026, 12, 31), "2026-03", None, None),
]


def flag_high_value(patents: list[dict]) -> None:
    """Flag one CN invention patent in every HIGH_VALUE_BLOCK, by grant date, as high value: a steady
    share in every year (a random draw per patent leaves whole years without one at this size)."""
    rng = random.Random(HIGH_VALUE_SEED)
    inventions = sorted((p for p in patents if p["patent_type"] == "invention" and p["office"] == "CN"),
                        key=lambda p: (p["granted_on"], p["patent_no"]))
    for start in range(0, len(inventions), HIGH_VALUE_BLOCK):
        block = inventions[start:start + HIGH_VALUE_BLOCK]
        block[rng.randrange(len(block))]["high_value"] = True


def generate() -> dict[str, list[dict]]:
    """Every record to the horizon, keyed by import kind."""
    gen = _Generator()
    gen.make_enterprises()
    gen.designate()
    trademarks = gen.trademarks()
    patents = gen.patents()
    flag_high_value(patents)
    pledges = gen.pledges()
    enterprises = [{**{k: v for k, v in f.items() if k != "township"},
                    "region_code": _township_code(f["township"])} for f in gen.enterprises]
    brands = [{"name": n, "brand_type": t, "applicant": a, "region_code": _township_code(r), "filed_on": f,
               "accepted_on": acc, "published_on": pub, "registered_on": reg, "rejected_on": None,
               "reg_no": no, "note": "第（五）条点名培育"} for n, t, a, r, f, acc, pub, reg, no in BRANDS]
    actions = [{"code": code, "goal_id": goal, "region_code": COUNTY[0], "problem": problem, "measure": measure,
                "lead_unit": lead, "co_units": co, "due_on": due, "raised_month": raised,
                "status": "open" if closed is None else "closed", "closed_on": closed, "progress": progress}
               for code, goal, problem, measure, lead, co, due, raised, closed, progress in ACTIONS]
    return {"regions": gen.regions(), "population": gen.population(), "enterprises": enterprises,
            "trademarks": trademarks, "patents": patents, "pledges": pledges, "brands": brands,
            "reported": sample_reported.reported(),
            "actions": actions + sample_tasks.task_actions(COUNTY[0]), "tasks": sample_tasks.tasks(),
            "task_reports": sample_tasks.task_reports(),
            "targets": sample_targets.targets([_township_code(s) for s, *_ in TOWNSHIPS], trademarks, pledges,
                                              {_township_code(s) for s in NO_TECH_FIRMS}, _township_code("209"))}


def last_complete_month(today: date | None = None) -> pd.Period:
    return pd.Period(today or date.today(), freq="M") - 1


# The date on which each kind's record starts; records starting after the cut are dropped.
_START = {"trademarks": "registered_on", "patents": "granted_on", "pledges": "registered_on"}
# Dates that are blanked when they fall after the cut (not yet known then).
_LATER = {"trademarks": ["ended_on", "well_known_on"], "patents": ["ended_on"],
          "enterprises": ["ip_standard_on", "national_ip_on", "provincial_strong_on", *_DESIGNATION_COLUMNS],
          "brands": ["filed_on", "accepted_on", "published_on", "registered_on", "rejected_on"]}


def cut(records: dict[str, list[dict]], until: pd.Period) -> dict[str, pd.DataFrame]:
    """The records as they stand at the end of `until`, as frames in the columns of each import kind."""
    end = until.to_timestamp(how="end").date()
    frames = {}
    for kind, rows in records.items():
        frame = pd.DataFrame(rows, columns=KINDS[kind].columns)
        if kind in _START:
            frame = frame[frame[_START[kind]] <= end]
        for column in _LATER.get(kind, []):
            frame[column] = frame[column].where(frame[column].map(lambda d: d is not None and d <= end), None)
        if kind == "brands":  # a registration number exists only once the mark is registered
            frame["reg_no"] = frame["reg_no"].where(frame["registered_on"].notna(), None)
        if kind == "actions":  # raised at a meeting by then; a later closing is not known yet
            frame = frame[frame["raised_month"] <= str(until)].copy()
            later = frame["closed_on"].map(lambda d: d is not None and d > end)
            frame.loc[later, ["status", "closed_on", "progress"]] = ["open", None, None]
        if kind == "task_reports":  # a report for a period not yet ended, or made after the cut, is not known
            ends = frame["period"].map(lambda text: periods.end_month(periods.period_from_text(text)))
            frame = frame[(ends <= until) & (frame["reported_on"] <= end)]
        if kind == "reported":  # a figure is reported once its period has ended
            ends = frame["period"].map(lambda text: periods.end_month(periods.period_from_text(text)))
            frame = frame[ends <= until]
        if kind == "population":
            # A year's figures are published after the year has ended.
            frame = frame[frame["year"] < until.year + (until.month == 12)]
        frames[kind] = frame.sort_values(list(KINDS[kind].key)).reset_index(drop=True)
    return frames


def _csv_cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def write_sample(out_dir: Path | str, until: pd.Period | str | None = None) -> dict[str, Path]:
    """Write one UTF-8 CSV per import kind into `out_dir`; returns kind → path."""
    until = last_complete_month() if until is None else pd.Period(until, freq="M")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, frame in cut(generate(), until).items():
        path = out_dir / f"{kind}.csv"
        frame.map(_csv_cell).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths[kind] = path
    (out_dir / "README.md").write_text(
        f"# 示例数据（illustrative sample data）\n\n由 `ipmetrics sample --until {until}` 生成，"
        "规模参照公开资料估算，仅供演示，不是罗山县的真实统计数据。\n"
        "Generated, illustrative figures for Luoshan County — not real statistics.\n\n"
        "每类导入数据一个文件（`<类型>.csv`，列与导入模板相同）。`reported.csv` 是部门上报的数值：全县"
        "知识产权保护各项（执法立案、结案、罚没金额、移送公安、12315 投诉举报受理与办结、维权援助咨询与调解、"
        "信用档案记录）与专利转让许可按季度，PCT、马德里、植物新品种、服务机构、示范乡镇（园区）、领导小组会议、"
        "培训人次、“4·26”宣传周活动按年度，自 2021 年起（维权援助工作站自 2022 年起）；"
        "2026 年第三季度的信用档案记录与 2025 年的植物新品种故意未上报，页面显示“未上报”。\n",
        encoding="utf-8",
    )
    return paths
