"""The sample's policy tasks (任务分工) for each of the seventeen articles of 罗政〔2021〕28号, and the
progress their lead units reported each quarter from 2025-Q3 to 2026-Q3 (示例数据, not the county's real
assignment).

The story: most tasks move; 专利导航 (七), the pledge risk-compensation fund (八) and the credit records
(十三) are behind and overdue; several tasks due at the end of 2025 were still 推进中 in January and were
finished in the first half of 2026; the townships (五, 十四) and a few offices sent no report for 2025-Q4.
As of 2026-10: three tasks overdue (七, 八 and 十三, the last reported 推进中 again), three reporting 滞后
(五's 地理标志, 七, 八), and the townships (two tasks) and 县农业农村局 (one) not reported for 2026-Q3.
"""

from __future__ import annotations

from datetime import date

from ipmetrics.core.policy import article_text

ONGOING = "长期"
MARKET = "县市场监督管理局"
TOWNSHIPS = "各乡镇人民政府"
PLEDGE_IDS = "pledge_financing_count,pledge_financing_amount"
ENTERPRISE_IDS = "national_ip_enterprises,provincial_ip_enterprises"

# code, article, task, lead unit, co-units, due (a date or 长期), linked indicator ids
TASKS = [
    ("RW-01-01", 1, "制定年度知识产权工作要点，明确年度重点任务和责任单位", MARKET, "领导小组各成员单位",
     date(2025, 3, 31), None),
    ("RW-02-01", 2, "将2030年主要目标分解到年度，逐年调度商标、专利、强企等指标完成情况", MARKET, "县统计局",
     ONGOING, "trademarks_registered,well_known_marks,gi_marks,invention_patents_per_10k"),
    ("RW-02-02", 2, "建立知识产权主要指标月度统计、季度通报制度", MARKET, "县统计局", date(2025, 12, 31), None),
    ("RW-03-01", 3, "将知识产权相关指标纳入县政府年度目标绩效考核体系", "县发展和改革委员会", "县市场监督管理局、县统计局",
     date(2025, 12, 31), None),
    ("RW-03-02", 3, "将知识产权指标纳入国民经济和社会发展规划", "县发展和改革委员会", "县统计局", date(2026, 3, 31), None),
    ("RW-04-01", 4, "建立驰名商标培育库，梳理龙头企业商标使用证据，择优推荐认定", MARKET, "县工业和信息化局",
     date(2030, 12, 31), "well_known_marks"),
    ("RW-04-02", 4, "支持企业与高校、服务机构联合培育发明专利、PCT国际专利等高价值专利", "县科技局", MARKET,
     ONGOING, "invention_patents_per_10k"),
    ("RW-05-01", 5, "指导罗山大肠汤、好品罗山申报集体商标", MARKET, "县商务局、县农业农村局", date(2025, 12, 31), None),
    ("RW-05-02", 5, "指导罗山石山口鱼、铁铺豆腐、罗山渔稻米、罗山板栗申报地理标志商标", "县农业农村局",
     "县市场监督管理局、相关乡镇人民政府", date(2026, 12, 31), "gi_marks"),
    ("RW-05-03", 5, "深入推进“一乡一品”“一村一品”建设和信阳毛尖品牌基地建设", TOWNSHIPS, "县农业农村局",
     ONGOING, None),
    ("RW-06-01", 6, "组织高新技术企业、科技型企业贯彻《企业知识产权管理规范》，2030年基本实现贯标全覆盖", MARKET,
     "县科技局", date(2030, 12, 31), "ip_standard_coverage"),
    ("RW-06-02", 6, "组织推荐申报省知识产权强企、国家知识产权优势示范企业", "县科技局", MARKET, date(2025, 12, 31),
     ENTERPRISE_IDS),
    ("RW-07-01", 7, "围绕五大新兴产业开展专利导航，形成产业专利导航分析报告", "县工业和信息化局",
     "县科技局、县产业集聚区管委会", date(2025, 12, 31), None),
    ("RW-08-01", 8, "建立知识产权质押融资风险补偿机制", "县财政局", "县市场监督管理局、县金融服务中心",
     date(2025, 6, 30), PLEDGE_IDS),
    ("RW-08-02", 8, "组织银企对接，推动专利、商标质押融资", "县金融服务中心", "县市场监督管理局、各商业银行",
     ONGOING, PLEDGE_IDS),
    ("RW-09-01", 9, "建设知识产权公共服务平台，实现专利、商标、版权、植物新品种信息互联互通", MARKET,
     "县科技局、县农业农村局、县委宣传部", date(2026, 6, 30), None),
    ("RW-09-02", 9, "培育引进知识产权服务机构，推进服务标准化", MARKET, "县商务局", ONGOING, None),
    ("RW-10-01", 10, "修订知识产权资助奖励办法，兑现强企、发明专利、涉外专利年度奖励", "县财政局",
     "县市场监督管理局、县科技局", date(2025, 12, 31), "invention_patents_per_10k"),
    ("RW-11-01", 11, "完善两法衔接机制，落实案件移送、案情通报和信息共享制度", "县司法局",
     "县公安局、县市场监督管理局、县人民检察院", date(2025, 12, 31), None),
    ("RW-11-02", 11, "打击网络化、链条式、产业化知识产权犯罪", "县公安局", MARKET, ONGOING, None),
    ("RW-12-01", 12, "开展知识产权执法“铁拳”行动和执法维权专项行动", MARKET, "县公安局", ONGOING, None),
    ("RW-12-02", 12, "开展打击网络侵权盗版“剑网行动”，巩固推进软件正版化", "县委宣传部",
     "县文化广电和旅游局、县工业和信息化局", ONGOING, None),
    ("RW-12-03", 12, "加强植物新品种、生物遗传资源保护执法", "县农业农村局", MARKET, date(2026, 12, 31), None),
    ("RW-13-01", 13, "建立知识产权信用信息档案，将侵权行为信息纳入征信系统", "县发展和改革委员会",
     "县市场监督管理局、中国人民银行罗山县支行", date(2025, 9, 30), None),
    ("RW-13-02", 13, "完善12315指挥中心知识产权投诉处理，发挥产业集聚区维权援助工作站职能", MARKET,
     "县产业集聚区管委会", ONGOING, None),
    ("RW-14-01", 14, "以县产业集聚区为轴心创建知识产权战略示范区", "县产业集聚区管委会", MARKET,
     date(2026, 12, 31), None),
    ("RW-14-02", 14, "制定乡镇知识产权工作目标，构建“县乡联动、点线面结合”格局", TOWNSHIPS, MARKET, ONGOING, None),
    ("RW-15-01", 15, "定期召开知识产权战略实施工作领导小组会议，研究解决重大问题", MARKET, "领导小组各成员单位",
     ONGOING, None),
    ("RW-15-02", 15, "各有关部门结合实际制定实施方案和配套政策", MARKET, "各有关部门", date(2025, 6, 30), None),
    ("RW-16-01", 16, "开展知识产权行政管理人员和企业专利信息利用、运营人才培训", "县人力资源和社会保障局",
     MARKET, ONGOING, None),
    ("RW-16-02", 16, "开展知识产权进校园活动，建设知识产权教育示范基地", "县教育体育局", MARKET,
     date(2026, 6, 30), None),
    ("RW-17-01", 17, "持续举办“4.26”知识产权宣传周活动", "县委宣传部", MARKET, ONGOING, None),
    ("RW-17-02", 17, "利用报纸、微博、微信公众号等媒体开展知识产权宣传普及", "县融媒体中心", "县委宣传部",
     ONGOING, None),
]

# code → (2025-Q3 status, progress), (2025-Q4 status, progress); None: no report for that quarter.
REPORTS = {
    "RW-01-01": (("done", "2025年工作要点已印发"), None),
    "RW-02-01": (("in_progress", "已将2025年目标分解至各责任单位"), ("in_progress", "年度指标调度完成，商标、质押融资达序时进度")),
    "RW-02-02": (("in_progress", "统计口径已与统计局对接"), ("in_progress", "季度通报模板已拟定，待领导小组审定")),
    "RW-03-01": (("in_progress", "考核细则征求意见中"), ("done", "已纳入2026年度目标绩效考核")),
    "RW-03-02": (("not_started", None), ("in_progress", "已向规划编制组提交知识产权指标建议")),
    "RW-04-01": (("in_progress", "培育库入库企业2家"), ("in_progress", "1家企业完成使用证据整理")),
    "RW-04-02": (("in_progress", "2家企业与高校签订合作协议"), ("in_progress", "提交发明专利申请6件")),
    "RW-05-01": (("in_progress", "好品罗山申报材料已受理"), ("in_progress", "罗山大肠汤协会材料补正中")),
    "RW-05-02": (("in_progress", "罗山渔稻米产地证明材料补正中"), ("behind", "罗山石山口鱼检测报告尚未出具")),
    "RW-05-03": (("in_progress", "各乡镇上报特色产品清单"), None),
    "RW-06-01": (("in_progress", "组织贯标培训1期，企业18家"), ("in_progress", "新增贯标认证企业4家")),
    "RW-06-02": (("in_progress", "3家企业提交申报材料"), ("done", "推荐3家企业申报省强企")),
    "RW-07-01": (("behind", "导航服务机构尚未确定"), ("behind", "采购程序重新启动")),
    "RW-08-01": (("behind", "补偿办法草案待财政评审"), ("behind", "资金来源未落实")),
    "RW-08-02": (("in_progress", "举办银企对接会1场"), ("in_progress", "新增质押融资2笔")),
    "RW-09-01": (("not_started", None), ("in_progress", "平台建设方案已报批")),
    "RW-09-02": (("in_progress", "引进代理机构1家"), None),
    "RW-10-01": (("in_progress", "奖励办法修订稿已征求意见"), ("done", "2025年度奖励资金已兑现")),
    "RW-11-01": (("in_progress", "联席会议制度已起草"), ("in_progress", "待县检察院会签")),
    "RW-11-02": (("in_progress", "破获侵犯商标权案件1起"), ("in_progress", "移送起诉1人")),
    "RW-12-01": (("in_progress", "检查专业市场3个，立案2起"), ("in_progress", "专项行动结案4起")),
    "RW-12-02": (("in_progress", "开展软件正版化检查"), ("in_progress", "检查网站12家")),
    "RW-12-03": (("not_started", None), None),
    "RW-13-01": (("in_progress", "信用档案字段已确定"), ("behind", "与征信系统对接未完成")),
    "RW-13-02": (("in_progress", "受理知识产权投诉5件，办结4件"), ("in_progress", "维权援助工作站接待咨询9次")),
    "RW-14-01": (("in_progress", "示范区创建方案起草中"), ("in_progress", "方案已报县政府")),
    "RW-14-02": (("not_started", None), None),
    "RW-15-01": (("in_progress", "召开领导小组会议1次"), ("in_progress", "召开领导小组会议1次")),
    "RW-15-02": (("done", "12个成员单位已制定实施方案"), None),
    "RW-16-01": (("in_progress", "举办专利信息利用培训1期"), None),
    "RW-16-02": (("not_started", None), ("in_progress", "确定2所示范学校")),
    "RW-17-01": (("done", "“4.26”宣传周活动已举办"), ("in_progress", "2026年宣传周方案起草")),
    "RW-17-02": (("in_progress", "发布宣传稿件8篇"), ("in_progress", "发布宣传稿件11篇")),
}
IN_PROGRESS = "in_progress"
# code → 2026-Q1, Q2, Q3 reports (status, progress); None: no report. Tasks finished in 2025 report no more.
REPORTS_2026 = {
    "RW-02-01": ((IN_PROGRESS, "2026年目标已分解下达"), (IN_PROGRESS, "上半年指标调度完成"),
                 (IN_PROGRESS, "前三季度指标调度完成，质押融资超序时进度")),
    "RW-02-02": (("done", "季度通报制度已印发，首期通报已发布"), None, None),
    "RW-03-02": (("done", "知识产权指标已写入“十五五”规划纲要"), None, None),
    "RW-04-01": ((IN_PROGRESS, "培育库新增企业1家"), (IN_PROGRESS, "2家企业完成使用证据整理"),
                 (IN_PROGRESS, "择优推荐1家企业申请驰名商标认定")),
    "RW-04-02": ((IN_PROGRESS, "提交发明专利申请4件"), (IN_PROGRESS, "PCT申请1件"), (IN_PROGRESS, "提交发明专利申请5件")),
    "RW-05-01": ((IN_PROGRESS, "罗山大肠汤协会补正材料已提交"), ("done", "两件集体商标申请均已受理，指导任务完成"), None),
    "RW-05-02": (("behind", "铁铺豆腐申报材料待补正"), (IN_PROGRESS, "罗山石山口鱼检测报告已出具"),
                 ("behind", "罗山板栗产地范围尚未划定")),
    "RW-05-03": ((IN_PROGRESS, "新增“一村一品”示范村2个"), None, None),
    "RW-06-01": ((IN_PROGRESS, "新增贯标认证企业3家"), (IN_PROGRESS, "组织贯标培训1期"), (IN_PROGRESS, "新增贯标认证企业5家")),
    "RW-07-01": (("behind", "服务机构采购流标"), ("behind", "第二次采购已发布"), ("behind", "导航报告初稿未按期提交")),
    "RW-08-01": (("behind", "补偿办法待县政府常务会研究"), ("behind", "补偿资金未列入预算"), ("behind", "资金来源仍未落实")),
    "RW-08-02": ((IN_PROGRESS, "新增质押融资3笔"), (IN_PROGRESS, "举办银企对接会1场"), (IN_PROGRESS, "新增质押融资4笔")),
    "RW-09-01": ((IN_PROGRESS, "平台建设完成招标"), ("done", "知识产权公共服务平台上线运行"), None),
    "RW-09-02": ((IN_PROGRESS, "代理机构设立分支机构1家"), (IN_PROGRESS, "服务规范已印发"), (IN_PROGRESS, "开展服务质量检查")),
    "RW-11-01": (("done", "两法衔接工作办法已会签印发"), None, None),
    "RW-11-02": ((IN_PROGRESS, "破获侵犯商标权案件2起"), (IN_PROGRESS, "移送起诉3人"), (IN_PROGRESS, "破获案件1起")),
    "RW-12-01": ((IN_PROGRESS, "检查专业市场2个"), (IN_PROGRESS, "立案查处商标侵权3起"), (IN_PROGRESS, "“铁拳”行动结案5起")),
    "RW-12-02": ((IN_PROGRESS, "检查网站8家"), (IN_PROGRESS, "软件正版化检查覆盖12个单位"), (IN_PROGRESS, "“剑网”行动检查网站10家")),
    "RW-12-03": (("not_started", None), (IN_PROGRESS, "开展种子市场检查1次"), None),
    "RW-13-01": (("behind", "征信系统接口待省级开通"), ("behind", "接口开通延期"), (IN_PROGRESS, "对接测试完成，待上线")),
    "RW-13-02": ((IN_PROGRESS, "受理投诉6件，办结6件"), (IN_PROGRESS, "维权援助接待咨询12次"), (IN_PROGRESS, "受理投诉4件，办结3件")),
    "RW-14-01": ((IN_PROGRESS, "示范区创建方案已批复"), (IN_PROGRESS, "示范区建设任务分解到企业"), (IN_PROGRESS, "迎接市级中期评估")),
    "RW-14-02": (None, (IN_PROGRESS, "8个乡镇已制定知识产权工作目标"), None),
    "RW-15-01": ((IN_PROGRESS, "召开领导小组会议1次"), (IN_PROGRESS, "召开领导小组会议1次"), (IN_PROGRESS, "召开领导小组会议1次")),
    "RW-16-01": ((IN_PROGRESS, "举办运营人才培训1期"), (IN_PROGRESS, "举办专利信息利用培训1期"), (IN_PROGRESS, "培训企业人员60人次")),
    "RW-16-02": ((IN_PROGRESS, "示范学校开设知识产权课程"), ("done", "2所知识产权教育示范基地已挂牌"), None),
    "RW-17-01": ((IN_PROGRESS, "2026年宣传周方案已印发"), (IN_PROGRESS, "“4.26”宣传周活动已举办"), (IN_PROGRESS, "总结宣传周经验")),
    "RW-17-02": ((IN_PROGRESS, "发布宣传稿件9篇"), (IN_PROGRESS, "发布宣传稿件13篇"), (IN_PROGRESS, "发布宣传稿件10篇")),
}
# When the quarter's reports came in (the 8th–15th of the following month, by task order).
QUARTERS = (("2025-Q3", date(2025, 10, 8)), ("2025-Q4", date(2026, 1, 8)), ("2026-Q1", date(2026, 4, 8)),
            ("2026-Q2", date(2026, 7, 8)), ("2026-Q3", date(2026, 10, 8)))


# A 督办事项 the leadership group raised on a task (not on an indicator): the risk-compensation fund of 八.
TASK_ACTIONS = [
    ("DB-2026-07-01", "RW-08-01", "质押融资风险补偿机制逾期一年仍未建立，资金来源未落实",
     "县财政局提出资金筹措方案报县政府常务会研究，9月底前印发补偿办法", "县财政局", "县金融服务中心",
     date(2026, 9, 30), "2026-07", "资金筹措方案已起草"),
]


def task_actions(region_code: str) -> list[dict]:
    """The 督办事项 on tasks, as rows of the `actions` import kind (open, for the county `region_code`)."""
    return [{"code": code, "goal_id": None, "region_code": region_code, "problem": problem, "measure": measure,
             "lead_unit": lead, "co_units": co, "due_on": due, "raised_month": raised, "status": "open",
             "closed_on": None, "progress": progress, "task_code": task}
            for code, task, problem, measure, lead, co, due, raised, progress in TASK_ACTIONS]


def tasks() -> list[dict]:
    """The tasks as rows of the `tasks` import kind."""
    return [{"code": code, "article": article_text(str(article)), "task": text, "lead_unit": lead,
             "co_units": co, "due_on": None if due == ONGOING else due, "ongoing": due == ONGOING,
             "indicator_ids": ids}
            for code, article, text, lead, co, due, ids in TASKS]


def task_reports() -> list[dict]:
    """The reports as rows of the `task_reports` import kind, reported by each task's lead unit."""
    lead = {code: unit for code, _, _, unit, _, _, _ in TASKS}
    rows = []
    for number, (code, quarters) in enumerate(REPORTS.items()):
        quarters = quarters + REPORTS_2026.get(code, (None, None, None))
        for (period, first_day), report in zip(QUARTERS, quarters, strict=True):
            if report is not None:
                day = first_day.replace(day=first_day.day + number % 8)
                rows.append({"task_code": code, "period": period, "status": report[0], "progress": report[1],
                             "reporting_unit": lead[code], "reported_on": day})
    return rows

