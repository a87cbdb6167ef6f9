"""The BRP actions of the client record: prefill a new client, check a client against the BRP and adopt the BRP's
address, look up an address by postcode and huisnummer. Each asks for a purpose first (regie.clientrecord.brp)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.audit.services import log_request, origin_of
from regie.casework.decisions import DecisionRefused
from regie.casework.services import ConflictError
from regie.casework.views.common import client_or_404
from regie.core.dates import nl_date
from regie.core.events import EventError
from regie.core.names import fold
from regie.core.policy import PolicyUnavailable

from . import brp, forms, services
from .selectors import record_for, recording_case

SESSION_KEY = "clientrecord.brp_address"


def _version(client):
    case = recording_case(client)
    state = getattr(case, "state", None) if case else None
    return state.version if state else ""


@login_required
@require_POST
def prefill(request):
    """The new-client form, filled from the BRP (RaadpleegMetBurgerservicenummer) for the BSN typed."""
    require_capability(request, "record_events", "client")
    values = {"bsn": request.POST.get("bsn", "").strip(), "purpose": request.POST.get("purpose", "")}
    errors: dict[str, str] = {}
    note = ""
    try:
        person = brp.raadpleeg(
            request.user.municipality_id,
            values["bsn"],
            purpose=values["purpose"],
            user=request.user,
            origin=origin_of(request),
            client_ref="nieuw",
        )
    except brp.BrpError as exc:
        errors["form"] = exc.message
    else:
        if person is None:
            errors["bsn"] = _("De BRP kent geen persoon met dit BSN; controleer het nummer.")
        else:
            values.update(
                given_name=person.given_names.split()[0] if person.given_names else "",
                family_name=person.family_name,
                birth_date=person.birth_date.isoformat() if person.birth_date else "",
                sex=person.sex,
            )
            note = _(
                "Ingevuld uit de BRP. Controleer de gegevens en leg de melding vast; het adres neemt u daarna over "
                "via ‘Vergelijken met de BRP’ op de cliëntpagina."
            )
    return render(request, "casework/client_new.html", {"errors": errors, "values": values, "brp_note": note})


def _rows(client, record, person: brp.BrpPerson) -> list[dict]:
    ours_address = record.woonadres.lines if record.woonadres else []
    theirs_address = []
    if person.address:
        a = person.address
        house = f"{a.house_number or ''}{a.house_letter}{'-' + a.addition if a.addition else ''}"
        theirs_address = [f"{a.street} {house}".strip(), f"{a.postcode}  {a.city.upper()}"]
    rows = [
        (_("Achternaam"), client.family_name, person.family_name),
        (_("Voornaam"), client.given_name, person.given_names),
        (
            _("Geboortedatum"),
            nl_date(client.birth_date) if client.birth_date else "",
            nl_date(person.birth_date) if person.birth_date else "",
        ),
        (_("Geslacht"), client.sex, person.sex),
        (_("Woonadres"), ", ".join(ours_address), ", ".join(theirs_address)),
    ]
    out = []
    for label, ours, theirs in rows:
        same = fold(ours) == fold(theirs)
        if label == _("Voornaam"):  # Regie keeps the roepnaam or first given name; the BRP all given names
            same = bool(ours) and fold(theirs).split()[:1] == fold(ours).split()[:1]
        out.append({"label": label, "ours": ours, "theirs": theirs, "same": same})
    return out


@login_required
def check(request, client_id: int):
    """Ask the BRP about this client (by BSN) and show the differences with the dossier."""
    require_capability(request, "record_events", "client", client_id)
    client = client_or_404(request, client_id)
    log_request(
        request,
        "read",
        "client",
        client.external_id,
        municipality_id=client.municipality_id,
        detail="client record: BRP check",
    )
    ctx = {"client": client, "values": {}, "asked": False, "version": _version(client)}
    if request.method == "POST":
        ctx["values"] = {"purpose": request.POST.get("purpose", "")}
        try:
            person = brp.raadpleeg(
                client.municipality_id,
                client.bsn,
                purpose=ctx["values"]["purpose"],
                user=request.user,
                origin=origin_of(request),
                client_ref=client.external_id,
            )
        except brp.BrpError as exc:
            ctx["error"] = exc.message
        else:
            record = record_for(client)
            ctx.update(asked=True, person=person)
            if person is not None:
                ctx["rows"] = _rows(client, record, person)
                if person.address:
                    request.session[SESSION_KEY] = {"client": client.pk, "address": person.address.as_payload()}
                    ctx["can_adopt"] = not next(r for r in ctx["rows"] if r["label"] == _("Woonadres"))["same"]
    return render(request, "clientrecord/brp_check.html", ctx)


@login_required
@require_POST
def adopt_address(request, client_id: int):
    """Record the address the BRP gave in the last check as the client's woonadres (source brp)."""
    require_capability(request, "record_events", "client", client_id)
    client = client_or_404(request, client_id)
    kept = request.session.get(SESSION_KEY) or {}
    if kept.get("client") != client.pk:
        messages.error(request, _("Vraag het adres eerst op bij de BRP (Vergelijken met de BRP)."))
        return redirect("brp_check", client.pk)
    try:
        expected = int(request.POST.get("expected_version", ""))
    except ValueError:
        expected = None
    try:
        services.record_change(
            client,
            request.user,
            event_type="adres_wijziging",
            payload={**kept["address"], "kind": "woonadres", "source": "brp"},
            expected_version=expected,
        )
    except ConflictError:
        messages.error(request, _("Iemand anders heeft dit dossier intussen gewijzigd; vergelijk opnieuw."))
        return redirect("brp_check", client.pk)
    except (EventError, DecisionRefused, services.NoCase, PolicyUnavailable) as exc:
        text = (
            "; ".join(str(m) for _f, m in exc.errors)
            if isinstance(exc, EventError)
            else str(getattr(exc, "message", exc))
        )
        messages.error(request, text)
        return redirect("brp_check", client.pk)
    request.session.pop(SESSION_KEY, None)
    log_request(
        request,
        "update",
        "client",
        client.external_id,
        municipality_id=client.municipality_id,
        detail="client record: adres_wijziging from BRP",
    )
    messages.success(request, _("Het adres uit de BRP is vastgelegd als woonadres."))
    return redirect("client_detail", client.pk)


@login_required
@require_POST
def address_lookup(request, client_id: int):
    """Look up the client at a postcode and huisnummer (ZoekMetPostcodeEnHuisnummer, narrowed to the client's
    surname and date of birth) and fill the address form with the BRP's address."""
    require_capability(request, "record_events", "client", client_id)
    client = client_or_404(request, client_id)
    from .views import render_edit

    postcode = request.POST.get("postcode", "").strip()
    number = request.POST.get("huisnummer", "").strip()
    values = {
        "kind": "woonadres",
        "postcode": postcode,
        "house_number": number,
        "purpose": request.POST.get("purpose", ""),
        "expected_version": _version(client),
    }
    errors: dict[str, str] = {}
    if not forms_postcode_ok(postcode):
        errors["postcode"] = _("Postcode is niet geldig: verwacht vier cijfers en twee letters, bijv. 2511 AB")
    if not number.isdigit():
        errors["house_number"] = _("Huisnummer is geen getal")
    if not errors:
        from regie.core.names import split_surname

        try:
            found = brp.zoek_adres(
                client.municipality_id,
                postcode=postcode,
                huisnummer=int(number),
                geslachtsnaam=split_surname(client.family_name)[1],
                geboortedatum=client.birth_date,
                purpose=values["purpose"],
                user=request.user,
                origin=origin_of(request),
                client_ref=client.external_id,
            )
        except brp.BrpError as exc:
            errors["form"] = exc.message
        else:
            address = brp.parse_address_lines(found[0].address_lines) if len(found) == 1 else None
            if address is None:
                errors["form"] = _(
                    "De BRP kent deze cliënt niet op dit adres. Vul het adres zelf in zoals de cliënt het opgeeft."
                )
            else:
                values.update({k: str(v) for k, v in address.as_payload().items()}, source="brp")
                messages.info(request, _("Adres ingevuld uit de BRP; controleer het en sla op."))
    return render_edit(request, client, "adres", values, errors)


def forms_postcode_ok(text: str) -> bool:
    from regie.casework.search import postcode_key

    return bool(postcode_key(text))


__all__ = ["prefill", "check", "adopt_address", "address_lookup", "forms"]
