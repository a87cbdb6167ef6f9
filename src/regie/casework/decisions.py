"""The decision gate: every writer of a decision (web form, REST API, CLI) records it through :func:`record_step`.

The gate, not the caller, decides what is stored next to a decision:

- **decision rights** — the policy's ``decision_rights`` say which roles may record an event type
  (``recommend.may_decide``, integral vs split casework, seed 001:737-743). A role outside them gets
  :class:`DecisionRefused`, naming the rule and its source.
- **the advice** — the recommendation is computed here from the policy in force on the effective date
  (``recommend.advice_for``), with its policy version, legal basis and explanation. A caller cannot supply a
  recommendation, ``deviates``, an approval or a policy version: the gate's signature has no place for them.
- **deviation** — a decision that differs from the advice needs a reason code or a motivation (``EventError`` on
  the field ``motivation``).
- **four eyes** — in a rules-steered municipality (the policy's ``steering.mode``) a deviation does not take
  effect: it becomes a :class:`~regie.casework.models.PendingDecision` until a teammanager of the same
  municipality (or of a shared service that serves it), who is not its author, approves it
  (:func:`review_pending`).
- **source** — the decision block records the path (``web`` or ``api``); imported history keeps its recorded
  decisions and is marked ``import`` by the importer, not here.

Errors: :class:`DecisionRefused` (the role or reviewer may not decide), :class:`regie.core.events.EventError` (a
field: payload, motivation, note, status), :class:`~regie.casework.services.ConflictError` (stale
``expected_version``) and ``PolicyUnavailable`` (no policy: nothing is recorded, fail closed) propagate to the
caller, which turns them into a form message or an HTTP status.

Events that are not decisions (rapportage, contact, ...) are written by :func:`regie.casework.services.append_event`;
:func:`record_step` passes them on after the same decision-rights check, so a step form needs one call.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core.events import DECISION_TYPES, EventError, validate_event
from regie.core.policy import policy_for
from regie.core.records import ROLES

from . import benefit_gate, legal, recommend, route, validation
from .models import Case, CaseState, Event, PendingDecision
from .services import ConflictError, append_event

__all__ = ["DecisionRefused", "record_step", "review_pending", "may_review", "GATE_SOURCES", "SERVER_COMPUTED"]

# The paths that record a decision through the gate; "import" is the importer's (history kept as recorded).
GATE_SOURCES = ("web", "api")
# The parts of a decision block the gate computes; a caller that supplies one is refused (the API: 422).
SERVER_COMPUTED = (
    "policy_version",
    "recommendation",
    "decided",
    "deviates",
    "legal_basis",
    "approval",
    "explanation",
    "source",
)

Outcome = Literal["recorded", "pending"]

# notifications: sent when a teammanager approved or rejected a pending decision (sender: PendingDecision, pending).
pending_reviewed = Signal()
# Sent when the gate has appended a step's event, at once or on a teammanager's approval (sender: Event, event),
# inside the step's transaction: an app that keeps a register beside the event log follows it there (employers: a
# placement fills its vacancy, whatever the path: web, API, approval). Casework does not know who listens.
step_recorded = Signal()


class DecisionRefused(PermissionError):
    """The user's role may not take (or approve) this decision. ``message`` is Dutch, for the user; ``rule`` names
    the rule (e.g. ``leidschendam-voorburg.decision_rights.maatregel`` or ``four_eyes.author``) and ``source`` where
    it comes from (the policy's source, or the Regie rule)."""

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        source: str = "",
        allowed_roles: tuple[str, ...] = (),
        policy_version: str | None = None,
    ):
        self.message, self.rule, self.source = message, rule, source
        self.allowed_roles, self.policy_version = tuple(allowed_roles), policy_version
        super().__init__(message)

    def as_dict(self) -> dict:
        out = {"detail": self.message, "rule": self.rule, "source": self.source}
        if self.allowed_roles:
            out["allowed_roles"] = list(self.allowed_roles)
        if self.policy_version:
            out["policy_version"] = self.policy_version
        return out


def _role_label(role: str) -> str:
    return ROLES.get(role, role or "?")


def _refuse_rights(user: User, event_type: str, case: Case, on: dt.date) -> DecisionRefused:
    policy = policy_for(case.municipality.code, on)
    rights = policy.decision_rights
    allowed = tuple(rights.roles.get(event_type) or ())
    message = _(
        "Uw rol (%(role)s) mag volgens het beleid van %(municipality)s geen %(step)s vastleggen; dat mogen: "
        "%(allowed)s (%(source)s)."
    ) % {
        "role": _role_label(user.role),
        "municipality": case.municipality.name,
        "step": event_type,
        "allowed": ", ".join(_role_label(r) for r in allowed) or "-",
        "source": rights.source,
    }
    return DecisionRefused(
        message,
        rule=f"{policy.id}.decision_rights.{event_type}",
        source=rights.source,
        allowed_roles=allowed,
        policy_version=policy.version_id,
    )


def _checked_payload(case: Case, event_type: str, on: dt.date, payload: dict) -> dict:
    """The payload as append_event would store it, with the same checks (schema, plausible dates, the case's
    context), before the advice is computed and before a decision waits for approval (which appends nothing)."""
    try:
        clean, _none = validate_event(event_type, payload, None, effective_date=on, today=timezone.localdate())
        if errors := validation.check_in_case(case, event_type, on, clean):
            raise EventError(errors)
    except EventError as exc:
        raise validation.localise(exc) from None
    return clean


def _differs(recommended, decided) -> bool:
    return str(recommended).strip().lower() != str(decided).strip().lower()


def _decision(
    case: Case, event_type: str, on: dt.date, payload: dict, motivation_code: str, motivation: str, source: str
) -> tuple[dict, bool]:
    """The decision block the gate stores, and whether it deviates from the policy's advice."""
    advice = recommend.advice_for(case, event_type, on, extra=payload)
    recommendation = advice.as_recommendation() if advice else None
    decided = {k: payload.get(k) for k in (recommendation or payload)}
    refrained, refrain_basis = route.refrain(event_type, payload, motivation)  # route: dringende redenen
    if refrained:
        decided["afzien"] = refrained
    deviates = bool(recommendation) and any(
        _differs(v, payload.get(k)) for k, v in recommendation.items() if k in payload
    )
    if deviates and not (motivation_code or motivation):
        raise EventError(
            [
                (
                    "motivation",
                    _("Uw besluit wijkt af van het advies van het beleid: geef een redencode of een motivering."),
                )
            ]
        )
    decision = {
        "policy_version": advice.policy_version if advice else None,
        "recommendation": recommendation,
        "decided": decided,
        "deviates": deviates,
        "motivation_code": motivation_code or None,
        "motivation": motivation or None,
        "legal_basis": advice.legal_basis if advice else None,
        "explanation": (advice.explanation or None) if advice else None,
        "source": source,
        "deviation_kind": refrained,
    }
    if refrained:
        decision["legal_basis"] = "; ".join(filter(None, (decision["legal_basis"], refrain_basis)))
    return {k: v for k, v in decision.items() if v is not None}, deviates


@transaction.atomic
def record_step(
    case: Case,
    user: User,
    *,
    event_type: str,
    effective_date: dt.date,
    payload: dict,
    motivation_code: str = "",
    motivation: str = "",
    expected_version: int | None = None,
    source: str = "web",
) -> tuple[Outcome, Event | PendingDecision]:
    """Record one step as the caseworker decided it: ``("recorded", Event)`` or ``("pending", PendingDecision)``.

    ``source`` is the path (``web`` or ``api``). Raises :class:`DecisionRefused`, ``EventError``,
    ``ConflictError`` or ``PolicyUnavailable``; nothing is written then.
    """
    if source not in GATE_SOURCES:
        raise ValueError(f"source must be one of {GATE_SOURCES}, not {source!r}")
    clean_payload = _checked_payload(case, event_type, effective_date, payload)  # first: 1890 names the date
    if errors := route.gate_problems(case, event_type, effective_date):  # route: the policy's prerequisites
        raise EventError(errors)
    if not recommend.may_decide(user, event_type, case, effective_date):
        raise _refuse_rights(user, event_type, case, effective_date)
    # legal: an adverse decision needs a voornemen and horen first (Awb art. 4:8); imports keep their history
    if problem := legal.hearing_refusal(case, event_type, effective_date):
        raise DecisionRefused(
            validation.translate(problem),
            rule="awb.4:8.horen",
            source="Awb art. 4:8, 4:11, 4:12",
        )
    # benefit: the amounts of a toekenning, terugvordering and boete are the gate's, not the caller's
    benefit_gate.refuse_typed(event_type, payload or {})
    clean_payload, benefit_explanation = benefit_gate.computed(case, event_type, effective_date, clean_payload)
    if event_type not in DECISION_TYPES:
        event = append_event(
            case,
            type=event_type,
            effective_date=effective_date,
            payload=clean_payload,
            actor=user,
            expected_version=expected_version,
        )
        step_recorded.send(sender=Event, event=event)
        return "recorded", event
    decision, deviates = _decision(
        case,
        event_type,
        effective_date,
        clean_payload,
        (motivation_code or "").strip(),
        (motivation or "").strip(),
        source,
    )
    if benefit_explanation:  # benefit: the calculation's lines, shown with the advice and in the letter
        decision["explanation"] = [*(decision.get("explanation") or []), *benefit_explanation]
    _payload, decision = validate_event(event_type, clean_payload, decision)
    if deviates and recommend.steering_mode(case, effective_date) == "rules" and user.role != "teammanager":
        state = CaseState.objects.select_for_update().filter(case=case).first()
        current = state.version if state else 0
        if expected_version is not None and expected_version != current:
            raise ConflictError(case, expected_version, current)
        pending = PendingDecision.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            event_type=event_type,
            effective_date=effective_date,
            payload=clean_payload,
            decision=decision,
            requested_by=user,
        )
        return "pending", pending
    event = append_event(
        case,
        type=event_type,
        effective_date=effective_date,
        payload=clean_payload,
        decision=decision,
        actor=user,
        expected_version=expected_version,
    )
    step_recorded.send(sender=Event, event=event)
    return "recorded", event


def _serves(reviewer: User, municipality_id: int) -> bool:
    """Whether the reviewer works for the municipality: their own, or one of their shared service's."""
    if reviewer.shared_service_id:
        return reviewer.shared_service.municipalities.filter(pk=municipality_id).exists()
    return reviewer.municipality_id == municipality_id


def may_review(reviewer: User, pending: PendingDecision) -> DecisionRefused | None:
    """None when ``reviewer`` may approve or reject ``pending``; otherwise the refusal (not raised)."""
    source = _("vier ogen: een afwijking in een regelgestuurde gemeente keurt een teammanager van die gemeente goed")
    if reviewer.role != "teammanager":
        return DecisionRefused(
            _("Alleen een teammanager mag een afwijkend besluit goedkeuren of afwijzen (uw rol: %(role)s).")
            % {"role": _role_label(reviewer.role)},
            rule="four_eyes.role",
            source=source,
            allowed_roles=("teammanager",),
        )
    if not _serves(reviewer, pending.municipality_id):
        return DecisionRefused(
            _("U bent geen teammanager van de gemeente van dit besluit."),
            rule="four_eyes.municipality",
            source=source,
            allowed_roles=("teammanager",),
        )
    if reviewer.pk == pending.requested_by_id:
        return DecisionRefused(
            _("Vier ogen: u kunt uw eigen besluit niet goedkeuren."), rule="four_eyes.author", source=source
        )
    return None


@transaction.atomic
def review_pending(pending: PendingDecision, reviewer: User, *, approve: bool, note: str = "") -> PendingDecision:
    """Approve (the event is appended, the approval recorded in its decision) or reject (a note is required).

    Raises :class:`DecisionRefused` when the reviewer is not a teammanager of the decision's municipality or is
    its author, and ``EventError`` for an already reviewed decision or a rejection without a note."""
    pending = PendingDecision.objects.select_for_update().get(pk=pending.pk)
    if pending.status != "pending":
        raise EventError([("status", _("Dit besluit is al beoordeeld (%(status)s).") % {"status": pending.status})])
    if refusal := may_review(reviewer, pending):
        raise refusal
    note = (note or "").strip()
    if not approve and not note:
        raise EventError([("note", _("Geef de reden waarom u het besluit afwijst."))])
    pending.reviewed_by, pending.reviewed_at, pending.review_note = reviewer, timezone.now(), note
    if approve:
        decision = {
            **pending.decision,
            "approval": {
                "by": reviewer.username,
                "at": pending.reviewed_at.isoformat(),
                **({"note": note} if note else {}),
            },
        }
        pending.event = append_event(
            pending.case,
            type=pending.event_type,
            effective_date=pending.effective_date,
            payload=pending.payload,
            decision=decision,
            actor=pending.requested_by,
        )
        step_recorded.send(sender=Event, event=pending.event)
        pending.status = "approved"
    else:
        pending.status = "rejected"
    pending.save()
    pending_reviewed.send(sender=PendingDecision, pending=pending)
    return pending
