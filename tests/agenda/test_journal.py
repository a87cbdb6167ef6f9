"""Journal notes: contact moments, confidential notes per role in the timeline, the journal page and the API,
every note read audited, accent-insensitive search, tenancy, and the client's own inzage (AVG art. 15)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.core.events import EventError
from regie.journal import services

pytestmark = pytest.mark.django_db

SECRET = "Cliënt vertelt over een hernia en pijnstillers"


def _secret_note(case, user):
    return services.add_note(case, user, text=SECRET, confidential=True, confidentiality="medisch")


def test_note_with_a_channel_is_a_contact_moment(world, km, case_a):
    services.add_note(case_a, km, text="Gebeld over de afspraak", channel="telefoon")
    case_a.state.refresh_from_db()
    assert case_a.state.snapshot["last_contact_on"] == timezone.localdate().isoformat()


def test_confidential_needs_a_category(world, km, case_a):
    with pytest.raises(EventError) as exc:
        services.add_note(case_a, km, text="x", confidential=True)
    assert "vertrouwelijk" in str(exc.value)


@pytest.mark.parametrize(
    "role, sees_text",
    [
        ("integrale_klantmanager", True),  # the case's caseworker (and the author here)
        ("teammanager", True),
        ("inkomensconsulent", False),  # a colleague of the same municipality
        ("juridisch_medewerker", False),
    ],
)
def test_confidential_text_in_the_timeline_per_role(world, km, case_a, login, role, sees_text):
    event = _secret_note(case_a, km)
    user = world.users_a[role]
    resp = login(user).get(reverse("client_detail", args=[world.clients_a[0].pk]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert (SECRET in body) is sees_text
    rec = AuditRecord.objects.get(object_type="note", object_id=event.external_id, actor=user.username)
    assert rec.detail.startswith("text" if sees_text else "redacted") and "medisch" in rec.detail


def test_the_author_reads_a_note_after_the_case_moved(world, km, case_a, login):
    colleague = world.users_a["inkomensconsulent"]
    _secret_note(case_a, colleague)  # a colleague covering for the caseworker wrote it
    assert SECRET in login(colleague).get(reverse("journal:case", args=[case_a.pk])).content.decode()


def test_provider_coach_and_auditor_never_read_it(world, km, case_a, login):
    _secret_note(case_a, km)
    for role in ("provider_coach", "auditor"):
        resp = login(world.users_a[role]).get(reverse("journal:case", args=[case_a.pk]))
        assert resp.status_code == 403, role


def test_api_event_listing_redacts(world, km, case_a, client):
    from rest_framework.test import APIClient

    event = _secret_note(case_a, km)
    api = APIClient()
    api.force_authenticate(world.users_a["inkomensconsulent"])
    resp = api.get(f"/api/v1/cases/{case_a.pk}/events/")
    assert resp.status_code == 200
    notes = [e for e in resp.json()["results"] if e["type"] == "notitie"]
    assert notes and SECRET not in str(notes) and notes[0]["payload"]["redacted"] is True
    assert AuditRecord.objects.filter(object_type="note", object_id=event.external_id, detail__startswith="redacted")
    api.force_authenticate(km)
    resp = api.get(f"/api/v1/cases/{case_a.pk}/events/")
    assert SECRET in str(resp.json()["results"])


def test_the_log_itself_keeps_the_text(world, km, case_a, login):
    event = _secret_note(case_a, km)
    login(world.users_a["inkomensconsulent"]).get(reverse("client_detail", args=[world.clients_a[0].pk]))
    assert Event.objects.get(pk=event.pk).payload["text"] == SECRET


def test_search_is_accent_insensitive_and_skips_unreadable_notes(world, km, case_a, login):
    services.add_note(case_a, km, text="Afspraak bij het Café Élan besproken", channel="balie")
    _secret_note(case_a, km)
    c = login(km)
    resp = c.get(reverse("journal:case", args=[case_a.pk]), {"q": "cafe elan"})
    assert "Café Élan" in resp.content.decode() and len(resp.context["notes"]) == 1
    resp = c.get(reverse("journal:search"), {"q": "CLIENT hernia"})
    assert len(resp.context["notes"]) == 1  # "Cliënt" matched by "client"
    colleague = login(world.users_a["inkomensconsulent"])
    resp = colleague.get(reverse("journal:case", args=[case_a.pk]), {"q": "hernia"})
    assert resp.context["notes"] == []  # a search does not reveal what a redacted note says


def test_new_note_form_posts(world, km, case_a, login):
    c = login(km)
    resp = c.post(
        reverse("journal:case", args=[case_a.pk]),
        {"text": "Brief ontvangen", "channel": "email", "confidentiality": ""},
    )
    assert resp.status_code == 302
    assert Event.objects.get(case=case_a, type="notitie").payload == {
        "text": "Brief ontvangen",
        "channel": "email",
        "confidential": False,
    }
    resp = c.post(reverse("journal:case", args=[case_a.pk]), {"text": ""})
    assert resp.status_code == 200 and "text" in resp.context["errors"]


def test_another_municipality_is_a_404(world, km, case_b, login):
    services.add_note(case_b, world.users_b["integrale_klantmanager"], text="B")
    c = login(km)
    assert c.get(reverse("journal:case", args=[case_b.pk])).status_code == 404
    assert c.post(reverse("journal:case", args=[case_b.pk]), {"text": "x"}).status_code == 404
    assert c.get(reverse("journal:search"), {"q": "B"}).context["notes"] == []


def test_inzage_includes_the_confidential_text(world, km, case_a):
    """AVG art. 15: the client's own file includes every note about them, confidential ones too; the caseworker's
    username in an appointment is replaced by the role, as for an assignment."""
    import datetime as dt

    from regie.agenda.services import plan
    from regie.privacy import documents, selectors

    from .conftest import next_weekday

    _secret_note(case_a, km)
    plan(case_a, km, kind="intake", date=next_weekday(), start_time=dt.time(9, 0))
    pf = selectors.person_file(world.clients_a[0])
    data = documents.render_json(pf).decode()
    assert SECRET in data
    assert km.username not in data


def test_note_text_stays_out_of_the_analytic_tables(world, km, case_a):
    from regie.analytics.store import current

    _secret_note(case_a, km)
    frames = current(world.a, max_age=0)
    notes = frames.events.filter(frames.events["type"] == "notitie")
    assert notes.height == 1
    assert json.loads(notes["payload"][0]) == {"confidential": True, "confidentiality": "medisch"}
