"""Decision letters (beschikkingen) as PDF: the decision, its reasons and legal basis, and the objection period.

The reasons come from the decision block stored on the event (the policy's explanation and the caseworker's
motivation), so the letter states what was actually decided and why, not what a template assumes.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from .models import Event

LETTER_TYPES = {
    "toekenning": "Besluit op uw aanvraag om bijstand",
    "afwijzing": "Besluit op uw aanvraag om bijstand",
    "ontheffing_start": "Besluit ontheffing van de arbeidsverplichtingen",
    "maatregel": "Besluit verlaging van uw bijstand (maatregel)",
    "plan_van_aanpak": "Uw plan van aanpak",
}
# Default legal basis per letter when the decision block names none (Participatiewet articles).
DEFAULT_BASIS = {
    "toekenning": "Participatiewet art. 11 en 43",
    "afwijzing": "Participatiewet art. 11 en 43",
    "ontheffing_start": "Participatiewet art. 9 lid 2 en art. 9a",
    "maatregel": "Participatiewet art. 18 lid 2 en de afstemmingsverordening",
    "plan_van_aanpak": "Participatiewet art. 44a",
}
# Awb art. 6:7: the objection period is six weeks; it starts the day after the letter is sent (Awb art. 6:8).
OBJECTION_WEEKS = 6


def _benefit_lines(event: Event) -> list[str]:
    """benefit: the calculation the decision gate stored with the toekenning (regie.core.benefit), line by line."""
    lines = [
        e for e in (event.decision or {}).get("explanation") or [] if str(e.get("rule_id", "")).startswith("benefit.")
    ]
    if not lines:
        return []
    return ["Zo is uw uitkering per maand berekend:"] + [
        f"- {e['text']}" + (f" ({e['source']})" if e.get("source") and e["rule_id"] == "benefit.line" else "")
        for e in lines
    ]


def _decision_sentences(event: Event) -> list[str]:
    p = event.payload
    t = event.type
    if t == "toekenning":
        amount = f" van € {p['monthly_amount']:.2f} per maand" if p.get("monthly_amount") is not None else ""
        return [
            f"U krijgt bijstand ({p.get('benefit_type', 'PW')}) vanaf {event.effective_date:%d-%m-%Y}{amount}, "
            f"naar de norm voor {p['norm_type'].replace('_', ' ')}"
            + (f" met {p['cost_sharers']} kostendeler(s)." if p.get("cost_sharers") else ".")
        ] + _benefit_lines(event)
    if t == "afwijzing":
        return [f"Wij wijzen uw aanvraag af. Reden: {p['reason'].replace('_', ' ')}."]
    if t == "ontheffing_start":
        scope = "volledig" if p.get("scope", "volledig") == "volledig" else "gedeeltelijk"
        end = f" tot en met {dt.date.fromisoformat(p['end_date']):%d-%m-%Y}" if p.get("end_date") else ""
        return [
            f"U krijgt {scope} ontheffing van de arbeidsverplichtingen vanaf {event.effective_date:%d-%m-%Y}{end}.",
            f"Grond: {p['ground'].replace('_', ' ')}.",
        ]
    if t == "maatregel":
        return [
            f"Wij verlagen uw bijstand met {p['percentage']:g}% gedurende {p['months']} maand(en), "
            f"ingaand {event.effective_date:%d-%m-%Y}.",
            f"U heeft een verplichting niet nagekomen ({p['obligation_type'].replace('_', ' ')})"
            + (f"; dit is herhaling {p['repeat_step']}." if p.get("repeat_step", 1) > 1 else "."),
        ]
    if t == "plan_van_aanpak":
        lines = [f"Dit is versie {p['version']} van uw plan van aanpak."]
        if p.get("goal"):
            lines.append(f"Doel: {p['goal']}")
        if p.get("review_date"):
            lines.append(
                f"Wij bespreken het plan opnieuw uiterlijk {dt.date.fromisoformat(p['review_date']):%d-%m-%Y}."
            )
        return lines
    raise ValueError(f"no letter for event type {t!r}")


def render_letter(event: Event, *, municipality_name: str, sent_on: dt.date | None = None) -> bytes:
    """The letter for a decision event, as PDF bytes."""
    if event.type not in LETTER_TYPES:
        raise ValueError(f"no letter for event type {event.type!r}")
    sent_on = sent_on or dt.date.today()
    client = event.case.client
    decision = event.decision or {}
    styles = getSampleStyleSheet()
    body, h = styles["BodyText"], styles["Heading1"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        title=LETTER_TYPES[event.type],
        author=f"Gemeente {municipality_name}",
    )
    flow = [
        Paragraph(escape(f"Gemeente {municipality_name}"), styles["Heading3"]),
        Paragraph(escape(f"{client.given_name} {client.family_name}"), body),
        Spacer(1, 0.6 * cm),
        Table(
            [["Datum", f"{sent_on:%d-%m-%Y}"], ["Dossier", event.case.external_id], ["Kenmerk", event.external_id]],
            hAlign="LEFT",
        ),
        Spacer(1, 0.6 * cm),
        Paragraph(escape(LETTER_TYPES[event.type]), h),
        Paragraph(escape(f"Geachte {client.given_name} {client.family_name},"), body),
        Paragraph("<b>Ons besluit</b>", body),
    ]
    flow += [Paragraph(escape(s), body) for s in _decision_sentences(event)]
    reasons = []
    rec = decision.get("recommendation")
    if decision.get("deviates"):
        reasons.append(
            "Wij wijken in uw situatie af van het gebruikelijke beleid"
            + (f": {decision['motivation']}" if decision.get("motivation") else ".")
        )
    elif rec:
        reasons.append("Dit besluit volgt het beleid van de gemeente voor uw situatie.")
    for item in decision.get("explanation", []) or []:
        reasons.append(f"{item.get('text', item.get('rule_id'))} ({item.get('source', '')})")
    if decision.get("motivation") and not decision.get("deviates"):
        reasons.append(decision["motivation"])
    if reasons:
        flow.append(Paragraph("<b>Waarom</b>", body))
        flow += [Paragraph(escape(r), body) for r in reasons]
    basis = decision.get("legal_basis") or DEFAULT_BASIS[event.type]
    flow += [
        Paragraph("<b>Wettelijke grondslag</b>", body),
        Paragraph(
            escape(basis)
            + (escape(f"; beleidsversie {decision['policy_version']}") if decision.get("policy_version") else ""),
            body,
        ),
    ]
    if event.type != "plan_van_aanpak":
        deadline = sent_on + dt.timedelta(weeks=OBJECTION_WEEKS)
        flow += [
            Paragraph("<b>Bent u het niet eens met dit besluit?</b>", body),
            Paragraph(
                escape(
                    f"Dan kunt u binnen {OBJECTION_WEEKS} weken na de dag van verzending bezwaar maken "
                    f"(uiterlijk {deadline:%d-%m-%Y}), schriftelijk en met uw naam, adres, datum, handtekening, "
                    "het besluit waartegen u bezwaar maakt en uw redenen (Algemene wet bestuursrecht art. 6:5, 6:7)."
                ),
                body,
            ),
        ]
    flow += [
        Spacer(1, 0.8 * cm),
        Paragraph("Met vriendelijke groet,", body),
        Paragraph(escape(f"Het college van burgemeester en wethouders van {municipality_name}"), body),
    ]
    doc.build(flow)
    return buf.getvalue()
