"""Signals per case from its current state and the policy in force (no Django).

Each signal names its rule and source. Input is a case snapshot (``core.projection.CaseSnapshot`` or its JSON form,
as stored in the CaseState projection) and the policy's norms. Most signals are views of the case's due dates
(:mod:`regie.core.kpi.deadlines`, the list the case page shows): passed, or coming within 30 days. The caseload
signal works per caseworker on the counts of :func:`regie.core.kpi.indicators.caseload`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .deadlines import DueDate, Norms, add_months, due_dates, intake_due
from .indicators import caseload_against_norm

__all__ = [
    "DueDate",
    "Norms",
    "Signal",
    "add_months",
    "case_signals",
    "caseload_signals",
    "due_dates",
    "legal_signals",
    "run",
]

SOON = dt.timedelta(days=30)  # "ends within 30 days" (assumption: a month's notice to plan what follows)


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    due: dt.date
    source: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "due": self.due.isoformat(),
            "source": self.source,
            "detail": self.detail,
        }


def _d(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


# Due dates whose passing is a signal: key -> (signal code, label). The label of ``trajectory`` names the norm.
_PASSED = {
    "intake": ("intake_late", "Intake later dan een week na de aanvraag"),
    "search_period_end": ("search_period_over", "Zoekperiode voorbij, aanvraag nog niet beslist"),
    "plan_review": ("plan_review_due", "Evaluatie plan van aanpak verlopen"),
    "trajectory": ("no_trajectory_12m", "Geen traject binnen {months} maanden na instroom (sluitende aanpak)"),
    "contact": ("no_contact", "Te lang geen contact"),
    "report": ("report_overdue", "Rapportage aanbieder te laat"),
    "exemption_end": ("exemption_ended", "Ontheffing ({detail}) verlopen zonder vervolg"),
}
# route: the route's due dates passed
_PASSED.update(
    {
        "aanvraag_beslissing": ("decision_term_passed", "Beslistermijn aanvraag verstreken (Pw art. 44)"),
        "voorschot": ("voorschot_due", "Nog geen besluit: voorschot binnen vier weken na de aanvraag (Pw art. 52)"),
        "hersteltermijn": ("hersteltermijn_passed", "Hersteltermijn verstreken: beslis over intrekking of hersteld"),
        "heronderzoek": ("heronderzoek_due", "Heronderzoek verlopen"),
        "medisch_advies_einde": ("medical_advice_expired", "Medisch advies verlopen: nieuwe beoordeling nodig"),
        "rustplan_einde": ("rustplan_ended", "Rustplan afgelopen zonder vervolg"),
    }
)
# Due dates whose coming is a signal (within SOON, not passed).
_SOON = {
    "exemption_end": ("exemption_ending", "Ontheffing ({detail}) eindigt binnen 30 dagen"),
    "aftercare_end": ("aftercare_ending", "Nazorg eindigt binnen 30 dagen"),
}
_SOON.update(  # route
    {
        "hersteltermijn": ("hersteltermijn_expiring", "Hersteltermijn loopt af"),
        "heronderzoek": ("heronderzoek_soon", "Heronderzoek binnen 30 dagen"),
    }
)


def due_date_signals(dues: Iterable[DueDate], on: dt.date, norms: Norms) -> list[Signal]:
    """The "passed" and "due soon" views of a case's due dates."""
    out = []
    for d in dues:
        view = _PASSED.get(d.key) if d.overdue else (_SOON.get(d.key) if d.due <= on + SOON else None)
        if view:
            code, label = view
            out.append(
                Signal(code, label.format(months=norms.trajectory_within_months, detail=d.detail), d.due, d.source)
            )
    return out


# legal: the terms of the legal life the municipality must act on (the client's own terms -- bezwaar, beroep --
# are shown on the case page, they are no signal). key -> (code when passed, label), (code when coming, label).
_LEGAL = {
    "zienswijzetermijn": (
        ("zienswijze_term_passed", "Zienswijzetermijn voorbij: hoor de cliënt of neem het besluit"),
        None,
    ),
    "beslistermijn_bezwaar": (
        ("objection_term_passed", "Beslistermijn bezwaar verstreken (Awb art. 7:10)"),
        ("objection_term_expiring", "Beslistermijn bezwaar loopt af (Awb art. 7:10)"),
    ),
}


# The legal terms that are the client's to use (to object or appeal); the municipality does not act on them.
CLIENT_LEGAL_TERMS = frozenset({"bezwaartermijn", "beroepstermijn", "hogerberoepstermijn"})


def warns(due: dt.date, on: dt.date, warning_days: int) -> bool:
    """Whether a decision term ending on ``due`` is warned of on ``on`` (the objections worklist uses the same)."""
    return (due - on).days <= warning_days


def legal_signals(dues: Iterable[DueDate], on: dt.date, warning_days: int | None) -> list[Signal]:
    """The legal terms among ``dues`` that passed, or (the decision term on an objection) end within
    ``warning_days`` -- the policy's ``objections.warning_days`` (after the term the objector may give notice of
    default, Awb art. 4:17, and claim a penalty). ``warning_days`` None: no "coming" signals (only passed ones)."""
    out = []
    for d in dues:
        views = _LEGAL.get(d.key)
        if views is None:
            continue
        passed, coming = views
        if d.overdue:
            out.append(Signal(passed[0], passed[1], d.due, d.source, d.detail))
        elif coming is not None and warning_days is not None and warns(d.due, on, warning_days):
            out.append(Signal(coming[0], coming[1], d.due, d.source, d.detail))
    return out


def case_signals(
    snap: Mapping, on: dt.date, norms: Norms, legal=None, legal_warning_days: int | None = None
) -> list[Signal]:
    """Signals of one case on ``on`` (snapshot keys as in CaseSnapshot.to_json): its due dates passed or coming
    (:func:`regie.core.kpi.deadlines.due_dates`), plus two that are not due dates — an intake held late (in the
    30 days after it) and a long time on benefit without any event. ``legal`` (the case's
    ``regie.core.legal.lifecycle.LegalState``, when it has voornemens, objections or appeals) adds the legal terms'
    signals (:func:`legal_signals`, warned ``legal_warning_days`` ahead)."""
    dues = due_dates(snap, on, norms, legal)
    out = due_date_signals(dues, on, norms)
    if legal is not None:
        out += legal_signals(dues, on, legal_warning_days)
    status = snap.get("status")
    applied, intake = _d(snap.get("applied_on")), _d(snap.get("intake_on"))
    if applied and intake is not None and status in ("aangevraagd", "lopend"):
        due = intake_due(applied, norms)
        if intake > due and on - intake <= SOON:
            out.append(
                Signal(
                    "intake_late", "Intake later dan een week na de aanvraag", due, norms.source + "; seed 000:688-696"
                )
            )
    if status == "lopend":
        start, last_event = _d(snap.get("benefit_start")), _d(snap.get("last_event_on"))
        if start and add_months(start, 12) < on and last_event and add_months(last_event, 12) < on:
            out.append(
                Signal(
                    "no_action",
                    "Lang in de uitkering zonder enige actie",
                    add_months(last_event, 12),
                    "seed 001:2047 (tijdig opgepakt)",
                )
            )
    return sorted(out, key=lambda s: s.due)


def caseload_signals(caseloads: Mapping[str, int], norms: Norms, on: dt.date) -> dict[str, Signal]:
    """Caseworkers whose caseload is above the norm, from the counts of :func:`regie.core.kpi.indicators.caseload`
    (the comparison is :func:`regie.core.kpi.indicators.caseload_against_norm`; unassigned cases are no one's)."""
    return {
        r["caseworker"]: Signal(
            "caseload_above_norm",
            f"Caseload {r['cases']} boven de norm van {norms.caseload_norm:g}",
            on,
            norms.source + "; seed 001:1213, 003:466-484",
        )
        for r in caseload_against_norm(caseloads, norms.caseload_norm)
        if r["above_norm"] and r["caseworker"] is not None
    }


def run(snapshots: Iterable[tuple[str, Mapping]], on: dt.date, norms: Norms) -> dict[str, list[Signal]]:
    """Signals for many cases: {case id: [signals]} (cases without signals are left out)."""
    result = {}
    for case_id, snap in snapshots:
        s = case_signals(snap, on, norms)
        if s:
            result[case_id] = s
    return result
