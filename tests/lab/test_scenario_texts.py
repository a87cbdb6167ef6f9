"""Scenario texts in both languages: a scenario file gives its title, question, answer, description and arm labels
in Dutch and English (a text in one language does not load); citations live in ``source`` (shown only behind the
Bron disclosure), not in the texts; ``regie lab run --lang`` writes and prints the report in that language."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from regie.core.lab import scenario as sc

CITATION = re.compile(r"seed \d|docs/|regie\.|`|\.yaml|params\.|\b[a-z]+_[a-z_]+\b")

TINY = (
    "name: tiny\ntitle: {nl: Klein scenario, en: Tiny scenario}\n"
    "question: {nl: 'Werkt strenger sturen?', en: 'Does stricter steering work?'}\nsource: seed 000:562-566\n"
    "population: {clients: 900, caseworkers: 8, months: 24}\nruns: 2\narms:\n"
    "  base: {label: {nl: Huidig beleid, en: Current policy}}\n"
    "  strict: {label: {nl: Strenger, en: Stricter}, overrides: {freedom_override: 0.0}}\n"
)


@pytest.mark.parametrize("name", sorted(sc.shipped()))
def test_shipped_scenarios_read_in_both_languages_without_citations(name):
    s = sc.load(sc.shipped()[name])
    texts = [s.title, s.question, s.answer, s.description] + [s.arm_label(a) for a in s.arms]
    assert all(t is not None for t in texts), f"{name}: every text a user reads, in both languages"
    for t in texts:
        assert t.nl != t.en, (name, t.nl)
        for lang in ("nl", "en"):
            found = CITATION.search(t.in_(lang))
            assert found is None, f"{name} ({lang}): {found and found.group()!r} belongs in source:"
    assert s.source and re.search(r"seed \d|docs/", s.source)  # the citations moved there, not lost
    assert s.title.in_("en-gb") == s.title.en and s.title.in_(None) == s.title.nl


@pytest.mark.parametrize(
    "change",
    [
        ("title: {nl: Klein scenario, en: Tiny scenario}", "title: Klein scenario"),  # one language, as a string
        ("title: {nl: Klein scenario, en: Tiny scenario}", "title: {nl: Klein scenario}"),
        ("title: {nl: Klein scenario, en: Tiny scenario}", "title: {nl: Klein scenario, en: ''}"),
        ("title: {nl: Klein scenario, en: Tiny scenario}\n", ""),  # no title at all
        ("{label: {nl: Strenger, en: Stricter}", "{label: Strenger"),  # an arm label in one language
        ("question: {nl: 'Werkt strenger sturen?', en: 'Does stricter steering work?'}", "question: Werkt het"),
    ],
)
def test_a_scenario_with_a_text_in_one_language_does_not_load(tmp_path, change):
    f = tmp_path / "tiny.yaml"
    f.write_text(TINY)
    assert sc.load(f).title.en == "Tiny scenario"  # the file as given loads
    old, new = change
    assert old in TINY
    f.write_text(TINY.replace(old, new))
    with pytest.raises(ValueError):
        sc.load(f)


@pytest.mark.parametrize(
    "lang, present, absent",
    [
        ("nl", ["Beleidslab: Klein scenario", "Werkt strenger sturen?", "Huidig beleid", "Bron"], ["Tiny", "Stricter"]),
        ("en", ["Policy lab: Tiny scenario", "Does stricter steering work?", "Current policy", "Source"], ["Klein"]),
    ],
)
def test_lab_run_writes_and_prints_the_report_in_the_chosen_language(tmp_path, lang, present, absent):
    from regie.cli import app

    f = tmp_path / "tiny.yaml"
    f.write_text(TINY)
    args = ["lab", "run", str(f), "--runs", "1", "--equity", "local", "--out", str(tmp_path / "o")]
    wide = {"COLUMNS": "300"}  # the printed table on one line per measure
    res = CliRunner().invoke(app, [*args, "--lang", lang] if lang != "nl" else args, env=wide)  # nl: the default
    assert res.exit_code == 0, res.output
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    for word in present:
        assert word in page, word
    for word in absent:
        assert word not in page, word
    printed = " ".join(res.stdout.split())
    if lang == "en":
        assert "Outflow to work per year" in printed and "Current policy" in printed and "Uitstroom" not in printed
    else:
        assert "Uitstroom naar werk per jaar" in printed and "Huidig beleid" in printed and "Outflow" not in printed


def test_lab_refuses_a_language_it_has_no_texts_for(tmp_path):
    from regie.cli import app

    f = tmp_path / "tiny.yaml"
    f.write_text(TINY)
    res = CliRunner().invoke(app, ["lab", "run", str(f), "--lang", "de", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "--lang" in res.output
    assert not (tmp_path / "o").exists()


def test_lab_list_shows_titles_in_the_chosen_language():
    from regie.cli import app

    nl = CliRunner().invoke(app, ["lab", "list"])
    en = CliRunner().invoke(app, ["lab", "list", "--lang", "en"])
    assert nl.exit_code == en.exit_code == 0
    assert "Sturing op regels of op prestaties" in nl.stdout and "Steering by rules or by performance" in en.stdout
    assert "Sturing" not in en.stdout
