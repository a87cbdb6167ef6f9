"""The inzage documents: a readable PDF in Dutch and a machine-readable JSON of one person's file.

The PDF is for the person: it carries their BSN in full (it is their data) and the partner's masked (AVG art. 15
lid 4). The JSON uses the interchange records (docs/import-format.md) with the BSN masked, staff replaced by their
role, plus the access log rows about the person. Neither names staff: see ``selectors.STAFF_RULE``.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

import orjson
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from regie.audit import details
from regie.casework.steps import STEP_LABELS
from regie.core.bsn import mask_bsn
from regie.core.records import ROLES
from regie.letters.registry import EVENT_LETTER_TITLES as LETTER_TYPES
from regie.platform import labels

from . import grounds
from .models import CORRECTABLE
from .selectors import STAFF_RULE, PersonFile

FORMAT, VERSION = "regie-inzage", 1

DECISION_LABELS = {
    "recommendation": "Advies van het beleid",
    "decided": "Besluit",
    "deviates": "Afwijking van het advies",
    "motivation_code": "Redencode",
    "motivation": "Motivering",
    "legal_basis": "Wettelijke grondslag",
    "policy_version": "Beleidsversie",
    "explanation": "Toelichting bij het advies",
    "source": "Vastgelegd via",
    "approval": "Akkoord (vier ogen)",
}
SOURCE_LABELS = {
    "web": "Regie (scherm)",
    "api": "koppeling met een ander systeem (API)",
    "import": "overgenomen uit een eerder systeem",
    "lab": "beleidslab",
}
CLIENT_LABELS = {
    "given_name": "Voornaam",
    "family_name": "Achternaam",
    "bsn": "Burgerservicenummer (BSN)",
    "birth_date": "Geboortedatum",
    "sex": "Geslacht",
    "education": "Opleiding",
    "language": "Taal",
    "origin": "Herkomst (CBS-indeling)",
    "housing": "Woonsituatie",
}
VALUE_LABELS = {
    "sex": {"M": "man", "V": "vrouw", "X": "onbekend / anders"},
    "origin": {"nederland": "Nederland", "westers": "westers", "niet_westers": "niet-westers"},
}
CONTACT_LABELS = {
    "street": "Straat en huisnummer",
    "postcode": "Postcode",
    "city": "Woonplaats",
    "phone": "Telefoonnummer",
    "email": "E-mailadres",
}
ACTION_LABELS = {
    "read": "ingezien",
    "search": "gezocht",
    "create": "vastgelegd",
    "update": "gewijzigd",
    "export": "gedownload of afgedrukt",
    "import": "ingelezen",
    "reveal_bsn": "volledig BSN getoond",
    "denied": "toegang geweigerd",
}
OBJECT_LABELS = {
    "client": "uw persoonsgegevens",
    "case": "uw dossier",
    "access_request": "uw inzageverzoek",
    "rectification_request": "uw verzoek om correctie",
    "document": "een document in uw dossier",
}
RESULT_LABELS = {"success": "", "denied": "geweigerd", "error": "mislukt"}


def _label(key: str) -> str:
    return labels.field_label(key)  # the label registry (regie.platform.labels)


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d-%m-%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def value_text(key: str, value) -> str:
    """A payload or decision value in words (the label registry: yes/no, dd-mm-jjjj, euros, the option's label,
    nested values labelled)."""
    if value is None or value == "":
        return "-"
    return labels.value_label(value, key)


def payload_lines(pf: PersonFile, event) -> list[str]:
    out = []
    for k, v in (event.payload or {}).items():
        if k == "caseworker":
            v = str(pf.staff_label(username=v, role="integrale_klantmanager"))
        out.append(f"{_label(k)}: {value_text(k, v)}")
    return out


def decision_lines(pf: PersonFile, decision: dict | None) -> list[str]:
    if not decision:
        return []
    out = []
    for k, v in decision.items():
        if k == "explanation":
            v = [item.get("text") or item.get("rule_id", "") for item in (v or [])]
        elif k == "source":
            v = SOURCE_LABELS.get(v, v)
        elif k == "approval" and isinstance(v, dict):
            who = pf.staff_label(username=v.get("by"), role="teammanager")
            at = v.get("at", "")
            v = f"{who} op {_date(dt.datetime.fromisoformat(at)) if at else '-'}"
        out.append(f"{DECISION_LABELS.get(k, _label(k))}: {value_text(k, v)}")
    return out


def audit_text(line) -> str:
    what = f"{OBJECT_LABELS.get(line.object_type, line.object_type)} {ACTION_LABELS.get(line.action, line.action)}"
    if line.object_type == "case":
        what += f" (dossier {line.object_id})"
    template, values = details.parse(line.detail or "") or ("", {})
    if line.action == "export" and template == details.LETTER_MADE:
        what = f"besluitbrief gemaakt (dossier {line.object_id})"
    elif template in (details.INZAGE_REQUEST, details.INZAGE_CLI):
        what = f"inzage in uw dossier gemaakt ({values['fmt'].upper()})"
    elif template == details.RECTIFIED:
        what = f"uw persoonsgegevens gecorrigeerd ({CORRECTABLE.get(values['field'], values['field'])})"
    result = RESULT_LABELS.get(line.result, line.result)
    return what + (f" — {result}" if result else "")


# --- PDF ----------------------------------------------------------------------------------------------------------


def render_pdf(pf: PersonFile, *, request=None, made_on: dt.date | None = None) -> bytes:
    """The person's file as a readable PDF in Dutch."""
    with translation.override("nl"):
        return _pdf(pf, request, made_on or dt.date.today())


def _pdf(pf: PersonFile, req, made_on: dt.date) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    h1, h2, h3 = styles["Heading1"], styles["Heading2"], styles["Heading3"]
    c, muni = pf.client, pf.municipality
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title="Inzage in uw persoonsgegevens",
        author=f"Gemeente {muni.name}",
    )

    def P(text, style=body):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    def table(rows, widths, header=True):
        t = Table(
            [[P(x, small) for x in r] for r in rows], colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT"
        )
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
        t.setStyle(TableStyle(style))
        return t

    flow = [
        P(f"Gemeente {muni.name}", h3),
        P(f"{c.given_name} {c.family_name}"),
        Spacer(1, 0.4 * cm),
        table(
            [
                ["Datum", _date(made_on)],
                ["Kenmerk", f"inzage {req.pk}" if req else "inzage"],
                ["Verzoek ontvangen", _date(req.received_on) if req else "-"],
            ],
            [4 * cm, 8 * cm],
            header=False,
        ),
        Spacer(1, 0.4 * cm),
        P("Inzage in uw persoonsgegevens", h1),
        P(f"Geachte {c.given_name} {c.family_name},"),
        P(
            "U heeft gevraagd welke persoonsgegevens de gemeente over u verwerkt (Algemene verordening "
            "gegevensbescherming, AVG art. 15). Hieronder staan al uw gegevens in Regie, het systeem voor werk en "
            "inkomen: uw persoonsgegevens, uw dossiers met alle stappen en besluiten, de besluitbrieven, en wie uw "
            "gegevens heeft ingezien of gewijzigd. Bij dit document hoort een bestand met dezelfde gegevens in een "
            "machineleesbare vorm (JSON)."
        ),
    ]

    # personal data
    flow.append(P("1. Uw persoonsgegevens", h2))
    rows = [["Gegeven", "Waarde"]]
    for key, label in CLIENT_LABELS.items():
        value = c.bsn if key == "bsn" else getattr(c, key)
        rows.append([label, VALUE_LABELS.get(key, {}).get(value, value_text(key, value))])
    flow.append(table(rows, [6 * cm, 11 * cm]))
    flow.append(P("Contactgegevens", h3))
    contact = c.contact or {}
    flow.append(
        table(
            [["Gegeven", "Waarde"]] + [[CONTACT_LABELS.get(k, _label(k)), str(v)] for k, v in contact.items()]
            if contact
            else [["Gegeven", "Waarde"], ["-", "geen contactgegevens vastgelegd"]],
            [6 * cm, 11 * cm],
        )
    )
    flow.append(P("Huishouden", h3))
    hh = c.household or {}
    hh_rows = [["Gegeven", "Waarde"]]
    if partner := hh.get("partner"):
        p = {**partner}
        if p.get("bsn"):
            p["bsn"] = mask_bsn(p["bsn"]) + " (gemaskeerd: gegevens van uw partner)"
        hh_rows.append(
            ["Partner", "; ".join(f"{CLIENT_LABELS.get(k, _label(k))}: {value_text(k, v)}" for k, v in p.items())]
        )
    for i, child in enumerate(hh.get("children") or [], start=1):
        hh_rows.append(
            [f"Kind {i}", "; ".join(f"{CLIENT_LABELS.get(k, _label(k))}: {value_text(k, v)}" for k, v in child.items())]
        )
    if hh.get("other_adults"):
        hh_rows.append(["Andere volwassenen in huis (kostendelers)", str(hh["other_adults"])])
    if len(hh_rows) == 1:
        hh_rows.append(["-", "geen huishoudgegevens vastgelegd"])
    flow.append(table(hh_rows, [6 * cm, 11 * cm]))

    # cases and events
    flow.append(P("2. Uw dossiers: stappen en besluiten", h2))
    if not pf.cases:
        flow.append(P("Er is geen dossier over u vastgelegd."))
    for case, events in pf.cases:
        state = getattr(case, "state", None)
        status = labels.option_label("case_status", state.status) if state else "-"  # the one label registry
        flow.append(P(f"Dossier {case.external_id} — geopend {_date(case.opened_on)}, status: {status}", h3))
        rows = [["Datum", "Stap", "Gegevens", "Besluit", "Door"]]
        for e in events:
            who = pf.staff_label(user_id=e.actor_id, role=e.actor_role)
            rows.append(
                [
                    _date(e.effective_date),
                    str(STEP_LABELS.get(e.type, _label(e.type))),
                    "\n".join(payload_lines(pf, e)) or "-",
                    "\n".join(decision_lines(pf, e.decision)) or "-",
                    str(who),
                ]
            )
        flow.append(table(rows, [2.1 * cm, 2.6 * cm, 5 * cm, 4.8 * cm, 2.5 * cm]))

    # letters
    flow.append(P("3. Besluitbrieven", h2))
    if not pf.letters:
        flow.append(P("Er zijn geen besluiten waarover een brief is gemaakt."))
    else:
        rows = [["Besluit", "Datum besluit", "Kenmerk", "Brief gemaakt op"]]
        for e, made in pf.letters:
            rows.append(
                [
                    LETTER_TYPES[e.type],
                    _date(e.effective_date),
                    e.external_id,
                    ", ".join(_date(t) for t in made) or "nog niet gemaakt (op te vragen)",
                ]
            )
        flow.append(table(rows, [6 * cm, 3 * cm, 3 * cm, 5 * cm]))

    # documents (uploaded and generated; confidential ones included: it is the person's own data)
    flow.append(P("Documenten in uw dossier", h3))
    if not pf.documents:
        flow.append(P("Er zijn geen documenten aan uw dossier toegevoegd."))
    else:
        rows = [["Document", "Soort", "Datum document", "Toegevoegd", "Dossier"]]
        for d in pf.documents:
            rows.append(
                [
                    d.title,
                    d.kind_label + (" (vertrouwelijk)" if d.confidential else ""),
                    _date(d.document_date) if d.document_date else "-",
                    _date(d.added_at),
                    d.case.external_id,
                ]
            )
        flow.append(table(rows, [5.5 * cm, 3.5 * cm, 2.8 * cm, 3.2 * cm, 2 * cm]))
        flow.append(
            P("De documenten zelf kunt u opvragen; de gemeente stuurt ze mee als één PDF van uw dossier.", small)
        )

    # audit
    flow.append(P("4. Wie heeft uw gegevens ingezien of gewijzigd", h2))
    flow.append(
        P(
            "Dit zijn de ontvangers van uw gegevens binnen de gemeente en bij aanbieders (AVG art. 15 lid 1 "
            "sub c): wanneer, welke rol en organisatie, en wat er gebeurde. " + STAFF_RULE,
            small,
        )
    )
    rows = [["Wanneer", "Wie (rol, organisatie)", "Wat"]]
    rows += [[_date(a.at), str(a.who), audit_text(a)] for a in pf.audit]
    if len(rows) == 1:
        rows.append(["-", "-", "geen"])
    flow.append(table(rows, [3.2 * cm, 6 * cm, 7.8 * cm]))

    # privacy requests
    flow.append(P("5. Uw privacyverzoeken", h2))
    rows = [["Verzoek", "Ontvangen", "Termijn", "Stand"]]
    for a in pf.access_requests:
        rows.append(
            [
                f"Inzage ({a.pk})",
                _date(a.received_on),
                _date(a.due) + (f" (verlengd: {a.extension_reason})" if a.extended_due_on else ""),
                a.status,
            ]
        )
    for r in pf.rectifications:
        state = {"granted": "toegewezen", "refused": "afgewezen"}.get(r.decision, "in behandeling")
        rows.append(
            [
                f"Correctie {r.field_label} ({r.pk})",
                _date(r.received_on),
                _date(r.due),
                state + (f": {r.decision_reason}" if r.decision else ""),
            ]
        )
    flow.append(table(rows, [5 * cm, 3 * cm, 4 * cm, 5 * cm]))

    # purposes, grounds, rights
    flow.append(P("6. Waarom de gemeente uw gegevens verwerkt", h2))
    rows = [["Gegevens", "Doel", "Grondslag"]]
    rows += [[g.name, g.purpose, g.ground + (f"; {g.special}" if g.special else "")] for g in grounds.CATEGORIES]
    flow.append(table(rows, [4 * cm, 6 * cm, 7 * cm]))
    flow += [
        P("7. Uw rechten", h2),
        P(
            "U kunt vragen onjuiste gegevens te corrigeren (AVG art. 16), onder voorwaarden gegevens te wissen of de "
            "verwerking te beperken (art. 17, 18), en bezwaar maken tegen de verwerking (art. 21). U kunt een klacht "
            "indienen bij de Autoriteit Persoonsgegevens (art. 77). De adviezen van het beleid in Regie zijn een "
            "hulpmiddel: over u beslist altijd een medewerker, geen computer (art. 22). Bewaartermijnen volgen de "
            "Archiefwet en de Selectielijst voor gemeenten."
        ),
        Spacer(1, 0.6 * cm),
        P("Met vriendelijke groet,"),
        P(f"Het college van burgemeester en wethouders van {muni.name}"),
    ]
    doc.build(flow)
    return buf.getvalue()


# --- JSON ---------------------------------------------------------------------------------------------------------


def _clean(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if v is not None}


def _staff_free_payload(pf: PersonFile, event) -> dict:
    payload = dict(event.payload or {})
    if event.type in ("caseworker_toewijzing", "afspraak") and "caseworker" in payload:  # agenda: afspraak too
        payload["caseworker"] = pf.staff_label(username=payload["caseworker"], role="integrale_klantmanager").role
    return payload


def _staff_free_decision(pf: PersonFile, decision: dict | None) -> dict | None:
    if not decision:
        return decision
    out = dict(decision)
    if isinstance(out.get("approval"), dict) and "by" in out["approval"]:
        out["approval"] = {
            **out["approval"],
            "by": pf.staff_label(username=out["approval"]["by"], role="teammanager").role,
        }
    return out


def interchange_records(pf: PersonFile) -> list[dict]:
    """The person's records in the interchange format: client (BSN masked), cases, events (actor as role)."""
    c = pf.client
    household = dict(c.household or {})
    if isinstance(household.get("partner"), dict) and household["partner"].get("bsn"):
        household["partner"] = {**household["partner"], "bsn": mask_bsn(household["partner"]["bsn"])}
    out = [
        _clean(
            {
                "record": "client",
                "id": c.external_id,
                "bsn": mask_bsn(c.bsn),
                "given_name": c.given_name,
                "family_name": c.family_name,
                "birth_date": c.birth_date.isoformat(),
                "sex": c.sex,
                "education": c.education or None,
                "language": c.language or None,
                "origin": c.origin or None,
                "household": household,
                "housing": c.housing or None,
                "contact": c.contact or {},
            }
        )
    ]
    for case, _ in pf.cases:
        out.append(
            _clean(
                {
                    "record": "case",
                    "id": case.external_id,
                    "client": c.external_id,
                    "opened_on": case.opened_on.isoformat(),
                    "team": case.team.code if case.team else None,
                }
            )
        )
    for case, events in pf.cases:
        for e in events:
            out.append(
                _clean(
                    {
                        "record": "event",
                        "id": e.external_id,
                        "case": case.external_id,
                        "type": e.type,
                        "effective_date": e.effective_date.isoformat(),
                        "recorded_at": e.recorded_at.isoformat(),
                        "actor_role": e.actor_role,
                        "payload": _staff_free_payload(pf, e),
                        "decision": _staff_free_decision(pf, e.decision),
                    }
                )
            )
    return out


def as_dict(pf: PersonFile, *, request=None) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "municipality": {"code": pf.municipality.code, "name": pf.municipality.name},
        "request": _clean(
            {
                "id": request.pk,
                "received_on": request.received_on.isoformat(),
                "due_on": request.due.isoformat(),
                "relation": request.relation,
            }
        )
        if request
        else None,
        "staff_rule": STAFF_RULE,
        "records": interchange_records(pf),
        "audit": [
            {
                "timestamp": a.at.isoformat(),
                "role": a.role or None,
                "role_label": a.who.role,
                "organisation": a.who.organisation,
                "action": a.action,
                "object_type": a.object_type,
                "object_id": a.object_id,
                "result": a.result,
                "description": audit_text(a),
            }
            for a in pf.audit
        ],
        "rectifications": [
            _clean(
                {
                    "id": r.pk,
                    "field": r.field,
                    "received_on": r.received_on.isoformat(),
                    "statement": r.statement,
                    "decision": r.decision or None,
                    "decision_reason": r.decision_reason or None,
                    "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                    "before": r.before,
                    "after": r.after,
                }
            )
            for r in pf.rectifications
        ],
        "documents": [
            _clean(
                {
                    "document_id": d.document_id,
                    "case": d.case.external_id,
                    "kind": d.kind,
                    "title": d.title,
                    "filename": d.filename,
                    "document_date": d.document_date.isoformat() if d.document_date else None,
                    "added_at": d.added_at.isoformat(),
                    "confidential": d.confidential,
                    "content_type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "origin": d.origin,
                }
            )
            for d in pf.documents
        ],
        "grounds": [
            {"code": g.code, "name": g.name, "purpose": g.purpose, "ground": g.ground, "sources": list(g.sources)}
            for g in grounds.CATEGORIES
        ],
        "roles": {k: v for k, v in ROLES.items()},
    }


def render_json(pf: PersonFile, *, request=None) -> bytes:
    return orjson.dumps(as_dict(pf, request=request), option=orjson.OPT_INDENT_2)
