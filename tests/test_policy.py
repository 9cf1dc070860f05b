"""The policy's structure in the goal file: its seventeen articles in five parts, what cites them, and the
township assessment's weights."""

from pathlib import Path

import pytest

from ipmetrics.core.goals import RegistryError, load_registry, parse_registry
from ipmetrics.core.policy import article_number, article_text, chinese_number, cited_articles

LUOSHAN = Path(__file__).resolve().parents[1] / "data" / "indicators.toml"


def test_each_of_the_seventeen_articles_is_declared_in_the_policys_five_parts():
    registry = load_registry(LUOSHAN)
    assert [article.number for article in registry.articles] == list(range(1, 18))
    assert [(part, [a.number for a in articles]) for part, articles in registry.parts] == [
        ("总体要求", [1, 2]),
        ("促进知识产权创造运用", [3, 4, 5, 6, 7, 8, 9, 10]),
        ("实行严格的知识产权保护", [11, 12, 13]),
        ("推动知识产权协调发展", [14]),
        ("加强组织实施", [15, 16, 17]),
    ]
    assert registry.articles[12].heading == "（十三）构建“一个平台两个中心”知识产权高效维权援助体系"


def test_citations_are_read_in_the_policys_wording():
    assert cited_articles("第（二）条、第（五）条") == [2, 5]
    assert cited_articles("第(十一)条至第（十三）条") == [11, 13]
    assert cited_articles("第十四条 县乡联动") == [14]
    assert cited_articles(None) == [] and cited_articles("罗政〔2021〕28号") == []
    assert [chinese_number(n) for n in (1, 10, 11, 20, 17, 99)] == ["一", "十", "十一", "二十", "十七", "九十九"]
    assert article_number(article_text("二十")) == 20


def test_an_articles_indicators_are_those_that_cite_it():
    registry = load_registry(LUOSHAN)
    assert "gi_marks" in [g.id for g in registry.article_goals(5)]
    assert [g.id for g in registry.article_goals(8)][:2] == ["pledge_financing_count", "pledge_financing_amount"]


HEAD = """title = "t"\npolicy = "p"\npolicy_title = "pt"\nregion = "1"\n
[[indicators]]\nid = "a"\nname_zh = "甲"\nname_en = "A"\nunit = "件"\nkind = "count"\narticle = "第（二）条"
definition = "d"\nsource = "s"\n"""


@pytest.mark.parametrize("extra, message", [
    ('[[articles]]\nnumber = 2\ntitle = "x"\npart = "y"\n[[articles]]\nnumber = 2\ntitle = "z"\npart = "y"\n',
     "条款重复：第（二）条"),
    ('[assessment]\n[[assessment.items]]\nindicator = "b"\nweight = 10\n', "考核指标 b 不在本文件的指标中"),
    ('[assessment]\n[[assessment.items]]\nindicator = "a"\nweight = 0\n', "assessment.items.0.weight"),
])
def test_a_bad_policy_structure_is_refused_with_a_message(extra, message):
    with pytest.raises(RegistryError) as caught:
        parse_registry(HEAD + extra, Path("plan.toml"))
    assert message in str(caught.value)
