"""The caseworker's pages for machtigingen (from the case page): record one, end one. Capability ``record_events``,
the client of the user's municipalities only (another's is an audited 404), every write audited, forms keep what
was typed and name the field in Dutch. A machtiging is a register entry of this app, not a case event: it gives a
person access to Mijn Regie, it decides nothing on the case (decision, docs/portal.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.audit.services import log_request
from regie.casework.views.common import client_or_404

from . import services
from .models import ROLES, Machtiging

FIELDS = ("representative_bsn", "representative_name", "role", "valid_from", "valid_until", "document")


def _documents(client):
    from regie.documents.models import Document

    return list(Document.objects.filter(case__client=client).order_by("-added_at")[:50])


@login_required
def machtiging_new(request, client_id: int):
    require_capability(request, "record_events", "machtiging", client_id)
    client = client_or_404(request, client_id)
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in FIELDS}
        try:
            m = services.record_machtiging(client, request.user, values)
        except services.MachtigingError as exc:
            errors = exc.errors
        else:
            log_request(request, "create", "machtiging", m.pk, municipality_id=client.municipality_id)
            return redirect("client_detail", client_id=client.pk)
    else:
        log_request(request, "read", "client", client.external_id, municipality_id=client.municipality_id)
    return render(
        request,
        "portal/machtiging_form.html",
        {"client": client, "values": values, "errors": errors, "roles": ROLES, "documents": _documents(client)},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def machtiging_end(request, client_id: int, pk: int):
    require_capability(request, "record_events", "machtiging", pk)
    client = client_or_404(request, client_id)
    m = Machtiging.objects.filter(pk=pk, client=client, municipality_id=client.municipality_id).first()
    if m is None:
        raise not_found(request, "machtiging", pk)
    try:
        services.end_machtiging(m, request.user, {"valid_until": request.POST.get("valid_until", "")})
    except services.MachtigingError as exc:
        return render(
            request,
            "portal/machtiging_end.html",
            {
                "client": client,
                "m": m,
                "role": ROLES.get(m.role, m.role),
                "errors": exc.errors,
                "values": {"valid_until": request.POST.get("valid_until", "")},
            },
            status=400,
        )
    log_request(request, "update", "machtiging", m.pk, municipality_id=client.municipality_id)
    return redirect("client_detail", client_id=client.pk)
