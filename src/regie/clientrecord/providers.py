"""The provider register (functioneel beheerder): the municipality's re-integration providers with their contract,
modules, capacity and contact. The referral form (traject_start) offers the providers contracted on the day, with
their modules (regie.casework.steps.for_case)."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import not_found, require_capability
from regie.accounts.models import Provider
from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.core.events import CODE_MAX, normalise_phone

CODE_RE = re.compile(rf"^[A-Za-z0-9_.-]{{1,{CODE_MAX}}}$")
FIELDS = (
    "code",
    "name",
    "kind",
    "contract_reference",
    "contract_start",
    "contract_end",
    "capacity",
    "contact_name",
    "contact_email",
    "contact_phone",
    "modules",
)


def _modules_text(modules: list[dict]) -> str:
    return "\n".join(f"{m.get('code', '')}: {m.get('name', '')}".rstrip(": ") for m in modules or [])


def _parse(values: dict, errors: dict) -> dict:
    """The provider's fields from the form, with Dutch messages naming the field."""
    out: dict = {}
    code = values.get("code", "").strip()
    if not CODE_RE.match(code):
        errors["code"] = _("Code is verplicht: letters, cijfers, punt, streepje of liggend streepje")
    out["code"] = code
    out["name"] = values.get("name", "").strip()
    if not out["name"]:
        errors["name"] = _("Naam is verplicht")
    out["kind"] = values.get("kind") or "rib"
    if out["kind"] not in dict(Provider.KINDS):
        errors["kind"] = _("Kies een soort aanbieder")
    out["contract_reference"] = values.get("contract_reference", "").strip()[:100]
    for name, label in (("contract_start", _("Begin contract")), ("contract_end", _("Einde contract"))):
        raw = values.get(name, "").strip()
        try:
            out[name] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            errors[name] = _("%(field)s is geen geldige datum (JJJJ-MM-DD)") % {"field": label}
            out[name] = None
    if out.get("contract_start") and out.get("contract_end") and out["contract_end"] < out["contract_start"]:
        errors["contract_end"] = _("Einde contract ligt vóór het begin")
    raw = values.get("capacity", "").strip()
    out["capacity"] = int(raw) if raw.isdigit() else None
    if raw and not raw.isdigit():
        errors["capacity"] = _("Capaciteit is geen heel getal")
    out["contact_name"] = values.get("contact_name", "").strip()[:200]
    email = values.get("contact_email", "").strip().lower()
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["contact_email"] = _("E-mailadres is niet geldig")
    out["contact_email"] = email
    try:
        out["contact_phone"] = normalise_phone(values.get("contact_phone", "")) or ""
    except ValueError as exc:
        errors["contact_phone"] = str(exc.args[0])
        out["contact_phone"] = values.get("contact_phone", "")
    modules = []
    for n, line in enumerate(values.get("modules", "").splitlines(), start=1):
        if not line.strip():
            continue
        mcode, _sep, mname = line.partition(":")
        mcode = mcode.strip()
        if not CODE_RE.match(mcode):
            errors["modules"] = _("Modules, regel %(n)s: begin met een code, dan een dubbele punt en de naam") % {
                "n": n
            }
        modules.append({"code": mcode, "name": mname.strip() or mcode})
    out["modules"] = modules
    return out


@login_required
def register(request):
    """The list of providers, and a form to add or change one (``?code=``)."""
    require_capability(request, "manage_providers", "provider")
    mids = municipality_ids(request.user)
    providers = list(Provider.objects.filter(municipality_id__in=mids).order_by("name"))
    log_request(request, "read", "provider", "", municipality_id=request.user.municipality_id, detail="register")
    editing = None
    errors: dict[str, str] = {}
    if request.GET.get("code"):
        editing = next((p for p in providers if p.code == request.GET["code"]), None)
        if editing is None:
            raise not_found(request, "provider", request.GET["code"])
    if request.method == "POST":
        values = request.POST.dict()
        fields = _parse(values, errors)
        original = values.get("original_code", "")
        target = next((p for p in providers if p.code == original), None) if original else None
        if original and target is None:
            raise not_found(request, "provider", original)
        if not errors:
            provider = target or Provider(municipality_id=request.user.municipality_id)
            if target is not None and fields["code"] != target.code:
                errors["code"] = _(
                    "De code van een bestaande aanbieder kan niet veranderen (verwijzingen gebruiken hem)"
                )
            else:
                for k, v in fields.items():
                    setattr(provider, k, v)
                try:
                    with transaction.atomic():
                        provider.save()
                except IntegrityError:
                    errors["code"] = _("Er is al een aanbieder met deze code")
                else:
                    log_request(
                        request,
                        "update" if target else "create",
                        "provider",
                        provider.code,
                        municipality_id=provider.municipality_id,
                        detail="register",
                    )
                    messages.success(request, _("Aanbieder %(name)s opgeslagen.") % {"name": provider.name})
                    return redirect("provider_register")
    elif editing is not None:
        values = {f: getattr(editing, f) for f in FIELDS}
        values = {k: ("" if v is None else v) for k, v in values.items()}
        values["modules"] = _modules_text(editing.modules)
        for k in ("contract_start", "contract_end"):
            values[k] = values[k].isoformat() if values[k] else ""
        values["original_code"] = editing.code
    else:
        values = {"kind": "rib"}
    today = dt.date.today()
    return render(
        request,
        "clientrecord/providers.html",
        {
            "providers": [(p, p.contracted_on(today)) for p in providers],
            "values": values,
            "errors": errors,
            "kinds": Provider.KINDS,
            "editing": editing or values.get("original_code"),
        },
        status=400 if errors else 200,
    )
