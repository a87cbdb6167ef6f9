"""What the client can do in Mijn Regie: income form, a change, a document, a message; each through the owning app
and the gate, recorded as the client's own, and visible to the caseworker (timeline, tasks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.documents.models import Document
from regie.worktasks.models import Task
from tests.documents.conftest import pdf_bytes, upload
from tests.portal.conftest import CODE, portal_login

pytestmark = pytest.mark.django_db


def url(name):
    return reverse(f"portal:{name}", args=[CODE])


def test_income_form_records_an_inkomstenopgave(world, broker):
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    assert c.get(url("income")).status_code == 200
    r = c.post(url("income"), {"month": "2025-03", "work_income": "250,50", "other_income": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    event = Event.objects.get(case__client=client, type="inkomstenopgave")
    assert event.payload["month"] == "2025-03" and float(event.payload["work_income"]) == 250.5
    assert event.payload["reported_by"] == "client" and event.actor_role == "client"
    assert AuditRecord.objects.filter(actor=f"client:{client.pk}", object_id=str(event.pk)).exists()


def test_income_form_keeps_what_was_typed_and_names_the_field(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn)
    r = c.post(url("income"), {"month": "maart", "work_income": "250,50"})
    body = r.content.decode()
    assert r.status_code == 400 and 'value="maart"' in body and 'value="250,50"' in body
    assert 'aria-invalid="true"' in body
    assert not Event.objects.filter(type="inkomstenopgave").exists()


def test_change_becomes_an_event_and_a_task_for_the_caseworker(world, broker):
    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    c = portal_login(broker, client.bsn)
    on = timezone.localdate() + dt.timedelta(days=20)
    r = c.post(
        url("change"),
        {"kind": "verhuizing", "change_on": on.strftime("%d-%m-%Y"), "description": "Ik verhuis naar Delft"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    event = Event.objects.get(case__client=client, type="wijziging_gemeld")
    assert event.payload["kind"] == "verhuizing" and event.payload["change_on"] == on.isoformat()
    task = Task.objects.get(case__client=client)
    assert task.assignee == km and "Verhuizing" in task.title and task.source_ref.endswith(event.external_id)
    assert "Ik verhuis naar Delft" in task.description


def test_change_with_bad_input_is_refused_per_field(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn)
    r = c.post(url("change"), {"kind": "", "change_on": "31-02-2025", "description": "iets"})
    body = r.content.decode()
    assert r.status_code == 400 and "vul een datum in als dd-mm-jjjj" in body and 'value="31-02-2025"' in body
    far = (timezone.localdate() + dt.timedelta(days=800)).strftime("%d-%m-%Y")
    r = c.post(url("change"), {"kind": "werk", "change_on": far, "description": "x"})
    assert r.status_code == 400 and "binnen een jaar" in r.content.decode()
    assert not Event.objects.filter(type="wijziging_gemeld").exists() and not Task.objects.exists()


def test_message_goes_to_the_journal_and_the_caseworker(world, broker):
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    assert c.post(url("message"), {"text": ""}).status_code == 400
    assert c.post(url("message"), {"text": "Mag mijn afspraak later?"}).status_code == 302
    note = Event.objects.get(case__client=client, type="notitie")
    assert "Mag mijn afspraak later?" in note.payload["text"] and note.payload["confidential"] is False
    assert Task.objects.filter(case__client=client, title__contains="Bericht van de klant").exists()


def test_document_upload_through_the_documents_app(world, broker):
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    r = c.post(url("document"), {"kind": "loonstrook", "file": upload("loon.pdf", pdf_bytes())})
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.get(case__client=client)
    assert doc.kind == "loonstrook" and doc.event.type == "document" and doc.event.actor_role == "client"
    # a file that is no PDF or image is refused by the documents app, with its message
    r = c.post(url("document"), {"kind": "loonstrook", "file": upload("x.pdf", b"MZ not a pdf")})
    assert r.status_code == 400 and Document.objects.count() == 1
    # a kind a client may not choose
    r = c.post(url("document"), {"kind": "rapportage", "file": upload("r.pdf", pdf_bytes())})
    assert r.status_code == 400 and Document.objects.count() == 1


def test_portal_steps_appear_in_the_caseworkers_timeline(world, broker, login):
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    today = timezone.localdate().strftime("%d-%m-%Y")
    c.post(url("change"), {"kind": "studie", "change_on": today, "description": "MBO"})
    page = login(world.users_a["integrale_klantmanager"]).get(reverse("client_detail", args=[client.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Wijziging doorgegeven door de klant (Mijn Regie)" in body and "wijziging_gemeld" not in body
    assert "Mijn Regie (klant)" in body  # the portal account, by name


def test_portal_steps_appear_on_the_caseworkers_start_page(world, broker, login):
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    today = timezone.localdate().strftime("%d-%m-%Y")
    c.post(url("change"), {"kind": "werk", "change_on": today, "description": "Ik heb een baan bij de Hema"})
    page = login(world.users_a["integrale_klantmanager"]).get(reverse("agenda:start")).content.decode()
    assert "Door klanten doorgegeven in Mijn Regie" in page and "Ik heb een baan bij de Hema" in page
    other = login(world.users_b["integrale_klantmanager"]).get(reverse("agenda:start")).content.decode()
    assert "Ik heb een baan bij de Hema" not in other


def test_client_confirms_or_asks_to_move_an_appointment(world, broker):
    from regie.agenda import services as agenda

    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    day = timezone.localdate() + dt.timedelta(days=7)
    a = agenda.plan(client.cases.get(), km, kind="voortgangsgesprek", date=day, start_time=dt.time(10, 0))
    c = portal_login(broker, client.bsn)
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    assert day.strftime("%d-%m-%Y") in body and "Ik kom" in body
    assert c.post(reverse("portal:appointment", args=[CODE, a.pk, "bevestigen"])).status_code == 302
    note = Event.objects.filter(case__client=client, type="notitie").latest("pk")
    assert "bevestigt de afspraak" in note.payload["text"] and note.payload["appointment_id"] == a.appointment_id
    assert not Task.objects.exists()
    c.post(reverse("portal:appointment", args=[CODE, a.pk, "verzetten"]), {"reason": ""})
    assert not Task.objects.exists()  # a reason is needed
    c.post(reverse("portal:appointment", args=[CODE, a.pk, "verzetten"]), {"reason": "Ik moet werken"})
    task = Task.objects.get(case__client=client)
    assert task.assignee == km and "verzetten" in task.title and task.description == "Ik moet werken"
    assert c.post(reverse("portal:appointment", args=[CODE, a.pk, "weggooien"])).status_code == 404


def test_inzageverzoek_through_the_privacy_app(world, broker):
    from regie.privacy.models import AccessRequest

    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    assert "Uw gegevens opvragen" in c.get(url("access_request")).content.decode()
    r = c.post(url("access_request"))
    assert r.status_code == 302
    req = AccessRequest.objects.get(client=client)
    assert req.channel == "digitaal" and req.relation == "betrokkene" and req.received_on == timezone.localdate()
    assert req.identity_verified_on == timezone.localdate() and "DigiD (midden)" in req.identity_method
    assert "antwoord uiterlijk" in c.get(url("access_request")).content.decode()
