"""Reads of casework data, always scoped to what the user may see (tenancy first, then role)."""

from __future__ import annotations

from django.db.models import QuerySet

from regie.accounts.tenancy import municipality_ids

from . import search
from .models import Case, CaseState, Client, Event

# Statuses that still need a caseworker: before the decision, on benefit, and in aftercare after outflow.
OPEN_STATUSES = ("gemeld", "aangevraagd", "lopend", "uitgestroomd")


def clients_for(user) -> QuerySet[Client]:
    """Every client of the user's municipalities (caller checks the role's capability)."""
    return Client.objects.filter(municipality_id__in=municipality_ids(user))


def worklist(user, *, scope: str = "mine", q: str = "", status: str = "") -> QuerySet[CaseState]:
    """Case states for the worklist: the user's own caseload, their team's, or the whole municipality."""
    qs = CaseState.objects.filter(municipality_id__in=municipality_ids(user)).select_related(
        "case__client", "caseworker"
    )
    if scope == "mine":
        qs = qs.filter(caseworker=user)
    elif scope == "team" and user.team_id:
        qs = qs.filter(caseworker__team_id=user.team_id)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    q = q.strip()
    if q:
        # Name (with or without tussenvoegsel, accents folded), full BSN (elfproef), date of birth dd-mm-jjjj,
        # case number, postcode: regie.casework.search. Names match by their start on pre-folded, indexed keys.
        # Clients first (the keys' indexes), then their cases; a case number selects that case only.
        if search.query_kind(q) == "case":
            qs = qs.filter(search.client_filter(q, prefix="case__client__"))
        else:
            clients = Client.objects.filter(municipality_id__in=municipality_ids(user)).filter(search.client_filter(q))
            qs = qs.filter(case__client_id__in=clients.values("id"))
    # Dutch register order: surname without tussenvoegsel, then given name
    return qs.order_by(*(f"case__client__{f}" for f in search.DUTCH_ORDER), "case_id")


def worklist_rows(user, case_ids, fields: tuple[str, ...]) -> dict[int, tuple]:
    """pages4: ``fields`` (values, the first one ``case_id``) of the worklist page's cases, by case id. The ids come
    from :func:`worklist`'s filtered query and its filters are not applied again (a name search's client subquery
    would then be planned first, before the 50 ids); the tenancy filter is."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = CaseState.objects.filter(case_id__in=ids, municipality_id__in=municipality_ids(user))
    return {r[0]: r for r in rows.values_list(*fields)}


def client_detail(user, client_id: int) -> Client:
    # pages10: the sections read client.municipality (one query less a case page)
    return clients_for(user).select_related("municipality").get(pk=client_id)


def cases_with_events(client: Client) -> list[tuple[Case, CaseState | None, list[Event]]]:
    cases = list(
        # pages10: with the caseworker, whom the page names per case (a query per case before)
        Case.objects.filter(client=client)
        .select_related("state__caseworker", "team", "municipality")
        .order_by("-opened_on", "-id")
    )
    for c in cases:
        c.client = client  # pages: the case page's sections read case.client; this saves a query per section
    client.loaded_cases = cases  # pages4: newest first, with state and municipality (clientrecord.recording_case)
    events: dict[int, list[Event]] = {}
    # pages4: the actors' names read once (a few people) instead of a user row joined to every event
    rows = list(Event.objects.filter(case__in=cases).order_by("-effective_date", "-id"))
    names = actor_names({e.actor_id for e in rows if e.actor_id is not None})
    by_id = {c.pk: c for c in cases}
    for e in rows:
        e.actor_name = names.get(e.actor_id)
        e.case = by_id[e.case_id]  # pages10: the sections reach the case (and what the page keeps on it) from an event
        events.setdefault(e.case_id, []).append(e)
    for c in cases:
        # pages10: the letters' sent dates (regie.letters.services.sent_dates) from these rows, newest first, taken
        # before the page redacts a note's or document's payload in memory
        c.letter_rows = [(e.pk, e.type, e.external_id, e.effective_date, e.payload) for e in events.get(c.pk, [])]
        # pages8: the benefit section's ledger input (regie.benefit.selectors.events_of: oldest first) from these
        # rows instead of a second query, taken before the page redacts a note's or document's payload in memory
        c.ledger_events = [
            {"id": e.pk, "type": e.type, "effective_date": e.effective_date, "payload": e.payload, "sequence": e.pk}
            for e in reversed(events.get(c.pk, []))
        ]
    return [(c, getattr(c, "state", None), events.get(c.pk, [])) for c in cases]


def actor_names(user_ids) -> dict[int, str]:
    """pages4: ``{user id: full name, else username}`` (as the timeline shows an event's actor)."""
    from django.contrib.auth import get_user_model

    ids = list(user_ids)
    if not ids:
        return {}
    rows = get_user_model().objects.filter(pk__in=ids).values_list("pk", "first_name", "last_name", "username")
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in rows}
