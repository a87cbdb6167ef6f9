"""The decision gate: the web form and the API record the same decisions, with the same outcome.

Two municipalities: Den Haag (0518, performance-steered, integral casework: every caseworker decides, a motivated
deviation takes effect) and Leidschendam-Voorburg (1916, rules-steered, split casework: only the inkomensconsulent
and the teammanager may grant, refuse or sanction, and a deviation waits for a teammanager).

The path tests speak HTTP only (the step form and ``POST /api/v1/cases/{id}/events/``), so they also run against
code without the gate and show the bypass there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.accounts.tenancy import CAPABILITIES
from regie.casework.models import Case, CaseState, Event, PendingDecision
from regie.core.events import DECISION_TYPES, LEGAL_EVENT_TYPES
from regie.core.policy import policy_for
from regie.core.records import ROLES
from tests.api.client import api
from tests.conftest import BSNS_A, _municipality
from tests.legal.helpers import heard

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 3, 3)
MOTIVATION = {"motivation_code": "professioneel", "motivation": "Maatwerk voor deze cliënt"}
SCHEME = {"0518": ("participatieladder", "4"), "1916": ("drie-treden", "participatie")}


def payload_for(event_type: str, code: str) -> dict:
    """A valid payload of each decision type; where the policy advises, one that deviates from the advice."""
    scheme, level = SCHEME[code]
    return {
        "toekenning": {"norm_type": "gehuwden", "cost_sharers": 0, "benefit_type": "PW"},
        "afwijzing": {"reason": "vermogen"},
        "classificatie": {"scheme": scheme, "level": level},
        "plan_van_aanpak": {"version": 1, "signed": True, "review_date": "2025-09-01"},
        "traject_start": {"kind": "scholing"},  # the trajectory and exemption numbers are the server's
        "ontheffing_start": {"ground": "medisch", "scope": "volledig"},
        "waarschuwing": {"obligation_type": "administratief", "description": "Formulier niet ingeleverd"},
        "maatregel": {"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 2, "repeat_step": 1},
        "uitstroom": {"reason": "werk_regulier"},
        # route
        "opschorting": {"reason": "inlichtingen", "missing": "Bankafschriften van de laatste drie maanden"},
        "intrekking": {"reason": "onjuiste_inlichtingen", "from_date": "2025-02-15"},
        "beeindiging": {"reason": "werk_regulier"},
        # benefit: fresh_case paid February in full twice over (a betaling), so there is an overpayment to recover
        "terugvordering": {"months": ["2025-02"], "repayment_monthly": "50.00"},
        "boete": {"damage": "500.00", "blame": "grove_schuld"},
        # employers: a placement is a decision (it changes or ends the benefit); the policy gives no advice on it
        "plaatsing": {
            "placement_id": "PL-gate",
            "kind": "proefplaatsing",
            "employer_id": _employer_id(code) if event_type == "plaatsing" else 0,
            "employer_name": "Bakkerij",
            "hours": 24,
        },
    }[event_type]


def _employer_id(code: str) -> int:
    """employers2: the employer a placement names exists and is visible to the case's municipality (its region)."""
    from regie.accounts.models import Municipality, User
    from regie.employers.models import Employer, Region

    muni = Municipality.objects.get(code=code)
    region, _new = Region.objects.get_or_create(name=f"WSP {code}")
    region.municipalities.add(muni)
    employer = Employer.objects.filter(region=region).first() or Employer.objects.create(
        region=region,
        name="Bakkerij",
        kvk_number="12345678",
        sector="C",
        created_by=User.objects.filter(municipality=muni).first(),
    )
    return employer.pk


@pytest.fixture
def lv(db):
    """Leidschendam-Voorburg (1916) with a user of every role, like ``world`` (tests/conftest.py)."""
    muni, users, clients = _municipality("1916", "Leidschendam-Voorburg", BSNS_A)
    return muni, users, clients


def fresh_case(client, actor) -> Case:
    """A new case of ``client`` on benefit since 2025-02-01, with an intake: the same starting point every time."""
    from regie.casework.services import append_event

    case = Case.objects.create(
        municipality=client.municipality,
        client=client,
        opened_on=dt.date(2025, 1, 6),
        external_id=f"K-gate-{Case.objects.count() + 1}",
    )
    for t, p in (
        ("melding", {}),
        ("aanvraag", {"norm_type": "alleenstaande"}),
        ("toekenning", {"norm_type": "alleenstaande", "monthly_amount": 1400.0}),
        ("caseworker_toewijzing", {"caseworker": actor.username}),
        ("intake", {"expected_months_to_work": 2, "health_limitation": False}),
        ("betaling", {"month": "2025-02", "amount": "2800.00"}),  # benefit: twice the month's amount
    ):
        append_event(
            case, type=t, effective_date=dt.date(2025, 2, 1) if t != "melding" else dt.date(2025, 1, 6), payload=p
        )
    heard(case, "maatregel", dt.date(2025, 2, 1))  # a sanction needs a voornemen and horen first (Awb art. 4:8)
    for adverse in ("intrekking", "beeindiging", "terugvordering", "boete"):  # route and benefit: adverse too
        heard(case, adverse, dt.date(2025, 2, 1))
    return case


def _form_fields(payload: dict) -> dict:
    """A payload as the step form submits it: checkboxes "on" or absent, everything else as text."""
    out = {}
    for k, v in payload.items():
        if v is True:
            out[k] = "on"
        elif v is not False and v is not None:
            out[k] = str(v)
    return out


def _outcome(case, event_type, before: int) -> str:
    if PendingDecision.objects.filter(case=case).exists():
        return "pending"
    return "recorded" if Event.objects.filter(case=case, type=event_type).count() > before else "refused"


def via_web(django_client, user, case, event_type, payload, motivation=MOTIVATION) -> tuple[str, object]:
    django_client.force_login(user)
    before = Event.objects.filter(case=case, type=event_type).count()
    version = CaseState.objects.get(case=case).version
    r = django_client.post(
        reverse("case_step", args=[case.pk, event_type]),
        {"expected_version": version, "effective_date": ON.isoformat(), **_form_fields(payload), **motivation},
    )
    django_client.logout()
    return _outcome(case, event_type, before), r


def via_api(user, case, event_type, payload, motivation=MOTIVATION, **extra) -> tuple[str, object]:
    before = Event.objects.filter(case=case, type=event_type).count()
    version = CaseState.objects.get(case=case).version
    r = api(user).post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": event_type,
            "effective_date": ON.isoformat(),
            "payload": payload,
            "expected_version": version,
            **motivation,
            **extra,
        },
        format="json",
    )
    return _outcome(case, event_type, before), r


def stored_decision(case, event_type) -> dict | None:
    """The decision block of the step just recorded (an event, or a decision waiting for approval)."""
    pending = PendingDecision.objects.filter(case=case).first()
    if pending is not None:
        return pending.decision
    ev = Event.objects.filter(case=case, type=event_type).order_by("-id").first()
    return ev.decision if ev is not None else None


WEB_STATUS = {"recorded": (302,), "pending": (302,), "refused": (400, 403)}
API_STATUS = {"recorded": 201, "pending": 202, "refused": 403}


@pytest.mark.parametrize("code", ["0518", "1916"])
# The legal decision types (beslissing op bezwaar) have their own pages and parity tests: tests/legal.
@pytest.mark.parametrize("event_type", sorted(DECISION_TYPES - set(LEGAL_EVENT_TYPES)))
def test_every_role_gets_the_same_outcome_on_the_web_and_through_the_api(world, lv, client, code, event_type):
    users, clients = (world.users_a, world.clients_a) if code == "0518" else (lv[1], lv[2])
    km = users["integrale_klantmanager"]
    outcomes = {}
    for role in ROLES:
        user = users[role]
        payload = payload_for(event_type, code)
        web_case, api_case = fresh_case(clients[0], km), fresh_case(clients[0], km)
        web, r_web = via_web(client, user, web_case, event_type, payload)
        through_api, r_api = via_api(user, api_case, event_type, payload)
        assert web == through_api, f"{code} {event_type} {role}: web {web}, API {through_api}"
        assert r_web.status_code in WEB_STATUS[web], (role, r_web.status_code)
        assert r_api.status_code == API_STATUS[through_api], (role, r_api.status_code, r_api.data)
        if web != "refused":  # what is stored is the same too (apart from the path it came by)
            w, a = stored_decision(web_case, event_type), stored_decision(api_case, event_type)
            assert {**w, "source": None} == {**a, "source": None}
            assert (w["source"], a["source"]) == ("web", "api")
        if "record_events" not in CAPABILITIES[role]:
            assert web == "refused"
        outcomes[role] = web
    # what the two municipalities' policies say (decision rights, steering)
    consultant = outcomes["inkomensconsulent"]
    if code == "1916" and event_type in ("maatregel", "toekenning", "afwijzing", "opschorting", "intrekking"):
        assert outcomes["integrale_klantmanager"] == outcomes["reintegratieconsulent"] == "refused"
        assert consultant in ("recorded", "pending")
    if code == "0518":
        assert "pending" not in outcomes.values()  # performance-steered: a motivated deviation takes effect
        assert outcomes["integrale_klantmanager"] == consultant == "recorded"
    if code == "1916" and event_type == "maatregel":
        assert consultant == "pending"  # 100 % for 2 months deviates from the advice (100 %, 1 month)


def test_leidschendam_voorburg_klantmanager_may_not_impose_a_sanction_on_any_path(lv, client):
    _muni, users, clients = lv
    km = users["integrale_klantmanager"]
    case = fresh_case(clients[0], km)
    outcome, r = via_api(km, case, "maatregel", payload_for("maatregel", "1916"))
    assert outcome == "refused" and r.status_code == 403
    assert r.data["rule"] == "leidschendam-voorburg.decision_rights.maatregel"
    assert "seed 001:737-743" in r.data["source"] and "geen maatregel vastleggen" in r.data["detail"]
    assert r.data["allowed_roles"] == ["inkomensconsulent", "teammanager"]
    outcome, r = via_web(client, km, case, "maatregel", payload_for("maatregel", "1916"))
    assert outcome == "refused" and "geen maatregel vastleggen" in r.content.decode()


def test_deviating_sanction_waits_for_the_teammanager_on_both_paths(lv, client):
    _muni, users, clients = lv
    ik = users["inkomensconsulent"]
    for path in ("web", "api"):
        case = fresh_case(clients[0], users["integrale_klantmanager"])
        if path == "web":
            outcome, _r = via_web(client, ik, case, "maatregel", payload_for("maatregel", "1916"))
        else:
            outcome, r = via_api(ik, case, "maatregel", payload_for("maatregel", "1916"))
            assert r.status_code == 202 and r.data["status"] == "pending" and r.data["requested_by"] == ik.username
            assert {k: r.data["decision"]["recommendation"][k] for k in ("percentage", "months")} == {
                "percentage": 100.0,
                "months": 1,
            }
        assert outcome == "pending"
        assert CaseState.objects.get(case=case).snapshot.get("sanctions", 0) == 0  # not in effect
        pending = PendingDecision.objects.get(case=case)
        d = pending.decision
        assert d["deviates"] and d["policy_version"] == policy_for("1916", ON).version_id
        assert d["explanation"] and d["legal_basis"] and d["source"] == path and "approval" not in d


def test_a_deviation_without_motivation_is_refused_on_both_paths(world, client):
    users, clients = world.users_a, world.clients_a
    km = users["integrale_klantmanager"]
    web_case, api_case = fresh_case(clients[0], km), fresh_case(clients[0], km)
    payload = payload_for("maatregel", "0518")
    web, r_web = via_web(client, km, web_case, "maatregel", payload, motivation={})
    through_api, r_api = via_api(km, api_case, "maatregel", payload, motivation={})
    assert web == through_api == "refused"
    assert r_web.status_code == 400 and "geef een redencode of een motivering" in r_web.content.decode()
    assert r_api.status_code == 422 and "motivation" in r_api.data


def test_a_decision_as_advised_needs_no_motivation(world, client):
    users, clients = world.users_a, world.clients_a
    km = users["integrale_klantmanager"]
    case = fresh_case(clients[0], km)
    advised = {"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 1, "repeat_step": 1}
    outcome, r = via_api(km, case, "maatregel", advised, motivation={})
    assert outcome == "recorded" and r.status_code == 201
    rec = r.data["decision"]["recommendation"]
    assert r.data["deviates"] is False and (rec["percentage"], rec["months"]) == (100.0, 1)


# --- four eyes: who may approve -----------------------------------------------------------------------------------


def _pending(lv):
    from regie.casework.decisions import record_step

    _muni, users, clients = lv
    case = fresh_case(clients[0], users["integrale_klantmanager"])
    outcome, pending = record_step(
        case,
        users["inkomensconsulent"],
        event_type="maatregel",
        effective_date=ON,
        payload=payload_for("maatregel", "1916"),
        **MOTIVATION,
    )
    assert outcome == "pending"
    return pending


def _refused_review(pending, reviewer) -> str:
    from regie.casework.decisions import DecisionRefused, review_pending

    with pytest.raises(DecisionRefused) as refused:
        review_pending(pending, reviewer, approve=True, note="akkoord")
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.event_id is None
    assert not Event.objects.filter(case=pending.case, type="maatregel").exists()
    return refused.value.rule


def test_the_author_cannot_approve_their_own_deviation(lv):
    pending = _pending(lv)
    author = pending.requested_by
    assert _refused_review(pending, author) == "four_eyes.role"
    author.role = "teammanager"  # promoted since: still their own decision
    author.save()
    assert _refused_review(pending, author) == "four_eyes.author"


def test_another_municipalitys_teammanager_cannot_approve(lv, world):
    pending = _pending(lv)
    assert _refused_review(pending, world.users_a["teammanager"]) == "four_eyes.municipality"


def test_a_klantmanager_cannot_approve(lv):
    pending = _pending(lv)
    for role in ("integrale_klantmanager", "reintegratieconsulent", "beleidsmedewerker", "functioneel_beheerder"):
        assert _refused_review(pending, lv[1][role]) == "four_eyes.role"


def test_a_shared_service_teammanager_approves_only_for_its_municipalities(lv, world):
    from regie.accounts.models import SharedService, User
    from regie.casework.decisions import review_pending

    pending = _pending(lv)
    other = SharedService.objects.create(name="Werkplein Haaglanden-Zuid")
    other.municipalities.add(world.a)
    outside = User.objects.create_user(
        username="tm.other-service", password="x" * 12, role="teammanager", shared_service=other
    )
    assert _refused_review(pending, outside) == "four_eyes.municipality"
    service = SharedService.objects.create(name="Werkplein Leidschendam-Voorburg e.o.")
    service.municipalities.add(lv[0], world.a)
    inside = User.objects.create_user(
        username="tm.service", password="x" * 12, role="teammanager", shared_service=service
    )
    done = review_pending(pending, inside, approve=True, note="akkoord")
    assert done.status == "approved" and done.event.decision["approval"]["by"] == "tm.service"


def test_the_teammanager_of_the_municipality_approves_and_the_event_takes_effect(lv):
    from regie.casework.decisions import review_pending

    pending = _pending(lv)
    tm = lv[1]["teammanager"]
    done = review_pending(pending, tm, approve=True, note="Akkoord, herhaald")
    ev = done.event
    assert ev.type == "maatregel" and ev.actor == pending.requested_by and ev.deviates
    assert ev.decision["approval"]["by"] == tm.username and ev.decision["approval"]["note"] == "Akkoord, herhaald"
    assert ev.policy_version == policy_for("1916", ON).version_id
    assert CaseState.objects.get(case=pending.case).snapshot["sanctions"] == 1


def test_a_rejection_needs_a_note_and_a_decision_is_reviewed_once(lv):
    from regie.casework.decisions import review_pending
    from regie.core.events import EventError

    pending = _pending(lv)
    tm = lv[1]["teammanager"]
    with pytest.raises(EventError) as exc:
        review_pending(pending, tm, approve=False, note="  ")
    assert exc.value.errors[0][0] == "note"
    review_pending(pending, tm, approve=False, note="Eerst een waarschuwing")
    with pytest.raises(EventError) as exc:
        review_pending(pending, tm, approve=True)
    assert exc.value.errors[0][0] == "status"
    assert not Event.objects.filter(case=pending.case, type="maatregel").exists()


def test_the_gate_records_no_import_and_refuses_an_unknown_path(lv):
    from regie.casework.decisions import record_step

    _muni, users, clients = lv
    case = fresh_case(clients[0], users["integrale_klantmanager"])
    with pytest.raises(ValueError, match="source"):
        record_step(
            case,
            users["inkomensconsulent"],
            event_type="afwijzing",
            effective_date=ON,
            payload={"reason": "vermogen"},
            source="import",
        )
