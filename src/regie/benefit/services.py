"""The only writers of the benefit app: bank accounts, income reports and the payment run.

An inkomstenopgave goes through the decision gate (regie.casework.decisions.record_step); a betaling is written by
the released run with the one event writer (casework.services.append_event; the gate refuses a typed one). The payment
run: :func:`request_run` creates a queued run and enqueues the job (``tasks.compute_run``), which computes every
case's amount for the month from the ledger (:func:`compute_run`: the preview); :func:`release_run` by a second
person (four eyes: not the one who requested it, with ``release_payments``, of the same municipality) builds the
SEPA file and writes one ``betaling`` event per payment, all in one transaction. Every step is audited.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.tenancy import can
from regie.audit.services import cli_origin, log
from regie.casework.decisions import DecisionRefused, record_step
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.core.benefit.ledger import month_key, parse_month
from regie.core.benefit.money import euro
from regie.core.benefit.norms import NormUnavailable
from regie.core.events import EventError
from regie.platform import jobs

from . import selectors, sepa
from .models import BankAccount, PaymentLine, PaymentRun

# --- employers2: payments to others than the client in the same run (the employer's loonkostensubsidie, Pw art.
# 10d, regie.employers). Apps above benefit connect receivers; benefit knows nothing of them.
# ``run_computed`` (sender PaymentRun, run): sent in the transaction that stores the preview; receivers store their
# own lines. ``run_releasing`` (sender PaymentRun, run, user, on): sent in the release's transaction; each receiver
# writes its own events and returns the SEPA payments (sepaxml dicts) to add to the run's file. Whatever fails rolls
# the whole release back.
run_computed = Signal()
run_releasing = Signal()


def set_bank_account(client, user, iban: str, holder: str) -> BankAccount:
    errors = []
    if problem := sepa.iban_problem(iban or ""):
        errors.append(("iban", problem))
    if not (holder or "").strip():
        errors.append(("holder", _("Naam rekeninghouder is verplicht")))
    elif len(holder.strip()) > 70:
        errors.append(("holder", _("Naam rekeninghouder is te lang: hoogstens 70 tekens")))
    if errors:
        raise EventError(errors)
    account = BankAccount.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        iban=sepa.normal_iban(iban),
        holder=holder.strip(),
        recorded_by=user,
    )
    return account


def record_income(case: Case, user, *, effective_date: dt.date, payload: dict, expected_version: int | None = None):
    """An inkomstenopgave through the gate (schema, dates, decision rights)."""
    return record_step(
        case,
        user,
        event_type="inkomstenopgave",
        effective_date=effective_date,
        payload=payload,
        expected_version=expected_version,
    )


def _month_problem(month: str) -> str | None:
    try:
        first = parse_month(month)
    except (ValueError, AttributeError):
        return _("Maand is geen geldige maand (JJJJ-MM)")
    today = timezone.localdate()
    if first > today.replace(day=1) + dt.timedelta(days=31) or first.year < 1990:
        return _("Maand ligt te ver in de toekomst of het verleden")
    return None


@transaction.atomic
def request_run(municipality, user, month: str) -> PaymentRun:
    """A new run for ``month`` (queued; the job computes the preview). EventError for a bad month or a month
    already released."""
    if problem := _month_problem(month):
        raise EventError([("month", problem)])
    if PaymentRun.objects.filter(municipality=municipality, month=month, status="released").exists():
        raise EventError([("month", _("Voor deze maand is al een betaalrun vrijgegeven."))])
    first = parse_month(month)
    # paid on the last working day before the month's end (assumption: the 25th, common practice)
    execution = max(first.replace(day=25), timezone.localdate())
    run = PaymentRun.objects.create(municipality=municipality, month=month, execution_date=execution, created_by=user)
    from .tasks import compute_payment_run

    jobs.enqueue(compute_payment_run, run.pk)  # in the transaction that creates the run (platform.jobs.enqueue)
    return run


def compute_run(run_id: int, lease=None) -> None:
    """Compute the preview: one line per case with an amount to pay for the month (the ledger's amount less what
    was already paid for it); cases without a bank account or without a norm table are listed as skipped."""
    run = PaymentRun.objects.select_related("municipality").get(pk=run_id)
    if run.status not in ("queued", "running"):
        return
    PaymentRun.objects.filter(pk=run_id).update(status="running", heartbeat=timezone.now())
    first = parse_month(run.month)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    cases = Case.objects.filter(municipality=run.municipality).select_related("client", "municipality").order_by("id")
    lines, skipped, total = [], [], 0
    for i, case in enumerate(cases):
        events = selectors.events_of(case)
        if not any(e["type"] == "toekenning" for e in events):
            continue
        try:
            ledger = selectors.ledger(case, last, events)
        except NormUnavailable as exc:
            skipped.append({"case": case.external_id, "reason": exc.message})
            continue
        line = next((ln for ln in ledger if ln.month == run.month), None)
        if line is None:
            continue
        if suspended_on(events, last):
            skipped.append({"case": case.external_id, "reason": _("betaling opgeschort (Pw art. 54 lid 1)")})
            continue
        # an open month: its amount with the nabetaling, less the aflossing (ledger.settle); a month paid before
        # (the run is repeated): what is still owed for it
        amount = line.payable if line.open else line.result.to_pay - (line.input.paid or 0)
        if amount <= 0:
            continue
        account = selectors.bank_account(case.client)
        if account is None:
            skipped.append({"case": case.external_id, "reason": _("geen rekeningnummer vastgelegd")})
            continue
        lines.append(
            PaymentLine(
                run=run,
                case=case,
                amount_cents=amount,
                iban=account.iban,
                holder=account.holder,
                reason=line.reason[:200],
                calculation={**line.result.as_json(), **(line.settlement_json() if line.open else {})},
            )
        )
        total += amount
        if lease is not None and i % 200 == 0:
            jobs.beat(PaymentRun, run_id, lease)
    with transaction.atomic():
        PaymentLine.objects.bulk_create(lines)
        run_computed.send(sender=PaymentRun, run=run)  # employers2: the employers' subsidy lines
        PaymentRun.objects.filter(pk=run_id).update(
            status="preview", total_cents=total, count=len(lines), skipped=skipped, heartbeat=timezone.now()
        )
    log(
        actor=run.created_by,
        action="compute",
        object_type="payment_run",
        object_id=str(run_id),
        origin=cli_origin(),
        municipality_id=run.municipality_id,
        detail=f"{run.month}: {len(lines)} payments, {euro(total)} EUR, {len(skipped)} skipped",
    )


def suspended_on(events: list[dict], on: dt.date) -> bool:
    """Whether an opschorting (Pw art. 54 lid 1) holds on ``on``: the latest opschorting is not followed by an
    opschorting_einde (or ended by an intrekking / beeindiging, which end the benefit anyway)."""
    state = False
    for e in events:
        if e["effective_date"] > on:
            break
        if e["type"] == "opschorting":
            state = True
        elif e["type"] in ("opschorting_einde", "intrekking", "beeindiging"):
            state = False
    return state


def may_release(user, run: PaymentRun) -> str | None:
    """None when ``user`` may release ``run``; otherwise the Dutch reason (four eyes)."""
    if not can(user, "release_payments"):
        return _("Alleen een teammanager mag een betaalrun vrijgeven.")
    if user.pk == run.created_by_id:
        return _("Vier ogen: u kunt een betaalrun die u zelf hebt aangevraagd niet vrijgeven.")
    if run.status != "preview":
        return _("Deze betaalrun kan niet (meer) worden vrijgegeven (stand: %(status)s).") % {
            "status": run.get_status_display()
        }
    return None


class NothingToRelease(ValueError):
    """A run without a single payment (neither to clients nor to other payees): nothing to release."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@transaction.atomic
def release_run(run: PaymentRun, user) -> PaymentRun:
    """Four-eyes release: the SEPA file and a betaling event per payment, or nothing (one transaction). Raises
    DecisionRefused (four eyes), sepa.PaymentSetupMissing (no debtor account: fail closed), NothingToRelease (no
    payment at all) or EventError."""
    run = PaymentRun.objects.select_for_update().select_related("municipality").get(pk=run.pk)
    if refusal := may_release(user, run):
        raise DecisionRefused(refusal, rule="payments.four_eyes", source=_("vier ogen bij betalingen"))
    lines = list(run.lines.select_related("case", "case__client"))
    on = min(timezone.localdate(), run.execution_date)
    # employers2: the other payees' payments (their events written by their receivers, in this transaction)
    extra = [
        p for _receiver, payments in run_releasing.send(sender=PaymentRun, run=run, user=user, on=on) for p in payments
    ]
    if not lines and not extra:
        # a SEPA file needs at least one payment (pain.001); an empty run is said, not turned into a server error
        raise NothingToRelease(_("Deze betaalrun heeft geen betalingen: er is niets vrij te geven."))
    xml, msg_id = sepa.credit_transfer(run.municipality, lines, run.execution_date, run.pk, run.month, extra=extra)
    for line in lines:
        # the one writer of events; not the decision gate, which refuses a typed betaling: the release above is
        # this event's authorisation (four eyes)
        append_event(
            line.case,
            type="betaling",
            effective_date=on,
            payload={
                "month": run.month,
                "amount": str(euro(line.amount_cents)),
                "run": f"run-{run.pk}",
                # settlement (ledger.settle): the nabetaling and aflossing this payment carries
                **{k: v for k, v in (line.calculation or {}).items() if k in ("catch_up", "repayment") and v},
            },
            actor=user,
        )
    run.status, run.released_by, run.released_at = "released", user, timezone.now()
    run.sepa_xml, run.message_id = xml, msg_id[:35]
    run.save(update_fields=["status", "released_by", "released_at", "sepa_xml", "message_id"])
    return run


def current_month() -> str:
    return month_key(timezone.localdate())
