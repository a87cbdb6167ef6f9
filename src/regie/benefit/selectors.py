"""Reads of the benefit: a case's ledger and this month's calculation, derived from the event log by the one
computation (regie.core.benefit.ledger.case_ledger); the I-deel spending of a municipality from the ledgers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regie.accounts.tenancy import municipality_ids
from regie.casework.benefit_gate import household_of, table_for
from regie.casework.models import Case, Event
from regie.core.benefit.ledger import LedgerLine, case_ledger, month_key
from regie.core.benefit.money import euro, to_cents
from regie.core.benefit.norms import NormUnavailable
from regie.core.policy import PolicyUnavailable

from .models import BankAccount, PaymentRun


def events_of(case: Case) -> list[dict]:
    return [
        {"id": e.pk, "type": e.type, "effective_date": e.effective_date, "payload": e.payload, "sequence": e.pk}
        for e in Event.objects.filter(case=case).order_by("effective_date", "id")
    ]


def ledger(case: Case, until: dt.date, events: list[dict] | None = None) -> list[LedgerLine]:
    """The case's ledger up to the month of ``until``; NormUnavailable when a month has no norm table."""
    return case_ledger(
        events if events is not None else events_of(case),
        case.client.birth_date,
        until,
        table_for(case),
        **household_of(case),
    )


@dataclass
class CaseBenefit:
    lines: list[LedgerLine]
    current: LedgerLine | None
    problem: str  # a Dutch message when the ledger cannot be computed (fail closed), else ""
    account: BankAccount | None
    # pages3: what the calculation and ledger tables are derived from (case, version, day, policy set, birth date,
    # household), the key of their rendered HTML (casework.templatetags.fragments); None: not memoised
    memo_key: tuple | None = None


def bank_account(client) -> BankAccount | None:
    return BankAccount.objects.filter(client=client).order_by("-recorded_at", "-id").first()


def _page_bank_account(client) -> BankAccount | None:
    """pages10: :func:`bank_account`, read once for the client object a case page shares between its cases."""
    if "_page_bank_account" not in client.__dict__:
        client.__dict__["_page_bank_account"] = bank_account(client)
    return client.__dict__["_page_bank_account"]


def case_benefit(case: Case, today: dt.date) -> CaseBenefit:
    """The case page's benefit section: the ledger (newest first) and this month's calculation. The ledger is
    memoised per case version, day, birth date, household and loaded policy set (regie.casework.derived)."""
    from regie.casework.derived import per_case
    from regie.core.policy import default_set

    state = getattr(case, "state", None)
    try:
        policies = default_set().token  # content, not id(): the memo is shared by the web workers
    except PolicyUnavailable:
        policies = None  # the ledger says so in the section (below)
    memo_key = None
    if state is None or policies is None:
        lines, problem, unavailable = _ledger_result(case, today)
    else:
        client = case.client
        extra = (today, policies, client.birth_date, repr(client.household))
        lines, problem, unavailable = per_case(
            "benefit_ledger", {case.pk: state.version}, lambda _ids: {case.pk: _ledger_result(case, today)}, extra=extra
        )[case.pk]
        memo_key = (case.pk, state.version, extra)
    if unavailable is not None:
        return CaseBenefit([], None, unavailable, _page_bank_account(case.client))
    key = month_key(today)
    current = next((ln for ln in lines if ln.month == key), lines[-1] if lines else None)
    return CaseBenefit(list(reversed(lines)), current, problem, _page_bank_account(case.client), memo_key)


def _ledger_result(case: Case, today: dt.date) -> tuple[list[LedgerLine], str, str | None]:
    """(ledger lines, problem, the message when no policy holds) of :func:`case_benefit`."""
    events = getattr(case, "ledger_events", None)  # pages8: the case page read them (casework.selectors)
    if events is None:
        events = events_of(case)
    lines, problem = [], ""
    try:
        lines = ledger(case, today, events)
    except NormUnavailable as exc:
        # fail closed for the months without a norm table: say so, and show the months before it
        problem = exc.message
        if exc.on is not None and exc.on.replace(day=1) > dt.date(1900, 1, 1):
            try:
                lines = ledger(case, exc.on.replace(day=1) - dt.timedelta(days=1), events)
            except PolicyUnavailable:  # NormUnavailable included
                lines = []
    except PolicyUnavailable as exc:
        # a month before the municipality's first policy (history imported from an older system): no amounts,
        # said in the section, not a refusal of the whole case page (fail closed for the calculation only)
        return [], "", exc.message
    return lines, problem, None


def runs_for(user):
    return PaymentRun.objects.filter(municipality_id__in=municipality_ids(user)).order_by("-month", "-id")


def run_for(user, run_id: int) -> PaymentRun | None:
    return runs_for(user).filter(pk=run_id).select_related("municipality", "created_by", "released_by").first()


def paid_by_month(municipality_id: int, year: int) -> dict[int, float] | None:
    """I-deel spending from the ledger: the betaling events of ``year`` per month (euro), or None when the
    municipality has no payments recorded that year (then the budget page keeps its estimate)."""
    rows = Event.objects.filter(
        municipality_id=municipality_id, type="betaling", payload__month__startswith=f"{year:04d}-"
    ).values_list("payload", flat=True)
    cents: dict[int, int] = {}
    for p in rows:
        m = int(p["month"][5:7])
        cents[m] = cents.get(m, 0) + to_cents(p["amount"])
    return {m: float(euro(c)) for m, c in sorted(cents.items())} or None
