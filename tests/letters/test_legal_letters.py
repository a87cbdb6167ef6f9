"""The letters of the decision's legal life on real events (h/legal's payloads): voornemen with the zienswijze
date, invitations to be heard, the acknowledgement of an objection with its decision term, the beslissing op
bezwaar with the beroep clause; sending records a bekendmaking (a besluit) or a contact by letter (other letters)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.casework.models import Event
from regie.casework.services import append_event
from regie.core.legal import terms
from regie.letters import services
from regie.letters.labels import has_key
from regie.letters.recipient import LetterRefused

from .conftest import pdf_text

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def route(letters_world):
    w = letters_world
    case = w.clients_a[0].cases.get()
    km = w.users_a["integrale_klantmanager"]

    def add(type_, on, payload=None):
        return append_event(case, type=type_, effective_date=on, payload=payload or {}, actor=km)

    ev = {"case": case, "km": km, "add": add, "world": w}
    ev["voornemen"] = add(
        "voornemen", D(2026, 10, 1), {"decision_type": "maatregel", "summary": "Wij willen uw bijstand verlagen."}
    )
    vid = ev["voornemen"].payload["voornemen_id"]
    ev["horen"] = add(
        "horen",
        D(2026, 10, 2),
        {
            "voornemen_id": vid,
            "status": "uitgenodigd",
            "planned_on": "2026-10-12",
            "start_time": "09:30",
            "location": "Spui 70",
        },
    )
    add("horen", D(2026, 10, 12), {"voornemen_id": vid, "status": "gehoord", "summary": "Cliënt was ziek."})
    ev["maatregel"] = add(
        "maatregel", D(2026, 10, 20), {"obligation_type": "administratief", "percentage": 10, "months": 1}
    )
    return ev


def _text(event, **kw):
    return pdf_text(services.compose(event, **kw).pdf)


def test_voornemen_letter_states_the_zienswijze_date_from_the_terms(route):
    v = route["voornemen"]
    assert v.payload["zienswijze_until"] == "2026-10-15"  # set by Regie: Den Haag's 14 days (Awb 4:8)
    text = _text(v, sent_on=D(2026, 10, 1))
    assert "uiterlijk op 15 oktober 2026 weten" in text
    assert "een verlaging van uw bijstand (maatregel)" in text and "Wij willen uw bijstand verlagen." in text
    assert "Dit is nog geen besluit" in text and "Wat kunt u doen als u het er niet mee eens bent?" not in text
    assert not has_key(text)


def test_invitation_to_be_heard_on_a_voornemen(route):
    text = _text(route["horen"], sent_on=D(2026, 10, 2))
    assert "een gesprek op 12 oktober 2026 om 09:30 uur, Spui 70" in " ".join(text.split())
    assert "een verlaging van uw bijstand (maatregel)" in text
    gehoord = Event.objects.get(case=route["case"], type="horen", payload__status="gehoord")
    with pytest.raises(LetterRefused):  # a hearing held gets no invitation letter
        services.compose(gehoord)


def test_sending_a_besluit_records_a_bekendmaking_and_fixes_the_date_and_deadline(route, login):
    m = route["maatregel"]
    letter, recorded = services.send(m, route["km"], on=D(2026, 10, 21))
    assert recorded.type == "bekendmaking" and recorded.payload["decision_event"] == m.pk
    assert recorded.effective_date == D(2026, 10, 21)
    deadline = terms.objection_term(D(2026, 10, 21)).end
    assert deadline == D(2026, 12, 2)
    # printed again later: the date of sending and the deadline stay
    text = pdf_text(services.render_letter(m))
    assert "Datum 21 oktober 2026" in text and "uiterlijk op 2 december 2026 bij ons zijn" in text
    with pytest.raises(LetterRefused, match="al verstuurd op 21 oktober 2026"):
        services.send(m, route["km"])
    # the case page shows it as sent; the API of the lifecycle agrees on the deadline
    from regie.casework.legal import legal_state

    assert legal_state(route["case"]).decisions[str(m.pk)].objection_term.end == deadline
    page = login(route["km"]).get(reverse("client_detail", args=[route["case"].client_id])).content.decode()
    assert "verstuurd 21-10-2026" in page


def test_send_view_records_a_contact_for_a_letter_that_is_no_besluit(route, login):
    c = login(route["km"])
    v = route["voornemen"]
    r = c.post(reverse("letter_send", args=[route["case"].pk, v.pk]))
    assert r.status_code == 302
    contact = Event.objects.get(case=route["case"], type="contact", payload__channel="brief")
    assert contact.payload["summary"].startswith("Brief verstuurd: Wij zijn van plan een besluit te nemen")
    assert services.letter_sent_on(v) == contact.effective_date
    r = c.post(reverse("letter_send", args=[route["case"].pk, v.pk]), follow=True)
    assert "al verstuurd" in r.content.decode()
    assert Event.objects.filter(case=route["case"], type="contact", payload__channel="brief").count() == 1
    # someone who may only read the file cannot record it (the juridisch medewerker may: horen is theirs too,
    # regie.legal.access.STEP_CAPABILITIES)
    reader = login(route["world"].users_a["beleidsmedewerker"])
    assert reader.post(reverse("letter_send", args=[route["case"].pk, route["horen"].pk])).status_code == 403


def test_objection_acknowledgement_hearing_and_decision(route):
    add, m = route["add"], route["maatregel"]
    services.send(m, route["km"], on=D(2026, 10, 21))
    bezwaar = add("bezwaar", D(2026, 11, 10), {"decision_event": m.pk, "grounds": "Ik was ziek."})
    text = _text(bezwaar, sent_on=D(2026, 11, 11))
    # Den Haag: advisory committee, 12 weeks from the day after the objection term ended (Awb 7:10 lid 1)
    expected = terms.objection_decision_term(D(2026, 12, 2), advisory_committee=True, received_on=D(2026, 11, 10)).end
    assert (
        "ontvangen op 10 november 2026" in text
        and "een verlaging van uw bijstand (maatregel) van 20 oktober 2026" in text
    )
    assert f"uiterlijk op {services.fmt.date(expected)}" in text and "bezwaarcommissie" in text
    assert "Wat kunt u doen als u het er niet mee eens bent?" not in text
    oid = bezwaar.payload["objection_id"]
    horen = add(
        "bezwaar_horen",
        D(2026, 11, 12),
        {
            "objection_id": oid,
            "status": "uitgenodigd",
            "by": "bezwaarcommissie",
            "planned_on": "2026-11-24",
            "start_time": "14:30",
            "location": "Stadskantoor, zaal 2.14",
        },
    )
    text = _text(horen, sent_on=D(2026, 11, 12))
    # the invitation says when and where (Awb art. 7:2): day, time and place from the hearing's payload
    assert "om 14:30 uur, Stadskantoor, zaal 2.14" in " ".join(text.split())
    assert "U heeft bezwaar gemaakt tegen een verlaging van uw bijstand (maatregel)" in text
    assert "een gesprek op 24 november 2026" in text and "de bezwaarcommissie" in text
    add("bezwaar_horen", D(2026, 11, 24), {"objection_id": oid, "status": "gehoord", "summary": "Toegelicht."})
    bob = add(
        "beslissing_op_bezwaar",
        D(2026, 11, 26),
        {"objection_id": oid, "outcome": "ongegrond", "summary": "Geen bewijs van ziekte."},
    )
    text = _text(bob, sent_on=D(2026, 11, 27))
    assert "Uw bezwaar is ongegrond." in text and "Geen bewijs van ziekte." in text
    assert "beroep instellen bij de rechtbank" in text and "8:1" in text
    assert f"uiterlijk op {services.fmt.date(terms.appeal_term(D(2026, 11, 27)).end)} bij de rechtbank" in text
    assert "bezwaar maken. Dat doet u binnen" not in text  # beroep, not bezwaar, against a beslissing op bezwaar
    assert not has_key(text)


def test_sent_dates_from_the_case_pages_rows_equal_the_query(route):
    """pages10: the case page hands its own events to sent_dates; the answer is the query's, with letters sent
    twice over (a besluit, a letter that is no besluit, a second bekendmaking of the same decision)."""
    from regie.casework.selectors import cases_with_events

    case, km = route["case"], route["km"]
    services.send(route["maatregel"], km, on=D(2026, 10, 21))
    services.send(route["voornemen"], km, on=D(2026, 10, 3))
    services.send(route["horen"], km, on=D(2026, 10, 4))
    route["add"]("bekendmaking", D(2026, 10, 25), {"decision_event": route["maatregel"].pk})
    expected = services.sent_dates(case)
    assert len(expected) == 3
    (page_case,) = [c for c, _st, _ev in cases_with_events(case.client) if c.pk == case.pk]
    assert services.sent_dates(case.pk, page_case.letter_rows) == expected
    assert expected[route["maatregel"].pk] == D(2026, 10, 21)  # the first bekendmaking, as before
