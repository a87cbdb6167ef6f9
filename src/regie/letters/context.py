"""What every letter template gets: the variables, computed from the event, the client record, the letterhead and
the legal terms. One builder for a real letter and for the editor's preview (which feeds it the sample below).

Variables (documented for the functioneel beheerder in docs/user-guide.md, "Brieven"):

- ``aanhef``: the opening, e.g. "Geachte mevrouw Van der Linden," (the client's own choice where recorded)
- ``client.naam``, ``client.adres`` (list of lines)
- ``gemeente.naam``, ``gemeente.afzender``, ``gemeente.contact``
- ``brief.datum`` (the date of sending, "1 december 2026"), ``brief.kenmerk``, ``brief.dossier``, ``brief.titel``
- ``besluit.*``: the decision in words, per letter type (``FACTS`` below); ``gegevens.*``: every recorded field
  of the event, formatted (dates, amounts, words instead of keys)
- ``berekening`` (list: the month's calculation of a toekenning, line by line)
- ``redenen`` (list: the caseworker's motivation; the policy's explanation feeds ``grondslag``), ``afwijking``
  (the motivation when the decision deviates from the policy's advice, else empty), ``grondslag`` (the legal
  basis, with the legal sources of the policy's explanation)
- ``bezwaar.weken``, ``bezwaar.termijn`` ("6 weken"), ``bezwaar.uiterlijk`` (the last day, Algemene
  termijnenwet applied), ``bezwaar.adres`` (lines), ``bezwaar.online``; ``beroep.weken``, ``beroep.termijn``,
  ``beroep.uiterlijk`` for a beslissing op bezwaar
- ``termijnen``: list of ``{naam, datum}``, the terms this letter sets
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from . import formatting as fmt
from .labels import humanise, label
from .registry import LetterType

MONEY_FIELDS = ("amount", "bedrag", "price", "cost", "monthly_amount", "total", "fine")


def _is_money(field: str) -> bool:
    return any(part in field for part in MONEY_FIELDS)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _looks_like_date(value) -> bool:
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


def format_value(field: str, value, event_type: str = ""):
    """A payload value as a letter writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if _looks_like_date(value):
        return fmt.date(value)
    if isinstance(value, str) and re.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])", value):
        return fmt.month(value)
    if _is_money(field) and _is_number(value):
        return fmt.money(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        if value.replace("_", "").isalnum() and " " not in value:
            return label(field, value, event_type)
        return humanise(value)
    if isinstance(value, list):
        return ", ".join(str(format_value(field, v, event_type)) for v in value)
    if isinstance(value, dict):
        return {k: format_value(k, v, event_type) for k, v in value.items()}
    return humanise(str(value))


def gegevens(payload: dict, event_type: str = "") -> dict:
    return {k: format_value(k, v, event_type) for k, v in (payload or {}).items()}


# --- the decision in words, per letter type --------------------------------------------------------------------


def _toekenning(p: dict, on: dt.date) -> dict:
    return {
        "ingangsdatum": fmt.date(on),
        "bedrag": fmt.money(p.get("monthly_amount")),
        "norm": label("norm_type", p.get("norm_type")),
        "kostendelers": fmt.cost_sharers(p.get("cost_sharers") or 0),
        "uitkering": label("benefit_type", p.get("benefit_type", "PW")),
    }


def _afwijzing(p: dict, on: dt.date) -> dict:
    return {"reden": label("reason", p.get("reason")), "datum": fmt.date(on)}


def _ontheffing(p: dict, on: dt.date) -> dict:
    return {
        "ingangsdatum": fmt.date(on),
        "omvang": label("scope", p.get("scope", "volledig")),
        "grond": label("ground", p.get("ground")),
        "einddatum": fmt.date(p.get("end_date")),
    }


def _waarschuwing(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "verplichting": label("obligation_type", p.get("obligation_type")),
        "omschrijving": p.get("description") or "",
    }


def _maatregel(p: dict, on: dt.date) -> dict:
    n = int(p.get("months") or 0)
    return {
        "ingangsdatum": fmt.date(on),
        "percentage": fmt.percentage(p.get("percentage")),
        "maanden": n,
        "duur": fmt.months(n),
        "verplichting": label("obligation_type", p.get("obligation_type")),
        "herhaling": int(p.get("repeat_step") or 1),
        "bedrag": fmt.money(p.get("amount")),
    }


def _plan(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "versie": p.get("version"),
        "doel": p.get("goal") or "",
        "evaluatiedatum": fmt.date(p.get("review_date")),
        "ondertekend": bool(p.get("signed")),
    }


def _opschorting(p: dict, on: dt.date) -> dict:
    return {
        "ingangsdatum": fmt.date(on),
        "reden": label("reason", p.get("reason"), "opschorting"),
        "wat": p.get("missing") or "",
    }


def _intrekking(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "vanaf": fmt.date(p.get("from_date") or on),
        "reden": label("reason", p.get("reason"), "intrekking"),
        "toelichting": p.get("summary") or "",
        "terug_tot_start": p.get("reason") == "verzuim_niet_hersteld",
    }


def _beeindiging(p: dict, on: dt.date) -> dict:
    return {
        "einddatum": fmt.date(on),
        "reden": label("reason", p.get("reason"), "beeindiging"),
        "toelichting": p.get("summary") or "",
        "werk": p.get("reason") in ("werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf"),
    }


# The legal letters (h/legal's payloads): what the payload holds; what needs the case (the voornemen behind a
# hearing, the contested decision, the objection's decision term) services.case_facts adds.
def _voornemen(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "soort": label("decision_type", p.get("decision_type")),
        "voornemen": p.get("summary") or "",
        "zienswijze_uiterlijk": fmt.date(p.get("zienswijze_until")),
    }


def _horen(p: dict, on: dt.date) -> dict:
    # horen (on a voornemen) and bezwaar_horen (on an objection) share the letter
    return {
        "datum": fmt.date(p.get("planned_on")),
        "tijd": (p.get("start_time") or "")[:5],  # HH:MM as stored
        "plaats": p.get("location") or "",
        "bezwaar": "objection_id" in p,
        "door": label("by", p.get("by"), "bezwaar_horen") if p.get("by") else "",
        "schriftelijk": p.get("form") == "schriftelijk",
        "voornemen": "",
        "bestreden_besluit": "",
        "bestreden_datum": "",
    }


def _bezwaar(p: dict, on: dt.date) -> dict:
    return {
        "ontvangen": fmt.date(on),
        "beslissen_uiterlijk": "",  # services.case_facts: the objection's decision term (Awb 7:10)
        "bestreden_besluit": label("decision_type", p.get("decision_type")) if p.get("decision_type") else "",
        "bestreden_datum": "",
        "commissie": bool(p.get("advisory_committee")),
    }


def _bob(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "uitkomst": label("outcome", p.get("outcome"), "beslissing_op_bezwaar"),
        "gegrond": p.get("outcome") in ("gegrond", "deels_gegrond"),
        "herroepen": bool(p.get("revoked")),
        "nieuw_besluit": p.get("new_decision") or "",
        "toelichting": p.get("summary") or "",
        "advies_gevolgd": p.get("advice_followed"),
        "bestreden_besluit": "",
        "bestreden_datum": "",
        "bezwaar_ontvangen": "",
    }


def _terugvordering(p: dict, on: dt.date) -> dict:
    months = sorted(p.get("months") or [])
    return {
        "datum": fmt.date(on),
        "bedrag": fmt.money(p.get("amount")),
        "maanden": [fmt.month(m) for m in months],
        "periode": fmt.month_range(months),
        "aantal_maanden": fmt.months(len(months)),
        "aflossing": fmt.money(p.get("repayment_monthly")),
        "aflossing_vanaf": fmt.date(p.get("repayment_start")),
        "reden": label("reason", p.get("reason"), "terugvordering"),
        "inlichtingenplicht": p.get("reason") == "inlichtingenplicht",
    }


def _boete(p: dict, on: dt.date) -> dict:
    return {
        "datum": fmt.date(on),
        "bedrag": fmt.money(p.get("amount")),
        "benadeling": fmt.money(p.get("damage")),
        "verwijtbaarheid": label("blame", p.get("blame"), "boete"),
    }


def _generic(p: dict, on: dt.date) -> dict:
    return {"datum": fmt.date(on), "ingangsdatum": fmt.date(on), **gegevens(p)}


FACTS: dict[str, Callable[[dict, dt.date], dict]] = {
    "toekenning": _toekenning,
    "afwijzing": _afwijzing,
    "ontheffing_start": _ontheffing,
    "waarschuwing": _waarschuwing,
    "maatregel": _maatregel,
    "plan_van_aanpak": _plan,
    "opschorting": _opschorting,
    "intrekking": _intrekking,
    "beeindiging": _beeindiging,
    "voornemen": _voornemen,
    "uitnodiging_hoorzitting": _horen,
    "ontvangstbevestiging_bezwaar": _bezwaar,
    "beslissing_op_bezwaar": _bob,
    "terugvordering": _terugvordering,
    "boete": _boete,
}


def reasons(decision: dict | None) -> tuple[list[str], str, str]:
    """(reasons, deviation motivation, caseworker's motivation) from the decision block stored on the event.

    The policy's explanation texts are not quoted: they are written for caseworkers (technical, partly English,
    with vocabulary keys); a letter states the decision in its own words and takes the explanation's sources into
    the legal basis (``legal_basis``)."""
    decision = decision or {}
    motivation = (decision.get("motivation") or "").strip()
    deviation = motivation if decision.get("deviates") else ""
    out = [motivation] if motivation and not deviation else []
    return out, deviation, motivation


_LAW = re.compile(r"\bPw\b|\bAwb\b|Participatiewet|Algemene wet bestuursrecht|\bart\.|artikel|verordening|Boetebesluit")
_NOT_FOR_LETTERS = re.compile(r"seed|domain brief|assumption|aanname", re.IGNORECASE)
_ABBREVIATIONS = (
    (re.compile(r"\bPw art\."), "Participatiewet artikel"),
    (re.compile(r"\bAwb art\."), "Algemene wet bestuursrecht artikel"),
    (re.compile(r"\bart\."), "artikel"),
)


def _plain_law(text: str) -> str:
    text = re.sub(r"\s*\((ext|assumption)\)", "", text).strip()
    for pattern, words in _ABBREVIATIONS:
        text = pattern.sub(words, text)
    return text


def legal_basis(decision: dict | None, default: str) -> str:
    """The decision's legal basis (the caseworker's, else the letter type's default with its article), followed by
    the legal sources of the policy's explanation that it does not name yet (seed references and internal notes
    left out)."""
    decision = decision or {}
    basis = _plain_law((decision.get("legal_basis") or "").strip() or default)
    extra: list[str] = []
    for item in decision.get("explanation") or []:
        source = item.get("source", "") if isinstance(item, dict) else ""
        for part in str(source).split(";"):
            part = part.split(": ", 1)[0]  # "Pw art. 9 lid 2 (ext): urgent reasons" -> the article only
            part = re.sub(r"\s*\((ext|assumption)\)", "", part).strip()
            if not part or _NOT_FOR_LETTERS.search(part) or not _LAW.search(part):
                continue
            plain = _plain_law(part)
            if plain and plain.lower() not in basis.lower() and plain not in extra:
                extra.append(plain)
    return "; ".join([basis, *extra])


def calculation_lines(decision: dict | None) -> list[str]:
    """The month's calculation the decision gate stored with a toekenning (``regie.core.benefit``: rule ids
    ``benefit.line`` and ``benefit.to_pay``), line by line in Dutch, amounts localised, each line's article in words."""
    out = []
    for e in (decision or {}).get("explanation") or []:
        if not isinstance(e, dict) or e.get("rule_id") not in ("benefit.line", "benefit.to_pay"):
            continue
        say = e.get("say") or {}
        if say.get("label") and say.get("amount") is not None:
            line = f"{say['label']}: {fmt.money(say['amount'])}"
        else:
            line = humanise(str(e.get("text", "")))
        source = str(e.get("source") or "")
        if e["rule_id"] == "benefit.line" and source and source != "Regie" and not _NOT_FOR_LETTERS.search(source):
            line += f" ({_plain_law(source)})"
        out.append(line)
    return out


def build(
    *,
    letter_type: LetterType,
    event_type: str,
    effective_date: dt.date,
    payload: dict,
    decision: dict | None,
    recipient,
    letterhead,
    sent_on: dt.date,
    kenmerk: str,
    dossier: str,
    terms: dict,
) -> dict:
    """The template context of one letter. ``recipient`` has ``name``, ``address_lines``, ``salutation``;
    ``letterhead`` is a :class:`~regie.letters.models.Letterhead` (or the preview's stand-in); ``terms`` is what
    :func:`regie.letters.services.letter_terms` returns."""
    facts = FACTS.get(letter_type.id, _generic)(payload or {}, effective_date)
    facts.update(terms.get("besluit", {}))
    redenen, afwijking, motivering = reasons(decision)
    basis = legal_basis(decision, letter_type.legal_basis)
    return {
        "aanhef": recipient.salutation,
        "client": {"naam": recipient.name, "adres": list(recipient.address_lines)},
        "gemeente": {
            "naam": letterhead.municipality_name,
            "afzender": letterhead.sender,
            "contact": letterhead.contact,
        },
        "brief": {
            "datum": fmt.date(sent_on),
            "kenmerk": kenmerk,
            "dossier": dossier,
            "titel": letter_type.title,
        },
        "besluit": facts,
        "gegevens": gegevens(payload, event_type),
        "redenen": redenen,
        "berekening": calculation_lines(decision),
        "afwijking": afwijking,
        "motivering": motivering,
        "grondslag": basis,
        "bezwaar": {
            "weken": terms["bezwaar_weken"],
            "termijn": fmt.weeks(terms["bezwaar_weken"]),
            "uiterlijk": fmt.date(terms["bezwaar_uiterlijk"]),
            "adres": letterhead.lines("objection_address"),
            "online": letterhead.objection_online,
        },
        "beroep": {
            "weken": terms["bezwaar_weken"],
            "termijn": fmt.weeks(terms["bezwaar_weken"]),
            "uiterlijk": fmt.date(terms["bezwaar_uiterlijk"]),
        },
        "termijnen": [{"naam": n, "datum": fmt.date(d)} for n, d in terms.get("termijnen", [])],
    }
