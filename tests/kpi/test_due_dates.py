"""Due dates: the worklist signals and the case page's deadlines come from one list and agree.

A partial exemption (ontheffing, scope ``gedeeltelijk``) does not lift the sluitende-aanpak trajectory deadline; a
full one (``volledig``) does while it runs (docs/kpi-definitions.md, "Due dates").
"""

from __future__ import annotations

import datetime as dt

import pytest

from regie.casework.deadlines import deadlines_for
from regie.casework.models import CaseState
from regie.casework.services import append_event
from regie.casework.signals import open_signals

ON = dt.date(2026, 6, 1)  # toekenning 2025-02-01 in the fixture: the trajectory was due 2026-02-01
TRAJECTORY_DUE = dt.date(2026, 2, 1)


def _exempt(case, scope, ground, end_date=None):
    payload = {"exemption_id": f"O-{scope}", "ground": ground, "scope": scope}
    if end_date:
        payload["end_date"] = end_date
    append_event(case, type="ontheffing_start", effective_date=dt.date(2025, 3, 1), payload=payload)


def _both(case):
    """(signals of the worklist, deadlines of the case page) for one case on ON."""
    state = CaseState.objects.select_related("case__municipality").get(case=case)
    return open_signals([state], ON).get(case.pk, []), deadlines_for(case, ON)


@pytest.mark.django_db
@pytest.mark.parametrize("scope, expected", [("gedeeltelijk", True), ("volledig", False), (None, True)])
def test_worklist_and_case_page_agree_on_the_trajectory_deadline(world, scope, expected):
    case = world.clients_a[0].cases.get()
    if scope:
        _exempt(case, scope, "mantelzorg" if scope == "gedeeltelijk" else "medisch")
    signals, deadlines = _both(case)
    signal_dues = [s.due for s in signals if s.code == "no_trajectory_12m"]
    deadline_dues = [d.due for d in deadlines if d.label == "Traject (sluitende aanpak)"]
    assert signal_dues == deadline_dues
    assert deadline_dues == ([TRAJECTORY_DUE] if expected else [])


@pytest.mark.django_db
def test_every_due_date_signal_has_the_case_pages_deadline_with_the_same_date(world):
    case = world.clients_a[1].cases.get()
    _exempt(case, "gedeeltelijk", "mantelzorg", end_date="2026-06-20")
    append_event(
        case,
        type="plan_van_aanpak",
        effective_date=dt.date(2025, 3, 1),
        payload={"version": 1, "signed": True, "review_date": "2025-09-01"},
    )
    signals, deadlines = _both(case)
    by_label = {d.label: d.due for d in deadlines}
    # signal code -> the case page's label for the same due date
    pairs = {
        "no_trajectory_12m": "Traject (sluitende aanpak)",
        "plan_review_due": "Evaluatie plan van aanpak",
        "no_contact": "Volgend contact",
        "exemption_ending": "Einde ontheffing (mantelzorg)",
    }
    seen = {s.code: s.due for s in signals if s.code in pairs}
    assert set(seen) == set(pairs)
    assert {code: by_label.get(label) for code, label in pairs.items()} == seen
    # and the overdue ones on the case page are exactly the ones the worklist shows as passed
    assert {d.label for d in deadlines if d.due < ON} >= {
        "Traject (sluitende aanpak)",
        "Evaluatie plan van aanpak",
        "Volgend contact",
    }


@pytest.mark.django_db
def test_a_full_exemption_that_has_ended_no_longer_lifts_the_trajectory_deadline(world):
    case = world.clients_a[2].cases.get()
    _exempt(case, "volledig", "medisch", end_date="2026-01-01")
    signals, deadlines = _both(case)
    assert [s.due for s in signals if s.code == "no_trajectory_12m"] == [TRAJECTORY_DUE]
    assert [d.due for d in deadlines if d.label == "Traject (sluitende aanpak)"] == [TRAJECTORY_DUE]


@pytest.mark.django_db
def test_deadlines_without_a_policy_is_an_error_not_an_empty_list(world):
    from regie.accounts.models import Municipality
    from regie.casework.models import Case

    muni = Municipality.objects.create(code="9999", name="Zonder beleid")
    client = world.clients_a[0]
    case = Case.objects.create(
        municipality=muni, client=client, external_id="K-nopolicy", opened_on=dt.date(2025, 1, 6)
    )
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6))
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"})
    with pytest.raises(LookupError):
        deadlines_for(case, ON)


# --- caseload against the norm: the dashboard's table and `regie signals run` -------------------------------------


@pytest.mark.django_db
def test_dashboard_caseload_and_signals_cli_agree(world, login):
    """Helmond (norm 30, seed 003:193-195): 31 clients on benefit and one application, all with one caseworker. The
    caseload is the cases on benefit on the day; both displays count 31 and flag the caseworker."""
    import csv
    import io
    import json

    from django.urls import reverse
    from typer.testing import CliRunner

    from regie.accounts.models import Municipality, User
    from regie.casework.models import Case, Client
    from regie.cli import app
    from regie.core.bsn import complete_bsn

    muni = Municipality.objects.create(code="0794", name="Helmond")
    km = User.objects.create_user(
        username="km.helmond", password="x" * 12, municipality=muni, role="integrale_klantmanager"
    )
    officer = User.objects.create_user(
        username="bm.helmond", password="x" * 12, municipality=muni, role="beleidsmedewerker"
    )
    bsns = [b for b in (complete_bsn(f"{10000000 + n:08d}") for n in range(200)) if b][:32]
    for i, bsn in enumerate(bsns):
        client = Client.objects.create(
            municipality=muni,
            external_id=f"H{i}",
            bsn=bsn,
            given_name="H",
            family_name=f"Helmond{i}",
            birth_date=dt.date(1980, 1, 1),
            sex="M",
        )
        case = Case.objects.create(
            municipality=muni, client=client, external_id=f"HK{i}", opened_on=dt.date(2025, 1, 6)
        )
        append_event(case, type="melding", effective_date=dt.date(2025, 1, 6))
        append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"})
        append_event(
            case, type="caseworker_toewijzing", effective_date=dt.date(2025, 1, 9), payload={"caseworker": km.username}
        )
        if i < 31:  # the last one is still an application
            append_event(
                case,
                type="toekenning",
                effective_date=dt.date(2025, 2, 1),
                payload={"norm_type": "alleenstaande", "monthly_amount": 1400.0},
            )
    r = login(officer).get(
        reverse("monitoring:dashboard"),
        {"from": "2025-01-01", "to": "2026-01-01", "table": "caseload", "export": "csv"},
    )
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    out = CliRunner().invoke(app, ["signals", "run", "--municipality", "0794", "--as-of", "2025-12-31", "--json"])
    assert out.exit_code == 0, out.output
    above = json.loads(out.output)["caseworkers_above_norm"]
    # the export's columns as the label registry names them (Dutch here)
    assert [(row["Klantmanager"], row["Dossiers"], row["Boven norm"]) for row in rows] == [("km.helmond", "31", "ja")]
    assert list(above) == ["km.helmond"] and above["km.helmond"]["label"] == "Caseload 31 boven de norm van 30"
