"""专利: invention patents per 10,000 residents against the goal, and the grants behind it."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.core import periods
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
view = cache.patent_view(*cache.view_args(ctx), ctx.registry)
card = cache.card(ctx, "invention_patents_per_10k")
charts = {c.key: c for c in areas.patent_charts(view, context.where(ctx), card.goal.source)}

st.title(f"专利 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · 罗政〔2021〕28号 第（二）条、第（七）条、第（十）条 · {card.definition}")

p = card.progress
columns = st.columns(4)
columns[0].metric("每万人口有效发明专利", f"{card.goal.format_value(p.value)} 件/万人",
                  help=f"目标：2030年{card.goal.target_text()}")
columns[1].metric("有效发明专利（国内授权）", f"{view.valid_inventions:,} 件")
ytd = dict(zip(view.grants_year_to_date["专利类型"], view.grants_year_to_date["授权件数"]))
columns[2].metric(f"{ctx.as_of.year}年授权 发明/实用新型/外观",
                  f"{ytd['发明']} / {ytd['实用新型']} / {ytd['外观设计']} 件")
columns[3].metric("国外授权专利（累计）", f"{len(view.abroad)} 件")

st.subheader("每万人口有效发明专利拥有量与2030年目标")
widgets.goal_chart(ctx, "invention_patents_per_10k", key="pt")

widgets.show_chart(ctx, charts["pt_monthly"], "每月专利授权（国内）")
window = f"{ctx.as_of - 11}至{ctx.as_of}"
widgets.show_chart(ctx, charts["pt_township"], f"近12个月授权，按乡镇（街道）（{window}）")
widgets.show_chart(ctx, charts["pt_industry"], "近12个月授权，按产业（第（七）条五大新兴产业与传统产业）")

widgets.table_section(ctx, "国外授权专利", view.abroad, key="pt_abroad",
                      empty=f"{ctx.region_name}截至本月没有国外授权的专利。")
