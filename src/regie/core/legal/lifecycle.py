"""The decision's legal life, derived from a case's events: the one function every screen, the API, the signals
and the gate read (:func:`derive`). Plain Python.

Input: the case's events in log order as :class:`LegalEvent` (Regie event id, type, effective date, payload).
Output: :class:`LegalState` -- every voornemen with its hearing, every decision with its bekendmaking and
objection term, every objection with its timeliness, hearing, decision term and outcome, every appeal, which
decisions a voorlopige voorziening suspends, and :meth:`LegalState.open_terms` (every open term with its last day).

Rules and sources:
- a voornemen (Awb art. 4:8) is "used" by the first decision of its type recorded on or after it; the gate
  (:meth:`LegalState.hearing_problem`) requires an unused voornemen with horen held (gehoord), waived (afgezien),
  no reaction after the zienswijze term ended (geen_reactie), or a recorded Awb 4:11/4:12 ground;
- a bezwaar is on time by Awb art. 6:9 against the objection term of its decision's bekendmaking (Awb 6:7, 6:8);
  without a recorded bekendmaking its timeliness is unknown (assumption: no late check, decision term from the
  day after receipt);
- the decision term is Awb art. 7:10 (terms.objection_decision_term) with every bezwaar_termijn recorded;
- a voorlopige voorziening granted with ``suspends`` suspends the decision from its date until ``until`` (or
  until the objection or appeal it accompanies is decided; assumption: Awb 8:85 lid 2 lets the measure lapse
  then) -- :meth:`LegalState.suspended` is what the benefit computation asks;
- a beslissing op bezwaar with ``revoked`` herroept the contested decision from its date (Awb art. 7:11 lid 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..dates import nl_date
from ..events import ADVERSE_DECISION_TYPES, DECISION_TYPES, NO_HEARING_GROUNDS, Message
from . import terms as t

OBJECTABLE_EXCLUDED = frozenset({"beslissing_op_bezwaar"})  # Awb art. 7:1 lid 1 sub a: no bezwaar against it
CLOSED_HEARING = frozenset({"gehoord", "afgezien", "geen_reactie"})


def is_decision_type(event_type: str) -> bool:
    return event_type in DECISION_TYPES or event_type in ADVERSE_DECISION_TYPES


def _d(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


def _nl(d: dt.date) -> str:
    return nl_date(d)


@dataclass(frozen=True)
class LegalEvent:
    id: int | str
    type: str
    effective_date: dt.date
    payload: Mapping[str, Any]


@dataclass
class VoornemenState:
    voornemen_id: str
    decision_type: str
    sent_on: dt.date
    summary: str
    zienswijze_until: dt.date | None
    no_hearing_ground: str | None
    hearing_status: str | None = None
    hearing_on: dt.date | None = None
    hearing_planned_on: dt.date | None = None
    hearing_summary: str = ""
    used_by: int | str | None = None  # the decision event that followed it

    def hearing_done(self, on: dt.date) -> bool:
        """Horen held, waived, or no reaction within a term that has ended, or a ground to leave it out."""
        if self.no_hearing_ground:
            return True
        if self.hearing_status in ("gehoord", "afgezien"):
            return True
        if self.hearing_status == "geen_reactie":
            return self.zienswijze_until is None or on > self.zienswijze_until
        return False


@dataclass
class DecisionState:
    event_id: int | str
    type: str
    decided_on: dt.date
    made_known_on: dt.date | None = None
    objection_term: t.Term | None = None
    objections: list[str] = field(default_factory=list)
    revoked_on: dt.date | None = None
    suspensions: list[tuple[dt.date, dt.date | None, str | None, str | None]] = field(default_factory=list)


@dataclass
class ObjectionState:
    objection_id: str
    decision_event: int | str
    decision_type: str | None
    received_on: dt.date
    event_id: int | str
    posted_on: dt.date | None
    timeliness: t.Timeliness | None
    late_reason: str | None
    grounds: str
    advisory_committee: bool
    hearing_status: str | None = None
    hearing_by: str | None = None
    hearing_on: dt.date | None = None
    hearing_planned_on: dt.date | None = None
    hearing_summary: str = ""
    extension_weeks: int = 0
    suspended_days: int = 0
    postponed_until: dt.date | None = None
    term_changes: list[dict] = field(default_factory=list)
    outcome: str | None = None
    decided_on: dt.date | None = None
    decision_event_id: int | str | None = None
    revoked: bool = False
    new_decision: str = ""
    objection_term_end: dt.date | None = None

    @property
    def open(self) -> bool:
        return self.outcome is None

    def decision_term(self) -> t.Term:
        end = self.objection_term_end if self.objection_term_end is not None else self.received_on
        term = t.objection_decision_term(
            end,
            advisory_committee=self.advisory_committee,
            received_on=self.received_on,
            suspended_days=self.suspended_days,
            extension_weeks=min(self.extension_weeks, t.MAX_EXTENSION_WEEKS),
            postponed_until=self.postponed_until,
        )
        if self.objection_term_end is None:
            return t.Term(
                term.key,
                term.label,
                term.start,
                term.nominal_end,
                term.end,
                term.articles,
                term.notes,
                (
                    *term.assumptions,
                    "Geen bekendmaking vastgelegd: de beslistermijn loopt vanaf de dag na ontvangst (aanname).",
                ),
            )
        return term

    @property
    def decided_within_term(self) -> bool | None:
        if self.decided_on is None or self.outcome == "ingetrokken":
            return None
        return self.decided_on <= self.decision_term().end

    @property
    def state_label(self) -> str:
        if self.outcome is not None:
            return "afgehandeld"
        if self.hearing_status == "uitgenodigd":
            return "hoorzitting gepland"
        if self.hearing_status in ("gehoord", "afgezien", "achterwege"):
            return "klaar voor beslissing"
        return "in behandeling"


@dataclass
class AppealState:
    appeal_id: str
    court: str
    filed_on: dt.date
    objection_id: str | None
    lower_appeal_id: str | None
    stage: str = "ingesteld"
    hearing_on: dt.date | None = None
    outcome: str | None = None
    ruled_on: dt.date | None = None
    ruling_sent_on: dt.date | None = None
    court_name: str = ""

    @property
    def open(self) -> bool:
        return self.stage not in ("uitspraak", "ingetrokken")


@dataclass(frozen=True)
class OpenTerm:
    """An open term: ``key`` (zienswijzetermijn, bezwaartermijn, beslistermijn_bezwaar, beroepstermijn,
    hogerberoepstermijn), Dutch ``label``, last day ``due``, ``source`` (articles), ``ref`` (the voornemen,
    decision, objection or appeal it belongs to), ``overdue``, ``notes`` and ``assumptions`` from the Term."""

    key: str
    label: str
    due: dt.date
    source: str
    ref: str
    overdue: bool
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


@dataclass
class LegalState:
    voornemens: dict[str, VoornemenState] = field(default_factory=dict)
    decisions: dict[str, DecisionState] = field(default_factory=dict)  # by str(event id)
    objections: dict[str, ObjectionState] = field(default_factory=dict)
    appeals: dict[str, AppealState] = field(default_factory=dict)

    # --- questions the gate, the screens and the benefit computation ask ---

    def hearing_problem(self, decision_type: str, on: dt.date) -> Message | None:
        """Why an adverse decision of ``decision_type`` on ``on`` may not be recorded yet (Awb art. 4:8), or None."""
        if decision_type not in ADVERSE_DECISION_TYPES:
            return None
        candidates = [
            v
            for v in self.voornemens.values()
            if v.decision_type == decision_type and v.used_by is None and v.sent_on <= on
        ]
        if not candidates:
            return Message(
                "Een %(type)s is een belastend besluit: leg eerst een voornemen vast en hoor de cliënt "
                "(Awb art. 4:8), of leg in het voornemen een grond vast om niet te horen (Awb art. 4:11, 4:12).",
                type=decision_type,
            )
        latest = max(candidates, key=lambda v: v.sent_on)
        if not latest.hearing_done(on):
            if latest.hearing_status == "geen_reactie" and latest.zienswijze_until:
                return Message(
                    "De zienswijzetermijn van voornemen %(id)s loopt tot en met %(until)s: neem het besluit daarna "
                    "(Awb art. 4:8).",
                    id=latest.voornemen_id,
                    until=_nl(latest.zienswijze_until),
                )
            return Message(
                "Voornemen %(id)s: de cliënt is nog niet gehoord. Leg het horen vast (gehoord, afgezien of geen "
                "reactie binnen de termijn) voordat u de %(type)s vastlegt (Awb art. 4:8).",
                id=latest.voornemen_id,
                type=decision_type,
            )
        return None

    def suspended(self, decision_event: int | str, on: dt.date) -> bool:
        """Whether a voorlopige voorziening suspends the decision on ``on`` (Awb art. 8:81), or it is revoked."""
        d = self.decisions.get(str(decision_event))
        if d is None:
            return False
        if d.revoked_on is not None and on >= d.revoked_on:
            return True
        for since, until, objection_id, appeal_id in d.suspensions:
            if on < since or (until is not None and on > until):
                continue
            ended = None
            if objection_id and (o := self.objections.get(objection_id)) and o.decided_on:
                ended = o.decided_on
            if appeal_id and (a := self.appeals.get(appeal_id)) and a.ruled_on:
                ended = a.ruled_on
            if ended is None or on < ended:
                return True
        return False

    def open_terms(self, on: dt.date) -> list[OpenTerm]:
        """Every term still open on ``on``, earliest first. A term is open while what it waits for has not
        happened: the zienswijze (until horen is recorded), the objection term (while it runs and no objection was
        made), the decision on the objection, beroep after a decision on objection (while it runs, no appeal
        filed), hoger beroep after a rechtbank ruling."""
        out: list[OpenTerm] = []

        def add(term: t.Term, ref: str) -> None:
            out.append(
                OpenTerm(term.key, term.label, term.end, term.source, ref, term.end < on, term.notes, term.assumptions)
            )

        for v in self.voornemens.values():
            if v.zienswijze_until and v.used_by is None and v.hearing_status in (None, "uitgenodigd"):
                add(
                    t.zienswijze_term(v.sent_on, (v.zienswijze_until - v.sent_on).days, source="beleid"), v.voornemen_id
                )
        for d in self.decisions.values():
            if d.objection_term and not d.objections and d.objection_term.end >= on and d.revoked_on is None:
                add(d.objection_term, f"besluit {d.event_id}")
        for o in self.objections.values():
            if o.open:
                add(o.decision_term(), o.objection_id)
            elif o.outcome != "ingetrokken" and o.decided_on is not None:
                if not any(a.objection_id == o.objection_id for a in self.appeals.values()):
                    term = t.appeal_term(o.decided_on)
                    if term.end >= on:
                        add(term, o.objection_id)
        for a in self.appeals.values():
            if a.court == "rechtbank" and a.stage == "uitspraak" and a.ruling_sent_on:
                if not any(h.lower_appeal_id == a.appeal_id for h in self.appeals.values()):
                    term = t.higher_appeal_term(a.ruling_sent_on)
                    if term.end >= on:
                        add(term, a.appeal_id)
        return sorted(out, key=lambda o: (o.due, o.key))


def derive(events: Iterable[LegalEvent]) -> LegalState:
    """The legal state of one case from its events (log order: effective date, then id)."""
    state = LegalState()
    for e in sorted(events, key=lambda e: (e.effective_date, str(e.id).zfill(12))):
        _apply(state, e)
    return state


def _apply(state: LegalState, e: LegalEvent) -> None:
    p, on = e.payload, e.effective_date
    if is_decision_type(e.type) and e.type not in OBJECTABLE_EXCLUDED:
        state.decisions[str(e.id)] = DecisionState(e.id, e.type, on)
        if e.type in ADVERSE_DECISION_TYPES:
            open_ = [v for v in state.voornemens.values() if v.decision_type == e.type and v.used_by is None]
            if open_:
                max(open_, key=lambda v: v.sent_on).used_by = e.id
    if e.type == "voornemen":
        state.voornemens[p["voornemen_id"]] = VoornemenState(
            p["voornemen_id"],
            p["decision_type"],
            on,
            p.get("summary", ""),
            _d(p.get("zienswijze_until")),
            p.get("no_hearing_ground"),
        )
    elif e.type == "horen" and (v := state.voornemens.get(p["voornemen_id"])):
        v.hearing_status = p["status"]
        if p["status"] == "uitgenodigd":
            v.hearing_planned_on = _d(p.get("planned_on"))
        else:
            v.hearing_on, v.hearing_summary = on, p.get("summary", "")
    elif e.type == "bekendmaking" and (d := state.decisions.get(str(p["decision_event"]))):
        d.made_known_on, d.objection_term = on, t.objection_term(on)
    elif e.type == "bezwaar":
        d = state.decisions.get(str(p["decision_event"]))
        posted = _d(p.get("posted_on"))
        timeliness = None
        if d is not None and d.made_known_on is not None:
            timeliness = t.objection_timely(d.made_known_on, on, posted)
        received = ObjectionState(
            p["objection_id"],
            p["decision_event"],
            p.get("decision_type") or (d.type if d else None),
            on,
            e.id,
            posted,
            timeliness,
            p.get("late_reason"),
            p.get("grounds", ""),
            bool(p.get("advisory_committee")),
            objection_term_end=d.objection_term.end if d is not None and d.objection_term else None,
        )
        state.objections[received.objection_id] = received
        if d is not None:
            d.objections.append(received.objection_id)
    elif e.type == "bezwaar_horen" and (o := state.objections.get(p["objection_id"])):
        o.hearing_status, o.hearing_by = p["status"], p.get("by") or o.hearing_by
        if p["status"] == "uitgenodigd":
            o.hearing_planned_on = _d(p.get("planned_on"))
        else:
            o.hearing_on, o.hearing_summary = on, p.get("summary", "")
    elif e.type == "bezwaar_termijn" and (o := state.objections.get(p["objection_id"])):
        if p["kind"] == "verdaging":
            o.extension_weeks += int(p.get("weeks") or 0)
        elif p["kind"] == "opschorting":
            o.suspended_days += int(p.get("days") or 0)
        elif p["kind"] == "uitstel":
            o.postponed_until = _d(p.get("until"))
        o.term_changes.append({"on": on, **dict(p)})
    elif e.type == "voorlopige_voorziening" and (d := state.decisions.get(str(p["decision_event"]))):
        if p["status"] == "toegewezen" and p.get("suspends"):
            d.suspensions.append((on, _d(p.get("until")), p.get("objection_id"), p.get("appeal_id")))
    elif e.type == "beslissing_op_bezwaar" and (o := state.objections.get(p["objection_id"])):
        o.outcome, o.decided_on, o.decision_event_id = p["outcome"], on, e.id
        o.revoked, o.new_decision = bool(p.get("revoked")), p.get("new_decision", "")
        if o.revoked and (d := state.decisions.get(str(o.decision_event))):
            d.revoked_on = on
    elif e.type == "beroep":
        a = state.appeals.get(p["appeal_id"])
        if p["stage"] == "ingesteld" and a is None:
            state.appeals[p["appeal_id"]] = AppealState(
                p["appeal_id"],
                p["court"],
                on,
                p.get("objection_id"),
                p.get("lower_appeal_id"),
                court_name=p.get("court_name", ""),
            )
        elif a is not None:
            a.stage = p["stage"]
            if p["stage"] == "zitting":
                a.hearing_on = _d(p.get("planned_on")) or on
            elif p["stage"] == "uitspraak":
                a.outcome, a.ruled_on = p.get("outcome"), on
                a.ruling_sent_on = _d(p.get("ruling_sent_on")) or on


# --- Checks of a new event against the case (the adapter turns them into EventError) ---


def hearing_invitation_problems(p: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """An invitation to an oral hearing names its day, time and place, so that the invitation letter tells the
    client when and where to come (the right to be heard: Awb art. 4:8 on a voornemen, 7:2 on an objection;
    assumption: municipalities' invitations always state all three, and an invitation without them is incomplete).
    A written hearing (``form`` schriftelijk) needs only the day by which the zienswijze is expected. Checked for
    live writers only: imported history keeps the invitations as the source system recorded them."""
    out: list[tuple[str, Message]] = []
    if not p.get("planned_on"):
        out.append(
            (
                "payload.planned_on",
                Message("Datum hoorzitting: geef de dag van de hoorzitting (of de uiterste dag voor een reactie)"),
            )
        )
    if p.get("form") == "schriftelijk":
        return out
    if not p.get("start_time"):
        out.append(("payload.start_time", Message("Begintijd: geef aan hoe laat de hoorzitting begint")))
    if not str(p.get("location") or "").strip():
        out.append(
            ("payload.location", Message("Locatie: geef aan waar de hoorzitting is (adres, zaal of videogesprek)"))
        )
    return out


def problems(
    state: LegalState, event_type: str, on: dt.date, payload: Mapping[str, Any], types_by_id: Mapping[str, str]
) -> list[tuple[str, Message]]:
    """What is wrong with appending this legal event to a case with ``state``; ``types_by_id`` maps every event id
    of the case (as str) to its type. Returns (field, Dutch message) pairs."""
    out: list[tuple[str, Message]] = []
    p = payload

    def objection(fieldname: str = "payload.objection_id", *, must_be_open: bool = True) -> ObjectionState | None:
        o = state.objections.get(p.get("objection_id") or "")
        if o is None:
            out.append((fieldname, Message("Bezwaar %(id)s bestaat niet in dit dossier", id=p.get("objection_id"))))
        elif must_be_open and not o.open:
            out.append((fieldname, Message("Bezwaar %(id)s is al afgehandeld", id=o.objection_id)))
        elif on < o.received_on:
            out.append(("effective_date", Message("De datum ligt vóór de ontvangst van het bezwaar")))
        return o

    def decision_ref() -> str | None:
        ref = str(p.get("decision_event"))
        etype = types_by_id.get(ref)
        if etype is None or not is_decision_type(etype):
            out.append(("payload.decision_event", Message("Besluit %(id)s is geen besluit in dit dossier", id=ref)))
            return None
        return etype

    if event_type in ("horen", "bezwaar_horen") and p.get("status") == "uitgenodigd":
        out += hearing_invitation_problems(p)
    if event_type == "voornemen":
        if p.get("voornemen_id") in state.voornemens:
            out.append(("payload.voornemen_id", Message("Voornemen %(id)s bestaat al", id=p["voornemen_id"])))
        if p.get("no_hearing_ground") and p.get("no_hearing_ground") not in NO_HEARING_GROUNDS:
            out.append(("payload.no_hearing_ground", Message("Grond om niet te horen: onbekende grond")))
    elif event_type == "horen":
        v = state.voornemens.get(p.get("voornemen_id") or "")
        if v is None:
            out.append(("payload.voornemen_id", Message("Voornemen %(id)s bestaat niet", id=p.get("voornemen_id"))))
        elif on < v.sent_on:
            out.append(("effective_date", Message("De datum ligt vóór het voornemen (%(d)s)", d=_nl(v.sent_on))))
        elif v.used_by is not None:
            out.append(("payload.voornemen_id", Message("Over voornemen %(id)s is al besloten", id=v.voornemen_id)))
        elif p.get("status") == "geen_reactie" and v.zienswijze_until and on <= v.zienswijze_until:
            out.append(
                (
                    "payload.status",
                    Message("Geen reactie: de zienswijzetermijn loopt nog tot en met %(d)s", d=_nl(v.zienswijze_until)),
                )
            )
    elif event_type == "bekendmaking":
        if decision_ref() and (d := state.decisions.get(str(p.get("decision_event")))) and on < d.decided_on:
            out.append(
                ("effective_date", Message("De bekendmaking ligt vóór het besluit (%(d)s)", d=_nl(d.decided_on)))
            )
    elif event_type == "bezwaar":
        etype = decision_ref()
        if etype in OBJECTABLE_EXCLUDED:
            out.append(
                (
                    "payload.decision_event",
                    Message("Tegen een beslissing op bezwaar staat beroep open, geen bezwaar (Awb art. 7:1)"),
                )
            )
        if p.get("objection_id") in state.objections:
            out.append(("payload.objection_id", Message("Bezwaar %(id)s bestaat al", id=p["objection_id"])))
        d = state.decisions.get(str(p.get("decision_event")))
        if etype and d is not None:
            if on < d.decided_on:
                out.append(
                    ("effective_date", Message("Het bezwaar ligt vóór het besluit (%(d)s)", d=_nl(d.decided_on)))
                )
            elif d.made_known_on is not None:
                timely = t.objection_timely(d.made_known_on, on, _d(p.get("posted_on")))
                if not timely.timely and not (p.get("late_reason") or "").strip():
                    out.append(
                        (
                            "payload.late_reason",
                            Message(
                                "Reden te late indiening: het bezwaar is na de termijn (tot en met %(end)s) ontvangen; "
                                "geef aan waarom de overschrijding verschoonbaar is (Awb art. 6:11) of beslis "
                                "niet-ontvankelijk",
                                end=_nl(d.objection_term.end if d.objection_term else on),
                            ),
                        )
                    )
    elif event_type == "bezwaar_horen":
        objection()
    elif event_type == "bezwaar_termijn":
        o = objection()
        if o is not None and p.get("kind") == "verdaging" and o.extension_weeks + int(p.get("weeks") or 0) > 6:
            out.append(
                (
                    "payload.weeks",
                    Message(
                        "Weken: de beslissing kan ten hoogste zes weken worden verdaagd (Awb art. 7:10 lid 3); al "
                        "verdaagd: %(w)s weken",
                        w=o.extension_weeks,
                    ),
                )
            )
        if o is not None and p.get("kind") == "uitstel" and p.get("until"):
            current = o.decision_term().end
            until = _d(p["until"])
            if until is not None and until < current:
                out.append(
                    (
                        "payload.until",
                        Message("Tot en met: ligt vóór het einde van de beslistermijn (%(d)s)", d=_nl(current)),
                    )
                )
    elif event_type == "voorlopige_voorziening":
        decision_ref()
        if p.get("objection_id") and p["objection_id"] not in state.objections:
            out.append(("payload.objection_id", Message("Bezwaar %(id)s bestaat niet", id=p["objection_id"])))
        if p.get("appeal_id") and p["appeal_id"] not in state.appeals:
            out.append(("payload.appeal_id", Message("Beroep %(id)s bestaat niet", id=p["appeal_id"])))
    elif event_type == "beslissing_op_bezwaar":
        o = objection()
        if (
            o is not None
            and o.timeliness is not None
            and not o.timeliness.timely
            and not o.late_reason
            and p.get("outcome") not in ("niet_ontvankelijk", "ingetrokken")
        ):
            out.append(
                (
                    "payload.outcome",
                    Message(
                        "Uitkomst: het bezwaar is te laat en er is geen reden vastgelegd; het is niet-ontvankelijk "
                        "(Awb art. 6:9, 6:11)"
                    ),
                )
            )
    elif event_type == "beroep":
        a = state.appeals.get(p.get("appeal_id") or "")
        if p.get("stage") == "ingesteld":
            if a is not None:
                out.append(("payload.appeal_id", Message("Beroep %(id)s bestaat al", id=p["appeal_id"])))
            if p.get("court") == "rechtbank":
                o = state.objections.get(p.get("objection_id") or "")
                if o is None or o.decided_on is None:
                    out.append(
                        (
                            "payload.objection_id",
                            Message("Bezwaar: beroep staat open na de beslissing op bezwaar (Awb art. 7:1, 8:1)"),
                        )
                    )
            else:
                lower = state.appeals.get(p.get("lower_appeal_id") or "")
                if lower is None or lower.court != "rechtbank" or lower.stage != "uitspraak":
                    out.append(
                        (
                            "payload.lower_appeal_id",
                            Message(
                                "Beroep bij de rechtbank: hoger beroep volgt op een uitspraak van de rechtbank "
                                "(Awb art. 8:104)"
                            ),
                        )
                    )
        elif a is None:
            out.append(
                ("payload.appeal_id", Message("Beroep %(id)s bestaat niet in dit dossier", id=p.get("appeal_id")))
            )
        elif not a.open:
            out.append(("payload.appeal_id", Message("Beroep %(id)s is al afgerond", id=a.appeal_id)))
        elif a.court != p.get("court"):
            out.append(
                ("payload.court", Message("Rechter: beroep %(id)s loopt bij een andere rechter", id=a.appeal_id))
            )
    return out


def completed_payload(
    state: LegalState,
    event_type: str,
    on: dt.date,
    payload: Mapping[str, Any],
    types_by_id: Mapping[str, str],
    objections_policy: Any,
) -> dict:
    """The payload with what Regie sets: a voornemen's zienswijze term (its length from ``objections_policy``
    when not given: Awb art. 4:8 leaves it to the municipality), the decision type of the decision a bekendmaking
    or bezwaar refers to, and whether an advisory committee hears a bezwaar (policy, Awb art. 7:13).
    ``objections_policy`` is the policy's ``objections`` section; None raises LookupError (fail closed)."""
    out = dict(payload)
    if event_type == "voornemen" and not out.get("no_hearing_ground"):
        days = out.get("zienswijze_days")
        if days is None:
            if objections_policy is None:
                raise LookupError("no objections policy: zienswijze term unknown")
            days = objections_policy.zienswijze_days
        term = t.zienswijze_term(on, int(days), source=getattr(objections_policy, "source", "beleid"))
        out["zienswijze_days"], out["zienswijze_until"] = int(days), term.end.isoformat()
    if event_type in ("bekendmaking", "bezwaar"):
        etype = types_by_id.get(str(out.get("decision_event")))
        if etype:
            out["decision_type"] = etype
    if event_type == "bezwaar" and out.get("advisory_committee") is None:
        if objections_policy is None:
            raise LookupError("no objections policy: advisory committee unknown")
        out["advisory_committee"] = bool(objections_policy.advisory_committee)
    return out
