"""Numbers for people: the shared filters format through Django's localisation in Dutch and in English."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.platform.templatetags.regie_format import count, euro, measure, percent


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("nl", ["€\u00a01.401,50", "125.175.423", "97%", "97,3%", "1.968", "12,5%", "€\u00a017.010.250"]),
        ("en", ["€\u00a01,401.50", "125,175,423", "97%", "97.3%", "1,968", "12.5%", "€\u00a017,010,250"]),
    ],
)
def test_filters_follow_the_language(lang, expected):
    with translation.override(lang):
        got = [
            euro(Decimal("1401.50")),
            count(125175423.2),
            percent(0.97),
            percent(0.9734, 1),
            measure(1967.8, "count"),
            measure(12.5, "percent"),
            measure(17010249.83, "euro"),
        ]
    assert got == expected


def test_missing_values_show_a_dash_not_zero():
    assert euro(None) == count("") == percent("n.v.t.") == measure(None, "euro") == "—"


def test_template_use():
    with translation.override("nl"):
        out = Template("{% load regie_format %}{{ a|euro }} · {{ s|percent }}").render(Context({"a": 1401.5, "s": 0.5}))
    assert out == "€\u00a01.401,50 · 50%"
