"""A client's benefit ledger, month by month, derived from the case's events (the one derivation).

:func:`month_inputs` turns a case's events into the :class:`~.compute.MonthInput` of each month; :func:`case_ledger`
computes each month's :class:`~.compute.Entitlement` and returns one :class:`LedgerLine` per month: entitlement
(the norm), deductions (income counted), sanctions, amount to pay, paid, overpayment and the reasons. Every screen,
the payment run, the terugvordering and the budget page read this; the batch path (``batch``) computes the same
figures for many clients at once.

A maatregel suspended by a voorlopige voorziening or revoked on objection (the legal events; :func:`suspensions`)
is not applied in the months it is suspended; events carry their ``id`` (the event's database id) for that.

Events read: ``toekenning`` (start, norm type, cost-sharers), ``wijziging_huishouden`` (norm type, cost-sharers,
partner's birth date, children), ``maatregel`` (percentage for the months imposed, from the month of its effective
date), ``inkomstenopgave`` (income for a month; the latest opgave for a month replaces earlier ones), ``betaling``
(paid for a month), ``uitstroom`` / ``beeindiging`` / ``intrekking`` (the benefit ends on that date).

Rules (assumptions where marked):
- the household and age in force on the first day of the month on benefit apply to the whole month (a change in
  the month takes effect the next month -- assumption, common practice);
- the vrijlating period (Pw art. 31 lid 2 sub n) starts in the first month with income from work on which the
  client is 27 or older and the opgave does not refuse it, and lasts six consecutive months, once per toekenning
  (assumption: one period per toekenning);
- the holiday allowance reserved each month is paid out once a year in the usual month (norms.HOLIDAY_PAY_MONTH,
  May: assumption) for the months before, and at the end of the benefit (uitstroom, beeindiging, intrekking) with
  the last month's payment, that month's reservation included (the reservation belongs to the client: Pw art. 19
  lid 3; paid out at the end: assumption, common practice);

Settlement across months (:func:`settle`, part of :func:`case_ledger`; assumptions where marked):
- nabetaling: a month already paid less than its amount (a retroactive change raised it: herziening, Pw art. 54
  lid 3) is paid with the next payment run (the ledger's last month, when not yet paid), as its own line
  ``Nabetaling`` naming the month; the betaling event of that run records it (``catch_up``), so the month counts
  as paid from then on and is never paid twice;
- aflossing: a terugvordering's repayment plan (Pw art. 58; ``repayment_monthly`` from ``repayment_start``) is
  deducted from the next payment (the ledger's last month, when not yet paid) until the claim is repaid, at most
  down to the beslagvrije voet (Rv art. 475d; since 2021 art. 475da: 95 % of the applicable bijstandsnorm --
  :data:`BESLAGVRIJE_VOET_PCT`). Assumptions:
  the norm is taken without its vakantietoeslag share, the month's own income is counted with the benefit, no
  increase for housing costs or zorgtoeslag (Rv art. 475da lid 2-4: check per client), claims are repaid oldest
  first, and the nabetaling is paid in full (no verrekening with the claim). A terugvordering suspended by a
  voorlopige voorziening or revoked on objection is not deducted. The betaling event records what was deducted per
  claim (``repayment``), and what is left of a claim is its amount less those deductions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .compute import Entitlement, Line, MonthInput, entitlement
from .money import euro, ratio_cents, to_cents
from .norms import HOLIDAY_PAY_MONTH, NormTable

END_TYPES = ("uitstroom", "beeindiging", "intrekking")
# Rv art. 475da lid 1 (since 1-1-2021; before: art. 475d): the beslagvrije voet is 95 % of the applicable
# bijstandsnorm; a repayment is never deducted below it.
BESLAGVRIJE_VOET_PCT = 95
BESLAGVRIJE_VOET_SOURCE = "Rv art. 475d en 475da lid 1 (beslagvrije voet 95 % van de bijstandsnorm)"
CATCH_UP_SOURCE = "Pw art. 54 lid 3 (herziening; nabetaling over een eerdere maand)"
REPAYMENT_SOURCE = "Pw art. 58 (terugvordering), aflossing; " + BESLAGVRIJE_VOET_SOURCE
MONTHS_NL = ("januari februari maart april mei juni juli augustus september oktober november december").split()


def month_label(key: str) -> str:
    """``2026-03`` -> ``maart 2026``."""
    return f"{MONTHS_NL[int(key[5:7]) - 1]} {key[:4]}"


def month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def parse_month(key: str) -> dt.date:
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def add_months(first: dt.date, n: int) -> dt.date:
    y, m = divmod(first.month - 1 + n, 12)
    return dt.date(first.year + y, m + 1, 1)


def age_on(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _day(v) -> dt.date:
    """An event's effective date (never None)."""
    d = _date(v)
    if d is None:
        raise ValueError("an event needs an effective date")
    return d


@dataclass(frozen=True)
class LedgerLine:
    month: str  # YYYY-MM
    input: MonthInput
    result: Entitlement
    # settlement across months (``settle``): what the next payment carries (the last month, not yet paid) or what
    # a paid month's betaling carried
    catch_up: tuple[tuple[str, int], ...] = ()  # nabetaling: (earlier month, cents)
    repayments: tuple[tuple[str, int], ...] = ()  # aflossing: (terugvordering event id, cents)
    repayment_room: int | None = None  # what the beslagvrije voet leaves for a repayment this month (cents)
    final: bool = False  # the last month of a benefit period: the reserved holiday allowance is paid out

    @property
    def open(self) -> bool:
        """Not yet paid: the next payment run pays :attr:`payable` for it."""
        return self.input.paid is None

    @property
    def catch_up_total(self) -> int:
        return sum(c for _, c in self.catch_up)

    @property
    def repayment(self) -> int:
        return sum(c for _, c in self.repayments)

    @property
    def payable(self) -> int:
        """The month's amount plus the nabetaling less the aflossing: what the payment run transfers."""
        return self.result.to_pay + self.catch_up_total - self.repayment

    @property
    def settlement_lines(self) -> list[Line]:
        """The nabetaling and aflossing as lines of the month's calculation (after ``result.lines``)."""
        out = [Line(f"Nabetaling over {month_label(m)}", c, CATCH_UP_SOURCE) for m, c in self.catch_up]
        if self.repayment:
            out.append(Line("Aflossing terugvordering", -self.repayment, REPAYMENT_SOURCE))
        return out

    def settlement_json(self) -> dict:
        """What the betaling event records: the months caught up and the repayment per claim (euro strings)."""
        return {
            "catch_up": {m: str(euro(c)) for m, c in self.catch_up},
            "repayment": {k: str(euro(c)) for k, c in self.repayments},
        }

    @property
    def entitlement(self) -> int:
        return self.result.norm

    @property
    def deductions(self) -> int:
        return self.result.income_counted

    @property
    def sanctions(self) -> int:
        return self.result.sanction

    @property
    def amount(self) -> int:
        return self.result.to_pay

    @property
    def reason(self) -> str:
        reasons = list(self.result.reasons)
        if self.final and self.result.holiday_reserved + self.input.holiday_payout:
            reasons.append("einde uitkering")
        if self.catch_up:
            reasons.append("nabetaling " + ", ".join(month_label(m) for m, _ in self.catch_up))
        if self.repayments:
            reasons.append("aflossing terugvordering")
        return ", ".join(dict.fromkeys(reasons)) or "norm"


def _sorted(events: Iterable[Mapping]) -> list[Mapping]:
    return sorted(events, key=lambda e: (_day(e["effective_date"]), e.get("sequence", 0)))


def benefit_months(events: Iterable[Mapping], until: dt.date) -> list[str]:
    """The months (YYYY-MM) with at least one day on benefit, up to the month of ``until``."""
    evs = _sorted(events)
    months: list[str] = []
    start: dt.date | None = None
    periods: list[tuple[dt.date, dt.date]] = []
    for e in evs:
        d = _day(e["effective_date"])
        if e["type"] == "toekenning" and start is None:
            start = d
        elif e["type"] in END_TYPES and start is not None:
            periods.append((start, d))
            start = None
    if start is not None:
        periods.append((start, until + dt.timedelta(days=1)))
    last = dt.date(until.year, until.month, 1)
    for begin, end in periods:
        m = dt.date(begin.year, begin.month, 1)
        while m <= last and m < end:
            key = month_key(m)
            if key not in months:
                months.append(key)
            m = add_months(m, 1)
    return sorted(months)


def final_months(events: Iterable[Mapping]) -> set[str]:
    """The last month on benefit of each period that an uitstroom, beeindiging or intrekking ended (the month of
    the day before the end date: the end date is the first day off benefit)."""
    out: set[str] = set()
    start: dt.date | None = None
    for e in _sorted(events):
        d = _day(e["effective_date"])
        if e["type"] == "toekenning" and start is None:
            start = d
        elif e["type"] in END_TYPES and start is not None:
            if d > start:
                out.add(month_key(d - dt.timedelta(days=1)))
            start = None
    return out


def covered_by_month(evs: Iterable[Mapping]) -> dict[str, int]:
    """What the betaling events settled per month (cents): a payment's amount less the nabetaling it carried for
    earlier months, plus the aflossing deducted from it (the deduction settles the month as well), and each
    nabetaling counted for the month it names."""
    out: dict[str, int] = {}
    for e in evs:
        if e["type"] != "betaling":
            continue
        p = e.get("payload") or {}
        catch = {str(k): to_cents(v) for k, v in (p.get("catch_up") or {}).items()}
        rep = sum(to_cents(v) for v in (p.get("repayment") or {}).values())
        month = str(p.get("month"))
        out[month] = out.get(month, 0) + to_cents(p.get("amount", 0)) - sum(catch.values()) + rep
        for k, c in catch.items():
            out[k] = out.get(k, 0) + c
    return out


def repaid_by_claim(evs: Iterable[Mapping]) -> dict[str, int]:
    """The aflossing recorded per terugvordering event id (cents), from the betaling events."""
    out: dict[str, int] = {}
    for e in evs:
        if e["type"] == "betaling":
            for k, v in ((e.get("payload") or {}).get("repayment") or {}).items():
                out[str(k)] = out.get(str(k), 0) + to_cents(v)
    return out


def suspensions(evs: list[Mapping]) -> dict[str, list[tuple[dt.date, dt.date | None]]]:
    """Decisions that do not apply for a while, by decision event id (str): a voorlopige voorziening that suspends
    it (Awb art. 8:81; until its end date, or the decision on the objection), or a decision revoked on objection
    (Awb art. 7:11; from then on). Read from the legal events' payloads (decision_event, status, suspends, until;
    bezwaar objection_id -> decision_event; beslissing_op_bezwaar revoked), as the case projection does."""
    out: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
    objections: dict[str, str] = {}
    for e in evs:
        p, d = e.get("payload") or {}, _day(e["effective_date"])
        if e["type"] == "bezwaar" and p.get("objection_id") is not None:
            objections[str(p["objection_id"])] = str(p.get("decision_event"))
        elif e["type"] == "voorlopige_voorziening" and p.get("status") == "toegewezen" and p.get("suspends"):
            out.setdefault(str(p.get("decision_event")), []).append((d, _date(p.get("until"))))
        elif e["type"] == "beslissing_op_bezwaar" and (key := objections.get(str(p.get("objection_id")))):
            periods = out.setdefault(key, [])
            # assumption: the provisional measure lapses with the decision on the objection (Awb art. 8:85 lid 2)
            periods[:] = [(s, u if u is not None and u < d else d - dt.timedelta(days=1)) for s, u in periods]
            if p.get("revoked"):
                periods.append((d, None))
    return out


def _suspended(periods, first: dt.date, last: dt.date) -> bool:
    """A measure is not applied in a month any day of which it is suspended (assumption: in the client's favour)."""
    return any(s <= last and (u is None or u >= first) for s, u in periods)


def month_inputs(
    events: Iterable[Mapping],
    birth_date: dt.date,
    months: list[str],
    *,
    partner_birth_date: dt.date | None = None,
    has_children: bool = False,
) -> list[MonthInput | None]:
    """The calculation input of each month (None for a month without a day on benefit)."""
    evs = _sorted(events)
    held = suspensions(evs)
    out: list[MonthInput | None] = []
    covered = covered_by_month(evs)
    vrijlating_start: dict[dt.date, dt.date] = {}  # per toekenning start: first month of the vrijlating period
    for key in months:
        first = parse_month(key)
        mdays = calendar.monthrange(first.year, first.month)[1]
        last = first.replace(day=mdays)
        # days on benefit and the toekenning in force
        days = 0
        grant_start: dt.date | None = None
        on_day: dt.date | None = None
        start: dt.date | None = None
        for e in evs + [{"type": "__end__", "effective_date": last + dt.timedelta(days=1)}]:
            d = _day(e["effective_date"])
            if e["type"] == "toekenning" and start is None:
                start = d
            elif (e["type"] in END_TYPES or e["type"] == "__end__") and start is not None:
                lo, hi = max(start, first), min(d - dt.timedelta(days=1), last)
                if hi >= lo:
                    days += (hi - lo).days + 1
                    on_day = on_day or lo
                    grant_start = start
                start = None
        if days == 0 or on_day is None:
            out.append(None)
            continue
        # household in force on the first day on benefit this month
        norm_type, sharers, partner, children = None, 0, partner_birth_date, has_children
        for e in evs:
            if _day(e["effective_date"]) > on_day:
                break
            p = e.get("payload") or {}
            if e["type"] in ("toekenning", "wijziging_huishouden"):
                norm_type = p.get("norm_type", norm_type)
                sharers = int(p.get("cost_sharers", sharers) or 0)
                if e["type"] == "wijziging_huishouden":
                    if "partner_birth_date" in p:
                        partner = _date(p.get("partner_birth_date"))
                    if "has_children" in p:
                        children = bool(p.get("has_children"))
        age = age_on(birth_date, first) or 0
        # sanctions in force: from the month of the measure's date, for its months
        bp = 0
        for e in evs:
            if e["type"] != "maatregel":
                continue
            p = e.get("payload") or {}
            d = _day(e["effective_date"])
            s = dt.date(d.year, d.month, 1)
            if s <= first < add_months(s, int(p.get("months", 0))):
                if _suspended(held.get(str(e.get("id")), ()), first, last):
                    continue  # suspended by a voorlopige voorziening or revoked on objection
                bp += round(float(p.get("percentage", 0)) * 100)
        # income: the latest opgave for the month
        work = other = 0
        refuse_vrijlating = False
        for e in evs:
            p = e.get("payload") or {}
            if e["type"] == "inkomstenopgave" and p.get("month") == key:
                work, other = to_cents(p.get("work_income", 0)), to_cents(p.get("other_income", 0))
                refuse_vrijlating = p.get("vrijlating") is False
        # vrijlating period: once per toekenning, from the first month with work income at 27+
        if grant_start is None:  # pragma: no cover - days > 0 implies a toekenning in force
            out.append(None)
            continue
        if grant_start not in vrijlating_start and work > 0 and age >= 27 and not refuse_vrijlating:
            vrijlating_start[grant_start] = first
        vstart = vrijlating_start.get(grant_start)
        in_vrijlating = vstart is not None and vstart <= first < add_months(vstart, 6) and not refuse_vrijlating
        out.append(
            MonthInput(
                norm_type=norm_type or "alleenstaande",
                age=age,
                partner_age=age_on(partner, first) if norm_type == "gehuwden" else None,
                has_children=children,
                cost_sharers=sharers,
                days=days,
                mdays=mdays,
                sanction_bp=min(bp, 10000),
                income_work=work,
                income_other=other,
                vrijlating_month=in_vrijlating,
                paid=covered.get(key),
            )
        )
    return out


def case_ledger(
    events: Iterable[Mapping],
    birth_date: dt.date,
    until: dt.date,
    table_for: Callable[[dt.date], NormTable],
    *,
    partner_birth_date: dt.date | None = None,
    has_children: bool = False,
) -> list[LedgerLine]:
    """One ledger line per month on benefit up to the month of ``until`` (``table_for(first of month)`` gives the
    norms in force; it raises NormUnavailable when there are none: fail closed), settled across months
    (:func:`settle`: nabetaling, aflossing)."""
    evs = list(events)
    months = benefit_months(evs, until)
    inputs = month_inputs(evs, birth_date, months, partner_birth_date=partner_birth_date, has_children=has_children)
    finals = final_months(evs)
    lines: list[LedgerLine] = []
    rooms: list[int] = []
    accrued = 0
    for key, m in zip(months, inputs, strict=True):
        if m is None:
            continue
        first = parse_month(key)
        table = table_for(first)
        if first.month == HOLIDAY_PAY_MONTH and accrued:
            m = MonthInput(**{**m.__dict__, "holiday_payout": accrued})
            accrued = 0
        result = entitlement(m, table)
        final = key in finals
        if final and accrued + result.holiday_reserved:
            # end of the benefit: the reservation so far and this month's are paid with the last payment
            m = MonthInput(**{**m.__dict__, "holiday_payout": m.holiday_payout + accrued + result.holiday_reserved})
            result = entitlement(m, table)
            accrued = 0
        else:
            accrued += result.holiday_reserved
        lines.append(LedgerLine(key, m, result, final=final))
        rooms.append(repayment_room(m, result, table))
    return settle(lines, rooms, evs)


def repayment_room(m: MonthInput, result: Entitlement, table: NormTable) -> int:
    """What the beslagvrije voet leaves for an aflossing this month (cents): the month's benefit (without the
    holiday allowance paid out) plus its own income, less 95 % of the norm without its vakantietoeslag share (Rv
    art. 475da lid 1; see the module docstring for the assumptions), at most the benefit itself."""
    benefit = max(0, result.due - result.holiday_reserved)
    norm_net = result.norm - ratio_cents(result.norm, *table.holiday_share)
    voet = ratio_cents(norm_net, BESLAGVRIJE_VOET_PCT, 100)
    return max(0, min(benefit, benefit + m.income_work + m.income_other - voet))


def recorded_settlement(evs: Iterable[Mapping]) -> dict[str, tuple[tuple, tuple]]:
    """Per month the nabetaling and aflossing its betaling events carried (as LedgerLine.catch_up, .repayments)."""
    out: dict[str, tuple[dict, dict]] = {}
    for e in evs:
        if e["type"] != "betaling":
            continue
        p = e.get("payload") or {}
        catch, rep = out.setdefault(str(p.get("month")), ({}, {}))
        for k, v in (p.get("catch_up") or {}).items():
            catch[str(k)] = catch.get(str(k), 0) + to_cents(v)
        for k, v in (p.get("repayment") or {}).items():
            rep[str(k)] = rep.get(str(k), 0) + to_cents(v)
    return {m: (tuple(sorted(c.items())), tuple(r.items())) for m, (c, r) in out.items()}


def settle(lines: list[LedgerLine], rooms: list[int], evs: list[Mapping]) -> list[LedgerLine]:
    """Nabetaling and aflossing (module docstring). The last month of the ledger, when not yet paid, is the one the
    next payment run pays: it gets the underpayments of the paid months before it and the repayments due under
    the terugvorderingen in force. A paid month shows what its betaling carried. Earlier months without a payment
    (history paid outside Regie, or never) get nothing: a payment that will not be made settles nothing."""
    recorded = recorded_settlement(evs)
    out = [
        LedgerLine(ln.month, ln.input, ln.result, *recorded.get(ln.month, ((), ())), final=ln.final)
        if not ln.open
        else ln
        for ln in lines
    ]
    if not out or not out[-1].open:
        return out
    last, room = out[-1], rooms[-1]
    pending = tuple((ln.month, ln.result.underpayment) for ln in out[:-1] if not ln.open and ln.result.underpayment)
    first = parse_month(last.month)
    end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    held = suspensions(_sorted(evs))
    repaid = repaid_by_claim(evs)
    deductions, left = [], room
    for e in _sorted(evs):  # oldest claim first
        if e["type"] != "terugvordering" or left <= 0:
            continue
        p = e.get("payload") or {}
        cid = str(e.get("id"))
        begin = _date(p.get("repayment_start")) or _day(e["effective_date"])
        remaining = to_cents(p.get("amount") or 0) - repaid.get(cid, 0)
        monthly = to_cents(p.get("repayment_monthly") or 0)
        if begin.replace(day=1) > first or remaining <= 0 or monthly <= 0 or _suspended(held.get(cid, ()), first, end):
            continue
        d = min(monthly, remaining, left)
        deductions.append((cid, d))
        left -= d
    out[-1] = LedgerLine(
        last.month, last.input, last.result, pending, tuple(deductions), repayment_room=room, final=last.final
    )
    return out


def overpaid(lines: Iterable[LedgerLine], months: set[str] | None = None) -> int:
    """Total overpayment (cents) in the ledger, for the given months or all."""
    return sum(ln.result.overpayment for ln in lines if months is None or ln.month in months)
