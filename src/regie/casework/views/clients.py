"""The client page (cases, events, deadlines, signals, next steps), the audited BSN reveal, and a new client."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.casework import confidential, recommend, route, selectors, services, steps
from regie.casework.deadlines import deadlines_for
from regie.casework.legal import case_legal  # legal
from regie.casework.models import Client
from regie.casework.signals import open_signals
from regie.casework.validation import translate
from regie.core.bsn import bsn_problem
from regie.core.events import EventError
from regie.core.policy import PolicyUnavailable

from .common import client_or_404, parse_date

_PER_READER = frozenset({confidential.NOTE_TYPE, confidential.DOCUMENT_TYPE})  # payloads shown per reader


@login_required
def client_detail(request, client_id: int):
    require_capability(request, "view_clients", "client", client_id)
    client = client_or_404(request, client_id)
    log_request(request, "read", "client", client.external_id, municipality_id=client.municipality_id)
    return _client_page(request, client, bsn=None)


def _client_page(request, client: Client, bsn: str | None):
    record = can(request.user, "record_events")
    today = dt.date.today()

    def offered(case, state):
        if not record:
            return []
        return [
            (t, steps.STEP_LABELS[t])
            for t in steps.next_steps(state.status if state else None)
            if recommend.may_decide(request.user, t, case, today)
        ]  # decision rights per policy

    # journal: confidential notes show their text only to whom casework.confidential allows; every note read audited
    triples = [
        (case, state, confidential.filter_events(request, events, state.caseworker_id if state else None))
        for case, state, events in selectors.cases_with_events(client)
    ]
    # pages3: a timeline row is memoised as rendered (casework.templatetags.fragments): an event never changes, so
    # its id names what the row shows, except the names of people it mentions (the day in the key bounds that) and
    # a note's or document's payload, which depends on who reads it (never memoised)
    for _case, _state, events in triples:
        for e in events:
            e.memo_key = None if e.type in _PER_READER else (e.pk, today)
    signals = open_signals([st for _, st, _ in triples if st is not None], today)
    for case, state, _events in triples:
        if state is not None:
            case.signals_on = (today, signals.get(case.pk, []))  # pages4: the tasks section lists them too
    cases = [
        (case, state, events, offered(case, state), deadlines_for(case), signals.get(case.pk, []))
        for case, state, events in triples
    ]
    return render(
        request,
        "casework/client_detail.html",
        {
            "client": client,
            "cases": cases,
            "bsn": bsn,
            "today": dt.date.today(),
            "can_reveal": can(request.user, "reveal_bsn"),
            "can_record": record,
            "route_sections": {case.pk: route.case_section(case) for case, _state, _events in triples},
            "legal_sections": {c.pk: case_legal(c, today) for c, _st, _ev in triples},  # legal
            "can_handle_objections": can(request.user, "handle_objections"),  # legal
        },
    )


@login_required
@require_POST
def reveal_bsn(request, client_id: int):
    """Show the full BSN once, on an explicit action that is audited (masked by default)."""
    require_capability(request, "reveal_bsn", "client", client_id)
    client = client_or_404(request, client_id)
    log_request(request, "reveal_bsn", "client", client.external_id, municipality_id=client.municipality_id)
    return _client_page(request, client, bsn=client.bsn)


@login_required
def new_client(request):
    """Register a client and their melding in one go (the start of the route)."""
    require_capability(request, "record_events", "client")
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST.dict()
        for name in ("given_name", "family_name", "birth_date", "sex", "bsn", "melding_date"):
            if not values.get(name, "").strip():
                errors[name] = _("verplicht")
        if values.get("bsn") and (problem := bsn_problem(values["bsn"].strip())):
            errors["bsn"] = translate(problem)
        birth = parse_date(values.get("birth_date", ""), errors, "birth_date") if "birth_date" not in errors else None
        melding = (
            parse_date(values.get("melding_date", ""), errors, "melding_date") if "melding_date" not in errors else None
        )
        if values.get("sex") and values["sex"] not in ("M", "V", "X"):
            errors["sex"] = _("kies M, V of X")
        if not errors:
            fields = {
                "bsn": values["bsn"].strip(),
                "given_name": values["given_name"].strip(),
                "family_name": values["family_name"].strip(),
                "birth_date": birth,
                "sex": values["sex"],
            }
            try:
                client = services.register_melding(
                    request.user, client_fields=fields, melding_date=melding, channel=values.get("channel") or "balie"
                )
            except services.DuplicateClient:
                errors["bsn"] = _("er bestaat al een cliënt met dit BSN in uw gemeente")
            except EventError as exc:  # implausible birth date, a name too long, a date the melding refuses
                for f, m in exc.errors:
                    errors["melding_date" if f == "effective_date" else f.removeprefix("payload.")] = m
            except PolicyUnavailable as exc:  # nothing is written; the form keeps what was typed
                errors["form"] = exc.message
            else:
                log_request(request, "create", "client", client.external_id, municipality_id=client.municipality_id)
                return redirect("client_detail", client.pk)
    return render(request, "casework/client_new.html", {"errors": errors, "values": values})
