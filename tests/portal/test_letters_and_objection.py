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


def _made_known(client, world, on: dt.date):
    toekenning = Event.objects.get(case__client=client, type="toekenning")
    append_event(
        toekenning.case,
        type="bekendmaking",
        effective_date=on,
        payload={"decision_event": toekenning.pk},
        actor=world.users_a["integrale_klantmanager"],
    )
    return toekenning


def _lodge(c, decision_pk, grounds="Mijn kind woont bij mij, de norm klopt niet.", **extra):
    return c.post(
        reverse("portal:objection", args=[CODE]), {"decision_event": str(decision_pk), "grounds": grounds, **extra}
    )


def test_objection_online_enters_the_legal_process_with_its_receipt_date(letters_world, broker):
    from regie.legal.selectors import objection_worklist

    world = letters_world
    client = world.clients_a[0]
    today = dt.date.today()
    toekenning = _made_known(client, world, today - dt.timedelta(days=3))
    c = portal_login(broker, client.bsn)
    form = c.get(reverse("portal:objection", args=[CODE])).content.decode()
    assert f'value="{toekenning.pk}"' in form
    r = c.post(reverse("portal:objection", args=[CODE]), {"decision_event": str(toekenning.pk), "grounds": ""})
    assert r.status_code == 400 and "schrijf uw redenen op" in r.content.decode()
    assert _lodge(c, toekenning.pk).status_code == 302
    # the legal bezwaar itself, received today, recorded by the Mijn Regie account as the client
    ev = Event.objects.get(case__client=client, type="bezwaar")
    assert ev.effective_date == today and ev.payload["decision_event"] == toekenning.pk
    assert ev.actor_role == "client" and ev.actor.username == f"mijnregie.{CODE}" and not ev.actor.is_active
    assert ev.payload["lodged_via"] == "mijnregie" and ev.payload["lodged_by"] == "client"
    assert ev.payload["objection_id"].startswith("BZ") and "advisory_committee" in ev.payload  # Regie filled them
    assert not Event.objects.filter(type="bezwaar_ingediend").exists()
    # it is in the legal reviewer's objections worklist with its decision term, like a staff-recorded one
    reviewer = world.users_a["juridisch_medewerker"]
    rows = [row for row in objection_worklist(reviewer) if row.case.client_id == client.pk]
    assert len(rows) == 1 and rows[0].objection.received_on == today and rows[0].due > today
    assert not [row for row in objection_worklist(world.users_b["juridisch_medewerker"]) if row.case == ev.case]
    # the task is the legal reviewer's
    task = Task.objects.get(case__client=client)
    assert task.assignee == reviewer and "Bezwaar via Mijn Regie behandelen" in task.title
    assert task.source_ref == f"mijnregie:{ev.external_id}"
    # the ontvangstbevestiging (Awb art. 6:14) was sent and the client reads it as PDF
    sent = Event.objects.get(case__client=client, type="contact")
    assert sent.effective_date == today and "Wij hebben uw bezwaar ontvangen" in sent.payload["summary"]
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    letter_url = reverse("portal:letter", args=[CODE, ev.pk])
    assert "wordt behandeld" in body and "een beslissing" in body and letter_url in body
    r = c.get(letter_url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "bezwaar" in pdf_text(r.content).lower()
    # the caseworker's start page lists it among what clients did in Mijn Regie
    from django.test import Client as Browser

    staff = Browser()
    staff.force_login(world.users_a["integrale_klantmanager"])
    start = staff.get(reverse("agenda:start")).content.decode()
    assert "Door klanten doorgegeven in Mijn Regie" in start and "bezwaar ingediend" in start
    # a double submit (same grounds) writes nothing new; other grounds are refused with a Dutch message
    assert _lodge(c, toekenning.pk).status_code == 302
    assert Event.objects.filter(type="bezwaar").count() == 1 and Task.objects.filter(case__client=client).count() == 1
    assert Event.objects.filter(type="contact", case__client=client).count() == 1
    r = _lodge(c, toekenning.pk, grounds="Nog iets anders.")
    assert r.status_code == 400 and "al bezwaar gemaakt" in r.content.decode()
    # a decision of another client cannot be objected to from here, and the other client sees none of it
    other_toekenning = Event.objects.get(case__client=world.clients_a[1], type="toekenning")
    r = _lodge(c, other_toekenning.pk, grounds="x")
    assert r.status_code == 400 and Event.objects.filter(type="bezwaar").count() == 1
    other = portal_login(broker, world.clients_a[1].bsn)
    assert other.get(letter_url).status_code == 404
    assert "Uw bezwaren" not in other.get(reverse("portal:overview", args=[CODE])).content.decode()


def test_a_late_objection_asks_the_client_why(letters_world, broker):
    world = letters_world
    client = world.clients_a[0]
    toekenning = _made_known(client, world, dt.date(2025, 2, 3))  # the six weeks ended on 17-03-2025
    c = portal_login(broker, client.bsn)
    r = _lodge(c, toekenning.pk)
    assert r.status_code == 400 and "te laat" in r.content.decode() and "17-03-2025" in r.content.decode()
    assert "Mijn kind woont bij mij" in r.content.decode()  # what was typed is kept
    assert not Event.objects.filter(type="bezwaar").exists()
    assert _lodge(c, toekenning.pk, late_reason="Ik lag in het ziekenhuis.").status_code == 302
    ev = Event.objects.get(type="bezwaar", case__client=client)
    assert ev.payload["late_reason"] == "Ik lag in het ziekenhuis."


def test_only_the_portal_account_holds_the_client_right_and_only_for_bezwaar(letters_world):
    """The narrow rule: role client may record bezwaar; staff roles keep theirs; client may not do the next steps."""
    from regie.casework.decisions import DecisionRefused, record_step
    from regie.core.records import ROLES
    from regie.portal.services import portal_actor

    world = letters_world
    client = world.clients_a[0]
    toekenning = _made_known(client, world, dt.date.today() - dt.timedelta(days=2))
    case = toekenning.case
    assert "client" not in ROLES  # no staff account can be given the role
    with pytest.raises(DecisionRefused):  # the caseworker still may not record an objection
        record_step(
            case,
            world.users_a["integrale_klantmanager"],
            event_type="bezwaar",
            effective_date=dt.date.today(),
            payload={"decision_event": toekenning.pk},
        )
    actor = portal_actor(world.a)
    _o, ev = record_step(
        case, actor, event_type="bezwaar", effective_date=dt.date.today(), payload={"decision_event": toekenning.pk}
    )
    with pytest.raises(DecisionRefused):  # deciding on it stays with the legal reviewer
        record_step(
            case,
            actor,
            event_type="beslissing_op_bezwaar",
            effective_date=dt.date.today(),
            payload={"objection_id": ev.payload["objection_id"], "outcome": "ongegrond"},
        )


def test_older_online_objections_are_registered_with_their_receipt_date(letters_world, broker):
    from regie.casework.decisions import record_step
    from regie.portal.services import portal_actor, register_legacy_objections
    from regie.worktasks import services as tasks

    world = letters_world
    client = world.clients_a[0]
    received = dt.date.today() - dt.timedelta(days=5)
    toekenning = _made_known(client, world, dt.date.today() - dt.timedelta(days=10))
    actor = portal_actor(world.a)
    _o, old = record_step(
        toekenning.case,
        actor,
        event_type="bezwaar_ingediend",
        effective_date=received,
        payload={"decision_event": toekenning.pk, "grounds": "De norm klopt niet.", "reported_by": "client"},
    )
    old_task = tasks.create(
        actor,
        case=toekenning.case,
        title="Bezwaar van de klant registreren",
        assignee=world.users_a["integrale_klantmanager"],
        source_ref=f"mijnregie:{old.external_id}",
    )
    c = portal_login(broker, client.bsn)
    assert "ontvangen, wij nemen het in behandeling" in c.get(reverse("portal:overview", args=[CODE])).content.decode()
    from typer.testing import CliRunner

    from regie.cli import app

    r = CliRunner().invoke(app, ["portal", "register-objections", world.a.code, "--dry-run"])
    assert r.exit_code == 0 and "would register" in r.output and "0 registered, 1 online" in r.output, r.output
    assert not Event.objects.filter(type="bezwaar").exists()
    assert CliRunner().invoke(app, ["portal", "register-objections", "9999"]).exit_code == 2
    r = CliRunner().invoke(app, ["portal", "register-objections", world.a.code])
    assert r.exit_code == 0 and "1 registered" in r.output, r.output
    assert client.bsn not in r.output and client.family_name not in r.output
    ev = Event.objects.get(type="bezwaar", case__client=client)
    assert ev.effective_date == received and ev.payload["grounds"] == "De norm klopt niet."
    old_task.refresh_from_db()
    assert old_task.status == "done"
    new_task = Task.objects.get(case__client=client, status="open")
    assert "ontvangst bevestigen" in new_task.title  # no letter is sent with a past date
    assert not Event.objects.filter(type="contact", case__client=client).exists()
    body = c.get(reverse("portal:overview", args=[CODE])).content.decode()
    assert "wordt behandeld" in body and "ontvangen, wij nemen het in behandeling" not in body
    # running it again registers nothing twice
    assert [row["reason"] for row in register_legacy_objections(world.a)] == ["already registered"]
    assert Event.objects.filter(type="bezwaar").count() == 1


def test_a_representative_lodges_the_objection_in_the_clients_name(letters_world, broker):
    from regie.portal.services import grant
    from tests.portal.conftest import REPRESENTATIVE_BSN

    world = letters_world
    client = world.clients_a[0]
    toekenning = _made_known(client, world, dt.date.today() - dt.timedelta(days=1))
    m = grant(
        client,
        representative_bsn=REPRESENTATIVE_BSN,
        representative_name="B. Bewind",
        role="bewindvoerder",
        valid_from=dt.date(2025, 1, 1),
    )
    c = portal_login(broker, REPRESENTATIVE_BSN)
    assert _lodge(c, toekenning.pk).status_code == 302
    ev = Event.objects.get(type="bezwaar", case__client=client)
    assert ev.payload["lodged_by"] == "vertegenwoordiger" and ev.payload["machtiging_id"] == m.pk
    assert AuditRecord.objects.filter(actor__startswith=f"vertegenwoordiger:M{m.pk}:", object_id=str(ev.pk)).exists()
