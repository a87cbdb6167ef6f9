"""The client record's pages: the edit forms (address, contact data and preferences, contact persons, work
profile). Each saved form is one event through the decision gate; the form keeps what was typed on an error, names
the field in Dutch, and refuses a stale page (``expected_version``). Every page that shows the record audits the
read, as the case page does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.services import ConflictError
from regie.casework.views.common import client_or_404
from regie.core.events import EventError
from regie.core.policy import PolicyUnavailable

from . import forms, services
from .selectors import record_for, recording_case


def _version(client) -> int | None:
    case = recording_case(client)
    state = getattr(case, "state", None) if case else None
    return state.version if state else (0 if case else None)


def _form_values(kind: str, post) -> dict:
    values = post.dict()
    if kind == "werkprofiel":
        values["driving_licences"] = post.getlist("driving_licences")
    return values


def _field_errors(exc: EventError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, message in exc.errors:
        name = field.removeprefix("payload.").split(".")[0] if field.startswith("payload.") else "form"
        if field == "effective_date":
            name = "form"
        errors[name] = f"{errors[name]} {message}" if name in errors else str(message)
    return errors


@login_required
def edit(request, client_id: int, kind: str, contact_id: str = ""):
    """One edit form of the record; GET shows the current values, POST records the change as one event."""
    if kind not in forms.FORMS:
        raise Http404
    require_capability(request, "record_events", "client", client_id)
    client = client_or_404(request, client_id)
    spec = forms.FORMS[kind]
    record = record_for(client)
    person = None
    if kind == "contactpersoon" and contact_id:
        person = next((p for p in record.contact_persons if p.contact_id == contact_id), None)
        if person is None:
            raise Http404
    errors: dict[str, str] = {}
    status = 400  # a refused change: the form again with what was typed (409 when someone else changed it first)
    if request.method == "POST":
        values = _form_values(kind, request.POST)
        payload = forms.payload_from(kind, request.POST, errors)
        if kind == "contactpersoon" and contact_id:
            payload["contact_id"] = contact_id
        try:
            expected = int(values.get("expected_version", ""))
        except ValueError:
            expected = None
        if not errors:
            try:
                services.record_change(
                    client, request.user, event_type=spec["event_type"], payload=payload, expected_version=expected
                )
            except EventError as exc:
                errors = _field_errors(exc)
            except ConflictError:
                errors["form"] = _(
                    "Iemand anders heeft dit dossier intussen gewijzigd. Uw invoer staat er nog; controleer de "
                    "gegevens op de cliëntpagina en sla opnieuw op."
                )
                values["expected_version"] = str(_version(client))
                status = 409
            except (DecisionRefused, services.NoCase) as exc:
                errors["form"] = str(getattr(exc, "message", exc))
            except PolicyUnavailable as exc:
                errors["form"] = exc.message
            else:
                log_request(
                    request,
                    "update",
                    "client",
                    client.external_id,
                    municipality_id=client.municipality_id,
                    detail=f"client record: {spec['event_type']}",
                )
                messages.success(request, _("Vastgelegd: %(what)s") % {"what": spec["title"]})
                return redirect("client_detail", client.pk)
    else:
        address_kind = request.GET.get("soort", "woonadres")
        values = forms.current_values(kind, record, address_kind=address_kind, person=person)
        values["expected_version"] = _version(client)
    status = status if errors and request.method == "POST" else 200
    return render_edit(request, client, kind, values, errors, record=record, person=person, status=status)


def _with_current_choices(fields, values: dict):
    """A select also offers the value the record holds when it is not in the list (an imported language code), so
    saving the form does not silently clear it."""
    for f in fields:
        current = values.get(f.name)
        if f.widget == "select" and isinstance(current, str) and current and current not in dict(f.choices):
            f.choices = (*f.choices, (current, current))
    return fields


def render_edit(request, client, kind: str, values: dict, errors: dict, *, record=None, person=None, status: int = 200):
    """The edit form page (also after a BRP look-up filled it); audits the read of the record."""
    from .models import BrpConnection

    spec = forms.FORMS[kind]
    log_request(
        request,
        "read",
        "client",
        client.external_id,
        municipality_id=client.municipality_id,
        detail=f"client record form {kind}",
    )
    return render(
        request,
        "clientrecord/edit.html",
        {
            "client": client,
            "record": record or record_for(client),
            "kind": kind,
            "title": spec["title"],
            "fields": _with_current_choices(spec["fields"](), values),
            "values": values,
            "errors": errors,
            "person": person,
            "brp_lookup": kind == "adres" and values.get("kind", "woonadres") == "woonadres",
            "brp_enabled": BrpConnection.objects.filter(municipality_id=client.municipality_id, enabled=True).exists(),
        },
        status=status,
    )


@login_required
@require_POST
def end(request, client_id: int, kind: str, contact_id: str = ""):
    """End a briefadres or a contact person (one event)."""
    require_capability(request, "record_events", "client", client_id)
    client = client_or_404(request, client_id)
    if kind == "briefadres":
        event_type, payload = "adres_wijziging", {"kind": "briefadres", "ended": True}
    elif kind == "contactpersoon" and contact_id:
        if not any(p.contact_id == contact_id for p in record_for(client).contact_persons):
            raise Http404
        event_type, payload = "contactpersoon", {"contact_id": contact_id, "ended": True}
    else:
        raise Http404
    try:
        expected = int(request.POST.get("expected_version", ""))
    except ValueError:
        expected = None
    try:
        services.record_change(client, request.user, event_type=event_type, payload=payload, expected_version=expected)
    except ConflictError:
        messages.error(request, _("Iemand anders heeft dit dossier intussen gewijzigd; probeer het opnieuw."))
    except (EventError, DecisionRefused, services.NoCase, PolicyUnavailable) as exc:
        text = (
            "; ".join(str(m) for _f, m in exc.errors)
            if isinstance(exc, EventError)
            else str(getattr(exc, "message", exc))
        )
        messages.error(request, text)
    else:
        log_request(
            request,
            "update",
            "client",
            client.external_id,
            municipality_id=client.municipality_id,
            detail=f"client record: {event_type} ended",
        )
        messages.success(request, _("Beëindigd."))
    return redirect("client_detail", client.pk)
