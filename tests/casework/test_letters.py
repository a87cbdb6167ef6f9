import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.casework.services import append_event

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_sanction_letter_states_decision_reasons_basis_and_objection_period(world, login):
    case = world.clients_a[0].cases.get()
    ev = append_event(
        case,
        type="maatregel",
        effective_date=dt.date(2025, 4, 1),
        payload={"obligation_type": "reintegratie", "category": 2, "percentage": 30, "months": 1, "repeat_step": 2},
        decision={
            "recommendation": {"percentage": 30},
            "decided": {"percentage": 30},
            "legal_basis": "Pw art. 18 lid 2; Afstemmingsverordening art. 9",
            "policy_version": "den-haag@2024-01-01",
        },
        actor=world.users_a["integrale_klantmanager"],
    )
    r = login(world.users_a["integrale_klantmanager"]).get(reverse("letter", args=[case.pk, ev.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    text = _text(r.content)
    for expected in (
        "30% gedurende 1 maand",
        "01-04-2025",
        "herhaling 2",
        "Pw art. 18 lid 2",
        "den-haag@2024-01-01",
        "binnen 6 weken",
        world.clients_a[0].family_name,
    ):
        assert expected in text, expected
    assert world.clients_a[0].bsn not in text
    assert AuditRecord.objects.filter(action="export", detail__startswith="letter maatregel").count() == 1


def test_deviating_exemption_letter_gives_the_motivation(world, login):
    case = world.clients_a[0].cases.get()
    ev = append_event(
        case,
        type="ontheffing_start",
        effective_date=dt.date(2025, 4, 1),
        payload={"exemption_id": "O1", "ground": "mantelzorg", "scope": "gedeeltelijk", "end_date": "2025-10-01"},
        decision={
            "recommendation": {"exempt": False},
            "decided": {"exempt": True},
            "deviates": True,
            "motivation": "Zorgt dagelijks voor zieke ouder",
        },
    )
    text = _text(login(world.users_a["integrale_klantmanager"]).get(reverse("letter", args=[case.pk, ev.pk])).content)
    assert "gedeeltelijk ontheffing" in text and "01-10-2025" in text and "Zorgt dagelijks voor zieke ouder" in text
    assert "art. 9" in text  # default legal basis when the decision names none


def test_letters_are_tenant_scoped_and_only_for_decisions(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    other_case = world.clients_b[0].cases.get()
    other_event = Event.objects.filter(case=other_case, type="toekenning").get()
    assert c.get(reverse("letter", args=[other_case.pk, other_event.pk])).status_code == 404
    own = world.clients_a[0].cases.get()
    contact = append_event(own, type="contact", effective_date=dt.date(2025, 4, 1))
    assert c.get(reverse("letter", args=[own.pk, contact.pk])).status_code == 404
    toekenning = Event.objects.filter(case=own, type="toekenning").get()
    assert "1400.00" in _text(c.get(reverse("letter", args=[own.pk, toekenning.pk])).content)
