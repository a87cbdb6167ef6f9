"""A client's sanction intended, heard, imposed, made known, objected to, decided and appealed in the browser
(Django test client), with every term's date, the gate's refusals, tenancy and the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import CaseState, Event
from regie.core.legal import terms

# The pages judge open terms on today: the story runs in the last four weeks (exact dates: tests/legal/test_terms.py)
T0 = dt.date.today() - dt.timedelta(days=28)


def day(n: int) -> str:
    return (T0 + dt.timedelta(days=n)).isoformat()


def nl(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


pytestmark = pytest.mark.django_db

SANCTION = {"obligation_type": "administratief", "percentage": "5", "months": "1", "repeat_step": "1"}


def post_step(c, case, event_type, data, view="legal:step"):
    version = CaseState.objects.get(case=case).version
    url = reverse(view, args=[case.pk, event_type])
    return c.post(url, {"expected_version": version, **data})


def last(case, event_type):
    return Event.objects.filter(case=case, type=event_type).order_by("-id").first()


def test_the_whole_legal_life_in_the_browser(world, client):
    km = world.users_a["integrale_klantmanager"]
    jm = world.users_a["juridisch_medewerker"]
    case = world.clients_a[0].cases.get()

    # 1. without a voornemen the sanction is refused, naming Awb 4:8
    client.force_login(km)
    r = post_step(client, case, "maatregel", {"effective_date": day(4), **SANCTION}, view="case_step")
    assert r.status_code == 400 and "Awb art. 4:8" in r.content.decode()
    assert last(case, "maatregel") is None

    # 2. voornemen (Den Haag: 14 days for a zienswijze) -> term until 15-09-2026
    r = post_step(
        client,
        case,
        "voornemen",
        {"effective_date": day(0), "decision_type": "maatregel", "summary": "Formulier niet ingeleverd"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    voornemen = last(case, "voornemen")
    assert voornemen.payload["zienswijze_until"] == terms.zienswijze_term(T0, 14, source="").end.isoformat()
    vid = voornemen.payload["voornemen_id"]
    # invited is not enough
    post_step(
        client,
        case,
        "horen",
        {
            "effective_date": day(1),
            "voornemen_id": vid,
            "status": "uitgenodigd",
            "planned_on": day(3),
            "start_time": "10:00",
            "location": "Stadskantoor",
        },
    )
    r = post_step(client, case, "maatregel", {"effective_date": day(4), **SANCTION}, view="case_step")
    assert "nog niet gehoord" in r.content.decode()
    # a held hearing needs its summary (the field is named); then it is recorded
    r = post_step(client, case, "horen", {"effective_date": day(3), "voornemen_id": vid, "status": "gehoord"})
    assert r.status_code == 400 and "Samenvatting" in r.content.decode()
    r = post_step(
        client,
        case,
        "horen",
        {
            "effective_date": day(3),
            "voornemen_id": vid,
            "status": "gehoord",
            "form": "mondeling",
            "summary": "Cliënt was ziek",
        },
    )
    assert r.status_code == 302
    r = post_step(
        client,
        case,
        "maatregel",
        {"effective_date": day(4), **SANCTION, "motivation": "maatwerk"},
        view="case_step",
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    sanction = last(case, "maatregel")
    r = post_step(
        client, case, "bekendmaking", {"effective_date": day(5), "decision_event": sanction.pk, "channel": "post"}
    )
    assert r.status_code == 302
    page = client.get(reverse("client_detail", args=[case.client_id])).content.decode()
    objection_end = terms.objection_term(T0 + dt.timedelta(days=5)).end  # Awb 6:7, 6:8, Atw
    assert "Bezwaartermijn" in page and nl(objection_end) in page

    # 3. a caseworker may not register an objection (capability handle_objections)
    r = post_step(client, case, "bezwaar", {"effective_date": day(10), "decision_event": sanction.pk})
    assert r.status_code == 403
    client.logout()

    # 4. the juridisch medewerker registers it: Den Haag has an advisory committee -> 12 weeks (Awb 7:10, 7:13)
    client.force_login(jm)
    r = post_step(
        client,
        case,
        "bezwaar",
        {"effective_date": day(10), "decision_event": sanction.pk, "grounds": "Ik was ziek"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    bezwaar = last(case, "bezwaar")
    oid = bezwaar.payload["objection_id"]
    assert bezwaar.payload["advisory_committee"] is True and bezwaar.payload["decision_type"] == "maatregel"
    detail = client.get(reverse("legal:objection", args=[case.pk, oid])).content.decode()
    twelve = terms.objection_decision_term(objection_end, advisory_committee=True).end
    assert twelve >= objection_end + dt.timedelta(weeks=12)
    assert nl(twelve) in detail and "Awb art. 7:13" in detail
    worklist = client.get(reverse("legal:worklist")).content.decode()
    assert oid in worklist and nl(twelve) in worklist
    # hearing by the committee, extension by 6 weeks, provisional measure suspends the sanction
    assert (
        post_step(
            client,
            case,
            "bezwaar_horen",
            {
                "effective_date": day(12),
                "objection_id": oid,
                "status": "gehoord",
                "by": "bezwaarcommissie",
                "summary": "Hoorzitting gehouden",
            },
        ).status_code
        == 302
    )
    r = post_step(
        client,
        case,
        "bezwaar_termijn",
        {"effective_date": day(12), "objection_id": oid, "kind": "verdaging", "weeks": "7"},
    )
    assert r.status_code == 400  # at most 6 weeks
    assert (
        post_step(
            client,
            case,
            "bezwaar_termijn",
            {
                "effective_date": day(12),
                "objection_id": oid,
                "kind": "verdaging",
                "weeks": "6",
                "reason": "advies",
            },
        ).status_code
        == 302
    )
    detail = client.get(reverse("legal:objection", args=[case.pk, oid])).content.decode()
    extended = terms.objection_decision_term(objection_end, advisory_committee=True, extension_weeks=6).end
    assert nl(extended) in detail and "7:10 lid 3" in detail
    assert (
        post_step(
            client,
            case,
            "voorlopige_voorziening",
            {
                "effective_date": day(11),
                "decision_event": sanction.pk,
                "objection_id": oid,
                "status": "toegewezen",
                "suspends": "on",
            },
        ).status_code
        == 302
    )
    snap = CaseState.objects.get(case=case).snapshot
    assert snap["suspended_decisions"][str(sanction.pk)]["why"] == "voorlopige_voorziening"
    # decided: deels gegrond needs the new decision
    r = post_step(
        client,
        case,
        "beslissing_op_bezwaar",
        {"effective_date": day(20), "objection_id": oid, "outcome": "deels_gegrond"},
    )
    assert r.status_code == 400 and "Nieuw besluit" in r.content.decode()
    r = post_step(
        client,
        case,
        "beslissing_op_bezwaar",
        {
            "effective_date": day(20),
            "objection_id": oid,
            "outcome": "deels_gegrond",
            "revoked": "on",
            "new_decision": "Waarschuwing in plaats van maatregel",
            "advice_followed": "true",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    bob = last(case, "beslissing_op_bezwaar")
    assert bob.decision["source"] == "web"
    # the legal reviewer sends the objection's letters from the objection page (no record_events needed)
    from regie.letters import services as letters
    from tests.letters.conftest import LETTERHEAD, give_address

    letters.save_letterhead(world.a, LETTERHEAD, world.users_a["functioneel_beheerder"], expected_version=0)
    give_address(case.client)
    detail = client.get(reverse("legal:objection", args=[case.pk, oid])).content.decode()
    assert reverse("letter_send", args=[case.pk, bezwaar.pk]) in detail
    assert reverse("letter_send", args=[case.pk, bob.pk]) in detail
    r = client.post(reverse("letter_send", args=[case.pk, bob.pk]), follow=True)
    assert "Verstuurd op" in r.content.decode(), r.content.decode()[:3000]
    made_known = last(case, "bekendmaking")
    assert made_known.payload["decision_event"] == bob.pk and made_known.actor == jm
    r = client.post(reverse("letter_send", args=[case.pk, bezwaar.pk]))
    assert r.status_code == 302 and last(case, "contact").actor == jm
    detail = client.get(reverse("legal:objection", args=[case.pk, oid])).content.decode()
    assert reverse("letter_send", args=[case.pk, bob.pk]) not in detail  # sent: no button any more
    snap = CaseState.objects.get(case=case).snapshot
    assert snap["suspended_decisions"][str(sanction.pk)]["why"] == "herroepen"
    # beroep at the rechtbank, then hoger beroep at the CRvB after the ruling
    assert (
        post_step(
            client,
            case,
            "beroep",
            {"effective_date": day(21), "court": "rechtbank", "stage": "ingesteld", "objection_id": oid},
        ).status_code
        == 302
    )
    aid = last(case, "beroep").payload["appeal_id"]
    assert (
        post_step(
            client,
            case,
            "beroep",
            {
                "effective_date": day(22),
                "court": "rechtbank",
                "stage": "uitspraak",
                "appeal_id": aid,
                "outcome": "ongegrond",
                "ruling_sent_on": day(22),
            },
        ).status_code
        == 302
    )
    page = client.get(reverse("client_detail", args=[case.client_id])).content.decode()
    higher = terms.higher_appeal_term(T0 + dt.timedelta(days=22)).end
    assert "Termijn hoger beroep" in page and nl(higher) in page
    assert (
        post_step(
            client,
            case,
            "beroep",
            {"effective_date": day(25), "court": "crvb", "stage": "ingesteld", "lower_appeal_id": aid},
        ).status_code
        == 302
    )
    # every step and page read is audited
    details = set(AuditRecord.objects.filter(actor=jm).values_list("detail", flat=True))
    assert {"recorded bezwaar", "recorded beslissing_op_bezwaar", "recorded beroep"} <= details
    assert AuditRecord.objects.filter(actor=jm, object_type="objection").exists()


def test_late_objection_needs_a_reason(world, client):
    from regie.casework.services import append_event
    from tests.legal.helpers import heard

    case = world.clients_a[1].cases.get()
    old = dt.date.today() - dt.timedelta(days=60)
    heard(case, "maatregel", old)
    sanction = append_event(
        case,
        type="maatregel",
        effective_date=old,
        payload={"obligation_type": "administratief", "percentage": 5, "months": 1},
    )
    append_event(case, type="bekendmaking", effective_date=old, payload={"decision_event": sanction.pk})
    client.force_login(world.users_a["juridisch_medewerker"])
    # made known 60 days ago: the six weeks have passed; without a reason the objection is refused on the field
    r = post_step(client, case, "bezwaar", {"effective_date": day(28), "decision_event": sanction.pk})
    assert r.status_code == 400 and "Awb art. 6:11" in r.content.decode()
    r = post_step(
        client,
        case,
        "bezwaar",
        {"effective_date": day(28), "decision_event": sanction.pk, "late_reason": "Cliënt lag in het ziekenhuis"},
    )
    assert r.status_code == 302


def test_tenancy_and_capabilities(world, client):
    case_b = world.clients_b[0].cases.get()
    client.force_login(world.users_a["juridisch_medewerker"])
    assert client.get(reverse("legal:step", args=[case_b.pk, "bezwaar"])).status_code == 404
    assert client.get(reverse("legal:objection", args=[case_b.pk, "BZ-1"])).status_code == 404
    assert client.get(reverse("legal:worklist")).status_code == 200
    client.force_login(world.users_a["integrale_klantmanager"])
    assert client.get(reverse("legal:worklist")).status_code == 403
    nav = client.get(reverse("worklist")).content.decode()
    assert "Bezwaar en beroep" not in nav
    client.force_login(world.users_a["juridisch_medewerker"])
    assert "Bezwaar en beroep" in client.get(reverse("legal:worklist")).content.decode()


def test_monitoring_page_and_caseworker_signal(world, client):
    from regie.casework.services import append_event
    from tests.legal.helpers import heard

    km = world.users_a["integrale_klantmanager"]
    case = world.clients_a[2].cases.get()
    heard(case, "maatregel", T0)
    sanction = append_event(
        case,
        type="maatregel",
        effective_date=T0,
        payload={"obligation_type": "administratief", "percentage": 5, "months": 1},
        actor=km,
    )
    append_event(case, type="bekendmaking", effective_date=T0, payload={"decision_event": sanction.pk})
    b = append_event(
        case, type="bezwaar", effective_date=T0 + dt.timedelta(days=3), payload={"decision_event": sanction.pk}
    )
    append_event(
        case,
        type="beslissing_op_bezwaar",
        effective_date=T0 + dt.timedelta(days=10),
        payload={"objection_id": b.payload["objection_id"], "outcome": "gegrond", "new_decision": "geen maatregel"},
    )
    client.force_login(world.users_a["teammanager"])
    page = client.get(reverse("legal:monitoring")).content.decode()
    assert "1 van 1 beslist binnen de termijn" in page
    assert reverse("equity:objections") in page and km.username not in page  # per caseworker: the equity page
    # the equity monitor: the teammanager sees their own team by name, the policy officer a stable pseudonym
    from regie.equity.services import pseudonym

    page = client.get(reverse("equity:objections")).content.decode()
    name = f"{km.first_name} {km.last_name}".strip() or km.username
    assert name in page and "100%" in page and "te weinig bezwaren" in page  # 1 of 1 upheld, below the minimum
    client.force_login(world.users_a["beleidsmedewerker"])
    page = client.get(reverse("equity:objections")).content.decode()
    assert pseudonym(world.a.code, km.external_id or km.username) in page and name not in page
    client.force_login(world.users_a["juridisch_medewerker"])
    page = client.get(reverse("legal:monitoring")).content.decode()
    assert "Maatregel" in page and km.username not in page
    assert client.get(reverse("equity:objections")).status_code == 403  # no caseworker results for them
    client.force_login(km)
    assert client.get(reverse("legal:monitoring")).status_code == 403
    assert client.get(reverse("equity:objections")).status_code == 403


def test_demo_seed_gives_the_worklist_an_objection(world, client):
    from regie.accounts.models import User
    from regie.legal.demo import seed_demo

    seed_demo(world.a, "demo-password-123")
    seed_demo(world.a, "demo-password-123")  # idempotent
    assert Event.objects.filter(municipality=world.a, type="bezwaar").count() == 1
    assert User.objects.filter(municipality=world.a, role="juridisch_medewerker").count() == 1
    client.force_login(world.users_a["juridisch_medewerker"])
    assert "BZ-" in client.get(reverse("legal:worklist")).content.decode()
