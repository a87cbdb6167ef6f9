"""Human coding of deviation motivations: pseudonymised list, lexicon suggestion, blind coders, Cohen's kappa."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.services import append_event
from regie.equity.models import MotivationCoding

pytestmark = pytest.mark.django_db

TEXTS = [
    "Maatwerk: cliënt heeft eerst begeleiding nodig, mijn professionele inschatting",
    "De regels schrijven dit voor, gelijke behandeling",
    "Geen budget meer en de target van het team",
]


def _deviations(world, muni="a"):
    clients = world.clients_a if muni == "a" else world.clients_b
    events = []
    for i, client in enumerate(clients):
        case = client.cases.get()
        events.append(
            append_event(
                case,
                type="classificatie",
                effective_date=dt.date(2025, 3, 1 + i),
                payload={"scheme": "participatieladder", "level": "4"},
                decision={
                    "recommendation": {"level": "5"},
                    "decided": {"level": "4"},
                    "deviates": True,
                    "motivation": TEXTS[i % 3],
                },
            )
        )
    return events


def _code(c, ev, label):
    return c.post(reverse("equity:coding"), {"event": ev.pk, "label": label, "m": ev.municipality_id, "page": "1"})


def test_coding_page_is_pseudonymised_suggests_and_audits(world, login):
    events = _deviations(world)
    c = login(world.users_a["teammanager"])
    r = c.get(reverse("equity:coding"))
    html = r.content.decode()
    assert r.status_code == 200
    for client in world.clients_a:
        assert client.family_name not in html and client.bsn not in html and client.given_name not in html
    for ev in events:
        assert f"<td>{ev.case.external_id}</td>" in html
    assert "Maatwerk: cliënt heeft eerst begeleiding nodig" in html
    # the lexicon's first pass is shown and pre-selected for an uncoded item
    row = html.split(f'id="e{events[0].pk}"')[1].split("</tr>")[0]
    assert re.search(r'value="professional" selected', row)
    assert AuditRecord.objects.filter(
        actor=world.users_a["teammanager"].username, object_type="motivation_coding", action="read"
    ).exists()


def test_without_a_suggestion_nothing_is_preselected(world, login):
    """A select whose first option shows as chosen biases the coder towards it ("professioneel"): without a
    suggestion the coder sees "— kies —" and must choose; a submit without a choice is refused."""
    case = world.clients_a[0].cases.get()
    ev = append_event(
        case,
        type="classificatie",
        effective_date=dt.date(2025, 3, 1),
        payload={"scheme": "participatieladder", "level": "4"},
        decision={"recommendation": {"level": "5"}, "decided": {"level": "4"}, "deviates": True, "motivation": "Xq"},
    )
    c = login(world.users_a["teammanager"])
    html = c.get(reverse("equity:coding")).content.decode()
    row = html.split(f'id="e{ev.pk}"')[1].split("</tr>")[0]
    assert re.findall(r'<option value="([^"]*)" selected', row) == [""], row
    assert "Stap" in html and "<td>Classificatie</td>" in row  # the step by its name, not its key
    r = c.post(reverse("equity:coding"), {"event": ev.pk, "label": ""})
    assert r.status_code == 200 and not MotivationCoding.objects.exists()


def test_two_blind_coders_and_cohens_kappa(world, login):
    events = _deviations(world)
    tm, bm = world.users_a["teammanager"], world.users_a["beleidsmedewerker"]
    ct, cb = Client(), Client()  # two coders at once: two browsers
    ct.force_login(tm)
    cb.force_login(bm)
    for ev, label in zip(events, ["professional", "bureaucratic", "market"], strict=True):
        assert _code(ct, ev, label).status_code == 302
    # the second coder does not see the first one's labels (their selects show the suggestion or their own)
    html = cb.get(reverse("equity:coding")).content.decode()
    row = html.split(f'id="e{events[2].pk}"')[1].split("</tr>")[0]
    assert "✓" not in row
    for ev, label in zip(events, ["professional", "bureaucratic", "bureaucratic"], strict=True):
        _code(cb, ev, label)
    assert MotivationCoding.objects.count() == 6
    # recoding changes the coder's own label, it does not add a row
    _code(cb, events[2], "other")
    assert MotivationCoding.objects.get(event=events[2], coder=bm).label == "other"
    html = cb.get(reverse("equity:coding")).content.decode()
    # labels a = [prof, bur, market], b = [prof, bur, other]: p_o = 2/3, p_e = 2/9, kappa = (2/3 - 2/9)/(7/9) = 4/7
    section = html.split("Overeenstemming tussen codeurs")[1]
    assert "0,571" in section and "<td>3</td>" in section  # in Dutch
    assert AuditRecord.objects.filter(object_type="motivation_coding", action="create").count() == 7


@pytest.mark.parametrize(
    "role", ["integrale_klantmanager", "inkomensconsulent", "provider_coach", "auditor", "functioneel_beheerder"]
)
def test_roles_that_may_not_code_get_403(world, login, role):
    events = _deviations(world)
    c = login(world.users_a[role])
    assert c.get(reverse("equity:coding")).status_code == 403
    assert _code(c, events[0], "market").status_code == 403
    assert MotivationCoding.objects.count() == 0


def test_other_municipality_events_cannot_be_listed_or_coded(world, login):
    events_b = _deviations(world, "b")
    c = login(world.users_a["teammanager"])
    assert c.get(reverse("equity:coding"), {"m": world.b.pk}).status_code == 404
    html = c.get(reverse("equity:coding")).content.decode()
    assert all(f'id="e{ev.pk}"' not in html for ev in events_b)
    r = c.post(reverse("equity:coding"), {"event": events_b[0].pk, "label": "market", "m": world.a.pk})
    assert r.status_code == 404 and MotivationCoding.objects.count() == 0
