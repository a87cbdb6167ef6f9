"""An invitation to an oral hearing names day, time and place (Awb art. 4:8, 7:2), its letter says them, and the
hearing lands in the inviting user's agenda -- on the web form and through the API alike. Imported history keeps
invitations without them (the rule is for live writers only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.agenda.models import Appointment
from regie.casework.models import CaseState, Event
from regie.core.events import EVENT_TYPES
from regie.core.legal.lifecycle import hearing_invitation_problems

pytestmark = pytest.mark.django_db
T0 = dt.date.today() - dt.timedelta(days=7)


def _voornemen(client, case) -> str:
    version = CaseState.objects.get(case=case).version
    r = client.post(
        reverse("legal:step", args=[case.pk, "voornemen"]),
        {
            "expected_version": version,
            "effective_date": T0.isoformat(),
            "decision_type": "maatregel",
            "summary": "Twee keer niet verschenen",
        },
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    return Event.objects.filter(case=case, type="voornemen").latest("id").payload["voornemen_id"]


def test_oral_invitation_needs_time_and_place_and_is_put_in_the_agenda(world, client):
    km = world.users_a["integrale_klantmanager"]
    case = world.clients_a[0].cases.get()
    client.force_login(km)
    vid = _voornemen(client, case)
    url = reverse("legal:step", args=[case.pk, "horen"])
    base = {
        "effective_date": (T0 + dt.timedelta(days=1)).isoformat(),
        "voornemen_id": vid,
        "status": "uitgenodigd",
        "planned_on": (T0 + dt.timedelta(days=10)).isoformat(),
    }
    r = client.post(url, {"expected_version": CaseState.objects.get(case=case).version, **base})
    page = r.content.decode()
    assert r.status_code == 400
    assert "geef aan hoe laat de hoorzitting begint" in page and "geef aan waar de hoorzitting is" in page
    assert not Event.objects.filter(case=case, type="horen").exists()
    assert 'value="' + base["planned_on"] + '"' in page  # what was typed is kept
    r = client.post(
        url,
        {
            "expected_version": CaseState.objects.get(case=case).version,
            **base,
            "start_time": "13:45",
            "location": "Stadskantoor, zaal 3",
        },
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    horen = Event.objects.get(case=case, type="horen")
    appt = Appointment.objects.get(case=case, kind="hoorzitting")
    assert appt.date == T0 + dt.timedelta(days=10) and appt.start_time == dt.time(13, 45)
    assert appt.location == "Stadskantoor, zaal 3" and appt.caseworker_username == km.username
    assert appt.event.effective_date == horen.effective_date  # planned the day the invitation went out


def test_written_hearing_needs_only_its_day_and_gets_no_appointment(world, client):
    km = world.users_a["integrale_klantmanager"]
    case = world.clients_a[0].cases.get()
    client.force_login(km)
    vid = _voornemen(client, case)
    r = client.post(
        reverse("legal:step", args=[case.pk, "horen"]),
        {
            "expected_version": CaseState.objects.get(case=case).version,
            "effective_date": (T0 + dt.timedelta(days=1)).isoformat(),
            "voornemen_id": vid,
            "status": "uitgenodigd",
            "form": "schriftelijk",
            "planned_on": (T0 + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    assert not Appointment.objects.filter(case=case, kind="hoorzitting").exists()


def test_api_invitation_needs_time_and_place_and_plans_the_hearing_too(world):
    from tests.api.client import api

    km = world.users_a["integrale_klantmanager"]
    case = world.clients_a[0].cases.get()

    def step(event_type, effective, payload):
        return api(km).post(
            f"/api/v1/cases/{case.pk}/legal/steps/",
            {
                "type": event_type,
                "effective_date": effective.isoformat(),
                "payload": payload,
                "expected_version": CaseState.objects.get(case=case).version,
            },
            format="json",
        )

    r = step("voornemen", T0, {"decision_type": "maatregel", "summary": "Twee keer niet verschenen"})
    assert r.status_code == 201, r.data
    invite = {"voornemen_id": r.data["payload"]["voornemen_id"], "status": "uitgenodigd"}
    invite["planned_on"] = (T0 + dt.timedelta(days=9)).isoformat()
    r = step("horen", T0 + dt.timedelta(days=1), invite)
    assert r.status_code == 422 and "payload.start_time" in str(r.data) and "payload.location" in str(r.data)
    r = step("horen", T0 + dt.timedelta(days=1), {**invite, "start_time": "09:00", "location": "Videogesprek"})
    assert r.status_code == 201, r.data
    appt = Appointment.objects.get(case=case, kind="hoorzitting")
    assert (appt.start_time, appt.location) == (dt.time(9, 0), "Videogesprek")


def test_the_payload_itself_accepts_an_invitation_without_time_for_imported_history():
    # the payload class (shared with the import) accepts it; the live-writer rule names what is missing
    model = EVENT_TYPES["bezwaar_horen"]
    p = model.model_validate({"objection_id": "BZ-1", "status": "uitgenodigd", "planned_on": "2026-11-24"})
    assert p.start_time is None
    fields = [f for f, _m in hearing_invitation_problems({"status": "uitgenodigd", "planned_on": "2026-11-24"})]
    assert fields == ["payload.start_time", "payload.location"]
    assert hearing_invitation_problems({"status": "uitgenodigd", "form": "schriftelijk", "planned_on": "x"}) == []


def test_the_legal_reviewer_invites_to_an_objection_hearing_and_it_is_in_their_agenda(world, client):
    from regie.casework.services import append_event
    from tests.legal.helpers import heard

    jm = world.users_a["juridisch_medewerker"]
    case = world.clients_a[0].cases.get()
    t0 = dt.date.today() - dt.timedelta(days=20)
    heard(case, "maatregel", t0 - dt.timedelta(days=5))
    sanction = append_event(
        case,
        type="maatregel",
        effective_date=t0,
        payload={"obligation_type": "administratief", "percentage": 5, "months": 1, "repeat_step": 1},
    )
    append_event(case, type="bekendmaking", effective_date=t0, payload={"decision_event": sanction.pk})
    b = append_event(
        case, type="bezwaar", effective_date=t0 + dt.timedelta(days=5), payload={"decision_event": sanction.pk}
    )
    client.force_login(jm)
    r = client.post(
        reverse("legal:step", args=[case.pk, "bezwaar_horen"]),
        {
            "expected_version": CaseState.objects.get(case=case).version,
            "effective_date": dt.date.today().isoformat(),
            "objection_id": b.payload["objection_id"],
            "status": "uitgenodigd",
            "by": "bezwaarcommissie",
            "planned_on": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
            "start_time": "14:00",
            "location": "Zaal 1",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    appt = Appointment.objects.get(case=case, kind="hoorzitting")
    assert appt.caseworker_username == jm.username and appt.with_whom == "bezwaarcommissie"
