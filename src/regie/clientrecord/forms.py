"""The edit forms of the client record: which fields, their Dutch labels, the current values, and the payload a
POST makes. Validation is the event schema's (regie.core.events), so the web, the API and an import refuse the
same input with the same Dutch message; this module only turns typed text into the payload and back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from regie.core.clientrecord import Address, ClientRecord, ContactPerson
from regie.platform.labels import LANGUAGE_LABELS

CHANNELS = (("brief", _l("Brief")), ("email", _l("E-mail")), ("telefoon", _l("Telefoon")))
SALUTATIONS = (
    ("", _l("Volgens geslacht in de registratie")),
    ("mevrouw", _l("Geachte mevrouw …")),
    ("heer", _l("Geachte heer …")),
    ("naam", _l("Voornaam en achternaam, zonder mevrouw of heer")),
)
ROLES = (
    ("bewindvoerder", _l("Bewindvoerder")),
    ("mentor", _l("Mentor")),
    ("curator", _l("Curator")),
    ("gemachtigde", _l("Gemachtigde")),
    ("familie", _l("Familie")),
    ("hulpverlener", _l("Hulpverlener")),
    ("overig", _l("Overig")),
)
EDUCATION_LEVELS = (
    ("geen", _l("Geen")),
    ("basis", _l("Basisonderwijs")),
    ("vmbo", _l("Vmbo")),
    ("mbo1", _l("Mbo niveau 1 (entree)")),
    ("mbo2_4", _l("Mbo niveau 2-4")),
    ("havo_vwo", _l("Havo/vwo")),
    ("hbo", _l("Hbo")),
    ("wo", _l("Wo")),
)
LICENCES = ("AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "T")
ADDRESS_KINDS = (("woonadres", _l("Woonadres")), ("briefadres", _l("Briefadres")))
# Languages offered first (the most frequent in the Participatiewet caseload, assumption; the one list:
# regie.platform.labels.LANGUAGE_LABELS); any ISO 639-1 code may be typed.
LANGUAGES = tuple(LANGUAGE_LABELS.items())

ADDRESS_FIELDS = ("street", "house_number", "house_letter", "addition", "postcode", "city")
LABELS = {
    "street": _l("Straat"),
    "house_number": _l("Huisnummer"),
    "house_letter": _l("Huisletter"),
    "addition": _l("Toevoeging"),
    "postcode": _l("Postcode"),
    "city": _l("Woonplaats"),
    "kind": _l("Soort adres"),
    "phone": _l("Telefoonnummer"),
    "email": _l("E-mailadres"),
    "preferred_channel": _l("Voorkeurskanaal"),
    "language": _l("Taal"),
    "interpreter": _l("Tolk nodig"),
    "salutation": _l("Aanhef in brieven"),
    "role": _l("Rol"),
    "name": _l("Naam"),
    "organisation": _l("Organisatie"),
    "receives_letters": _l("Krijgt een kopie van brieven"),
    "education_level": _l("Hoogst afgeronde opleiding"),
    "education": _l("Opleidingen"),
    "work": _l("Werkervaring"),
    "skills": _l("Vaardigheden"),
    "driving_licences": _l("Rijbewijzen"),
}
HELP = {
    "postcode": _l("Bijvoorbeeld 2511 AB"),
    "phone": _l("Tien cijfers, bijvoorbeeld 06 12345678, of een buitenlands nummer met +"),
    "education": _l("Eén opleiding per regel: naam, jaar, ‘diploma’ — bijvoorbeeld: Mbo Logistiek, 2015, diploma"),
    "work": _l(
        "Eén baan per regel: functie bij werkgever, jaar-jaar — bijvoorbeeld: Magazijnmedewerker bij Bol, 2016-2020"
    ),
    "skills": _l("Gescheiden door komma's"),
}


@dataclass
class Field:
    name: str
    widget: str = "text"  # text, number, select, checkbox, textarea, checkboxes
    choices: tuple = ()
    required: bool = False
    autocomplete: str = ""

    @property
    def label(self) -> str:
        return str(LABELS.get(self.name, self.name))

    @property
    def help(self) -> str:
        return str(HELP.get(self.name, ""))

    @property
    def has_blank(self) -> bool:
        return any(v == "" for v, _t in self.choices)

    @property
    def options(self) -> list[tuple[str, str]]:
        return [(str(v), str(t)) for v, t in self.choices]


def address_fields(required: bool = True) -> list[Field]:
    return [
        Field("postcode", required=required, autocomplete="postal-code"),
        Field("house_number", "number", required=required),
        Field("house_letter"),
        Field("addition"),
        Field("street", required=required, autocomplete="address-line1"),
        Field("city", required=required, autocomplete="address-level2"),
    ]


FORMS: dict[str, dict] = {
    "adres": {
        "event_type": "adres_wijziging",
        "title": _l("Adres wijzigen"),
        "fields": lambda: [Field("kind", "select", ADDRESS_KINDS, required=True), *address_fields()],
    },
    "contact": {
        "event_type": "contactgegevens",
        "title": _l("Contactgegevens en voorkeuren"),
        "fields": lambda: [
            Field("phone", autocomplete="tel"),
            Field("email", autocomplete="email"),
            Field("preferred_channel", "select", CHANNELS),
            Field("language", "select", LANGUAGES),
            Field("interpreter", "checkbox"),
            Field("salutation", "select", SALUTATIONS),
        ],
    },
    "contactpersoon": {
        "event_type": "contactpersoon",
        "title": _l("Contactpersoon"),
        "fields": lambda: [
            Field("role", "select", ROLES, required=True),
            Field("name", required=True),
            Field("organisation"),
            Field("phone"),
            Field("email"),
            *address_fields(required=False),
            Field("receives_letters", "checkbox"),
        ],
    },
    "werkprofiel": {
        "event_type": "werkprofiel",
        "title": _l("Opleiding, werk en vaardigheden"),
        "fields": lambda: [
            Field("education_level", "select", EDUCATION_LEVELS),
            Field("education", "textarea"),
            Field("work", "textarea"),
            Field("skills"),
            Field("driving_licences", "checkboxes", tuple((c, c) for c in LICENCES)),
        ],
    },
}


def _address_values(address: Address | None) -> dict:
    if address is None:
        return {}
    values = address.as_dict()
    return {k: ("" if v is None else str(v)) for k, v in values.items()}


def current_values(kind: str, record: ClientRecord, *, address_kind: str = "woonadres", person=None) -> dict:
    """The form's values from the record (what the user sees before changing anything)."""
    if kind == "adres":
        address = record.briefadres if address_kind == "briefadres" else record.woonadres
        values = _address_values(address)
        if address is not None and address.house_number is None and address.street:
            values["street"] = address.street  # imported: street and number in one text; the user splits it
        return {"kind": address_kind, **values}
    if kind == "contact":
        return {
            "phone": record.phone,
            "email": record.email,
            "preferred_channel": record.preferred_channel,
            "language": record.language,
            "interpreter": "on" if record.interpreter else "",
            "salutation": record.salutation_form,
        }
    if kind == "contactpersoon":
        if person is None:
            return {}
        p: ContactPerson = person
        return {
            "contact_id": p.contact_id,
            "role": p.role,
            "name": p.name,
            "organisation": p.organisation,
            "phone": p.phone,
            "email": p.email,
            "receives_letters": "on" if p.receives_letters else "",
            **_address_values(p.address),
        }
    if kind == "werkprofiel":
        return {
            "education_level": record.education_level,
            "education": "\n".join(_education_line(e) for e in record.education),
            "work": "\n".join(_work_line(w) for w in record.work),
            "skills": ", ".join(record.skills),
            "driving_licences": list(record.driving_licences),
        }
    return {}


def _education_line(e: dict) -> str:
    parts = [e.get("name", "")]
    if e.get("year"):
        parts.append(str(e["year"]))
    if e.get("diploma"):
        parts.append("diploma")
    return ", ".join(parts)


def _work_line(w: dict) -> str:
    text = w.get("job", "")
    if w.get("employer"):
        text += f" bij {w['employer']}"
    if w.get("from_year") or w.get("to_year"):
        text += f", {w.get('from_year') or ''}-{w.get('to_year') or ''}"
    return text


YEAR = re.compile(r"^(19|20)\d{2}$")
YEARS = re.compile(r"^((?:19|20)\d{2})?\s*-\s*((?:19|20)\d{2})?$")


def _education(text: str, errors: dict) -> list[dict]:
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        item: dict = {"name": parts[0]}
        for part in parts[1:]:
            if YEAR.match(part):
                item["year"] = int(part)
            elif part.lower() in ("diploma", "met diploma"):
                item["diploma"] = True
            elif part.lower() in ("geen diploma", "zonder diploma"):
                item["diploma"] = False
            else:
                errors["education"] = _("regel %(n)s: ‘%(part)s’ is geen jaar of ‘diploma’") % {"n": n, "part": part}
        out.append(item)
    return out


def _work(text: str, errors: dict) -> list[dict]:
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        item: dict = {}
        head, _sep, tail = line.rpartition(",")
        if head and YEARS.match(tail.strip()):
            m = YEARS.match(tail.strip())
            if m.group(1):
                item["from_year"] = int(m.group(1))
            if m.group(2):
                item["to_year"] = int(m.group(2))
            line = head.strip()
        elif head and YEAR.match(tail.strip()):
            item["from_year"] = int(tail.strip())
            line = head.strip()
        job, sep, employer = line.partition(" bij ")
        item["job"] = job.strip()
        if sep and employer.strip():
            item["employer"] = employer.strip()
        if not item["job"]:
            errors["work"] = _("regel %(n)s: geef de functie") % {"n": n}
        if item.get("from_year") and item.get("to_year") and item["to_year"] < item["from_year"]:
            errors["work"] = _("regel %(n)s: het eindjaar ligt vóór het beginjaar") % {"n": n}
        out.append(item)
    return out


def payload_from(kind: str, post, errors: dict) -> dict:
    """The event payload from a POST (text as typed; the schema checks and normalises it)."""
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in post.items()}
    if kind == "adres":
        payload = {k: data.get(k, "") for k in ("kind", *ADDRESS_FIELDS)}
        if data.get("source") == "brp":  # filled by a BRP look-up (the form says so; the user may still edit)
            payload["source"] = "brp"
        if payload.get("house_number") and not str(payload["house_number"]).isdigit():
            errors["house_number"] = _("Huisnummer is geen getal")
        return {k: v for k, v in payload.items() if v not in ("", None)}
    if kind == "contact":
        payload = {k: data.get(k, "") for k in ("phone", "email", "preferred_channel", "language", "salutation")}
        payload["interpreter"] = bool(data.get("interpreter"))
        return {k: v for k, v in payload.items() if v not in ("", None)}
    if kind == "contactpersoon":
        names = ("contact_id", "role", "name", "organisation", "phone", "email", *ADDRESS_FIELDS)
        payload = {k: data.get(k, "") for k in names}
        if payload.get("house_number") and not str(payload["house_number"]).isdigit():
            errors["house_number"] = _("Huisnummer is geen getal")
        payload["receives_letters"] = bool(data.get("receives_letters"))
        return {k: v for k, v in payload.items() if v not in ("", None)}
    if kind == "werkprofiel":
        payload = {
            "education_level": data.get("education_level") or None,
            "education": _education(data.get("education", ""), errors),
            "work": _work(data.get("work", ""), errors),
            "skills": [s.strip() for s in (data.get("skills") or "").split(",") if s.strip()],
            "driving_licences": [c for c in post.getlist("driving_licences") if c] if hasattr(post, "getlist") else [],
        }
        return {k: v for k, v in payload.items() if v not in (None, "")}
    return {}
