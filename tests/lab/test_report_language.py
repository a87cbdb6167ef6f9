"""The stand-alone lab report reads in its language: Dutch by default, English on request; numbers grouped the
way that language writes them; code and documentation references only inside the "Bron" disclosure."""

from __future__ import annotations

import re

import pytest

from regie.core.lab import report
from regie.core.lab.ensemble import run_ensemble
from regie.core.lab.scenario import Scenario

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def arms():
    s = Scenario(
        name="klein",
        title={"nl": "Strenger sturen", "en": "Stricter steering"},
        question={"nl": "Werkt strenger sturen?", "en": "Does stricter steering work?"},
        source="seed 000:562-566",
        population={"clients": 300, "caseworkers": 4, "months": 12, "start": "2024-01-01"},
        runs=2,
        arms={
            "base": {"label": {"nl": "Huidig beleid", "en": "Current policy"}},
            "strict": {"label": {"nl": "Strenger", "en": "Stricter"}, "overrides": {"freedom_override": 0.0}},
        },
    )
    return s, {name: run_ensemble(params, s.runs) for name, params in s.arm_params().items()}


def _visible(page: str) -> str:
    """The report's text outside the Bron disclosure, the SVG plots and the markup."""
    page = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        (
            "nl",
            [
                "Beleidslab: Strenger sturen",
                "Vraag. Werkt strenger sturen?",
                "Gesimuleerd",
                "Huidig beleid",
                "Strenger",
            ],
            ["Policy lab", "Question", "Stricter", "Current policy"],
        ),
        (
            "en",
            ["Policy lab: Stricter steering", "Question. Does stricter steering work?", "Simulated", "Current policy"],
            ["Beleidslab", "Vraag.", "Strenger", "Huidig beleid", "Werkt"],
        ),
    ],
)
def test_the_report_in_its_language_with_sources_behind_bron(tmp_path, arms, lang, words, absent):
    scenario, result = arms
    report.write(tmp_path, scenario, result, lang=lang)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    visible = " ".join(_visible(page).split())
    for w in words:
        assert w in visible
    for w in absent:
        assert w not in visible
    assert "regie.core" not in visible and "docs/" not in visible  # sources only in the disclosure
    assert "docs/lab.md" in page and "regie.core.equity" in page
    assert "seed 000:562-566" in page and "seed" not in visible  # the scenario's own source: behind Bron too
    summary = "<summary>Bron</summary>" if lang == "nl" else "<summary>Source</summary>"
    assert summary in page
    assert not re.search(r"\b(base|strict)\b", visible)  # the arms by their labels, not their keys
    assert not SNAKE.search(visible), SNAKE.search(visible)


def test_numbers_in_the_reports_language():
    from regie.lab.apps import localised_number

    # Django's localisation, registered by the lab app at start-up (the core's own fallback is for the core alone)
    assert report.NUMBER_FORMATTER is localised_number
    assert report.number(125175423.2, "nl") == "125.175.423" and report.number(125175423.2, "en") == "125,175,423"
    assert report.number(1967.8, "nl") == "1.968" and report.number(17.25, "nl") == "17,3"  # half up, as people round
    assert report.number(0.276, "nl") == "0,276" and report.number(0.276, "en") == "0.276"
    assert report.number(4, "nl") == "4"
    with pytest.raises(ValueError):
        report.write("/tmp/never", Scenario(name="x", title={"nl": "x", "en": "x"}), {}, lang="de")
