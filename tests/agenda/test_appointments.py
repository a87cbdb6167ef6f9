"""Appointments: planned and closed through the decision gate, the projection rebuilt from the log, the calendar
pages, the .ics files parsed back with icalendar, the invitation e-mail, the no-show route, tenancy."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from regie.agenda import services
from regie.agenda.models import Appointment
from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.core.events import EventError

from .conftest import next_weekday

pytestmark = pytest.mark.django_db


def _plan(case, user, **kw):
    args = {"kind": "voortgangsgesprek", "date": next_weekday(), "start_time": dt.time(10, 0)}
    args.update(kw)
    return services.plan(case, user, **args)


def test_plan_writes_one_event_and_the_projection(world, km, case_a):
    appt = _plan(case_a, km, location="Werkplein, balie 3")
    event = Event.objects.get(case=case_a, type="afspraak")
    assert event.payload["appointment_id"] == appt.appointment_id
    assert event.payload["end_time"] == "10:30:00"  # the usual 30 minutes of a voortgangsgesprek
    assert appt.caseworker == km and appt.status == "gepland" and appt.location == "Werkplein, balie 3"
    assert event.effective_date == timezone.localdate()


def test_end_before_start_is_refused_naming_the_field(world, km, case_a):
    with pytest.raises(EventError) as exc:
        _plan(case_a, km, start_time=dt.time(11, 0), end_time=dt.time(10, 0))
    assert "Eindtijd" in str(exc.value)
    assert not Event.objects.filter(case=case_a, type="afspraak").exists()


def test_outcome_of_a_future_appointment_is_refused(world, km, case_a):
    appt = _plan(case_a, km)
    with pytest.raises(EventError):
        services.record_outcome(appt, km, outcome="gehouden")


def test_no_show_and_rebuild_agree(world, km, case_a):
    appt = _plan(case_a, km, date=timezone.localdate(), start_time=dt.time(9, 0))
    services.record_outcome(appt, km, outcome="no_show")
    appt.refresh_from_db()
    assert appt.status == "no_show" and appt.outcome_event.type == "afspraak_uitkomst"
    before = list(Appointment.objects.values_list("appointment_id", "status", "date", "start_time", "end_time"))
    services.rebuild_appointments(world.a.id)
    after = list(Appointment.objects.values_list("appointment_id", "status", "date", "start_time", "end_time"))
    assert before == after


def test_reschedule_makes_a_new_appointment(world, km, case_a):
    appt = _plan(case_a, km, kind="intake")
    new = services.record_outcome(appt, km, outcome="verzet", new_date=next_weekday(3), new_start=dt.time(14, 0))
    appt.refresh_from_db()
    assert appt.status == "verzet"
    assert new.rescheduled_from == appt.appointment_id and new.kind == "intake"
    assert (new.start_time, new.end_time) == (dt.time(14, 0), dt.time(15, 0))


def test_held_appointment_counts_as_contact(world, km, case_a):
    appt = _plan(case_a, km, date=timezone.localdate())
    services.record_outcome(appt, km, outcome="gehouden")
    case_a.state.refresh_from_db()
    assert case_a.state.snapshot["last_contact_on"] == timezone.localdate().isoformat()


def test_day_and_week_pages_in_dutch(world, km, case_a, login):
    appt = _plan(case_a, km, date=next_weekday())
    c = login(km)
    day = c.get(reverse("agenda:day"), {"datum": appt.date.isoformat()})
    assert day.status_code == 200
    body = day.content.decode()
    assert world.clients_a[0].family_name in body
    dutch_days = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
    assert any(d in body for d in dutch_days)
    week = c.get(reverse("agenda:week"), {"datum": appt.date.isoformat()})
    assert week.status_code == 200 and world.clients_a[0].family_name in week.content.decode()
    assert AuditRecord.objects.filter(object_type="calendar", actor=km.username).count() == 2


def test_new_form_is_prefilled_from_the_case(world, km, case_a, login):
    c = login(km)
    resp = c.get(reverse("agenda:new", args=[case_a.pk]) + "?soort=huisbezoek")
    assert resp.status_code == 200
    v = resp.context["values"]
    assert v["kind"] == "huisbezoek" and v["caseworker"] == km.username and v["date"] and v["start_time"] == "10:00"
    # posting only what was pre-filled plans the appointment
    resp = c.post(reverse("agenda:new", args=[case_a.pk]), {**v, "expected_version": case_a.state.version})
    assert resp.status_code == 302
    appt = Appointment.objects.get(case=case_a)
    assert appt.kind == "huisbezoek" and appt.end_time == dt.time(11, 0)


def test_ics_parses_back(world, km, case_a, login):
    appt = _plan(case_a, km, location="Werkplein")
    c = login(km)
    resp = c.get(reverse("agenda:ics", args=[appt.pk]))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(resp.content)
    (ev,) = cal.walk("VEVENT")
    assert str(ev["location"]) == "Werkplein"
    assert ev.decoded("dtstart").replace(tzinfo=None) == dt.datetime.combine(appt.date, dt.time(10, 0))
    assert str(ev["uid"]).startswith(appt.appointment_id)
    assert "Voortgangsgesprek" in str(ev["summary"])
    feed = c.get(reverse("agenda:feed"))
    assert len(icalendar.Calendar.from_ical(feed.content).walk("VEVENT")) == 1


def test_an_invalid_invitation_address_is_refused_with_the_address_kept(world, km, case_a, login):
    appt = _plan(case_a, km)
    resp = login(km).post(reverse("agenda:invite", args=[appt.pk]), {"to": "client.example.org"})
    body = resp.content.decode()
    assert resp.status_code == 400 and not mail.outbox
    assert 'value="client.example.org"' in body and "E-mailadres: geen geldig adres" in body


def test_invitation_mail_has_the_ics(world, km, case_a, login):
    appt = _plan(case_a, km)
    c = login(km)
    resp = c.post(reverse("agenda:invite", args=[appt.pk]), {"to": "client@example.org"})
    assert resp.status_code == 302
    (msg,) = mail.outbox
    assert msg.to == ["client@example.org"] and "Uitnodiging" in msg.subject
    name, content, mimetype = msg.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert icalendar.Calendar.from_ical(content).walk("VEVENT")


def test_no_show_button_prefills_the_warning(world, km, case_a, login):
    appt = _plan(case_a, km, date=timezone.localdate())
    c = login(km)
    resp = c.post(reverse("agenda:appointment", args=[appt.pk]), {"outcome": "no_show"})
    assert resp.status_code == 302
    page = c.get(reverse("agenda:appointment", args=[appt.pk]))
    link = page.context["warning_link"]
    assert "waarschuwing" in link and "administratief" in link
    form = c.get(link)
    assert form.status_code == 200
    assert form.context["values"]["obligation_type"] == "administratief"
    assert appt.date.strftime("%d-%m-%Y") in form.context["values"]["description"]


def test_another_municipality_is_a_404(world, km, case_b, login):
    other = world.users_b["integrale_klantmanager"]
    appt = _plan(case_b, other)
    c = login(km)
    for url in (
        reverse("agenda:appointment", args=[appt.pk]),
        reverse("agenda:ics", args=[appt.pk]),
        reverse("agenda:new", args=[case_b.pk]),
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("agenda:invite", args=[appt.pk]), {"to": "x@example.org"}).status_code == 404
    assert c.get(reverse("agenda:day"), {"klantmanager": other.username}).status_code == 404


def test_demo_adds_appointments_through_the_gate(world, km):
    from regie.agenda.demo import add_demo_appointments

    written = add_demo_appointments(world.a)
    assert (
        written
        == Event.objects.filter(municipality=world.a, type__in=("afspraak", "afspraak_uitkomst", "notitie")).count()
    )
    assert Appointment.objects.filter(caseworker=km, date=timezone.localdate()).count() == 3


def test_every_writer_gets_the_appointment_rules(world, km, case_a):
    """The rules live in casework.validation, so the API and the importer apply them too."""
    from regie.casework.decisions import record_step

    today = timezone.localdate()
    with pytest.raises(EventError, match="geen afspraak met dit nummer"):
        record_step(
            case_a,
            km,
            event_type="afspraak_uitkomst",
            effective_date=today,
            payload={"appointment_id": "AF-none", "outcome": "gehouden"},
        )
    appt = _plan(case_a, km, date=today)
    services.record_outcome(appt, km, outcome="gehouden")
    with pytest.raises(EventError, match="heeft al een uitkomst"):
        record_step(
            case_a,
            km,
            event_type="afspraak_uitkomst",
            effective_date=today,
            payload={"appointment_id": appt.appointment_id, "outcome": "no_show"},
        )
    with pytest.raises(EventError, match="werkt niet bij deze gemeente"):
        _plan(case_a, km, caseworker=world.users_b["integrale_klantmanager"].username)
    with pytest.raises(EventError, match="geen aanbieder van deze gemeente"):
        _plan(case_a, km, kind="driegesprek", provider="NOPE")


def test_rebuild_commands(world, km, case_a):
    from typer.testing import CliRunner

    from regie.cli import app
    from regie.journal.models import NoteIndex
    from regie.journal.services import add_note

    _plan(case_a, km)
    add_note(case_a, km, text="Gebeld", channel="telefoon")
    Appointment.objects.all().delete()
    NoteIndex.objects.all().delete()
    runner = CliRunner()
    result = runner.invoke(app, ["agenda", "rebuild", world.a.code])
    assert result.exit_code == 0 and "1 appointment(s) rebuilt" in result.output
    result = runner.invoke(app, ["journal", "rebuild", world.a.code])
    assert result.exit_code == 0 and "1 note(s) indexed" in result.output
    assert runner.invoke(app, ["agenda", "rebuild", "9999"]).exit_code == 1
