"""Reads of casework data, always scoped to what the user may see (tenancy first, then role)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from regie.accounts.tenancy import municipality_ids
from regie.core.bsn import is_valid_bsn

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
        digits = q.replace(" ", "")
        if digits.isdigit() and len(digits) == 9:
            # Full BSN search only (no prefix search: it would let a user enumerate BSNs).
            qs = qs.filter(case__client__bsn=digits) if is_valid_bsn(digits) else qs.none()
        else:
            # Names are matched by their start, case-insensitively. A range on LOWER(name) uses the expression
            # indexes (a LIKE '%…%' would scan every client). Clients first, then their cases.
            base = Client.objects.filter(municipality_id__in=municipality_ids(user)).annotate(
                fam=Lower("family_name"), giv=Lower("given_name")
            )
            words = q.lower().split()

            def starts(field: str, text: str) -> Q:
                return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff"})

            # The family name (with tussenvoegsel) and/or the given name, in either order: "de vries",
            # "de vries anouk", "anouk de vries", "anou".
            match = starts("fam", " ".join(words)) | starts("giv", " ".join(words))
            for k in range(1, len(words)):
                head, tail = " ".join(words[:k]), " ".join(words[k:])
                match |= (starts("fam", head) & starts("giv", tail)) | (starts("giv", head) & starts("fam", tail))
            clients = base.filter(match)
            qs = qs.filter(case__client_id__in=clients.values("id"))
    return qs.order_by("case__client__family_name", "case__client__given_name", "case_id")


def client_detail(user, client_id: int) -> Client:
    return clients_for(user).get(pk=client_id)


def cases_with_events(client: Client) -> list[tuple[Case, CaseState | None, list[Event]]]:
    cases = list(
        Case.objects.filter(client=client).select_related("state", "team", "municipality").order_by("-opened_on", "-id")
    )
    events: dict[int, list[Event]] = {}
    for e in Event.objects.filter(case__in=cases).select_related("actor").order_by("-effective_date", "-id"):
        events.setdefault(e.case_id, []).append(e)
    return [(c, getattr(c, "state", None), events.get(c.pk, [])) for c in cases]
