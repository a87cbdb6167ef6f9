"""A client for the BRP API Personen (Haal Centraal BRP Bevragen, version 2.x: one ``POST /personen`` whose
``type`` names the question), used to prefill a new client and to check a client's record.

Specification: github.com/BRP-API/Haal-Centraal-BRP-bevragen, ``specificatie/resolved/openapi.yaml`` (version
2.7.0 when this was written): query types ``RaadpleegMetBurgerservicenummer`` (``burgerservicenummer``: list of
BSNs) and ``ZoekMetPostcodeEnHuisnummer`` (``postcode``, ``huisnummer``, optional ``huisletter``,
``huisnummertoevoeging``, ``geslachtsnaam``, ``geboortedatum``); ``fields`` is required and lists only what is
needed (data minimisation, AVG art. 5 lid 1 sub c). Responses: ``{"type": ..., "personen": [...]}``; errors are
``application/problem+json`` (400, 401, 403, 429, 500, 503 ...).

Rules of this module:
- **configured per municipality** (:class:`~regie.clientrecord.models.BrpConnection`); none, or disabled:
  :class:`BrpNotConfigured` -- never a silent empty result.
- **doelbinding**: every call names a purpose from :data:`PURPOSES`; without one, :class:`PurposeRequired` and
  nothing is requested (Wet BRP art. 3.3: a recipient gets BRP data only for the tasks it is authorised for).
- **every call audited** (``audit.services.log``: who, which question, which purpose, which client, how many
  persons, or the failure) -- never the BSN or other personal data in the log.
- **timeouts** (the connection's ``timeout_seconds``) and Dutch errors: unreachable, refused, not authorised
  (:class:`BrpUnavailable`, :class:`BrpRefused`).

Authentication: the specification itself names no security scheme. The RvIG's environments ask for an API key
header (``X-API-KEY``, the proefomgeving) and, in production, mutual TLS with a PKIoverheid certificate over
Diginetwerk: both supported, both configured per municipality (assumption: check the RvIG's aansluitvoorwaarden
for the exact scheme of your connection).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from regie.audit import services as audit

from .models import BrpConnection

# Why a caseworker may ask the BRP (the purpose is recorded with every call). The legal bases are the tasks of the
# college under the Participatiewet for which a municipality is authorised to use the BRP (assumption: the
# municipality's own autorisatiebesluit BRP decides which of these apply; align the list with it).
PURPOSES: dict[str, tuple[str, str]] = {
    "aanvraag": (_l("Beoordelen van een melding of aanvraag bijstand"), "Pw art. 43, art. 44; Wet BRP art. 3.3"),
    "identiteit": (_l("Vaststellen van identiteit en gegevens van een nieuwe cliënt"), "Pw art. 17, art. 53a"),
    "controle": (_l("Controle van de gegevens in het dossier (rechtmatigheid)"), "Pw art. 53a lid 1"),
    "adres": (_l("Vaststellen van het adres voor correspondentie"), "Awb art. 3:41; Pw art. 40 (woonplaats)"),
}
# What Regie asks for (fields of Persoon / PersoonBeperkt in the specification).
FIELDS_PERSOON = ["burgerservicenummer", "naam", "geboorte.datum", "geslacht", "verblijfplaats", "adressering"]
FIELDS_BEPERKT = ["burgerservicenummer", "naam", "geboorte.datum", "geslacht", "adressering"]
CONTENT_TYPE = "application/json; charset=utf-8"


class BrpError(Exception):
    """A BRP call that did not give an answer; ``message`` is Dutch, for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class BrpNotConfigured(BrpError):
    pass


class PurposeRequired(BrpError):
    pass


class BrpUnavailable(BrpError):
    pass


class BrpRefused(BrpError):
    pass


@dataclass
class BrpAddress:
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""

    def as_payload(self) -> dict:
        out = {
            "street": self.street,
            "house_number": self.house_number,
            "house_letter": self.house_letter,
            "addition": self.addition,
            "postcode": self.postcode,
            "city": self.city,
        }
        return {k: v for k, v in out.items() if v not in ("", None)}


@dataclass
class BrpPerson:
    bsn: str
    given_names: str = ""
    prefix: str = ""
    surname: str = ""
    birth_date: dt.date | None = None
    sex: str = ""  # M, V, X (O "onbekend" in the BRP -> X)
    address: BrpAddress | None = None
    address_lines: list[str] = field(default_factory=list)
    salutation: str = ""
    secret: bool = False  # geheimhoudingPersoonsgegevens: do not pass the data on to third parties

    @property
    def family_name(self) -> str:
        return f"{self.prefix} {self.surname}".strip()


def purposes(municipality_id: int | None = None) -> list[tuple[str, str]]:
    """(code, Dutch label) of the purposes; for a municipality only those its connection allows."""
    allowed = None
    if municipality_id is not None:
        conn = BrpConnection.objects.filter(municipality_id=municipality_id).first()
        allowed = set(conn.purposes) if conn is not None else set()
    return [(k, str(v[0])) for k, v in PURPOSES.items() if allowed is None or k in allowed]


def connection_for(municipality_id: int) -> BrpConnection:
    """The municipality's enabled connection, or :class:`BrpNotConfigured` (fail closed)."""
    conn = BrpConnection.objects.filter(municipality_id=municipality_id).first()
    if conn is None or not conn.enabled:
        raise BrpNotConfigured(
            _(
                "De koppeling met de BRP is voor uw gemeente niet ingesteld of staat uit. Vul de gegevens zelf in, "
                "of vraag de functioneel beheerder de koppeling in te stellen."
            )
        )
    return conn


def _context(conn: BrpConnection) -> ssl.SSLContext | None:
    if not conn.base_url.startswith("https:"):
        return None
    ctx = ssl.create_default_context(cafile=conn.ca_file or None)
    if conn.client_cert_file:
        ctx.load_cert_chain(conn.client_cert_file, conn.client_key_file or None)
    return ctx


def _headers(conn: BrpConnection) -> dict:
    headers = {"Content-Type": CONTENT_TYPE, "Accept": "application/json"}
    if conn.api_key_env:
        key = os.environ.get(conn.api_key_env, "")
        if not key:
            raise BrpNotConfigured(
                _("De API-sleutel voor de BRP ontbreekt op de server (omgevingsvariabele %(name)s).")
                % {"name": conn.api_key_env}
            )
        headers[conn.api_key_header or "X-API-KEY"] = key
    return headers


def _post(conn: BrpConnection, body: dict) -> dict:
    url = conn.base_url.rstrip("/") + "/personen"
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=_headers(conn), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=conn.timeout_seconds, context=_context(conn)) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            problem = json.loads(exc.read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            problem = {}
        title = str(problem.get("title") or "")[:200]
        if exc.code in (401, 403):
            raise BrpRefused(
                _("De BRP weigert de vraag: Regie is niet (goed) geautoriseerd (%(status)s %(title)s).")
                % {"status": exc.code, "title": title}
            ) from None
        if exc.code == 400:
            params = ", ".join(p.get("name", "") for p in problem.get("invalidParams") or [])
            raise BrpRefused(
                _("De BRP begrijpt de vraag niet (%(title)s%(params)s).")
                % {"title": title, "params": f": {params}" if params else ""}
            ) from None
        raise BrpUnavailable(
            _("De BRP is nu niet bereikbaar (%(status)s %(title)s). Probeer het later opnieuw.")
            % {"status": exc.code, "title": title}
        ) from None
    except TimeoutError:
        raise BrpUnavailable(
            _("De BRP antwoordde niet binnen %(s)s seconden. Probeer het later opnieuw.") % {"s": conn.timeout_seconds}
        ) from None
    except (urllib.error.URLError, ConnectionError, ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise BrpUnavailable(
                _("De BRP antwoordde niet binnen %(s)s seconden. Probeer het later opnieuw.")
                % {"s": conn.timeout_seconds}
            ) from None
        raise BrpUnavailable(
            _("De BRP is nu niet bereikbaar (%(reason)s). Probeer het later opnieuw.") % {"reason": str(reason)[:120]}
        ) from None
    except ValueError:
        raise BrpUnavailable(_("De BRP gaf een antwoord dat Regie niet kan lezen.")) from None


def _date(value) -> dt.date | None:
    if isinstance(value, dict) and value.get("type") == "Datum" and value.get("datum"):
        try:
            return dt.date.fromisoformat(value["datum"])
        except ValueError:
            return None
    return None


def _person(p: dict) -> BrpPerson:
    naam = p.get("naam") or {}
    sex = ((p.get("geslacht") or {}).get("code") or "").upper()
    person = BrpPerson(
        bsn=p.get("burgerservicenummer") or "",
        given_names=naam.get("voornamen") or "",
        prefix=naam.get("voorvoegsel") or "",
        surname=naam.get("geslachtsnaam") or "",
        birth_date=_date((p.get("geboorte") or {}).get("datum")),
        sex={"M": "M", "V": "V"}.get(sex, "X" if sex else ""),
        secret=bool(p.get("geheimhoudingPersoonsgegevens")),
    )
    verblijf = p.get("verblijfplaats") or {}
    adres = verblijf.get("verblijfadres") or {}
    if verblijf.get("type") == "Adres" and adres:
        postcode = (adres.get("postcode") or "").replace(" ", "").upper()
        person.address = BrpAddress(
            street=adres.get("officieleStraatnaam") or adres.get("korteStraatnaam") or "",
            house_number=adres.get("huisnummer"),
            house_letter=adres.get("huisletter") or "",
            addition=adres.get("huisnummertoevoeging") or "",
            postcode=f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode,
            city=adres.get("woonplaats") or "",
        )
    adressering = p.get("adressering") or {}
    person.address_lines = [adressering[k] for k in ("adresregel1", "adresregel2", "adresregel3") if adressering.get(k)]
    person.salutation = adressering.get("aanhef") or ""
    return person


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise PurposeRequired(_("Kies het doel waarvoor u de BRP raadpleegt; zonder doel vraagt Regie niets op."))
    return purpose


def _audit(
    user, origin, municipality_id, query_type: str, purpose: str, client_ref: str, result: str, detail: str
) -> None:
    audit.log(
        actor=user if user is not None else audit.cli_actor(),
        action="read" if query_type == "RaadpleegMetBurgerservicenummer" else "search",
        object_type="brp_persoon",
        object_id=client_ref[:64],
        result=result,
        origin=origin or audit.cli_origin(),
        municipality_id=municipality_id,
        detail=f"{query_type} doel={purpose} {detail}"[:500],
    )


def _ask(user, origin, municipality_id: int, purpose: str, client_ref: str, body: dict) -> list[BrpPerson]:
    query_type = body["type"]
    try:
        purpose = _purpose(purpose)
    except PurposeRequired:
        _audit(user, origin, municipality_id, query_type, "-", client_ref, "denied", "zonder geldig doel geweigerd")
        raise
    try:
        conn = connection_for(municipality_id)
    except BrpNotConfigured:
        _audit(user, origin, municipality_id, query_type, purpose, client_ref, "error", "niet ingesteld")
        raise
    if purpose not in (conn.purposes or []):
        _audit(user, origin, municipality_id, query_type, purpose, client_ref, "denied", "doel niet toegestaan")
        raise PurposeRequired(
            _(
                "Dit doel staat niet in de BRP-autorisatie van uw gemeente; kies een ander doel of vraag het de "
                "functioneel beheerder."
            )
        )
    try:
        answer = _post(conn, body)
    except BrpError as exc:
        _audit(user, origin, municipality_id, query_type, purpose, client_ref, "error", type(exc).__name__)
        raise
    persons = [_person(p) for p in answer.get("personen") or []]
    _audit(user, origin, municipality_id, query_type, purpose, client_ref, "success", f"personen={len(persons)}")
    return persons


def raadpleeg(
    municipality_id: int, bsn: str, *, purpose: str, user=None, origin: str | None = None, client_ref: str = ""
) -> BrpPerson | None:
    """The person with this BSN (RaadpleegMetBurgerservicenummer), or None when the BRP knows none (an answer,
    not a failure). Raises :class:`BrpError` subclasses."""
    from regie.core.bsn import bsn_problem

    if problem := bsn_problem(bsn):
        raise BrpRefused(str(problem))
    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": FIELDS_PERSOON}
    persons = _ask(user, origin, municipality_id, purpose, client_ref, body)
    return next((p for p in persons if p.bsn == bsn), None)


def zoek_adres(
    municipality_id: int,
    *,
    postcode: str,
    huisnummer: int,
    huisletter: str = "",
    huisnummertoevoeging: str = "",
    geslachtsnaam: str = "",
    geboortedatum: dt.date | None = None,
    purpose: str,
    user=None,
    origin: str | None = None,
    client_ref: str = "",
) -> list[BrpPerson]:
    """Persons at an address (ZoekMetPostcodeEnHuisnummer), narrowed to one surname and date of birth when given
    (Regie always gives them when checking a client: it asks only about that client). Raises BrpError."""
    body: dict = {
        "type": "ZoekMetPostcodeEnHuisnummer",
        "postcode": postcode.replace(" ", "").upper(),
        "huisnummer": int(huisnummer),
        "fields": FIELDS_BEPERKT,
    }
    if huisletter:
        body["huisletter"] = huisletter
    if huisnummertoevoeging:
        body["huisnummertoevoeging"] = huisnummertoevoeging
    if geslachtsnaam:
        body["geslachtsnaam"] = geslachtsnaam
    if geboortedatum:
        body["geboortedatum"] = geboortedatum.isoformat()
    return _ask(user, origin, municipality_id, purpose, client_ref, body)


def parse_address_lines(lines: list[str]) -> BrpAddress | None:
    """A Dutch address from the BRP's adressering lines ("Laan 2 A", "2628 HJ  DELFT"): the persons of a postcode
    search carry no structured address (PersoonBeperkt)."""
    import re

    if len(lines) < 2:
        return None
    m1 = re.match(r"^(.*?)\s+(\d{1,5})\s*([A-Za-z])?(?:[\s-]+([A-Za-z0-9]{1,4}))?$", lines[0].strip())
    m2 = re.match(r"^([1-9]\d{3})\s?([A-Z]{2})\s+(.+)$", lines[1].strip())
    if not (m1 and m2):
        return None
    return BrpAddress(
        street=m1.group(1),
        house_number=int(m1.group(2)),
        house_letter=(m1.group(3) or "").upper(),
        addition=m1.group(4) or "",
        postcode=f"{m2.group(1)} {m2.group(2)}",
        city=m2.group(3).strip().title(),
    )
