"""Letters as PDF, read back with pypdf: salutation, address, Dutch money, dates and plurals, the objection
deadline under the Algemene termijnenwet, words instead of keys, and refusal without an address or letterhead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.casework.services import append_event
from regie.letters import services
from regie.letters.labels import has_key
from regie.letters.recipient import LetterRefused
from regie.letters.registry import LETTER_TYPES, TEMPLATE_NAMES
from regie.letters.selectors import default_body
from regie.letters.templating import check

from .conftest import give_address, pdf_text

pytestmark = pytest.mark.django_db

SENT = dt.date(2026, 12, 1)


def _event(world, type_, payload, *, effective=dt.date(2025, 4, 1), decision=None, i=0):
    case = world.clients_a[i].cases.get()
    return append_event(
        case,
        type=type_,
        effective_date=effective,
        payload=payload,
        decision=decision,
        actor=world.users_a["integrale_klantmanager"],
    )


def _text(event, sent_on=SENT) -> str:
    return pdf_text(services.compose(event, sent_on=sent_on).pdf)


def test_maatregel_letter_salutation_address_amount_plural_and_objection(letters_world):
    w = letters_world
    client = w.clients_a[0]
    ev = _event(
        w,
        "maatregel",
        {
            "obligation_type": "reintegratie",
            "category": 2,
            "percentage": 30,
            "months": 1,
            "repeat_step": 2,
            "amount": 420.45,
        },
        decision={
            "legal_basis": "Participatiewet artikel 18 lid 2",
            "motivation": "U kwam twee keer niet naar het gesprek.",
            "explanation": [
                {"text": "30% for 1 month(s)", "source": "afstemmingsverordening art. 9; seed 001:681"},
                {"text": "pw floor", "source": "Pw art. 18 lid 4 (ext)"},
            ],
        },
    )
    text = _text(ev)
    assert f"Geachte mevrouw {client.family_name}," in text  # sex V, no chosen form: "mevrouw" and the surname
    assert "Laan van Meerdervoort 12" in text and "2517 AK DEN HAAG" in text
    assert "Gemeente Den Haag, Werk en Inkomen" in text and "Postbus 12600" in text
    assert "1 december 2026" in text and "1 april 2025" in text
    assert "met 30%" in text and "duurt 1 maand " in text and "maand(en)" not in text
    assert "€ 420,45" in text
    assert "deze verplichting eerder niet nagekomen" in text  # repeat_step 2
    assert "de plicht om mee te doen aan uw re-integratie" in text and "reintegratie" not in text
    assert "U kwam twee keer niet naar het gesprek." in text
    # the policy's explanation feeds the legal basis, in words, without seed references or its technical text
    assert (
        "Participatiewet artikel 18 lid 2; afstemmingsverordening artikel 9; Participatiewet artikel 18 lid 4" in text
    )
    assert "seed" not in text and "month(s)" not in text and "(ext)" not in text
    assert "Wat kunt u doen als u het er niet mee eens bent?" in text
    assert "binnen 6 weken" in text and "12 januari 2027" in text  # 1 Dec 2026 + 6 weeks: a Tuesday
    assert "6:7" in text and "6:16" in text and "8:81" in text and "voorlopige voorziening" in text
    assert "Met vriendelijke groet," in text and "de manager Werk en Inkomen" in text
    assert client.bsn not in text


def test_plural_months(letters_world):
    ev = _event(letters_world, "maatregel", {"obligation_type": "inlichtingen", "percentage": 100, "months": 3})
    assert "duurt 3 maanden" in _text(ev)


def test_toekenning_money_is_localised_and_cost_sharers_singular_plural(letters_world):
    w = letters_world
    one = _event(w, "toekenning", {"norm_type": "alleenstaande_ouder", "cost_sharers": 1, "monthly_amount": 1401.5})
    text = _text(one)
    assert "€ 1.401,50 per maand" in text and "1401.50" not in text and "1401,50" not in text
    assert "alleenstaande ouder, met 1 kostendeler." in text
    two = _event(w, "toekenning", {"norm_type": "gehuwden", "cost_sharers": 2, "monthly_amount": 2000}, i=1)
    assert "met 2 kostendelers" in _text(two)


@pytest.mark.parametrize(
    ("sent", "expected", "naive"),
    [
        (
            dt.date(2026, 11, 14),
            "28 december 2026",
            "26 december 2026",
        ),  # nominal end a Saturday (and 2nd Christmas day)
        (dt.date(2026, 11, 13), "28 december 2026", "25 december 2026"),  # nominal end Christmas day
        (dt.date(2027, 3, 24), "10 mei 2027", "5 mei 2027"),  # 5 May, then Ascension, an equated day, a weekend
    ],
)
def test_objection_deadline_follows_the_algemene_termijnenwet(letters_world, sent, expected, naive):
    ev = _event(letters_world, "afwijzing", {"reason": "vermogen"})
    letter = services.compose(ev, sent_on=sent)
    text = pdf_text(letter.pdf)
    assert f"uiterlijk op {expected} bij ons zijn" in text
    assert naive not in text
    assert letter.objection_deadline > sent + dt.timedelta(weeks=6)


def test_vocabulary_values_become_words(letters_world):
    w = letters_world
    text = _text(_event(w, "afwijzing", {"reason": "geen_medewerking"}))
    assert "u heeft niet de informatie gegeven die wij nodig hadden" in text and "geen_medewerking" not in text
    ont = _event(
        w,
        "ontheffing_start",
        {"exemption_id": "O1", "ground": "kind_onder_5", "scope": "gedeeltelijk", "end_date": "2025-10-01"},
        decision={"deviates": True, "motivation": "Zorgt dagelijks voor zieke ouder"},
        i=1,
    )
    text = _text(ont)
    assert "kind jonger dan 5 jaar" in text and "kind_onder_5" not in text
    assert "gedeeltelijk" in text and "1 oktober 2025" in text and "Zorgt dagelijks voor zieke ouder" in text


def test_chosen_form_of_address_is_used(letters_world):
    w = letters_world
    client = w.clients_a[2]
    case = client.cases.get()
    append_event(case, type="contactgegevens", effective_date=dt.date(2025, 3, 1), payload={"salutation": "naam"})
    ev = _event(w, "afwijzing", {"reason": "inkomen"}, i=2)
    assert f"Geachte {client.given_name} {client.family_name}," in _text(ev)


def _sample_pdf_text(world, name):
    return pdf_text(services.preview(world.a, name, default_body(name)))


@pytest.mark.parametrize("name", sorted(TEMPLATE_NAMES))
def test_every_default_template_passes_its_own_check_and_renders(letters_world, name):
    check(default_body(name), services.sample_context(letters_world.a, name))
    text = _sample_pdf_text(letters_world, name)
    assert "Geachte heer Voorbeeld," in text and "Voorbeeldstraat 1" in text
    assert "Met vriendelijke groet," in text


@pytest.mark.parametrize("name", sorted(LETTER_TYPES))
def test_every_letter_is_plain_dutch_without_keys_and_every_besluit_says_how_to_object(letters_world, name):
    text = _sample_pdf_text(letters_world, name)
    assert not has_key(text), text
    assert "{{" not in text and "{%" not in text
    lt = LETTER_TYPES[name]
    if lt.remedy == "bezwaar":
        assert "Wat kunt u doen als u het er niet mee eens bent?" in text
        assert "bezwaar maken" in text and "binnen 6 weken" in text
        assert "6:5" in text and "6:7" in text and "6:16" in text and "8:81" in text
        assert "Postbus 12600" in text  # where to send it: the letterhead's objection address
    elif lt.remedy == "beroep":
        assert "Wat kunt u doen als u het er niet mee eens bent?" in text and "beroep instellen" in text
        assert "8:1" in text
    else:
        assert "binnen 6 weken na de dag" not in text


def test_no_key_in_any_real_letter(letters_world):
    """The regex over real letters of every recorded type the world has."""
    w = letters_world
    evs = [
        _event(w, "afwijzing", {"reason": "zoekperiode"}),
        _event(w, "waarschuwing", {"obligation_type": "arbeidsverplichting", "description": "Geen sollicitaties."}),
        _event(w, "plan_van_aanpak", {"version": 2, "goal": "Werk in de zorg", "review_date": "2025-09-01"}),
    ]
    for ev in evs:
        text = _text(ev)
        assert not has_key(text), (ev.type, text)


def test_missing_address_is_refused_not_printed(letters_world, login):
    w = letters_world
    client = w.clients_a[1]
    client.contact = {}
    client.save(update_fields=["contact"])
    ev = Event.objects.get(case__client=client, type="toekenning")
    with pytest.raises(LetterRefused) as exc:
        services.compose(ev)
    assert "adres van de cliënt is niet bekend" in exc.value.message
    r = login(w.users_a["integrale_klantmanager"]).get(reverse("letter", args=[ev.case_id, ev.pk]), follow=True)
    assert r.redirect_chain and r["Content-Type"].startswith("text/html")
    assert "adres van de cliënt is niet bekend" in r.content.decode()
    assert not AuditRecord.objects.filter(action="export", detail__startswith="letter toekenning").exists()


def test_missing_letterhead_is_refused(world):
    give_address(world.clients_b[0])
    ev = Event.objects.get(case__client=world.clients_b[0], type="toekenning")
    with pytest.raises(LetterRefused) as exc:
        services.compose(ev)
    assert "briefhoofd" in exc.value.message


def test_letter_view_audited_tenant_scoped_and_only_for_letters(letters_world, login):
    w = letters_world
    c = login(w.users_a["integrale_klantmanager"])
    own = w.clients_a[0].cases.get()
    toekenning = Event.objects.get(case=own, type="toekenning")
    r = c.get(reverse("letter", args=[own.pk, toekenning.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert "€ 1.400,00 per maand" in pdf_text(r.content)
    assert (
        AuditRecord.objects.filter(action="export", detail=f"letter toekenning {toekenning.external_id}").count() == 1
    )
    other_case = w.clients_b[0].cases.get()
    other_event = Event.objects.get(case=other_case, type="toekenning")
    assert c.get(reverse("letter", args=[other_case.pk, other_event.pk])).status_code == 404
    contact = append_event(own, type="contact", effective_date=dt.date(2025, 4, 1))
    assert c.get(reverse("letter", args=[own.pk, contact.pk])).status_code == 404
    assert reverse("letter", args=[1, 2]) == "/dossiers/1/brief/2.pdf"  # the URL casework always had


def test_case_page_links_the_letter(letters_world, login):
    w = letters_world
    client = w.clients_a[0]
    page = login(w.users_a["integrale_klantmanager"]).get(reverse("client_detail", args=[client.pk])).content.decode()
    toekenning = Event.objects.get(case__client=client, type="toekenning")
    assert reverse("letter", args=[toekenning.case_id, toekenning.pk]) in page


def test_route_letters_opschorting_hersteltermijn_intrekking_beeindiging(letters_world):
    w = letters_world
    ops = _event(
        w,
        "opschorting",
        {"reason": "inlichtingen", "missing": "Uw bankafschriften van maart.", "hersteltermijn_end": "2025-04-15"},
    )
    text = _text(ops)
    assert "tijdelijk vanaf 1 april 2025" in text and "uiterlijk op 15 april 2025 hebben" in text
    assert "Uw bankafschriften van maart." in text and "Participatiewet artikel 54 lid 1" in text
    assert "Wat kunt u doen als u het er niet mee eens bent?" in text
    intr = _event(w, "intrekking", {"reason": "onjuiste_inlichtingen", "from_date": "2025-03-01"}, i=1)
    text = _text(intr)
    assert "vanaf 1 maart 2025" in text and "onjuiste of onvolledige informatie" in text
    eind = _event(w, "beeindiging", {"reason": "werk_regulier"}, i=2)
    text = _text(eind)
    assert "Uw bijstand stopt vanaf 1 april 2025" in text and "u heeft werk gevonden" in text
    assert "werk_regulier" not in text and not has_key(text)


def test_opschorting_without_a_given_hersteltermijn_gets_the_policys_term(letters_world):
    """Regie sets the hersteltermijn of every opschorting it records (the policy's term, Pw art. 54 lid 1), so the
    letter always names a last day: the one stored on the event."""
    ev = _event(letters_world, "opschorting", {"reason": "identiteit", "missing": "Uw paspoort."})
    end = dt.date.fromisoformat(ev.payload["hersteltermijn_end"])
    assert date_format(end, "j F Y") in _text(ev)


def test_hersteltermijn_in_days_is_counted_by_the_terms_module(letters_world):
    ev = _event(
        letters_world,
        "opschorting",
        {"reason": "identiteit", "missing": "Uw paspoort.", "hersteltermijn_days": 14},
        effective=dt.date(2026, 12, 11),
    )
    # decided and sent Friday 11 December 2026: + 14 days = Christmas day, then Boxing day and a Sunday: Monday 28
    # December (Regie stores that day on the event; the letter names the stored day)
    assert "uiterlijk op 28 december 2026 hebben" in _text(ev, sent_on=dt.date(2026, 12, 11))


def test_benefit_letters_terugvordering_and_boete(letters_world):
    w = letters_world
    terug = _event(
        w,
        "terugvordering",
        {
            "months": ["2025-01", "2025-02", "2025-03"],
            "amount": "1401.50",
            "repayment_monthly": "75.00",
            "reason": "inlichtingenplicht",
        },
    )
    text = _text(terug)
    assert "U moet € 1.401,50 terugbetalen" in text and "januari 2025 tot en met maart 2025 (3 maanden)" in text
    assert "€ 75,00 per maand" in text and "Participatiewet artikel 58" in text
    boete = _event(w, "boete", {"damage": "1401.50", "blame": "grove_schuld", "amount": "700.75"}, i=1)
    text = _text(boete)
    assert "boete van € 700,75" in text and "€ 1.401,50 te veel" in text and "grove schuld" in text
    assert "grove_schuld" not in text and "Participatiewet artikel 18a" in text


def test_legal_basis_takes_the_explanation_sources_in_words():
    from regie.letters.context import legal_basis

    decision = {
        "explanation": [
            {"source": "Pw art. 9 lid 2 (ext): urgent reasons; seed 002:692-699"},
            {"source": "Awb art. 6:7"},
            {"source": "domain brief section 3: a medical claim suspends"},
        ]
    }
    assert legal_basis(decision, "Participatiewet artikel 9a") == (
        "Participatiewet artikel 9a; Participatiewet artikel 9 lid 2; Algemene wet bestuursrecht artikel 6:7"
    )


def test_address_from_a_recorded_briefadres_and_a_copy_for_the_bewindvoerder(letters_world):
    w = letters_world
    case = w.clients_a[0].cases.get()
    append_event(
        case,
        type="adres_wijziging",
        effective_date=dt.date(2025, 3, 1),
        payload={
            "kind": "briefadres",
            "street": "Postbus",
            "house_number": 404,
            "postcode": "2500 AA",
            "city": "Den Haag",
        },
    )
    append_event(
        case,
        type="contactpersoon",
        effective_date=dt.date(2025, 3, 2),
        payload={
            "role": "bewindvoerder",
            "name": "J. de Boer",
            "receives_letters": True,
            "street": "Spui",
            "house_number": 70,
            "postcode": "2511 BT",
            "city": "Den Haag",
        },
    )
    text = _text(_event(w, "afwijzing", {"reason": "inkomen"}))
    assert "Postbus 404" in text and "Laan van Meerdervoort" not in text  # letters go to the briefadres
    assert "Een kopie van deze brief gaat naar: J. de Boer (bewindvoerder)." in text


def test_gegevens_formats_every_recorded_field():
    from regie.letters.context import calculation_lines, gegevens

    g = gegevens(
        {"months": ["2025-03", "2025-04"], "amount": "1401.50", "reason": "geen_medewerking", "signed": True},
        "afwijzing",
    )
    assert g == {
        "months": "maart 2025, april 2025",
        "amount": "€ 1.401,50",
        "reason": "u heeft niet de informatie gegeven die wij nodig hadden",
        "signed": "ja",
    }
    lines = calculation_lines(
        {
            "explanation": [
                {"rule_id": "benefit.line", "source": "Pw art. 21", "say": {"label": "Norm", "amount": "1345.45"}},
                {"rule_id": "benefit.to_pay", "source": "x", "say": {"label": "Te betalen", "amount": "1278.18"}},
                {"rule_id": "nd-sanction", "text": "100% for 1 month(s)"},
            ]
        }
    )
    assert lines == ["Norm: € 1.345,45 (Participatiewet artikel 21)", "Te betalen: € 1.278,18"]
