"""The page sweep's own parts (tests/platform/sweep.py): the Dutch-part rule of the untranslated check and the
empty submission of a form."""

from .sweep import (
    dutch_words,
    findings,
    page_forms,
    reads_as_dutch,
    reads_as_english,
    visible_lines,
    without_dutch_parts,
)


def test_only_elements_marked_dutch_are_left_out_of_the_untranslated_check():
    body = '<body><div lang="nl"><div>Uw plan van aanpak</div></div>\n<p>Uw plan van aanpak</p>\n<p>tail</p></body>'
    assert without_dutch_parts(body) == "<body>\n<p>Uw plan van aanpak</p>\n<p>tail</p></body>"
    ids = frozenset({"Uw plan van aanpak"})
    assert ("untranslated", "Uw plan van aanpak") in findings(body, "en", ids)
    marked = '<body><td><span lang="nl">Uw plan van aanpak</span></td></body>'
    assert findings(marked, "en", ids) == []
    # the other checks still read Dutch parts
    assert ("snake_case", "work_first") in findings('<body><p lang="nl">route work_first</p></body>', "en", ids)


def test_empty_submission_leaves_required_fields_empty_and_skips_the_header_forms():
    body = """<body>
    <form method="post" action="/i18n/setlang/"><select name="language"><option value="nl">NL</option></select></form>
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="typed" required><select name="kind"><option value="a">A</option>
      <option value="b" selected>B</option></select><input type="checkbox" name="flag" checked>
      <input type="checkbox" name="off"><textarea name="note" required></textarea><button>OK</button></form>
    <form method="post" action="/ack/"><button>Gezien</button></form></body>"""
    forms = page_forms(body)
    assert [f.action for f in forms] == ["/x/"]
    assert forms[0].required == ["title", "note"]
    assert forms[0].empty_submission() == {
        "csrfmiddlewaretoken": "t",
        "title": "",
        "kind": "b",
        "flag": "on",
        "note": "",
    }


# --- the "dutch" check (English UI) and its mirror, "english" (Dutch UI) -------------------------------------
# Lines as the English UI showed them before their fix (the page sweep's first run of the check).
DUTCH_LINES_FROM_PAGES = [
    "Ontvangen op 27-11-2026, binnen de termijn tot en met 28-12-2026.",  # legal:objection (a core f-string)
    "Te betalen per maand: € 1331,42",  # case_step:toekenning (the benefit calculation)
    "Wachtlijst bij aanbieder",  # equity:coding (a motivation's text)
    "Awb art. 7:10 (zes weken, twaalf met adviescommissie, verdaging en uitstel); ingetrokken bezwaren tellen niet "
    "mee.",
    "Plan van aanpak bespreken met de aanbieder",  # worktasks:mine (a task's title)
    "Bijstandsnorm alleenstaande ouder, 21 jaar tot de pensioenleeftijd: € 1401,50",
    "De brief is leeg.",  # letters:edit, submitted empty
    "Jobcoach aanbieder (extern)",  # a role without its English name
]
# Names and English sentences with the glossary's Dutch terms: not Dutch.
NOT_DUTCH = [
    "Sanne van der Linden",
    "Linden, Sanne van der",
    "Stationsstraat 12, 2271 AA Voorburg",
    "Laan van Meerdervoort 12",
    "Alphen aan den Rijn",
    "Bergen op Zoom",
    "Capelle aan den IJssel",
    "Gemeente Leidschendam-Voorburg, Werk en Inkomen",
    "The beschikking on the bijstand is sent to the client",
    "Send the voornemen and wait for the zienswijze",
    "Your plan van aanpak is signed",
    "Decision on the objection (beslissing op bezwaar) for Sanne de Vries",
    # lines from English pages
    "Empty: the usual length of this kind of appointment (intake 60 min, voortgangsgesprek 30 min, driegesprek 45 "
    "min, huisbezoek 60 min, hoorzitting 60 min)",
    "One job per line: job ‘bij’ employer, year-year — for example: Magazijnmedewerker bij Bol, 2016-2020",
    "✗ Skill: Samenwerken (wish, not met)",
    "Caseworker (income and work) · Leidschendam-Voorburg",
]


def test_the_dutch_check_fires_on_dutch_lines_from_pages():
    missed = [line for line in DUTCH_LINES_FROM_PAGES if not reads_as_dutch(line)]
    assert not missed


def test_the_dutch_check_leaves_names_and_glossary_terms_alone():
    fired = [(line, dutch_words(line)) for line in NOT_DUTCH if reads_as_dutch(line)]
    assert not fired


def test_names_and_glossary_terms_are_not_counted():
    assert dutch_words("Sanne van der Linden")[0] == []
    assert dutch_words("Voor Sanne van der Linden uit Bergen op Zoom")[0] == ["voor", "uit"]
    assert "plan" not in dutch_words("Uw plan van aanpak")[0] and dutch_words("Uw plan van aanpak")[0] == ["uw"]


def test_findings_report_dutch_lines_of_the_english_ui_outside_dutch_parts_and_bron():
    body = (
        "<body><h1>Tasks</h1><p>Geen afspraken\n  voor deze week</p>"  # a wrapped source line is one line
        '<td><span lang="nl">Bel de cliënt terug over de uitkering</span></td>'  # a task's title: Dutch by nature
        '<details class="bron"><summary>Bron</summary><p>Awb art. 7:10: zes weken na de termijn</p></details>'
        "<p>The beschikking is sent</p></body>"
    )
    assert [f for f in findings(body, "en", frozenset()) if f[0] == "dutch"] == [
        ("dutch", "Geen afspraken voor deze week")
    ]
    assert not [f for f in findings(body, "nl", frozenset()) if f[0] == "dutch"]  # the Dutch UI: not this check
    # a Dutch msgid is reported once, as untranslated
    assert findings(
        "<body><p>Geen afspraken voor deze week</p></body>", "en", frozenset({"Geen afspraken voor deze week"})
    ) == [("untranslated", "Geen afspraken voor deze week")]


def test_the_english_check_of_the_dutch_ui_fires_on_english_lines_only():
    assert reads_as_english("Enter a valid date for the start of the payment")
    assert reads_as_english("You have no tasks for this week")
    for line in (
        "Work First-traject gestart",
        "Sanne van der Linden",
        "Caseload herverdelen",
        "Werkfit (ROC Taal en Werk)",
    ):
        assert not reads_as_english(line), line
    body = '<body><p>You have no tasks for this week</p><p lang="en">English</p><p>Geen taken</p></body>'
    assert findings(body, "nl", frozenset()) == [("english", "You have no tasks for this week")]


def test_visible_lines_are_the_blocks_a_user_reads():
    body = "<body>\n<ul><li>Eerste\n regel <b>vet</b></li><li>Tweede</li></ul><script>var x = 'de';</script></body>"
    assert visible_lines(body) == ["Eerste regel vet", "Tweede"]


def test_the_number_check_fires_on_hand_formatted_numbers_and_iso_dates():
    from tests.platform.sweep import number_findings

    nl = "Bedrag: € 555.74 · ICC 0.276 · geboren 1953-02-28 · aandeel 0,97"
    assert [f for _c, f in number_findings(nl, "nl")] == ["0.276", "1953-02-28", "€ 555.74"]
    en = "Amount € 406,20 · share 0,5 · on 2025-01-01 · 0.97"
    assert [f for _c, f in number_findings(en, "en")] == ["0,5", "2025-01-01", "€ 406,20"]
    # correctly formatted numbers, article numbers, ids holding a date and times are left alone
    fine_nl = "€ 1.401,50 · 0,276 · 28-02-1953 · Pw art. 9.2 · den-haag@2015-01-01 · 14:00 · 8.30-17.00 uur"
    fine_en = "€ 1,401.50 · 0.276 · 28-02-1953 · file demo-2025-01-01.jsonl · 1,000"
    assert number_findings(fine_nl, "nl") == [] and number_findings(fine_en, "en") == []


def test_the_attribute_check_reads_placeholders_tooltips_and_labels():
    from tests.platform.sweep import attribute_findings

    page = (
        '<body><input placeholder="Zoek op naam of BSN van de cliënt"><span title="work_first">x</span>'
        '<button aria-label="Search by name">?</button><details class="bron"><summary>Bron</summary>'
        '<a title="seed 001:681">s</a></details><p lang="nl" title="Dit is de tekst van de brief">b</p></body>'
    )
    assert attribute_findings(page, "en") == [
        ("attribute", 'placeholder="Zoek op naam of BSN van de cliënt"'),
        ("attribute", 'title="work_first"'),
    ]
    assert ("attribute", 'aria-label="Search by name"') in attribute_findings(page, "nl")
    assert not any("seed" in f for _c, f in attribute_findings(page, "nl") + attribute_findings(page, "en"))


def test_the_title_check_reads_the_pages_title():
    from .sweep import title_findings

    ids = frozenset({"Werklijst"})

    def page(title: str) -> str:
        return f"<!doctype html><html lang='x'><head><title>{title}</title></head><body><p>x</p></body></html>"

    assert title_findings(page("Werklijst – Regie"), "nl", ids) == []
    assert title_findings(page("Worklist – Regie"), "en", ids) == []
    assert title_findings(page(""), "nl", ids) == [("title", "(none)")]
    assert title_findings("<html><head></head><body></body></html>", "nl", ids) == [("title", "(none)")]
    assert title_findings(page("case_page – Regie"), "nl", ids) == [("title", "case_page – Regie")]
    assert title_findings(page("Werklijst"), "en", ids) == [("title", "Werklijst")]  # untranslated
    assert title_findings(page("Advice for the case of this client"), "nl", ids)  # English in the Dutch UI
    assert title_findings(page("Brief van 2025-01-01"), "nl", ids)  # an ISO date
    assert title_findings("<div>a live filter's fragment</div>", "nl", ids) == []
    # a typed name the page marks Dutch may stand in the English title
    typed = "Vier profielen: wie krijgt welk traject?"
    heading = f'<h1>Analysis: <span lang="nl">{typed}</span></h1>'
    marked = page(f"Analysis · {typed} · Regie").replace("<p>x</p>", heading)
    assert title_findings(marked, "en", ids) == []
    assert title_findings(page(f"Analysis · {typed} · Regie"), "en", ids)  # not marked on the page: found
    assert ("title", "case_page – Regie") in findings(page("case_page – Regie"), "nl", ids)
