"""The case page's benefit section (an inclusion tag, so the case page needs only its include line)."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as N_

from regie.accounts.tenancy import can

from .. import selectors

register = template.Library()


@register.inclusion_tag("benefit/_section.html", takes_context=True)
def benefit_case_section(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    data = selectors.case_benefit(case, dt.date.today())
    return {"case": case, "benefit": data, "can_record": bool(user and can(user, "record_events"))}


@register.filter
def euro(value) -> str:
    """Cents (int) or a Decimal amount as "€ 1.234,56" in the user's locale (Django's number formatting)."""
    from decimal import Decimal

    from regie.core.benefit.money import euro as to_euro
    from regie.platform.templatetags.regie_format import decimal

    amount = value if isinstance(value, Decimal) else to_euro(int(value or 0))
    return "€ " + decimal(amount, 2)


# --- i18n: the core's calculation lines and reasons are Dutch text (regie.core.benefit.compute / ledger build
# them); the English UI translates them here, whole phrases and the parts of the patterned ones.
_PHRASES = (
    N_("Inkomsten uit arbeid"),
    N_("Overige inkomsten"),
    N_("Geen bijstand: de inkomsten zijn hoger dan de norm"),
    N_("Uitbetaling gereserveerde vakantietoeslag"),
    N_("Aflossing terugvordering"),
    N_("Te betalen per maand"),
    N_("betaling opgeschort (Pw art. 54 lid 1)"),
    N_("geen rekeningnummer vastgelegd"),
    # reasons of a ledger line (regie.core.benefit.ledger.LedgerLine.reason)
    N_("maatregel"),
    N_("inkomsten"),
    N_("vakantietoeslag"),
    N_("teveel betaald"),
    N_("einde uitkering"),
    N_("aflossing terugvordering"),
    N_("norm"),
    # norm types and age bands (regie.core.benefit.compute.NORM_LABELS / BAND_LABELS)
    N_("alleenstaande"),
    N_("alleenstaande ouder"),
    N_("gehuwden / samenwonenden"),
    N_("18 tot 21 jaar"),
    N_("21 jaar tot de pensioenleeftijd"),
    N_("pensioenleeftijd"),
)
_MONTHS = (
    N_("januari"),
    N_("februari"),
    N_("maart"),
    N_("april"),
    N_("mei"),
    N_("juni"),
    N_("juli"),
    N_("augustus"),
    N_("september"),
    N_("oktober"),
    N_("november"),
    N_("december"),
)
_MONTH_RE = r"(?:" + "|".join(_MONTHS) + r") \d{4}"
_PATTERNS = (
    (re.compile(r"^Bijstandsnorm (.+), (.+)$"), N_("Bijstandsnorm %(a)s, %(b)s")),
    (
        re.compile(r"^Kostendelersnorm \((\d+) personen in de woning\)$"),
        N_("Kostendelersnorm (%(a)s personen in de woning)"),
    ),
    (re.compile(r"^Deel van de maand \((\d+) van (\d+) dagen\)$"), N_("Deel van de maand (%(a)s van %(b)s dagen)")),
    (re.compile(r"^Verlaging \(maatregel (.+) %\)$"), N_("Verlaging (maatregel %(a)s %%)")),
    (
        re.compile(r"^Inkomstenvrijlating (.+) % \(ten hoogste (.+)\)$"),
        N_("Inkomstenvrijlating %(a)s %% (ten hoogste %(b)s)"),
    ),
    (re.compile(r"^Reservering vakantietoeslag \((.+) %\)$"), N_("Reservering vakantietoeslag (%(a)s %%)")),
    (re.compile(r"^Nabetaling over (" + _MONTH_RE + r")$"), N_("Nabetaling over %(a)s")),
    (re.compile(r"^nabetaling (.+)$"), N_("nabetaling %(a)s")),
)


def _months(text: str) -> str:
    return re.sub(_MONTH_RE, lambda m: f"{gettext(m.group(0).split()[0])} {m.group(0).split()[1]}", text)


def _one(text: str, whole: bool = False) -> str | None:
    """One phrase translated; None when ``whole`` and no phrase or pattern matches it."""
    if text in _PHRASES:
        return gettext(text)
    for pattern, msgid in _PATTERNS:
        if m := pattern.match(text):
            parts = [_months(gettext(g)) if g in _PHRASES else _months(g) for g in m.groups()]
            return gettext(msgid) % dict(zip("ab", parts, strict=False))
    return None if whole else _months(text)


@register.filter
def benefit_text(value) -> str:
    """A calculation line, a ledger reason ("inkomsten, teveel betaald") or a skip reason of the core in the
    user's language (the core writes Dutch; Dutch is returned as it is)."""
    text = str(value or "")
    if not text or (get_language() or "nl").startswith("nl"):
        return text
    if text in _PHRASES:
        return gettext(text)
    if (whole := _one(text, whole=True)) is not None:
        return whole
    return ", ".join(_one(part) or part for part in text.split(", "))
