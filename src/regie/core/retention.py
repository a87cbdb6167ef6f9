"""Retention of a case (Archiefwet 1995, art. 5; the Selectielijst gemeenten en intergemeentelijke organen 2020):
which retention class it has, when it ended and when it is to be destroyed. Plain Python: no Django.

The Selectielijst is process-oriented: a case (zaak) is valued as a whole, with every document in it, by the result
of the process (handreiking Selectielijst 2020, section 3). A case's class follows from what happened in it; its
retention period runs from the end of the case. The classes themselves (category, period, source, whether the
period is an assumption) are data: ``regie.retention.classes``.

:func:`assess` is the one computation. Every screen and command reaches it through
``regie.retention.services.retention_for``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Class ids (the table with categories and periods is regie.retention.classes.CLASSES).
BENEFIT_GRANTED = "bijstand_verstrekt"
BENEFIT_REFUSED = "bijstand_afgewezen"
REINTEGRATION_ONLY = "reintegratie"
REPORT_ONLY = "melding"

# Statuses in which a case has ended (core.projection.STATUSES); the others are open.
CLOSED_STATUSES = frozenset({"afgewezen", "uitgestroomd", "afgesloten"})
# Event types that close (part of) a case: a refusal, an outflow (its aftercare follows), the end of aftercare.
CLOSING_EVENTS = frozenset({"afwijzing", "uitstroom", "nazorg_einde"})
# Event types that show re-integration work in a case without a benefit decision.
REINTEGRATION_EVENTS = frozenset(
    {"intake", "classificatie", "plan_van_aanpak", "traject_start", "traject_einde", "rapportage", "driegesprek"}
)

# documents: filing a document (a scan of an old letter, a letter sent about the closed case) is not work in the
# case: it does not move the case's end, so a document added late is destroyed with its case, on the case's date.
FILING_EVENTS = frozenset({"document"})


@dataclass(frozen=True)
class Retention:
    """The retention of one case: its class, its end (None while open) and its destruction date."""

    class_id: str
    period_years: int
    ended_on: dt.date | None
    destroy_on: dt.date | None
    reason: str  # Dutch, for the screens: why this class and this end

    @property
    def open(self) -> bool:
        return self.ended_on is None


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a year without it."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def classify(event_types: Iterable[str]) -> tuple[str, str]:
    """The retention class of a case from the types of its events, with the Dutch reason.

    A benefit granted at any time outweighs everything else (the case documents a right to and payment of
    bijstand, with its sanctions and recoveries); then a refused application; then re-integration work without a
    benefit decision; else the case is only a report (melding) that led to nothing."""
    types = set(event_types)
    if "toekenning" in types:
        return BENEFIT_GRANTED, "Er is bijstand toegekend in dit dossier."
    if "afwijzing" in types or "aanvraag" in types:
        return BENEFIT_REFUSED, "Er is bijstand aangevraagd en niet toegekend."
    if types & REINTEGRATION_EVENTS:
        return REINTEGRATION_ONLY, "Alleen re-integratie, geen besluit over bijstand."
    return REPORT_ONLY, "Alleen een melding, zonder aanvraag of re-integratie."


def case_end(
    status: str, events: Iterable[tuple[str, dt.date]], aftercare_until: dt.date | None
) -> tuple[dt.date | None, str]:
    """When the case ended (None while it is open), with the Dutch reason.

    The end is the last closing event: a refusal (afgewezen), the end of aftercare (afgesloten) or, for an outflow
    whose aftercare end was not recorded (uitgestroomd), the end of the aftercare period. An event recorded after
    that (a contact, a report) shows the dossier was still in use, so the end is never before the case's last
    event (a document filed later excepted: FILING_EVENTS). A case that is open (gemeld, aangevraagd, lopend, or
    back in after a herinstroom) has no end."""
    if status not in CLOSED_STATUSES:
        return None, "Het dossier loopt nog."
    events = list(events)
    closing = [d for t, d in events if t in CLOSING_EVENTS]
    last_event = max((d for t, d in events if t not in FILING_EVENTS), default=None)
    if status == "uitgestroomd":
        outflow = max((d for t, d in events if t == "uitstroom"), default=None)
        end = aftercare_until or outflow
        why = "Einde nazorgperiode na uitstroom."
    else:
        end = max(closing, default=None)
        why = "Afwijzing." if status == "afgewezen" else "Einde nazorg."
    if end is None:  # a closed status without its closing event (imported history): the last event
        end, why = last_event, "Laatste gebeurtenis in het dossier (geen afsluitende gebeurtenis gevonden)."
    if last_event and end and last_event > end:
        end, why = last_event, "Laatste gebeurtenis na de afsluiting."
    return end, why


def assess(
    status: str, events: Iterable[tuple[str, dt.date]], aftercare_until: dt.date | None, periods: Mapping[str, int]
) -> Retention:
    """The retention of a case from its status, its events (type, effective date) and its aftercare end.

    ``periods`` maps class id to the retention period in years after the end (regie.retention.classes)."""
    events = list(events)
    class_id, class_why = classify(t for t, _ in events)
    ended, end_why = case_end(status, events, aftercare_until)
    years = periods[class_id]
    destroy = add_years(ended, years) if ended else None
    return Retention(class_id, years, ended, destroy, f"{class_why} {end_why}")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a month given as ``YYYY-MM`` (ValueError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}", month or "") or not 1 <= int(month[5:]) <= 12 or int(month[:4]) < 1900:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    year, mon = int(month[:4]), int(month[5:])
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


def due_in(retention: Retention, last_day: dt.date) -> bool:
    """Whether a case is due for destruction in or before the month ending on ``last_day``."""
    return retention.destroy_on is not None and retention.destroy_on <= last_day
