"""The client's letters (sent ones only, as PDF from the letters app), benefit calculation and objections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.casework.services import append_event
from regie.worktasks.models import Task
from tests.letters.conftest import pdf_text
from tests.portal.conftest import CODE, portal_login

pytestmark = pytest.mark.django_db


def _sent_toekenning(client, world):
    toekenning = Event.objects.get(case__client=client, type="toekenning")
    append_event(
        toekenning.case,
        type="bekendmaking",
        effective_date=dt.date(2025, 2, 3),
        payload={"decision_event": toekenning.pk},
        actor=world.users_a["integrale_klantmanager"],
    )
    return toekenning


def test_only_sent_letters_are_shown_and_open_as_pdf(letters_world, broker):
    world = letters_world
    client = world.clients_a[0]
    c = portal_login(broker, client.bsn)
    toekenning = Event.objects.get(case__client=client, type="toekenning")
    letter_url = reverse("portal:letter", args=[CODE, toekenning.pk])
    assert c.get(letter_url).status_code == 404  # not sent yet: not the client's letter yet
    _sent_toekenning(client, world)
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    assert letter_url in body and "03-02-2025" in body
    r = c.get(letter_url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "Laan van Meerdervoort 12" in pdf_text(r.content)
    assert AuditRecord.objects.filter(
        actor=f"client:{client.pk}", action="export", object_id=str(toekenning.pk)
    ).exists()
    # another client's letter: 404, however its id is guessed
    other = portal_login(broker, world.clients_a[1].bsn)
    assert other.get(letter_url).status_code == 404


def test_overview_shows_the_monthly_calculation(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn)
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    assert "Uw uitkering" in body and "Berekening van" in body and "U krijgt" in body


def test_objection_online_records_the_receipt_and_a_task(letters_world, broker):
    world = letters_world
    client = world.clients_a[0]
    toekenning = _sent_toekenning(client, world)
    c = portal_login(broker, client.bsn)
    form = c.get(reverse("portal:objection", args=[CODE])).content.decode()
    assert f'value="{toekenning.pk}"' in form
    r = c.post(reverse("portal:objection", args=[CODE]), {"decision_event": str(toekenning.pk), "grounds": ""})
    assert r.status_code == 400 and "schrijf uw redenen op" in r.content.decode()
    r = c.post(
        reverse("portal:objection", args=[CODE]),
        {"decision_event": str(toekenning.pk), "grounds": "Mijn kind woont bij mij, de norm klopt niet."},
    )
    assert r.status_code == 302
    ev = Event.objects.get(case__client=client, type="bezwaar_ingediend")
    assert ev.effective_date == dt.date.today() and ev.payload["decision_event"] == toekenning.pk
    task = Task.objects.get(case__client=client)
    assert (
        "Bezwaar van de klant registreren" in task.title and task.team_id == client.cases.get().team_id or task.assignee
    )
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    assert "ontvangen, wij nemen het in behandeling" in body
    # a decision of another client cannot be objected to from here
    other_toekenning = Event.objects.get(case__client=world.clients_a[1], type="toekenning")
    r = c.post(reverse("portal:objection", args=[CODE]), {"decision_event": str(other_toekenning.pk), "grounds": "x"})
    assert r.status_code == 400 and Event.objects.filter(type="bezwaar_ingediend").count() == 1
