"""The benefit pages in English: the templates' own text and the core's Dutch calculation lines and reasons
(regie.core.benefit writes Dutch; benefit_tags.benefit_text translates them for the English UI)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from regie.benefit.templatetags.benefit_tags import benefit_text

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        (
            "Bijstandsnorm alleenstaande, 21 jaar tot de pensioenleeftijd",
            "Assistance norm single, 21 years to pension age",
        ),
        ("Kostendelersnorm (3 personen in de woning)", "Cost-sharer norm (3 persons in the home)"),
        ("Verlaging (maatregel 100 %)", "Reduction (sanction 100 %)"),
        ("Nabetaling over maart 2026", "Back payment for March 2026"),
        ("inkomsten, nabetaling maart 2026, februari 2026", "income, back payment March 2026, February 2026"),
        ("geen rekeningnummer vastgelegd", "no bank account recorded"),
    ],
)
def test_core_lines_and_reasons_in_english(dutch, english):
    with translation.override("en"):
        assert benefit_text(dutch) == english
    with translation.override("nl"):
        assert benefit_text(dutch) == dutch  # the core's Dutch as it is


def test_case_page_benefit_section_in_english(world, login):
    c = _english(login(world.users_a["integrale_klantmanager"]))
    page = c.get(reverse("client_detail", args=[world.clients_a[0].pk])).content.decode()
    assert "Benefit statement per month" in page and "Assistance norm single" in page
    assert "Uitkeringsoverzicht per maand" not in page and "Bijstandsnorm" not in page


def test_income_and_runs_pages_in_english(world, login):
    case = world.clients_a[0].cases.get()
    c = _english(login(world.users_a["inkomensconsulent"]))
    income = c.get(reverse("benefit:income", args=[case.pk])).content.decode()
    assert "Month (YYYY-MM)" in income and "Reported by" in income and "Opgegeven door" not in income
    runs = c.get(reverse("benefit:runs")).content.decode()
    assert "Payment runs" in runs and "Compute preview" in runs and "Betaalruns" not in runs
