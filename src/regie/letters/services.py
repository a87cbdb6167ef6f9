"""Making letters, and the only writers of letter templates and letterheads.

``compose`` turns a decision event into a letter: the template in use for its municipality and letter type
(``selectors.current_template``), the context (``context.build``: client record, letterhead, terms), the rendered
text read as blocks (``templating.structure``), the remedy clause for a besluit, and the PDF (``pdf.render_pdf``).
It refuses (``LetterRefused``, a Dutch message) when the client's address or the municipality's letterhead is
missing. Every term date comes from ``regie.core.legal.terms`` (Algemene termijnenwet applied there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.casework.models import Event
from regie.core.legal import terms as legal_terms

from . import context as ctx
from . import formatting as fmt
from . import selectors
from .labels import label
from .models import Letterhead, LetterTemplate
from .pdf import render_pdf
from .recipient import LetterRefused, Recipient, recipient
from .registry import BLOCKS, LETTER_TYPES, TEMPLATE_NAMES, LetterType, letter_type_for
from .templating import Block, TemplateProblem, check, render_text, structure

__all__ = ["LetterRefused", "TemplateProblem", "compose", "render_letter", "save_template", "save_letterhead"]


class ConflictError(Exception):
    """Someone saved a newer version since the editor was opened."""


@dataclass
class Letter:
    letter_type: LetterType
    subject: str
    blocks: list[Block]
    pdf: bytes
    sent_on: dt.date
    objection_deadline: dt.date | None


# --- terms ----------------------------------------------------------------------------------------------------


def letter_terms(letter_type: LetterType, event_type: str, payload: dict, sent_on: dt.date) -> dict:
    """The terms a letter states, all from ``regie.core.legal.terms``: the remedy's last day (objection, Awb 6:7
    and 6:8, or beroep, Awb 8:1) and the terms the event sets."""
    if letter_type.remedy == "beroep":
        remedy = legal_terms.appeal_term(sent_on)
    else:
        remedy = legal_terms.objection_term(sent_on)
    termijnen: list[tuple[str, dt.date]] = []
    besluit: dict = {}
    if letter_type.id == "opschorting":
        end = _repair_end(payload, sent_on)
        termijnen.append(("Hersteltermijn", end))
        besluit["hersteltermijn"] = fmt.date(end)
    if letter_type.id == "voornemen":
        if payload.get("no_hearing_ground"):
            raise LetterRefused(
                _(
                    "Bij dit voornemen is horen achterwege gelaten (Awb art. 4:11 of 4:12): er is geen brief met een "
                    "termijn voor een zienswijze."
                )
            )
        if not payload.get("zienswijze_until"):
            raise LetterRefused(
                _("Deze brief kan niet worden gemaakt: de termijn voor de zienswijze staat niet in het voornemen.")
            )
        # set by Regie from regie.core.legal.terms.zienswijze_term when the voornemen was recorded
        termijnen.append(("Zienswijze", dt.date.fromisoformat(str(payload["zienswijze_until"])[:10])))
    if letter_type.remedy:
        termijnen.append(("Bezwaartermijn" if letter_type.remedy == "bezwaar" else "Beroepstermijn", remedy.end))
    return {
        "bezwaar_weken": legal_terms.OBJECTION_WEEKS,
        "bezwaar_uiterlijk": remedy.end,
        "remedy_term": remedy if letter_type.remedy else None,
        "termijnen": termijnen,
        "besluit": besluit,
    }


def _repair_end(payload: dict, sent_on: dt.date) -> dt.date:
    """The last day of the hersteltermijn (Pw art. 54 lid 1): the one Regie recorded on the opschorting, else the
    recorded number of days from the day after sending (``regie.core.legal.terms.repair_term``). Neither: refused."""
    if payload.get("hersteltermijn_end"):
        return dt.date.fromisoformat(str(payload["hersteltermijn_end"])[:10])
    if payload.get("hersteltermijn_days"):
        return legal_terms.repair_term(sent_on, int(payload["hersteltermijn_days"]), source="besluit opschorting").end
    raise LetterRefused(_("Deze brief kan niet worden gemaakt: de hersteltermijn staat niet in het besluit."))


# --- the letter -----------------------------------------------------------------------------------------------


def _body_blocks(municipality_id: int, name: str, context: dict) -> tuple[str | None, list[Block]]:
    body, _row = selectors.current_template(municipality_id, name)
    return structure(render_text(body, context))


def compose_parts(
    *,
    municipality_id: int,
    letter_type: LetterType,
    event_type: str,
    effective_date: dt.date,
    payload: dict,
    decision: dict | None,
    recipient_: Recipient,
    letterhead,
    sent_on: dt.date,
    kenmerk: str,
    dossier: str,
    body: str | None = None,
    clause_body: str | None = None,
    extra: dict | None = None,
) -> tuple[str, list[Block], dict]:
    """(subject, blocks, terms) of a letter; ``body`` and ``clause_body`` replace the letter's template and its
    remedy clause in use (the editor's preview)."""
    terms = letter_terms(letter_type, event_type, payload, sent_on)
    extra = dict(extra or {})
    if beslistermijn := extra.pop("_beslistermijn", None):
        terms["termijnen"].append(("Beslistermijn bezwaar", beslistermijn))
    terms["besluit"].update(extra)
    context = ctx.build(
        letter_type=letter_type,
        event_type=event_type,
        effective_date=effective_date,
        payload=payload,
        decision=decision,
        recipient=recipient_,
        letterhead=letterhead,
        sent_on=sent_on,
        kenmerk=kenmerk,
        dossier=dossier,
        terms=terms,
    )
    if body is None:
        subject, blocks = _body_blocks(municipality_id, letter_type.id, context)
    else:
        subject, blocks = structure(render_text(body, context))
    if letter_type.remedy:
        if clause_body is None:
            _s, clause = _body_blocks(municipality_id, letter_type.remedy, context)
        else:
            _s, clause = structure(render_text(clause_body, context))
        blocks = blocks + clause
    return subject or letter_type.title, blocks, terms


def _pdf(subject, blocks, letterhead, recipient_: Recipient, sent_on, kenmerk, dossier) -> bytes:
    return render_pdf(
        subject=subject,
        blocks=blocks,
        letterhead=letterhead,
        recipient_name=recipient_.name,
        address_lines=list(recipient_.address_lines),
        copies=list(recipient_.copies),
        meta=[("Datum", fmt.date(sent_on)), ("Ons kenmerk", kenmerk), ("Dossier", dossier)],
    )


def require_letterhead(municipality_id: int) -> Letterhead:
    head = selectors.current_letterhead(municipality_id)
    if head is None:
        raise LetterRefused(
            _(
                "Deze brief kan niet worden gemaakt: het briefhoofd van de gemeente is nog niet ingesteld. De "
                "functioneel beheerder stelt het in onder Brieven."
            )
        )
    return head


def case_facts(event) -> dict:
    """What a legal letter needs from the rest of the case (the one derivation ``casework.legal.legal_state``): the
    voornemen a hearing is about, the contested decision of an objection and the objection's decision term
    (Awb art. 7:10, ``regie.core.legal.terms`` via the lifecycle)."""
    if event.type not in ("horen", "bezwaar", "bezwaar_horen", "beslissing_op_bezwaar"):
        return {}
    from regie.casework.legal import legal_state

    state = legal_state(event.case)
    p = event.payload or {}
    out: dict = {}
    if event.type == "horen" and (v := state.voornemens.get(p.get("voornemen_id", ""))):
        out["voornemen"] = v.summary
        out["bestreden_besluit"] = label("decision_type", v.decision_type)
    objection = state.objections.get(p.get("objection_id", ""))
    if event.type == "bezwaar":
        objection = next((o for o in state.objections.values() if o.event_id == event.pk), objection)
    if objection is not None:
        decided = Event.objects.filter(case=event.case, pk=objection.decision_event).only("effective_date").first()
        out["bestreden_besluit"] = label("decision_type", objection.decision_type) if objection.decision_type else ""
        out["bestreden_datum"] = fmt.date(decided.effective_date) if decided else ""
        out["bezwaar_ontvangen"] = fmt.date(objection.received_on)
        if event.type == "bezwaar":
            term = objection.decision_term()
            out["beslissen_uiterlijk"] = fmt.date(term.end)
            out["_beslistermijn"] = term.end
    return out


def bekendmaking_for(event):
    """The bekendmaking recorded for a decision event (the letter as sent), or None."""
    return (
        Event.objects.filter(case_id=event.case_id, type="bekendmaking", payload__decision_event=event.pk)
        .order_by("effective_date", "id")
        .first()
    )


def letter_sent_on(event) -> dt.date | None:
    """The day the letter of ``event`` was sent: its bekendmaking (a besluit) or the contact recorded for it."""
    if (bm := bekendmaking_for(event)) is not None:
        return bm.effective_date
    sent = sent_contact_for(event)
    return sent.effective_date if sent else None


def _sent_summary(letter_type: LetterType, event) -> str:
    return f"Brief verstuurd: {letter_type.title} (kenmerk {event.external_id})"


def sent_contact_for(event):
    """The contact (channel brief) recorded when a letter that is no besluit was sent, or None."""
    lt = letter_type_for(event.type, event.payload)
    if lt is None:
        return None
    return (
        Event.objects.filter(case_id=event.case_id, type="contact", payload__summary=_sent_summary(lt, event))
        .order_by("effective_date", "id")
        .first()
    )


def sent_dates(case, rows=None) -> dict[int, dt.date]:
    """Event id -> the day its letter was sent, for every letter of a case (a Case or its id) sent so far (one query;
    the case page). ``rows``: the case's events as (id, type, external_id, effective_date, payload), newest first
    (effective date, then id), all of them, as the case page has read them (casework.selectors.cases_with_events);
    then no query at all."""
    out: dict[int, dt.date] = {}
    by_summary: dict[str, dt.date] = {}
    if rows is None:
        sent = (
            Event.objects.filter(case=case, type__in=("bekendmaking", "contact"))
            .order_by("-effective_date", "-id")
            .values_list("type", "effective_date", "payload")
        )
    else:
        sent = [(etype, on, payload) for _pk, etype, _ext, on, payload in rows if etype in ("bekendmaking", "contact")]
    for etype, on, payload in sent:
        if etype == "bekendmaking" and payload.get("decision_event"):
            out[int(payload["decision_event"])] = on
        elif etype == "contact" and str(payload.get("summary", "")).startswith("Brief verstuurd: "):
            by_summary[payload["summary"]] = on
    if by_summary:
        if rows is None:
            letters = Event.objects.filter(case=case, type__in=list(_LETTER_EVENTS_NO_REMEDY)).values_list(
                "id", "type", "external_id", "payload"
            )
        else:
            letters = [(pk, et, ext, payload) for pk, et, ext, _on, payload in rows if et in _LETTER_EVENTS_NO_REMEDY]
        for pk, etype, extid, payload in letters:
            lt = letter_type_for(etype, payload)
            if lt is not None and (on := by_summary.get(_sent_summary(lt, _Ref(extid)))):
                out[pk] = on
    return out


class _Ref:
    def __init__(self, external_id: str):
        self.external_id = external_id


_LETTER_EVENTS_NO_REMEDY = frozenset(et for lt in LETTER_TYPES.values() if not lt.remedy for et in lt.event_types)


def send(event, user, *, on: dt.date | None = None, channel: str = "post"):
    """Record that the letter of ``event`` was sent, through the decision gate: a besluit gets a ``bekendmaking``
    (Awb art. 3:41; the objection term runs from the next day, Awb art. 6:8), any other letter a ``contact`` by
    letter. The letter is composed first, so a letter that cannot be made (no address, no letterhead) is refused
    and nothing is recorded. Sending twice is refused. Returns (letter, recorded event)."""
    from regie.casework.decisions import record_step

    lt = letter_type_for(event.type, event.payload)
    if lt is None:
        raise LetterRefused(_("Voor deze stap is er geen brief."))
    on = on or dt.date.today()
    already = letter_sent_on(event)
    if already is not None:
        raise LetterRefused(_("Deze brief is al verstuurd op %(date)s.") % {"date": fmt.date(already)})
    letter = compose(event, sent_on=on)
    if lt.remedy:
        payload = {"decision_event": event.pk, "channel": channel}
        _outcome, recorded = record_step(
            event.case, user, event_type="bekendmaking", effective_date=on, payload=payload
        )
    else:
        payload = {"channel": "brief", "summary": _sent_summary(lt, event)}
        _outcome, recorded = record_step(event.case, user, event_type="contact", effective_date=on, payload=payload)
    return letter, recorded


def compose(event, *, sent_on: dt.date | None = None) -> Letter:
    """The letter of a decision event. Refuses (``LetterRefused``) an event without a letter, a client without a
    known address and a municipality without a letterhead."""
    lt = letter_type_for(event.type, event.payload)
    if lt is None:
        raise LetterRefused(_("Voor deze stap is er geen brief."))
    sent_on = sent_on or letter_sent_on(event) or dt.date.today()
    case = event.case
    head = require_letterhead(case.municipality_id)
    to = recipient(case.client)
    subject, blocks, terms = compose_parts(
        extra=case_facts(event),
        municipality_id=case.municipality_id,
        letter_type=lt,
        event_type=event.type,
        effective_date=event.effective_date,
        payload=event.payload or {},
        decision=event.decision,
        recipient_=to,
        letterhead=head,
        sent_on=sent_on,
        kenmerk=event.external_id,
        dossier=case.external_id,
    )
    pdf = _pdf(subject, blocks, head, to, sent_on, event.external_id, case.external_id)
    return Letter(lt, subject, blocks, pdf, sent_on, terms["bezwaar_uiterlijk"] if lt.remedy else None)


def event_context(event, *, sent_on: dt.date | None = None) -> dict:
    """The template context of an event's letter (the editor's preview for a chosen case)."""
    lt = letter_type_for(event.type, event.payload)
    if lt is None:
        raise LetterRefused(_("Voor deze stap is er geen brief."))
    sent_on = sent_on or letter_sent_on(event) or dt.date.today()
    case = event.case
    head = selectors.current_letterhead(case.municipality_id) or _SampleLetterhead(case.municipality)
    payload = event.payload or {}
    return ctx.build(
        letter_type=lt,
        event_type=event.type,
        effective_date=event.effective_date,
        payload=payload,
        decision=event.decision,
        recipient=recipient(case.client),
        letterhead=head,
        sent_on=sent_on,
        kenmerk=event.external_id,
        dossier=case.external_id,
        terms=_terms_with(lt, event, payload, sent_on),
    )


def _terms_with(lt, event, payload, sent_on):
    terms = letter_terms(lt, event.type, payload, sent_on)
    extra = case_facts(event)
    if beslistermijn := extra.pop("_beslistermijn", None):
        terms["termijnen"].append(("Beslistermijn bezwaar", beslistermijn))
    terms["besluit"].update(extra)
    return terms


def render_letter(event, *, sent_on: dt.date | None = None) -> bytes:
    """The letter of a decision event, as PDF bytes."""
    return compose(event, sent_on=sent_on).pdf


# --- the preview ----------------------------------------------------------------------------------------------

SAMPLE_RECIPIENT = Recipient(
    name="Jan Voorbeeld",
    salutation="Geachte heer Voorbeeld,",
    address_lines=("Voorbeeldstraat 1", "1234 AB VOORBEELDSTAD"),
)
SAMPLE_DECISION = {"motivation": "Dit is een voorbeeld van de toelichting van de klantmanager."}
# The calculation a toekenning carries (regie.core.benefit via the decision gate), for the preview.
SAMPLE_CALCULATION = [
    {"rule_id": "benefit.line", "source": "Pw art. 21", "say": {"label": "Norm (voorbeeld)", "amount": "1475.26"}},
    {"rule_id": "benefit.line", "source": "Pw art. 19 lid 3", "say": {"label": "Vakantiegeld", "amount": "-73.76"}},
    {
        "rule_id": "benefit.to_pay",
        "source": "Pw art. 19-22a",
        "say": {"label": "Te betalen per maand", "amount": "1401.50"},
    },
]


def sample_decision(letter_type: LetterType) -> dict:
    if letter_type.id == "toekenning":
        return {**SAMPLE_DECISION, "explanation": SAMPLE_CALCULATION}
    return dict(SAMPLE_DECISION)


# Fictitious payloads per letter type for the preview (no real client's data).
SAMPLE_PAYLOADS: dict[str, dict] = {
    "toekenning": {"norm_type": "alleenstaande", "cost_sharers": 1, "monthly_amount": 1401.5, "benefit_type": "PW"},
    "afwijzing": {"reason": "vermogen"},
    "ontheffing_start": {"exemption_id": "O-1", "ground": "mantelzorg", "scope": "gedeeltelijk", "end_date": None},
    "waarschuwing": {"obligation_type": "administratief", "description": "U kwam niet naar de afspraak."},
    "maatregel": {"obligation_type": "reintegratie", "percentage": 30, "months": 1, "repeat_step": 1, "amount": 420.45},
    "plan_van_aanpak": {"version": 1, "goal": "Binnen een half jaar werk vinden in de zorg.", "review_date": None},
    "opschorting": {
        "reason": "inlichtingen",
        "missing": "Uw bankafschriften van de laatste drie maanden.",
        "hersteltermijn_days": 14,
    },
    "intrekking": {"reason": "onjuiste_inlichtingen", "summary": "U heeft inkomsten uit werk niet doorgegeven."},
    "beeindiging": {"reason": "werk_regulier", "summary": ""},
    "terugvordering": {
        "months": ["2026-03", "2026-04"],
        "amount": "812.40",
        "repayment_monthly": "50.00",
        "repayment_start": None,
        "reason": "inlichtingenplicht",
    },
    "boete": {"damage": "812.40", "blame": "grove_schuld", "amount": "406.20"},
    "voornemen": {
        "voornemen_id": "VN-voorbeeld",
        "decision_type": "maatregel",
        "summary": "Wij willen uw bijstand een maand met 30% verlagen, omdat u twee keer niet op een afspraak kwam.",
        "zienswijze_until": None,  # filled in sample_payload: two weeks after today
    },
    "uitnodiging_hoorzitting": {
        "objection_id": "BZ-voorbeeld",
        "status": "uitgenodigd",
        "by": "bezwaarcommissie",
        "start_time": "14:00",
        "location": "Stadskantoor, Markt 1, zaal 2.14",
    },
    "ontvangstbevestiging_bezwaar": {"objection_id": "BZ-voorbeeld", "decision_event": 1, "decision_type": "maatregel"},
    "beslissing_op_bezwaar": {
        "objection_id": "BZ-voorbeeld",
        "outcome": "deels_gegrond",
        "revoked": True,
        "new_decision": "Wij verlagen uw bijstand een maand met 20% in plaats van 30%.",
        "summary": "U heeft laten zien dat u voor een van de afspraken een goede reden had.",
    },
}
# What the preview shows where a real letter reads the case (services.case_facts).
SAMPLE_CASE_FACTS: dict[str, dict] = {
    "uitnodiging_hoorzitting": {"bestreden_besluit": "een verlaging van uw bijstand (maatregel)"},
    "ontvangstbevestiging_bezwaar": {"bestreden_datum": "", "bezwaar_ontvangen": ""},
    "beslissing_op_bezwaar": {"bestreden_besluit": "een verlaging van uw bijstand (maatregel)"},
}


def sample_payload(letter_type: LetterType, today: dt.date) -> dict:
    """The fictitious payload of the preview, with its dates relative to ``today``."""
    payload = dict(SAMPLE_PAYLOADS.get(letter_type.id, {}))
    if letter_type.id == "voornemen":
        payload["zienswijze_until"] = legal_terms.zienswijze_term(today, 14, source="voorbeeld").end.isoformat()
    if letter_type.id == "uitnodiging_hoorzitting":
        payload["planned_on"] = (today + dt.timedelta(days=21)).isoformat()
    return payload


def sample_facts(letter_type: LetterType, today: dt.date) -> dict:
    facts = dict(SAMPLE_CASE_FACTS.get(letter_type.id, {}))
    if letter_type.id == "ontvangstbevestiging_bezwaar":
        end = legal_terms.objection_decision_term(today, advisory_committee=False, received_on=today).end
        facts.update(bestreden_datum=fmt.date(today - dt.timedelta(days=20)), beslissen_uiterlijk=fmt.date(end))
    return facts


class _SampleLetterhead:
    """The preview's letterhead when the municipality has none yet."""

    def __init__(self, municipality):
        self.municipality_name = municipality.name
        self.sender = f"Gemeente {municipality.name}"
        self.contact = "Heeft u vragen? Bel ons op 14 0XX (voorbeeld)."
        self.objection_online = ""
        self.logo = None
        self._lines = {
            "address": ["Postbus 1", "1000 AA VOORBEELDSTAD"],
            "objection_address": [f"College van burgemeester en wethouders van {municipality.name}", "Postbus 1"],
            "signature": [f"Het college van burgemeester en wethouders van {municipality.name}"],
        }

    def lines(self, field: str) -> list[str]:
        return self._lines[field]


def _preview_event_type(letter_type: LetterType) -> str:
    return letter_type.event_types[0]


def sample_context(municipality, name: str) -> dict:
    """The context a template of ``name`` gets, filled with fictitious values (for checking and the variable list)."""
    lt = LETTER_TYPES.get(name) or LETTER_TYPES["toekenning" if name == "bezwaar" else "beslissing_op_bezwaar"]
    today = dt.date.today()
    head = selectors.current_letterhead(municipality.pk) or _SampleLetterhead(municipality)
    payload = sample_payload(lt, today)
    terms = letter_terms(lt, _preview_event_type(lt), payload, today)
    terms["besluit"].update(sample_facts(lt, today))
    return ctx.build(
        letter_type=lt,
        event_type=_preview_event_type(lt),
        effective_date=today,
        payload=payload,
        decision=sample_decision(lt),
        recipient=SAMPLE_RECIPIENT,
        letterhead=head,
        sent_on=today,
        kenmerk="VOORBEELD-1",
        dossier="VOORBEELD",
        terms=terms,
    )


def preview(municipality, name: str, body: str, *, event=None) -> bytes:
    """The PDF of ``body`` (not saved) as the letter ``name`` would look: for the sample client, or, when
    ``event`` is given (the caller audits it), for that event's client. A text block is previewed inside a
    sample letter that carries it."""
    check(body, sample_context(municipality, name))
    today = dt.date.today()
    if name in BLOCKS:
        lt = LETTER_TYPES["toekenning" if name == "bezwaar" else "beslissing_op_bezwaar"]
        if event is not None:
            lt = letter_type_for(event.type, event.payload) or lt
        bodies = {"clause_body": body}
    else:
        lt = LETTER_TYPES[name]
        bodies = {"body": body}
    head = selectors.current_letterhead(municipality.pk) or _SampleLetterhead(municipality)
    if event is not None:
        to = recipient(event.case.client)
        args = dict(
            extra=case_facts(event),
            event_type=event.type,
            effective_date=event.effective_date,
            payload=event.payload or {},
            decision=event.decision,
            kenmerk=event.external_id,
            dossier=event.case.external_id,
        )
    else:
        to = SAMPLE_RECIPIENT
        args = dict(
            extra=sample_facts(lt, today),
            event_type=_preview_event_type(lt),
            effective_date=today,
            payload=sample_payload(lt, today),
            decision=sample_decision(lt),
            kenmerk="VOORBEELD-1",
            dossier="VOORBEELD",
        )
    subject, blocks, _terms = compose_parts(
        municipality_id=municipality.pk,
        letter_type=lt,
        recipient_=to,
        letterhead=head,
        sent_on=today,
        **bodies,
        **args,
    )
    return _pdf(subject, blocks, head, to, today, args["kenmerk"], args["dossier"])


# --- writers --------------------------------------------------------------------------------------------------


def save_template(municipality, name: str, body: str, user, *, expected_version: int, note: str = "") -> LetterTemplate:
    """A new version of ``municipality``'s template ``name``, after ``check`` (``TemplateProblem``: nothing saved).
    ``expected_version`` is the version the editor showed (0: the default); a newer one gives ``ConflictError``."""
    if name not in TEMPLATE_NAMES:
        raise KeyError(name)
    body = body.replace("\r\n", "\n")
    check(body, sample_context(municipality, name))
    with transaction.atomic():
        _body, row = selectors.current_template(municipality.pk, name)
        current = row.version if row else 0
        if current != expected_version:
            raise ConflictError(name)
        try:
            return LetterTemplate.objects.create(
                municipality=municipality,
                name=name,
                version=current + 1,
                body=body,
                note=note[:500],
                created_by=user,
            )
        except IntegrityError:
            raise ConflictError(name) from None


LETTERHEAD_FIELDS = {
    "sender": gettext_lazy("Afzender"),
    "address": gettext_lazy("Postadres"),
    "contact": gettext_lazy("Contactregel"),
    "objection_address": gettext_lazy("Adres voor bezwaar"),
    "objection_online": gettext_lazy("Bezwaar online (webadres)"),
    "signature": gettext_lazy("Ondertekening"),
}
LETTERHEAD_REQUIRED = ("sender", "address", "contact", "objection_address", "signature")
LOGO_MAX_BYTES = 512 * 1024  # assumption: a letterhead logo is small; larger files are refused


class LetterheadInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def save_letterhead(
    municipality, values: dict, user, *, expected_version: int, logo: bytes | None = None, keep_logo: bool = True
) -> Letterhead:
    """A new version of the letterhead. Each required field must be filled (Dutch message per field); a logo must
    be a PNG or JPEG of at most ``LOGO_MAX_BYTES``."""
    errors = {}
    clean = {k: (values.get(k) or "").replace("\r\n", "\n").strip() for k in LETTERHEAD_FIELDS}
    for k in LETTERHEAD_REQUIRED:
        if not clean[k]:
            errors[k] = _("%(field)s: vul dit in.") % {"field": LETTERHEAD_FIELDS[k]}
    for k, limit in (("sender", 200), ("contact", 300), ("objection_online", 300)):
        if len(clean[k]) > limit:
            errors[k] = _("%(field)s: ten hoogste %(n)s tekens.") % {"field": LETTERHEAD_FIELDS[k], "n": limit}
    if logo is not None:
        if len(logo) > LOGO_MAX_BYTES:
            errors["logo"] = _("Logo: het bestand is te groot (ten hoogste 512 kB).")
        elif not (logo.startswith(b"\x89PNG\r\n\x1a\n") or logo.startswith(b"\xff\xd8\xff")):
            errors["logo"] = _("Logo: alleen een PNG- of JPEG-afbeelding.")
    if errors:
        raise LetterheadInvalid(errors)
    with transaction.atomic():
        current = selectors.current_letterhead(municipality.pk)
        version = current.version if current else 0
        if version != expected_version:
            raise ConflictError("letterhead")
        if logo is None and keep_logo and current is not None and current.logo:
            logo = bytes(current.logo)
        try:
            return Letterhead.objects.create(
                municipality=municipality, version=version + 1, logo=logo, created_by=user, **clean
            )
        except IntegrityError:
            raise ConflictError("letterhead") from None
