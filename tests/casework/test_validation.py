"""Validation at the gate, web path: implausible dates, long names, unknown providers, outflow without the results
of open trajectories and an aanvraag inside the search period are refused with a Dutch message naming the field."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from regie.casework.models import Case, CaseState, Client, Event
from regie.casework.services import append_event
from regie.core.events import EventError

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.date.today().replace(month=1, day=15) + dt.timedelta(days=366)


def _step(c, case, event_type, /, **fields):
    version = CaseState.objects.get(case=case).version
    return c.post(reverse("case_step", args=[case.pk, event_type]), {"expected_version": version, **fields})


def _new_client(c, **overrides):
    data = {
        "bsn": "222333443",
        "given_name": "Sam",
        "family_name": "Gate",
        "birth_date": "1990-04-01",
        "sex": "X",
        "melding_date": "2025-01-06",
        **overrides,
    }
    return c.post(reverse("client_new"), data)


def _with_trajectory(world, tid="T-open"):
    case = world.clients_a[0].cases.get()
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 1),
        payload={"trajectory_id": tid, "kind": "reintegratie", "provider": "P1"},
    )
    return case


def test_birth_date_in_the_future_is_refused(world, login):
    r = _new_client(login(world.users_a["integrale_klantmanager"]), birth_date="2030-05-01")
    assert r.status_code == 400 and "Geboortedatum ligt in de toekomst (01-05-2030)" in r.content.decode()
    assert not Client.objects.filter(family_name="Gate").exists()


def test_melding_in_the_future_is_refused(world, login):
    r = _new_client(login(world.users_a["integrale_klantmanager"]), melding_date="2028-03-01")
    assert r.status_code == 400 and "Ingangsdatum ligt in de toekomst (01-03-2028)" in r.content.decode()
    assert not Client.objects.filter(family_name="Gate").exists()  # client, case and melding: all or nothing


def test_a_3000_character_name_is_refused(world, login):
    r = _new_client(login(world.users_a["integrale_klantmanager"]), given_name="A" * 3000)
    assert r.status_code == 400 and "Voornaam is te lang: hoogstens 200 tekens" in r.content.decode()
    assert not Client.objects.filter(family_name="Gate").exists()


@pytest.mark.parametrize("day", ["1890-01-01", "2099-01-01"])
def test_event_dates_outside_the_plausible_range_are_refused(world, login, day):
    case = world.clients_a[0].cases.get()
    r = _step(login(world.users_a["integrale_klantmanager"]), case, "contact", effective_date=day, channel="gesprek")
    html = r.content.decode()
    assert r.status_code == 400 and "Ingangsdatum ligt" in html
    assert ("vóór 01-01-1900" if day < "1900" else "in de toekomst (01-01-2099)") in html
    assert not Event.objects.filter(case=case, type="contact").exists()


def test_provider_report_dated_next_year_is_refused_in_the_portal(world, login):
    case = _with_trajectory(world)
    r = login(world.users_a["provider_coach"]).post(
        reverse("provider:referral", args=[case.pk]),
        {"kind": "voortgang", "summary": "Gaat goed, afspraken nagekomen", "effective_date": NEXT_YEAR.isoformat()},
    )
    assert r.status_code == 400 and "Ingangsdatum ligt in de toekomst" in r.content.decode()
    assert not Event.objects.filter(case=case, type="rapportage").exists()


def test_end_of_aftercare_before_the_case_began_is_refused(world, login):
    case = world.clients_a[0].cases.get()  # melding 06-01-2025
    append_event(case, type="uitstroom", effective_date=dt.date(2025, 6, 1), payload={"reason": "werk_regulier"})
    r = _step(
        login(world.users_a["integrale_klantmanager"]),
        case,
        "nazorg_einde",
        effective_date="2019-01-06",
        result="onbekend",
    )
    html = r.content.decode()
    assert r.status_code == 400 and "Ingangsdatum (06-01-2019)" in html
    assert not Event.objects.filter(case=case, type="nazorg_einde").exists()


def test_provider_is_chosen_from_the_municipality_providers(world, login):
    case = world.clients_a[0].cases.get()
    c = login(world.users_a["integrale_klantmanager"])
    form = c.get(reverse("case_step", args=[case.pk, "traject_start"])).content.decode()
    assert '<select id="id_provider"' in form and 'value="P1"' in form and "Werkbedrijf (P1)" in form
    assert 'name="trajectory_id"' not in form  # Regie gives the number
    r = _step(c, case, "traject_start", effective_date="2025-03-01", kind="reintegratie", provider="Werkbedrijf")
    assert r.status_code == 400
    assert "Aanbieder Werkbedrijf is geen aanbieder van deze gemeente" in r.content.decode()
    assert not Event.objects.filter(case=case, type="traject_start").exists()
    r = _step(c, case, "traject_start", effective_date="2025-03-01", kind="reintegratie", provider="P1")
    assert r.status_code == 302
    start = Event.objects.get(case=case, type="traject_start")
    assert start.payload["provider"] == "P1" and start.payload["trajectory_id"].startswith("TR-")


def test_outflow_asks_the_result_of_each_open_trajectory(world, login):
    case = _with_trajectory(world)
    c = login(world.users_a["integrale_klantmanager"])
    form = c.get(reverse("case_step", args=[case.pk, "uitstroom"])).content.decode()
    assert 'name="trajectory_result__T-open"' in form
    r = _step(c, case, "uitstroom", effective_date="2025-06-01", reason="werk_regulier")
    assert r.status_code == 400 and "geef voor elk lopend traject het resultaat (T-open)" in r.content.decode()
    assert not Event.objects.filter(case=case, type="uitstroom").exists()
    r = _step(
        c,
        case,
        "uitstroom",
        effective_date="2025-06-01",
        reason="werk_regulier",
        **{"trajectory_result__T-open": "werk"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    end = Event.objects.get(case=case, type="traject_einde")
    assert end.payload == {"trajectory_id": "T-open", "result": "werk"} and end.effective_date == dt.date(2025, 6, 1)
    assert Event.objects.get(case=case, type="uitstroom").payload["trajectory_results"] == {"T-open": "werk"}


def test_aanvraag_inside_the_search_period_needs_a_recorded_exception(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    assert _new_client(c, birth_date="2003-04-01").status_code == 302  # 21: four weeks (Pw art. 41 lid 4)
    case = Case.objects.get(client__family_name="Gate")
    assert Event.objects.get(case=case, type="melding").payload["search_period_end"] == "2025-02-03"
    form = c.get(reverse("case_step", args=[case.pk, "aanvraag"])).content.decode()
    assert 'id="id_search_period_exception"' in form and "geen_zoekverplichting_mogelijk" in form
    r = _step(c, case, "aanvraag", effective_date="2025-01-20", norm_type="alleenstaande")
    html = r.content.decode()
    assert r.status_code == 400 and "Uitzondering zoekperiode: de aanvraag (20-01-2025) ligt vóór het einde" in html
    assert not Event.objects.filter(case=case, type="aanvraag").exists()
    r = _step(
        c,
        case,
        "aanvraag",
        effective_date="2025-01-20",
        norm_type="alleenstaande",
        search_period_exception="geen_zoekverplichting_mogelijk",
    )
    assert r.status_code == 302
    assert (
        Event.objects.get(case=case, type="aanvraag").payload["search_period_exception"]
        == "geen_zoekverplichting_mogelijk"
    )


def test_aanvraag_form_has_no_exception_field_without_a_search_period(world, login):
    case = world.clients_a[0].cases.get()  # born 1985: no search period
    form = login(world.users_a["integrale_klantmanager"]).get(reverse("case_step", args=[case.pk, "aanvraag"]))
    assert 'id="id_search_period_exception"' not in form.content.decode()


def test_messages_are_english_in_the_english_ui(world):
    case = world.clients_a[0].cases.get()
    with translation.override("en"), pytest.raises(EventError) as exc:
        append_event(case, type="contact", effective_date=dt.date(2099, 1, 1))
    assert exc.value.errors == [
        ("effective_date", "Effective date is in the future (01-01-2099): it can only be recorded once it has happened")
    ]
    with translation.override("nl"), pytest.raises(EventError) as exc:
        append_event(case, type="contact", effective_date=dt.date(2099, 1, 1))
    assert exc.value.errors[0][1].startswith("Ingangsdatum ligt in de toekomst")


@pytest.mark.parametrize(
    "melding, expected",
    [
        (dt.date(2008, 3, 3), None),  # WWB before 2012: no search period in the law
        (dt.date(2011, 12, 31), None),
        (dt.date(2012, 1, 2), dt.date(2012, 1, 30)),
        (dt.date(2025, 1, 6), dt.date(2025, 2, 3)),
    ],
)
def test_search_period_only_where_the_law_had_one(melding, expected):
    from regie.casework.validation import search_period_end

    assert search_period_end(dt.date(1990, 6, 1) if melding.year < 2015 else dt.date(2002, 6, 1), melding) == expected


def test_the_search_period_rule_of_a_date_is_the_last_national_layer_started_by_then():
    """The rule by bisection over the layers' starts is the rule of the last layer with ``since <= on`` (the
    definition), on every layer's first day, the day before it and the day after; before the first layer: an error."""
    import datetime as dt

    from regie.casework import validation as v
    from regie.core.policy import PolicyUnavailable
    from regie.core.policy.loader import policy_dir

    root = str(policy_dir().resolve())
    layers = v._national_layers(root)
    assert len(layers) > 1
    for since, _layer in layers:
        for on in (since - dt.timedelta(days=1), since, since + dt.timedelta(days=1)):
            started = [layer for s, layer in layers if s <= on]
            if not started:
                with pytest.raises(PolicyUnavailable):
                    v._rule_in(root, on)
                continue
            assert v._rule_in(root, on) is started[-1].search_period
