"""Demo data for bezwaar en beroep: a juridisch medewerker log-in and one case whose sanction was intended, heard,
imposed, made known and objected to, so the worklist and the objection page have something to show.

Written with append_event like the import (seed data, not a user's step); dates relative to today."""

from __future__ import annotations

import datetime as dt


def seed_demo(muni, password: str) -> None:
    from regie.accounts.models import Team, User
    from regie.casework.models import Case, Event
    from regie.casework.services import append_event

    if not User.objects.filter(municipality=muni, role="juridisch_medewerker").exists():
        User.objects.create_user(
            username=f"juridisch.{muni.code}",
            password=password,
            municipality=muni,
            role="juridisch_medewerker",
            team=Team.objects.filter(municipality=muni).first(),
        )
    if Event.objects.filter(municipality=muni, type="bezwaar").exists():
        return
    case = (
        Case.objects.filter(municipality=muni, state__status="lopend")
        .exclude(events__type="uitstroom")
        .order_by("id")
        .first()
    )
    if case is None:
        return
    today = dt.date.today()
    t0 = today - dt.timedelta(days=35)
    voornemen = append_event(
        case,
        type="voornemen",
        effective_date=t0,
        payload={"decision_type": "maatregel", "summary": "Afspraak bij het werkgeversservicepunt niet nagekomen"},
    )
    append_event(
        case,
        type="horen",
        effective_date=t0 + dt.timedelta(days=7),
        payload={
            "voornemen_id": voornemen.payload["voornemen_id"],
            "status": "gehoord",
            "form": "mondeling",
            "summary": "Cliënt zegt de uitnodiging niet te hebben ontvangen.",
        },
    )
    sanction = append_event(
        case,
        type="maatregel",
        effective_date=t0 + dt.timedelta(days=15),
        payload={"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 1},
    )
    append_event(
        case, type="bekendmaking", effective_date=t0 + dt.timedelta(days=16), payload={"decision_event": sanction.pk}
    )
    append_event(
        case,
        type="bezwaar",
        effective_date=today - dt.timedelta(days=5),
        payload={"decision_event": sanction.pk, "grounds": "De uitnodiging is naar een oud adres gestuurd."},
    )
