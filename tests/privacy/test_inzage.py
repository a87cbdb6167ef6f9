"""Inzageverzoek (AVG art. 15): the PDF and the JSON hold the person's events and who viewed them; tenancy, the
capability and the identity check hold; both downloads are audited."""

import datetime as dt

import orjson
import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.casework.services import append_event
from regie.core.records import RECORD_ADAPTER
from regie.privacy import services
from regie.privacy.models import AccessRequest

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _usernames(world):
    return [u.username for u in list(world.users_a.values()) + list(world.users_b.values())]


def test_pdf_holds_the_persons_events_decisions_and_who_viewed_them(world, login, client, verified_request):
    person = world.clients_a[0]
    case = person.cases.get()
    append_event(
        case,
        type="maatregel",
        effective_date=dt.date(2025, 4, 1),
        payload={"obligation_type": "reintegratie", "category": 2, "percentage": 30, "months": 1},
        decision={
            "recommendation": {"percentage": 20},
            "decided": {"percentage": 30},
            "deviates": True,
            "motivation": "Derde keer niet verschenen",
            "legal_basis": "Pw art. 18 lid 2",
        },
        actor=world.users_a["integrale_klantmanager"],
    )
    # someone views the file: the inzage must show it, by role and organisation
    login(world.users_a["integrale_klantmanager"])
    assert client.get(reverse("client_detail", args=[person.pk])).status_code == 200
    login(world.users_a["functioneel_beheerder"])
    r = client.get(reverse("privacy:access_download", args=[verified_request.pk, "pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in (
        "Inzage in uw persoonsgegevens",
        person.family_name,
        "Melding",
        "Toekenning",
        "Maatregel",
        "Bedrag per maand: € 1.400,00",
        "Motivering: Derde keer niet verschenen",
        "Afwijking van het advies: ja",
        "Wettelijke grondslag: Pw art. 18 lid 2",
        "uw persoonsgegevens ingezien",
        "Integrale klantmanager, Gemeente Den Haag",
        "C-579/21",
        "Wie heeft uw gegevens ingezien",
    ):
        assert expected in " ".join(text.split()), expected
    assert person.bsn in text  # the person's own BSN, in full
    for name in _usernames(world):
        assert name not in text, name  # roles, not staff names
    assert "obligation_type" not in text and "monthly_amount" not in text  # no raw keys
    assert (
        AuditRecord.objects.filter(
            action="export",
            object_type="client",
            object_id=person.external_id,
            detail=f"inzage pdf request {verified_request.pk}",
        ).count()
        == 1
    )


def test_json_round_trips_as_interchange_records_plus_audit(world, login, client, verified_request):
    person = world.clients_a[0]
    login(world.users_a["teammanager"])
    client.get(reverse("client_detail", args=[person.pk]))
    login(world.users_a["functioneel_beheerder"])
    r = client.get(reverse("privacy:access_download", args=[verified_request.pk, "json"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    data = orjson.loads(r.content)
    assert data["format"] == "regie-inzage" and orjson.loads(orjson.dumps(data)) == data
    records = data["records"]
    client_rec = next(rec for rec in records if rec["record"] == "client")
    assert client_rec["bsn"] == person.masked_bsn and person.bsn not in r.content.decode()
    # with the person's own BSN back in, every record is a valid line of the interchange format
    parsed = [
        RECORD_ADAPTER.validate_python({**rec, "bsn": person.bsn} if rec["record"] == "client" else rec)
        for rec in records
    ]
    assert parsed[0].family_name == person.family_name and parsed[0].birth_date == person.birth_date
    events = [p for p in parsed if p.record == "event"]
    assert sorted(e.id for e in events) == sorted(
        Event.objects.filter(case__client=person).values_list("external_id", flat=True)
    )
    assert all(e.actor is None for e in events)
    toewijzing = next(e for e in events if e.type == "caseworker_toewijzing")
    assert toewijzing.payload["caseworker"] == "Integrale klantmanager"
    views = [a for a in data["audit"] if a["action"] == "read" and a["object_type"] == "client"]
    assert views and views[-1]["role"] == "teammanager" and views[-1]["organisation"] == "Gemeente Den Haag"
    body = r.content.decode()
    for name in _usernames(world):
        assert name not in body, name
    assert AuditRecord.objects.filter(action="export", detail=f"inzage json request {verified_request.pk}").count() == 1


def test_another_municipalitys_request_or_client_is_404_and_audited(world, login, client):
    other = services.record_access_request(world.clients_b[0], requested_by="x", received_on=dt.date.today())
    services.verify_identity(other, method="DigiD")
    login(world.users_a["functioneel_beheerder"])
    for url in (
        reverse("privacy:access", args=[other.pk]),
        reverse("privacy:access_download", args=[other.pk, "pdf"]),
        reverse("privacy:access_download", args=[other.pk, "json"]),
    ):
        assert client.get(url).status_code == 404, url
    denied = AuditRecord.objects.filter(
        object_type="access_request",
        object_id=str(other.pk),
        result="denied",
        actor=world.users_a["functioneel_beheerder"].username,
    )
    assert denied.count() == 3
    assert not AuditRecord.objects.filter(action="export", detail__startswith="inzage").exists()
    # a client number that is not in the user's municipality records nothing, and the attempt is audited
    before = AccessRequest.objects.count()
    r = client.post(
        reverse("privacy:access_new"),
        {"client": "does-not-exist", "requested_by": "x", "received_on": dt.date.today().isoformat()},
    )
    assert r.status_code == 400 and AccessRequest.objects.count() == before
    body = r.content.decode()  # the form again, with what was typed and the message at the client number
    assert 'value="does-not-exist"' in body and "Geen cliënt met dit nummer in uw gemeente." in body
    assert AuditRecord.objects.filter(object_type="client", object_id="does-not-exist", result="denied").exists()


@pytest.mark.parametrize("role", ["integrale_klantmanager", "auditor", "beleidsmedewerker", "provider_coach"])
def test_a_role_without_the_capability_gets_403(world, login, client, verified_request, role):
    login(world.users_a[role])
    assert client.get(reverse("privacy:index")).status_code == 403
    assert client.get(reverse("privacy:access_download", args=[verified_request.pk, "pdf"])).status_code == 403
    assert (
        client.post(
            reverse("privacy:access_new"), {"client": "C0", "requested_by": "x", "received_on": "2025-01-01"}
        ).status_code
        == 403
    )
    assert (
        AuditRecord.objects.filter(
            actor=world.users_a[role].username, result="denied", detail="lacks handle_privacy_requests"
        ).count()
        == 3
    )


def test_the_web_flow_records_due_date_identity_and_refuses_the_file_before_verification(world, login, client):
    login(world.users_a["teammanager"])
    r = client.post(
        reverse("privacy:access_new"),
        {
            "client": "C1",
            "requested_by": "Voornaam1",
            "relation": "betrokkene",
            "channel": "post",
            "received_on": "2026-01-31",
        },
    )
    req = AccessRequest.objects.get()
    assert r.status_code == 302 and req.client == world.clients_a[1]
    assert req.due_on == dt.date(2026, 2, 28)  # one month (AVG art. 12 lid 3), end of a shorter month
    r = client.get(reverse("privacy:access_download", args=[req.pk, "pdf"]))
    assert r.status_code == 302 and not AuditRecord.objects.filter(action="export").exists()
    client.post(reverse("privacy:access_action", args=[req.pk, "verify"]), {"identity_method": "paspoort aan de balie"})
    req.refresh_from_db()
    assert req.identity_verified_by == world.users_a["teammanager"] and req.identity_verified_on == dt.date.today()
    assert client.get(reverse("privacy:access_download", args=[req.pk, "pdf"])).status_code == 200
    page = client.get(reverse("privacy:access", args=[req.pk])).content.decode()
    assert world.clients_a[1].bsn not in page and world.clients_a[1].masked_bsn in page


def test_the_term_extends_once_by_two_months_with_a_reason_within_the_first_month(world):
    req = services.record_access_request(world.clients_a[0], requested_by="x", received_on=dt.date(2026, 1, 31))
    with pytest.raises(services.PrivacyError):
        services.extend(req, reason="  ", today=dt.date(2026, 2, 1))
    with pytest.raises(services.PrivacyError):
        services.extend(req, reason="veel dossiers", today=dt.date(2026, 3, 1))  # the month has passed
    req = services.extend(req, reason="omvangrijk dossier", today=dt.date(2026, 2, 20))
    assert req.extended_due_on == dt.date(2026, 4, 28) and req.due == dt.date(2026, 4, 28)
    with pytest.raises(services.PrivacyError):
        services.extend(req, reason="nog eens", today=dt.date(2026, 2, 21))
    assert (
        AuditRecord.objects.filter(object_type="access_request", object_id=str(req.pk), detail="term extended").count()
        == 1
    )
    with pytest.raises(services.PrivacyError):
        services.record_access_request(
            world.clients_a[0], requested_by="x", received_on=dt.date.today() + dt.timedelta(days=1)
        )


def test_the_command_writes_pdf_and_json_and_audits_both(world, tmp_path):
    from typer.testing import CliRunner

    from regie.cli import app

    person = world.clients_a[2]
    result = CliRunner().invoke(app, ["privacy", "inzage", world.a.code, person.external_id, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf, js = tmp_path / f"inzage-{person.external_id}.pdf", tmp_path / f"inzage-{person.external_id}.json"
    assert person.family_name in pdf_text(pdf.read_bytes())
    assert orjson.loads(js.read_bytes())["records"][0]["id"] == person.external_id
    assert (
        AuditRecord.objects.filter(action="export", object_id=person.external_id, detail__startswith="inzage").count()
        == 2
    )
    missing = CliRunner().invoke(app, ["privacy", "inzage", world.a.code, "nope", "--out", str(tmp_path)])
    assert missing.exit_code == 1
    assert AuditRecord.objects.filter(object_id="nope", result="denied").exists()
