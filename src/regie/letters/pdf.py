"""A rendered letter as PDF (reportlab): letterhead, the recipient's address, date and reference, subject, the
template's blocks, the remedy clause, closing and signature."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table

from .templating import Block


def render_pdf(
    *,
    subject: str,
    blocks: list[Block],
    letterhead,
    recipient_name: str,
    address_lines: list[str],
    copies: list[str],
    meta: list[tuple[str, str]],
) -> bytes:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10.5, leading=14, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor="#444444")
    heading = ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", parent=styles["Heading2"], spaceBefore=12)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=subject,
        author=letterhead.sender,
    )
    flow: list = []
    if letterhead.logo:
        try:
            img = ImageReader(io.BytesIO(bytes(letterhead.logo)))
            w, h = img.getSize()
            flow.append(Image(io.BytesIO(bytes(letterhead.logo)), width=3 * cm, height=3 * cm * h / w, hAlign="LEFT"))
        except Exception:  # noqa: BLE001 - an unreadable logo was refused on upload; never break a letter on it
            pass
    flow.append(Paragraph(escape(letterhead.sender), styles["Heading3"]))
    flow.append(Paragraph(escape(" · ".join(letterhead.lines("address"))), small))
    flow.append(Spacer(1, 0.8 * cm))
    for line in [recipient_name, *address_lines]:
        flow.append(Paragraph(escape(line), ParagraphStyle("addr", parent=body, spaceAfter=0)))
    flow.append(Spacer(1, 0.8 * cm))
    flow.append(Table([[k, v] for k, v in meta], hAlign="LEFT", colWidths=[3.5 * cm, None]))
    flow.append(Paragraph(escape(subject), title))
    items: list = []

    def flush_items():
        if items:
            flow.append(ListFlowable([ListItem(Paragraph(escape(t), body)) for t in items], bulletType="bullet"))
            items.clear()

    for block in blocks:
        if block.kind == "item":
            items.append(block.text)
            continue
        flush_items()
        flow.append(Paragraph(escape(block.text), heading if block.kind == "heading" else body))
    flush_items()
    flow.append(Spacer(1, 0.6 * cm))
    flow.append(Paragraph("Met vriendelijke groet,", body))
    for line in letterhead.lines("signature"):
        flow.append(Paragraph(escape(line), ParagraphStyle("sig", parent=body, spaceAfter=0)))
    if copies:
        flow.append(Spacer(1, 0.4 * cm))
        flow.append(Paragraph(escape("Een kopie van deze brief gaat naar: " + "; ".join(copies) + "."), small))
    flow.append(Spacer(1, 0.8 * cm))
    flow.append(Paragraph(escape(letterhead.contact), small))
    doc.build(flow)
    return buf.getvalue()
