"""The client's file as one PDF, for an objection (bezwaar, beroep) or an inzageverzoek (AVG art. 15).

A cover page, the timeline of every case in Dutch (the step labels and field labels of ``casework.steps``), a list
of the enclosures, and then the enclosures themselves: uploaded and generated PDFs appended page by page (pypdf),
images (JPEG, PNG, TIFF) placed on an A4 page each. What cannot be included (an encrypted or damaged PDF, a HEIC
photo, which needs a plug-in Regie does not install) is named in the list as "niet opgenomen".

Confidential documents (``access``): for an inzage always included (it is the person's own data); for an objection
only when the requester's role may see them (``DossierExport.include_confidential``, set when it is asked for).
Excluded documents are not mentioned at all, not even in the timeline, where their event shows as "vertrouwelijk
document (niet opgenomen)". Staff appear by their role, never by name (as in the inzage, ``privacy.selectors``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from regie.casework.models import Case, Event
from regie.casework.steps import CHOICE_LABELS, FIELD_LABELS, STEP_LABELS
from regie.core.events import DOCUMENT_KINDS
from regie.core.events import FIELD_LABELS as CORE_FIELD_LABELS
from regie.core.records import ROLES

from . import selectors, services
from .models import Document, DossierExport

HIDDEN_FIELDS = {"storage_key", "sha256", "document_id", "retention_class", "content_type", "origin", "size"}
PURPOSE_TITLES = {
    "bezwaar": "Dossier ten behoeve van bezwaar of beroep",
    "inzage": "Dossier ten behoeve van een inzageverzoek (AVG art. 15)",
}


def _d(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d-%m-%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return f"{dt.date.fromisoformat(value):%d-%m-%Y}"
        except ValueError:
            pass
    return str(value)


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key) or CORE_FIELD_LABELS.get(key) or key.replace("_", " ").capitalize())


def _value(event_type: str, key: str, value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if event_type == "document" and key == "kind":
        return DOCUMENT_KINDS.get(value, str(value))
    if key in CHOICE_LABELS and value in CHOICE_LABELS[key]:
        return str(CHOICE_LABELS[key][value])
    if key == "caseworker":
        return "klantmanager"  # staff by role, not by name
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(event_type, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_value(event_type, key, v) for v in value)
    return _d(value).replace("_", " ") if isinstance(value, str) else _d(value)


def event_lines(event: Event, documents: dict[int, Document]) -> list[str]:
    if event.type == "document":
        doc = documents.get(event.pk)
        if doc is None:
            return ["vertrouwelijk document (niet opgenomen)"]
        return [f"{doc.title} ({doc.kind_label})"] + (
            [f"Datum document: {_d(doc.document_date)}"] if doc.document_date else []
        )
    lines = [
        f"{_label(k)}: {_value(event.type, k, v)}" for k, v in (event.payload or {}).items() if k not in HIDDEN_FIELDS
    ]
    decision = event.decision or {}
    if decision.get("motivation"):
        lines.append(f"Motivering: {decision['motivation']}")
    if decision.get("legal_basis"):
        lines.append(f"Wettelijke grondslag: {decision['legal_basis']}")
    return lines


def _timeline_pdf(export: DossierExport, cases, documents: list[Document], made_on: dt.date) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    h1, h2 = styles["Heading1"], styles["Heading2"]
    client = export.client
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=PURPOSE_TITLES[export.purpose],
        author=f"Gemeente {export.municipality.name}",
    )

    def P(text, style=body):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    def table(rows, widths):
        t = Table([[P(x, small) for x in r] for r in rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ]
            )
        )
        return t

    by_event = {d.event_id: d for d in documents}
    flow = [
        P(f"Gemeente {export.municipality.name}", styles["Heading3"]),
        Spacer(1, 3 * cm),
        P(PURPOSE_TITLES[export.purpose], h1),
        P(f"{client.given_name} {client.family_name}, geboren {_d(client.birth_date)}"),
        P(f"Klantnummer {client.external_id}"),
        Spacer(1, 0.5 * cm),
        P(f"Gemaakt op {_d(made_on)} door: {ROLES.get(export.requested_by.role, 'medewerker')}"),
        P(f"Dossiers: {', '.join(c.external_id for c, _ in cases) or 'geen'}; bijlagen: {len(documents)}"),
        Spacer(1, 0.5 * cm),
        P(
            "Vertrouwelijke documenten (zoals medische informatie) zijn opgenomen."
            if export.include_confidential
            else "Vertrouwelijke documenten (zoals medische informatie) zijn niet opgenomen.",
            small,
        ),
        PageBreak(),
    ]
    for case, events in cases:
        flow.append(P(f"Tijdlijn dossier {case.external_id} (geopend {_d(case.opened_on)})", h2))
        rows = [["Datum", "Stap", "Gegevens", "Door"]]
        for e in events:
            rows.append(
                [
                    _d(e.effective_date),
                    str(STEP_LABELS.get(e.type, e.type)),
                    "\n".join(event_lines(e, by_event)) or "-",
                    ROLES.get(e.actor_role, "systeem") if e.actor_role else "systeem",
                ]
            )
        flow.append(table(rows, [2.2 * cm, 3.6 * cm, 8.2 * cm, 3 * cm]))
    flow.append(P("Bijlagen", h2))
    rows = [["Nr.", "Document", "Soort", "Datum document", "Toegevoegd"]]
    for i, d in enumerate(documents, start=1):
        rows.append([str(i), d.title, d.kind_label, _d(d.document_date) if d.document_date else "-", _d(d.added_at)])
    if len(rows) == 1:
        rows.append(["-", "geen bijlagen", "", "", ""])
    flow.append(table(rows, [1.2 * cm, 6.8 * cm, 3.5 * cm, 2.8 * cm, 2.7 * cm]))
    doc.build(flow)
    return buf.getvalue()


def _image_page(doc: Document, number: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    c.setFont("Helvetica", 9)
    c.drawString(2 * cm, height - 1.5 * cm, f"Bijlage {number}: {doc.title} ({doc.kind_label})"[:110])
    with services.open_file(doc) as f:
        img = ImageReader(io.BytesIO(f.read()))
    iw, ih = img.getSize()
    box_w, box_h = width - 4 * cm, height - 4.5 * cm
    scale = min(box_w / iw, box_h / ih)  # fit the page, up or down: a scan's pixels are not points
    c.drawImage(img, 2 * cm, height - 2.5 * cm - ih * scale, iw * scale, ih * scale, preserveAspectRatio=True)
    c.showPage()
    c.save()
    return buf.getvalue()


def build(export: DossierExport, progress: Callable[[int, int], None] | None = None):
    """Write the PDF to a temporary file and return it (open, at position 0) with its page count and the
    enclosures that could not be included."""
    import tempfile

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    with translation.override("nl"):
        cases = []
        for case in Case.objects.filter(client=export.client).order_by("opened_on", "id"):
            cases.append((case, list(case.events.order_by("effective_date", "id"))))
        documents = selectors.for_client(export.client, include_confidential=export.include_confidential)
        total = len(documents) + 1
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(_timeline_pdf(export, cases, documents, timezone.localdate()))))
        if progress:
            progress(1, total)
        skipped = []
        for i, doc in enumerate(documents, start=1):
            try:
                if doc.content_type == "application/pdf":
                    with services.open_file(doc) as f:
                        data = f.read()
                    reader = PdfReader(io.BytesIO(data))
                    if reader.is_encrypted:
                        raise PdfReadError("encrypted")
                    writer.append(reader)
                elif doc.content_type in ("image/jpeg", "image/png", "image/tiff"):
                    writer.append(PdfReader(io.BytesIO(_image_page(doc, i))))
                else:
                    skipped.append({"document_id": doc.document_id, "title": doc.title, "reason": "type"})
            except (PdfReadError, OSError, ValueError):
                skipped.append({"document_id": doc.document_id, "title": doc.title, "reason": "unreadable"})
            if progress:
                progress(i + 1, total)
        out = tempfile.TemporaryFile()
        writer.write(out)
        pages = len(writer.pages)
        out.seek(0)
    return out, pages, skipped
