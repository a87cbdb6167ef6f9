"""Every legal term of a case and its last day: the one home (plain Python; date in, ``Term`` out).

Calendar: the Algemene termijnenwet (Atw).
- Atw art. 1 lid 1: a term set by law that ends on a Saturday, Sunday or generally recognised holiday is extended
  to the next day that is none of those. (Lid 2: not for terms counted backwards; none of ours are.)
- Atw art. 2: a term of at least three days is extended, where needed, so that it contains at least two days that
  are not a Saturday, Sunday or holiday.
- Atw art. 3 lid 1: the holidays are Nieuwjaarsdag, tweede Paas- en Pinksterdag, both Christmas days,
  Hemelvaartsdag, the day the King's birthday is celebrated, and 5 May. Lid 2: Goede Vrijdag is equated with them.
  Lid 3: further days are equated by royal decree (a "Besluit gelijkstelling", usually for three years at a time).
  Sources: wetten.overheid.nl BWBR0002448 (Atw), quoted on wvhl.nl/algemeen/de-algemene-termijnenwet and
  nl.wikipedia.org/wiki/Algemene_termijnenwet (consulted 2026-12-01).

How the ``holidays`` library's NL calendar (category "public") compares with Atw art. 3 — handled in
``atw_holiday``:
- Goede Vrijdag: in the library, and an Atw day by art. 3 lid 2. (The working brief said it was not; the Atw text
  says it is: we follow the law.)
- 5 May (Bevrijdingsdag): the library lists it only every fifth year (2020, 2025, ...: the lustrum day off in many
  collective agreements); the Atw lists it every year (added to art. 3 lid 1 by the amendment introduced in 1981).
  We add it for every year. Assumption: the amendment is in force for every year this software computes (>= 1990).
- Koningsdag / Koninginnedag: the library moves it as the royal decrees do (27 April from 2014, 26 April when the
  27th is a Sunday; 30 April before 2014, 29 April when the 30th is a Sunday; Besluit aanduiding van de dertigste
  april als Koninginnedag 1980, Besluit Koningsdag Stcrt. 2013, 4075): "the day the King's birthday is celebrated"
  is the library's day. Checked by tests for 2006, 2014, 2025.
- Eerste Paas- and Pinksterdag are in the library; they are Sundays, so it makes no difference.
- Days equated by Atw art. 3 lid 3 are not in the library: ``GELIJKGESTELDE_DAGEN`` lists the decrees we know of,
  with their titles as the source. A year without a known decree is reported in the Term's ``assumptions``
  (the term may then end a day early compared with the law).

Which terms the Atw governs: it applies to terms "in een wet gesteld" (Awb 6:7, 7:10, 4:13, Pw art. 52 ...). Terms
the college sets itself (zienswijze term, hersteltermijn) are not statutory; assumption: we apply the same calendar
to them (the client's favour, and what letters usually promise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

ATW = "Algemene termijnenwet"
DAY = dt.timedelta(days=1)

# Atw art. 3 lid 3: days equated with a generally recognised holiday by royal decree.
GELIJKGESTELDE_DAGEN: dict[dt.date, str] = {
    **{
        d: "Besluit gelijkstelling van 28 april en 26 mei 2017, 11 mei en 24 en 31 december 2018 en 31 mei en "
        "27 december 2019 met een algemeen erkende feestdag (wetten.overheid.nl BWBR0038666)"
        for d in (
            dt.date(2017, 4, 28),
            dt.date(2017, 5, 26),
            dt.date(2018, 5, 11),
            dt.date(2018, 12, 24),
            dt.date(2018, 12, 31),
            dt.date(2019, 5, 31),
            dt.date(2019, 12, 27),
        )
    },
    **{
        d: "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei 2025 "
        "met een algemeen erkende feestdag (title as quoted on sterfgeval.nl, vraag 70745)"
        for d in (
            dt.date(2023, 4, 28),
            dt.date(2023, 5, 19),
            dt.date(2024, 5, 10),
            dt.date(2024, 12, 27),
            dt.date(2025, 5, 30),
        )
    },
    **{
        d: "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met "
        "een algemeen erkende feestdag (title as quoted on sterfgeval.nl, vraag 70745)"
        for d in (
            dt.date(2026, 1, 2),
            dt.date(2026, 5, 15),
            dt.date(2027, 5, 7),
            dt.date(2028, 4, 28),
            dt.date(2028, 5, 26),
        )
    },
}
# The years for which a gelijkstellingsbesluit is in the table above (2020-2022: not found; assumption none).
GELIJKSTELLING_KNOWN_YEARS = frozenset({2017, 2018, 2019, 2023, 2024, 2025, 2026, 2027, 2028})

_LIBRARY_NAMES_NOT_ATW = {"Eerste paasdag", "Eerste pinksterdag"}  # Sundays; Atw art. 1 covers them as Sundays


@lru_cache(maxsize=256)
def _atw_year(year: int) -> dict[dt.date, str]:
    days: dict[dt.date, str] = {}
    for d, name in holidays.NL(years=year, language="nl").items():
        if name not in _LIBRARY_NAMES_NOT_ATW:
            days[d] = f"{name} (Atw art. 3 lid 2)" if name.lower() == "goede vrijdag" else f"{name} (Atw art. 3 lid 1)"
    days.setdefault(dt.date(year, 5, 5), "Bevrijdingsdag, vijf mei (Atw art. 3 lid 1)")
    for d, source in GELIJKGESTELDE_DAGEN.items():
        if d.year == year:
            days[d] = f"gelijkgestelde dag (Atw art. 3 lid 3; {source})"
    return days


def atw_holiday(d: dt.date) -> str | None:
    """The Atw holiday ``d`` is (its Dutch name and article), or None."""
    return _atw_year(d.year).get(d)


def is_atw_rest_day(d: dt.date) -> bool:
    """A Saturday, Sunday or Atw holiday: a day on which a statutory term cannot end (Atw art. 1)."""
    return d.weekday() >= 5 or atw_holiday(d) is not None


def _day_name(d: dt.date) -> str:
    if d.weekday() == 5:
        return "zaterdag"
    if d.weekday() == 6:
        return "zondag"
    return atw_holiday(d) or ""


@dataclass(frozen=True)
class Term:
    """A term and its last day. ``end`` is the last day on which the act is on time (inclusive).

    ``start`` is the first day counted; ``nominal_end`` the end before the Algemene termijnenwet; ``articles`` the
    articles that set it (first the one that sets the length); ``notes`` Dutch lines explaining each shift;
    ``assumptions`` what the computation had to assume."""

    key: str
    label: str
    start: dt.date
    nominal_end: dt.date
    end: dt.date
    articles: tuple[str, ...]
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = field(default=())

    @property
    def source(self) -> str:
        return "; ".join(self.articles)

    def days_left(self, on: dt.date) -> int:
        return (self.end - on).days


def apply_atw(start: dt.date, nominal_end: dt.date) -> tuple[dt.date, tuple[str, ...], tuple[str, ...]]:
    """The end of a term running ``start``..``nominal_end`` (both inclusive) under Atw art. 1 and 2.

    Returns (end, notes, assumptions)."""
    notes: list[str] = []
    end = nominal_end
    while is_atw_rest_day(end):
        end += DAY
    if end != nominal_end:
        notes.append(
            f"De termijn zou eindigen op {nominal_end:%d-%m-%Y} ({_day_name(nominal_end)}); verlengd tot "
            f"{end:%d-%m-%Y} ({ATW} art. 1)."
        )
    if (nominal_end - start).days + 1 >= 3:
        before = end
        while sum(1 for i in range((end - start).days + 1) if not is_atw_rest_day(start + i * DAY)) < 2:
            end += DAY
            while is_atw_rest_day(end):
                end += DAY
        if end != before:
            notes.append(f"Verlengd tot {end:%d-%m-%Y}: minstens twee werkdagen in de termijn ({ATW} art. 2).")
    assumptions = tuple(
        f"Geen gelijkstellingsbesluit (Atw art. 3 lid 3) bekend voor {y}: geen extra gelijkgestelde dagen."
        for y in sorted({start.year, end.year})
        if y not in GELIJKSTELLING_KNOWN_YEARS and y >= 2017
    )
    return end, tuple(notes), assumptions


def _term(
    key: str,
    label: str,
    start: dt.date,
    nominal_end: dt.date,
    articles: tuple[str, ...],
    *,
    atw: bool = True,
    assumptions: tuple[str, ...] = (),
) -> Term:
    if atw:
        end, notes, more = apply_atw(start, nominal_end)
        return Term(key, label, start, nominal_end, end, (*articles, f"{ATW} art. 1, 2, 3"), notes, assumptions + more)
    return Term(key, label, start, nominal_end, nominal_end, articles, (), assumptions)


def weeks_after(event_day: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """A term of ``weeks`` weeks starting the day after ``event_day`` (Awb 6:8): (first day, last day)."""
    return event_day + DAY, event_day + dt.timedelta(weeks=weeks)


# --- Awb 6:7, 6:8, 6:9: objection (bezwaar) ---

OBJECTION_WEEKS = 6  # Awb art. 6:7


def objection_term(bekendmaking: dt.date) -> Term:
    """The objection term: six weeks (Awb art. 6:7) from the day after the decision was made known (Awb art. 6:8
    lid 1), extended by the Atw."""
    start, nominal = weeks_after(bekendmaking, OBJECTION_WEEKS)
    return _term("bezwaartermijn", "Bezwaartermijn", start, nominal, ("Awb art. 6:7", "Awb art. 6:8 lid 1"))


@dataclass(frozen=True)
class Timeliness:
    timely: bool
    reason: str  # Dutch
    article: str
    # what the reason says, for a screen to word it in the reader's language: "received" (in the term), "posted"
    # (posted in the term, received within a week after it) or "late"; with the dates it names
    kind: str = ""
    received_on: dt.date | None = None
    posted_on: dt.date | None = None
    term_end: dt.date | None = None


def objection_timely(
    bekendmaking: dt.date, received_on: dt.date, posted_on: dt.date | None = None, *, term: Term | None = None
) -> Timeliness:
    """Was an objection in time? Awb art. 6:9 lid 1: received before the term ended; lid 2: sent by post before
    the term ended and received no later than a week after it. ``term`` overrides the objection term (appeals)."""
    term = term or objection_term(bekendmaking)
    if received_on <= term.end:
        return Timeliness(
            True,
            f"Ontvangen op {received_on:%d-%m-%Y}, binnen de termijn tot en met {term.end:%d-%m-%Y}.",
            "Awb art. 6:9 lid 1",
            "received",
            received_on,
            posted_on,
            term.end,
        )
    if posted_on is not None and posted_on <= term.end and received_on <= term.end + dt.timedelta(weeks=1):
        return Timeliness(
            True,
            f"Op tijd op de post gedaan ({posted_on:%d-%m-%Y}) en binnen een week na de termijn ontvangen.",
            "Awb art. 6:9 lid 2",
            "posted",
            received_on,
            posted_on,
            term.end,
        )
    return Timeliness(
        False,
        f"Ontvangen op {received_on:%d-%m-%Y}, na het einde van de termijn op {term.end:%d-%m-%Y}. Niet-ontvankelijk, "
        "tenzij de termijnoverschrijding verschoonbaar is (Awb art. 6:11).",
        "Awb art. 6:9, 6:11",
        "late",
        received_on,
        posted_on,
        term.end,
    )


# --- Awb 7:10: the decision on the objection ---

OBJECTION_DECISION_WEEKS = 6  # Awb art. 7:10 lid 1
OBJECTION_DECISION_WEEKS_COMMITTEE = 12  # Awb art. 7:10 lid 1 with a committee of Awb art. 7:13
MAX_EXTENSION_WEEKS = 6  # Awb art. 7:10 lid 3


def objection_decision_term(
    objection_term_end: dt.date,
    *,
    advisory_committee: bool,
    received_on: dt.date | None = None,
    suspended_days: int = 0,
    extension_weeks: int = 0,
    postponed_until: dt.date | None = None,
) -> Term:
    """The term for the decision on an objection (beslissing op bezwaar).

    Awb art. 7:10 lid 1: six weeks, or twelve when an advisory committee (Awb art. 7:13) hears it, counted from the
    day after the objection term ended. Lid 2: suspended while the objector repairs an omission (Awb art. 6:6):
    ``suspended_days``. Lid 3: the college may extend (verdagen) by at most six weeks: ``extension_weeks``. Lid 4:
    further postponement with the objector's consent: ``postponed_until`` (the agreed last day).

    Assumption: an objection received after the objection term ended (a late one) counts from the day after its
    receipt, since the term cannot run before the objection exists."""
    if not 0 <= extension_weeks <= MAX_EXTENSION_WEEKS:
        raise ValueError(f"verdaging: ten hoogste {MAX_EXTENSION_WEEKS} weken (Awb art. 7:10 lid 3)")
    if suspended_days < 0:
        raise ValueError("opschorting: een negatief aantal dagen kan niet")
    assumptions: tuple[str, ...] = ()
    counted_from = objection_term_end
    if received_on is not None and received_on > objection_term_end:
        counted_from = received_on
        assumptions = ("Te laat ontvangen bezwaar: de beslistermijn loopt vanaf de dag na ontvangst (aanname).",)
    weeks = OBJECTION_DECISION_WEEKS_COMMITTEE if advisory_committee else OBJECTION_DECISION_WEEKS
    start, nominal = weeks_after(counted_from, weeks)
    articles = ["Awb art. 7:10 lid 1"] + (["Awb art. 7:13"] if advisory_committee else [])
    nominal += dt.timedelta(days=suspended_days)
    if suspended_days:
        articles.append("Awb art. 7:10 lid 2")
    if extension_weeks:
        nominal += dt.timedelta(weeks=extension_weeks)
        articles.append("Awb art. 7:10 lid 3")
    if postponed_until is not None:
        if postponed_until < nominal:
            raise ValueError("uitstel: de nieuwe datum ligt voor het einde van de termijn (Awb art. 7:10 lid 4)")
        # The agreed date; the Atw still moves it off a rest day.
        nominal = postponed_until
        articles.append("Awb art. 7:10 lid 4")
    return _term(
        "beslistermijn_bezwaar", "Beslistermijn bezwaar", start, nominal, tuple(articles), assumptions=assumptions
    )


# --- Awb 6:7, 8:1 (beroep), 8:104 and 6:24 (hoger beroep at the Centrale Raad van Beroep) ---


def appeal_term(decision_on_objection_made_known: dt.date) -> Term:
    """Beroep at the rechtbank (Awb art. 8:1): six weeks (Awb art. 6:7) from the day after the decision on the
    objection was made known (Awb art. 6:8 lid 1)."""
    start, nominal = weeks_after(decision_on_objection_made_known, 6)
    return _term("beroepstermijn", "Beroepstermijn", start, nominal, ("Awb art. 8:1", "Awb art. 6:7", "Awb art. 6:8"))


def higher_appeal_term(ruling_sent_on: dt.date) -> Term:
    """Hoger beroep at the Centrale Raad van Beroep (Awb art. 8:104 lid 1, 8:105 with the Bevoegdheidsregeling
    hoger beroep): six weeks (Awb art. 6:7 jo. 6:24) from the day after the copy of the ruling was sent (Awb art.
    8:79). Assumption: the start as stated; check against Awb art. 6:24 and 8:108 before relying on it."""
    start, nominal = weeks_after(ruling_sent_on, 6)
    return _term(
        "hogerberoepstermijn",
        "Termijn hoger beroep",
        start,
        nominal,
        ("Awb art. 8:104", "Awb art. 6:7 jo. 6:24"),
        assumptions=("Start: de dag na verzending van de uitspraak (aanname, Awb art. 6:24, 8:79).",),
    )


# --- Awb 4:8: zienswijze before an adverse decision ---


def zienswijze_term(sent_on: dt.date, days: int, *, source: str) -> Term:
    """The term to give a view (zienswijze) on an intended adverse decision (Awb art. 4:8). The Awb sets no
    length: ``days`` is the municipality's choice (policy ``objections.zienswijze_days``, cited in ``source``)."""
    if days < 1:
        raise ValueError("zienswijzetermijn: minstens één dag")
    return _term(
        "zienswijzetermijn",
        "Zienswijzetermijn",
        sent_on + DAY,
        sent_on + dt.timedelta(days=days),
        ("Awb art. 4:8", source),
        assumptions=("De Algemene termijnenwet is toegepast op een termijn die het college stelt (aanname).",),
    )


# --- Participatiewet ---


def application_decision_term(received_on: dt.date) -> Term:
    """The decision on an application for bijstand: eight weeks after receipt. The brief names Pw art. 44; the
    general rule is Awb art. 4:13 lid 2 (eight weeks when no statutory term is set). Assumption: eight weeks from
    the day after receipt."""
    start, nominal = weeks_after(received_on, 8)
    return _term(
        "beslistermijn_aanvraag",
        "Beslistermijn aanvraag",
        start,
        nominal,
        ("Pw art. 44", "Awb art. 4:13"),
        assumptions=("Acht weken na ontvangst van de aanvraag (aanname: Pw art. 44 / Awb art. 4:13 lid 2).",),
    )


def advance_payment_term(received_on: dt.date) -> Term:
    """The voorschot: no later than four weeks after the date of the application while the right has not been
    determined (Pw art. 52 lid 1)."""
    start, nominal = weeks_after(received_on, 4)
    return _term("voorschot", "Voorschot", start, nominal, ("Pw art. 52 lid 1",))


def repair_term(sent_on: dt.date, days: int, *, source: str) -> Term:
    """The hersteltermijn: the term the college gives to supply information before the benefit is suspended
    further (Pw art. 54 lid 1). Its length is the college's choice: ``days`` from policy, cited in ``source``."""
    if days < 1:
        raise ValueError("hersteltermijn: minstens één dag")
    return _term(
        "hersteltermijn",
        "Hersteltermijn",
        sent_on + DAY,
        sent_on + dt.timedelta(days=days),
        ("Pw art. 54 lid 1", source),
        assumptions=("De Algemene termijnenwet is toegepast op een termijn die het college stelt (aanname).",),
    )
