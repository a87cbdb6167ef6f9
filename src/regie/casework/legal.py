"""The casework adapter of the decision's legal life (regie.core.legal): reads a case's events, derives its legal
state, checks legal events against it, fills what Regie sets, and answers the gate's hearing rule (Awb art. 4:8).

The Django app ``regie.legal`` (objection pages, worklist, API) sits above casework and uses these functions;
casework itself calls them from ``validation.check_in_case`` (every live writer), ``services.append_event``
(what Regie fills) and ``decisions.record_step`` (the web/API gate only: imported history is kept as recorded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regie.core.events import ADVERSE_DECISION_TYPES, LEGAL_EVENT_TYPES, Message
from regie.core.legal import lifecycle
from regie.core.legal.lifecycle import LegalState, OpenTerm
from regie.core.policy import PolicyUnavailable, policy_for

from .models import Case, Event


def legal_events(case: Case) -> list[lifecycle.LegalEvent]:
    rows = (
        Event.objects.filter(case=case)
        .order_by("effective_date", "id")
        .values_list("id", "type", "effective_date", "payload")
    )
    return [lifecycle.LegalEvent(pk, etype, eff, payload or {}) for pk, etype, eff, payload in rows]


def legal_state(case: Case) -> lifecycle.LegalState:
    """The one derivation of the case's voornemens, decisions, objections, appeals and open terms (memoised per
    case version when the case came with its state, as on the case page: regie.casework.derived)."""
    if Case.state.is_cached(case) and getattr(case, "state", None) is not None:
        from .derived import per_case

        return per_case(
            "legal_state", {case.pk: case.state.version}, lambda _ids: {case.pk: lifecycle.derive(legal_events(case))}
        )[case.pk]
    return lifecycle.derive(legal_events(case))


# Event types after which a case can have a legal term the municipality must act on (a zienswijze, a decision on
# an objection); a case without any has none, so the bulk reads below skip it.
LEGAL_TRIGGERS = ("voornemen", "bezwaar", "beroep")


def legal_states_for(case_ids, versions: dict[int, int] | None = None) -> dict[int, lifecycle.LegalState]:
    """The legal state of every one of these cases that has a voornemen, objection or appeal -- the same
    derivation as :func:`legal_state`, for many cases in two queries per 2,000 (worklist, start page, signals run,
    notifications). With ``versions`` (case id -> CaseState.version, as read with the rows) the states are
    memoised per case version (regie.casework.derived): cases unchanged since this process derived them cost no
    query."""
    ids = list(case_ids)
    if versions is not None:
        from .derived import per_case

        known = {cid: versions[cid] for cid in ids if cid in versions}
        out = {cid: st for cid, st in per_case("legal", known, _legal_states).items() if st is not None}
        rest = [cid for cid in ids if cid not in known]
        if rest:
            out.update(_legal_states(rest))
        return out
    return _legal_states(ids)


def _legal_states(ids: list[int]) -> dict[int, lifecycle.LegalState]:
    out: dict[int, lifecycle.LegalState] = {}
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        with_legal = set(
            Event.objects.filter(case_id__in=chunk, type__in=LEGAL_TRIGGERS).values_list("case_id", flat=True)
        )
        if not with_legal:
            continue
        grouped: dict[int, list[lifecycle.LegalEvent]] = {}
        rows = (
            Event.objects.filter(case_id__in=with_legal)
            .order_by("case_id", "effective_date", "id")
            .values_list("case_id", "id", "type", "effective_date", "payload")
        )
        for case_id, pk, etype, eff, payload in rows:
            grouped.setdefault(case_id, []).append(lifecycle.LegalEvent(pk, etype, eff, payload or {}))
        out.update({case_id: lifecycle.derive(events) for case_id, events in grouped.items()})
    return out


def warning_days_for(municipality_code: str, on: dt.date) -> int:
    """The policy's ``objections.warning_days`` for a municipality (see :func:`objections_policy_of`)."""
    return objections_policy_of(municipality_code, on).warning_days


def _types(events: list[lifecycle.LegalEvent]) -> dict[str, str]:
    return {str(e.id): e.type for e in events}


def legal_problems(case: Case, event_type: str, on: dt.date, payload: dict) -> list[tuple[str, Message]]:
    if event_type not in LEGAL_EVENT_TYPES:
        return []
    events = legal_events(case)
    return lifecycle.problems(lifecycle.derive(events), event_type, on, payload, _types(events))


def objections_policy(case: Case, on: dt.date):
    """The municipality's ``objections`` policy in force; PolicyUnavailable when it has none (fail closed)."""
    return objections_policy_of(case.municipality.code, on, case.municipality.name)


def objections_policy_of(municipality_code: str, on: dt.date, name: str = ""):
    """The ``objections`` section of the policy in force for a municipality; PolicyUnavailable when it has none
    (fail closed: no silent hearing rule, zienswijze term or warning horizon)."""
    policy = policy_for(municipality_code, on)
    if policy.objections is None:
        raise PolicyUnavailable(
            f"Het beleid van {name or 'deze gemeente'} regelt bezwaar niet (wie hoort, adviescommissie, "
            "zienswijzetermijn): Regie kan deze termijn niet bepalen. Neem contact op met de functioneel beheerder.",
            f"policy {policy.version_id} has no objections section",
            municipality=municipality_code,
            on=on,
        )
    return policy.objections


def legal_payload(case: Case, event_type: str, on: dt.date, payload: dict) -> dict:
    """The payload with what Regie sets (lifecycle.completed_payload); PolicyUnavailable without a policy."""
    if event_type not in ("voornemen", "bekendmaking", "bezwaar"):
        return payload
    events = legal_events(case)
    needs_policy = (
        event_type == "voornemen" and not payload.get("no_hearing_ground") and not payload.get("zienswijze_days")
    ) or (event_type == "bezwaar" and payload.get("advisory_committee") is None)
    policy = objections_policy(case, on) if needs_policy else None
    return lifecycle.completed_payload(lifecycle.derive(events), event_type, on, payload, _types(events), policy)


def hearing_refusal(case: Case, event_type: str, on: dt.date) -> Message | None:
    """Why an adverse decision may not be recorded through the gate yet (Awb art. 4:8), or None."""
    if event_type not in ADVERSE_DECISION_TYPES:
        return None
    return legal_state(case).hearing_problem(event_type, on)


# --- The case page's legal section (template legal/_case_section.html) ---

# Assumption when a municipality's policy has no objections section: no warning horizon is invented; the page
# says the policy is missing (fail closed) and lists the terms without a warning.


@dataclass
class CaseLegal:
    state: LegalState
    terms: list[OpenTerm]
    warnings: list[OpenTerm]
    warning_days: int | None
    policy_problem: str = ""

    @property
    def empty(self) -> bool:
        s = self.state
        return not (s.voornemens or s.objections or s.appeals or self.terms)


def warning_days(case: Case, on: dt.date) -> int:
    """Days before a decision term ends that the legal reviewer is warned (policy objections.warning_days)."""
    return objections_policy(case, on).warning_days


def warnings_of(terms: list[OpenTerm], on: dt.date, days: int) -> list[OpenTerm]:
    """The decision terms on objections that end within ``days`` (or have passed): the signal before a term
    runs out (Awb art. 7:10; after it the objector may give notice of default, Awb art. 4:17)."""
    from regie.core.kpi.signals import warns

    return [t for t in terms if t.key == "beslistermijn_bezwaar" and warns(t.due, on, days)]


def case_legal(case: Case, on: dt.date | None = None) -> CaseLegal:
    """The case page's legal section: state, open terms, warnings."""
    on = on or dt.date.today()
    state = legal_state(case)
    terms = state.open_terms(on)
    try:
        days: int | None = warning_days(case, on)
    except PolicyUnavailable as exc:
        return CaseLegal(state, terms, [], None, exc.message)
    return CaseLegal(state, terms, warnings_of(terms, on, days or 0), days)


def objection_rows(municipality_ids_) -> list:
    """One monitoring row per objection in these municipalities (regie.core.legal.monitoring.ObjectionRow), for
    the objection monitoring (regie.legal) and the equity monitor (regie.equity). ``caseworker`` is the user id
    the equity frames use (external id, else username) of whoever recorded the contested decision."""
    from regie.core.legal.monitoring import ObjectionRow

    case_ids = set(
        Event.objects.filter(type="bezwaar", municipality_id__in=municipality_ids_).values_list("case_id", flat=True)
    )
    actors = {
        pk: (ext or name) if name else None
        for pk, ext, name in Event.objects.filter(case_id__in=case_ids).values_list(
            "id", "actor__external_id", "actor__username"
        )
    }
    municipality_of = dict(Case.objects.filter(pk__in=case_ids).values_list("id", "municipality_id"))
    rows = []
    for case_id, state in sorted(legal_states_for(case_ids).items()):
        for o in state.objections.values():
            rows.append(
                ObjectionRow(
                    municipality_of[case_id],
                    o.decision_type or "?",
                    o.outcome,
                    o.decided_within_term,
                    actors.get(int(o.decision_event)) if str(o.decision_event).isdigit() else None,
                )
            )
    return rows
