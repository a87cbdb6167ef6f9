"""The functioneel beheerder's page for the municipality's BRP connection (``/beheer/brp/``): endpoint, the API key
*reference* (the name of the environment variable that holds it; the key itself is never stored, shown or sent
back -- the page says only whether the server has it), mutual-TLS files, timeout, the purposes the municipality's
autorisatiebesluit BRP covers, on/off. The same rules as ``regie clientrecord brp`` (the command); every change
audited with the fields that changed, never a value."""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import require_capability
from regie.audit.services import log_request

from .brp import PURPOSES
from .models import BrpConnection

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,40}$")
FIELDS = ("base_url", "api_key_env", "api_key_header", "client_cert_file", "client_key_file", "ca_file")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clean(values: dict, purposes: list[str]) -> tuple[dict, dict[str, str]]:
    """The connection's fields from the form, and Dutch errors naming the field."""
    errors: dict[str, str] = {}
    out = {k: (values.get(k) or "").strip() for k in FIELDS}
    url = out["base_url"].rstrip("/")
    parts = urlsplit(url)
    if not url:
        errors["base_url"] = _("Adres van de BRP-API: vul het adres in.")
    elif parts.scheme not in ("http", "https") or not parts.hostname:
        errors["base_url"] = _("Adres van de BRP-API: geen geldig adres (https://...).")
    elif parts.scheme == "http" and not _loopback(parts.hostname):
        # personal data over the network only encrypted; plain http only to this machine (a local test stub)
        errors["base_url"] = _("Adres van de BRP-API: gebruik https; http alleen naar deze machine zelf.")
    elif url.endswith("/personen"):
        errors["base_url"] = _("Adres van de BRP-API: zonder /personen aan het eind.")
    out["base_url"] = url
    if out["api_key_env"] and not ENV_NAME.match(out["api_key_env"]):
        errors["api_key_env"] = _(
            "API-sleutel: geef de naam van de omgevingsvariabele (hoofdletters, cijfers en _), niet de sleutel zelf."
        )
    out["api_key_header"] = out["api_key_header"] or "X-API-KEY"
    if not HEADER_NAME.match(out["api_key_header"]):
        errors["api_key_header"] = _("Header van de API-sleutel: alleen letters, cijfers en -.")
    if out["client_key_file"] and not out["client_cert_file"]:
        errors["client_cert_file"] = _("Certificaat: vul ook het certificaatbestand in bij een sleutelbestand.")
    for name in ("client_cert_file", "client_key_file", "ca_file"):
        if out[name] and not os.path.isabs(out[name]):
            errors[name] = _("Bestand: geef het volledige pad op de server (begint met /).")
    raw_timeout = (values.get("timeout_seconds") or "").strip()
    if not raw_timeout.isdigit() or not 1 <= int(raw_timeout) <= 60:
        errors["timeout_seconds"] = _("Wachttijd: een heel aantal seconden van 1 tot 60.")
    else:
        out["timeout_seconds"] = int(raw_timeout)
    unknown = [p for p in purposes if p not in PURPOSES]
    if unknown or not purposes:
        errors["purposes"] = _("Doelen: kies minstens één doel waarvoor uw gemeente de BRP mag raadplegen.")
    out["purposes"] = [p for p in PURPOSES if p in purposes]
    out["enabled"] = values.get("enabled") == "on"
    if out["enabled"] and not out["api_key_env"] and not out["client_cert_file"]:
        errors["enabled"] = _("Aan: stel eerst een API-sleutel of een certificaat in.")
    return out, errors


def _status(conn: BrpConnection | None) -> dict:
    """What the server has, without any secret: whether the key variable is set, whether the files exist."""
    if conn is None:
        return {}
    return {
        "key_present": bool(conn.api_key_env and os.environ.get(conn.api_key_env)),
        "cert_present": bool(conn.client_cert_file and os.path.isfile(conn.client_cert_file)),
        "key_file_present": bool(conn.client_key_file and os.path.isfile(conn.client_key_file)),
        "ca_present": bool(conn.ca_file and os.path.isfile(conn.ca_file)),
    }


@login_required
def brp_config(request):
    require_capability(request, "manage_brp", "brp_connection")
    muni = request.user.municipality
    if muni is None:
        require_capability(request, "__none__", "brp_connection")  # a shared-service account: no own connection
    conn = BrpConnection.objects.filter(municipality=muni).first()
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST.dict()
        chosen = request.POST.getlist("purposes")
        out, errors = clean(values, chosen)
        if not errors:
            conn = conn or BrpConnection(municipality=muni)
            changed = sorted(k for k, v in out.items() if getattr(conn, k, None) != v or conn.pk is None)
            for k, v in out.items():
                setattr(conn, k, v)
            conn.updated_by = request.user
            conn.save()
            log_request(
                request,
                "update",
                "brp_connection",
                muni.code,
                municipality_id=muni.id,
                detail="fields " + ",".join(changed),
            )
            messages.success(request, _("De BRP-koppeling is opgeslagen."))
            return redirect("brp_config")
        values["purposes"] = chosen
    else:
        log_request(request, "read", "brp_connection", muni.code, municipality_id=muni.id)
        values = (
            {k: getattr(conn, k) for k in (*FIELDS, "timeout_seconds", "enabled", "purposes")}
            if conn
            else {"api_key_header": "X-API-KEY", "timeout_seconds": 10, "purposes": list(PURPOSES)}
        )
    return render(
        request,
        "clientrecord/brp_config.html",
        {
            "conn": conn,
            "values": values,
            "errors": errors,
            "purposes": [(k, str(v[0]), v[1]) for k, v in PURPOSES.items()],
            "status": _status(conn),
        },
        status=400 if errors else 200,
    )
