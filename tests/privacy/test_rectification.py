"""Rectification (AVG art. 16): recorded, decided with a reason, a granted correction changes the client through
the service with before/after kept and audited, and the analytic copy is rebuilt."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from regie.analytics import store
from regie.audit.models import AuditRecord
from regie.casework.models import Client
from regie.privacy import services
from regie.privacy.models import RectificationRequest

pytestmark = pytest.mark.django_db


def test_granted_correction_records_before_after_and_is_audited(world, login, client):
    person = world.clients_a[0]
    old = person.family_name
    store.current(world.a, max_age=0)  # the analytic copy exists before the correction
    login(world.users_a["functioneel_beheerder"])
    r = client.post(
        reverse("privacy:rectification_new"),
        {
            "client": person.external_id,
            "requested_by": "Voornaam0",
            "received_on": "2026-03-02",
            "field": "education",
            "statement": "Ik heb een hbo-diploma",
            "requested_value": "hbo",
        },
    )
    req = RectificationRequest.objects.get()
    assert r.status_code == 302 and req.due_on == dt.date(2026, 4, 2) and req.decision == ""
    r = client.post(
        reverse("privacy:rectification_action", args=[req.pk, "decide"]),
        {"decision": "granted", "reason": "Diploma getoond", "new_value": "hbo"},
    )
    req.refresh_from_db()
    person.refresh_from_db()
    assert person.education == "hbo" and person.family_name == old
    assert req.decision == "granted" and req.before in ("", None) and req.after == "hbo"
    assert req.decided_by == world.users_a["functioneel_beheerder"] and req.decision_reason == "Diploma getoond"
    change = AuditRecord.objects.get(action="update", object_type="client", object_id=person.external_id)
    assert change.detail == f"rectification {req.pk} field education" and "hbo" not in change.detail
    assert (
        AuditRecord.objects.filter(
            object_type="rectification_request", object_id=str(req.pk), detail="decision granted"
        ).count()
        == 1
    )
    # the in-place change reaches the analytic copy (rebuilt by a job, inline in tests)
    frames = store.current(world.a, max_age=0)
    row = frames.clients.filter(frames.clients["client_id"] == person.external_id).to_dicts()[0]
    assert row["education"] == "hbo"
    # decided once
    with pytest.raises(services.PrivacyError):
        services.decide_rectification(req, granted=False, reason="x")


def test_refusal_changes_nothing_and_invalid_values_are_refused(world):
    person = world.clients_a[1]
    req = services.record_rectification(
        person,
        requested_by="x",
        received_on=dt.date(2026, 3, 2),
        field="contact.postcode",
        statement="verkeerde postcode",
        requested_value="abc",
    )
    with pytest.raises(services.PrivacyError):
        services.decide_rectification(req, granted=True, reason="ok")  # not a Dutch postcode
    person.refresh_from_db()
    assert person.contact == {} and RectificationRequest.objects.get(pk=req.pk).decision == ""
    services.decide_rectification(req, granted=True, reason="ok", new_value="2511 AA")
    person.refresh_from_db()
    assert person.contact["postcode"] == "2511 AA"
    other = services.record_rectification(
        person,
        requested_by="x",
        received_on=dt.date(2026, 3, 2),
        field="family_name",
        statement="spelfout",
        requested_value="Jansen",
    )
    services.decide_rectification(other, granted=False, reason="Naam volgt de BRP; terugmelding gedaan")
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.family_name != "Jansen" and other.decision == "refused" and other.before is None
    with pytest.raises(services.PrivacyError):
        services.decide_rectification(
            services.record_rectification(
                person, requested_by="x", received_on=dt.date(2026, 3, 2), field="sex", statement="s"
            ),
            granted=True,
            reason="",
        )  # a reason is required


def test_other_municipality_and_role_checks_on_rectification(world, login, client):
    req = services.record_rectification(
        world.clients_b[0],
        requested_by="x",
        received_on=dt.date(2026, 3, 2),
        field="given_name",
        statement="s",
        requested_value="Piet",
    )
    login(world.users_a["functioneel_beheerder"])
    assert client.get(reverse("privacy:rectification", args=[req.pk])).status_code == 404
    assert (
        client.post(
            reverse("privacy:rectification_action", args=[req.pk, "decide"]), {"decision": "granted", "reason": "r"}
        ).status_code
        == 404
    )
    assert Client.objects.get(pk=world.clients_b[0].pk).given_name != "Piet"
    assert (
        AuditRecord.objects.filter(object_type="rectification_request", object_id=str(req.pk), result="denied").count()
        == 2
    )
    login(world.users_a["integrale_klantmanager"])
    assert client.get(reverse("privacy:index")).status_code == 403


def test_the_inzage_shows_the_rectification(world):
    from regie.privacy import documents, selectors

    person = world.clients_a[2]
    req = services.record_rectification(
        person,
        requested_by="x",
        received_on=dt.date(2026, 3, 2),
        field="language",
        statement="ik spreek Engels",
        requested_value="en",
    )
    services.decide_rectification(req, granted=True, reason="bevestigd")
    pf = selectors.person_file(person)
    data = documents.as_dict(pf)
    assert data["rectifications"][0]["before"] in ("", None) and data["rectifications"][0]["after"] == "en"
    assert any("gecorrigeerd" in a["description"] for a in data["audit"])


@pytest.mark.parametrize(
    ("detail", "action", "expected"),
    [
        ("rectification 7 field contact.street", "update", "uw persoonsgegevens gecorrigeerd (Straat en huisnummer)"),
        ("rectification 7 field language", "update", "uw persoonsgegevens gecorrigeerd (Taal)"),
        ("inzage pdf request 3", "export", "inzage in uw dossier gemaakt (PDF)"),
        ("inzage json (command line)", "export", "inzage in uw dossier gemaakt (JSON)"),
        ("letter toekenning K-1", "export", "besluitbrief gemaakt (dossier K-1)"),
    ],
)
def test_the_person_files_audit_lines_say_what_was_done(detail, action, expected):
    from types import SimpleNamespace

    from regie.privacy import documents

    line = SimpleNamespace(object_type="case", object_id="K-1", action=action, detail=detail, result="success")
    with translation.override("nl"):
        assert documents.audit_text(line).startswith(expected)
