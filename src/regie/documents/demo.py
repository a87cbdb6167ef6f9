"""Demo documents (``regie demo``): small PDFs made here, stored through the same service as an upload
(``services.store_upload``: the decision gate, the storage, the event), for the demo caseworkers' first cases --
a signed plan, two payslips, a bank statement and, for one client, a medical letter (confidential)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 780
    for i, line in enumerate(lines):
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 14 if i == 0 else 11)
        c.drawString(72, y, line)
        y -= 24 if i == 0 else 16
    c.showPage()
    c.save()
    return buf.getvalue()


def demo_caseworkers(municipality, n: int = 3):
    """The demo's caseworkers with a caseload, the demo log-in's first (the first caseworker by id)."""
    from regie.accounts.models import User
    from regie.casework.models import CaseState
    from regie.core.records import CASEWORKER_ROLES

    with_cases = set(
        CaseState.objects.filter(municipality=municipality, status="lopend").values_list("caseworker_id", flat=True)
    )
    users = User.objects.filter(municipality=municipality, role__in=CASEWORKER_ROLES, is_active=True).order_by("id")
    return [u for u in users if u.pk in with_cases][:n]


def add_demo_documents(municipality, caseworkers: int = 3, cases: int = 4) -> int:
    """Add documents to the first ``cases`` running cases of the first ``caseworkers`` caseworkers; returns the
    number stored."""
    from regie.casework.models import CaseState

    from .services import store_upload

    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    stored = 0
    for user in demo_caseworkers(municipality, caseworkers):
        states = CaseState.objects.filter(caseworker=user, status="lopend").select_related("case__client")[:cases]
        for i, st in enumerate(states):
            client = st.case.client
            name = f"{client.given_name} {client.family_name}"
            items = [
                (
                    "ondertekend_plan",
                    "Plan van aanpak (ondertekend)",
                    today - dt.timedelta(days=20),
                    [
                        "Plan van aanpak",
                        f"Cliënt: {name}",
                        f"Dossier: {st.case.external_id}",
                        "Doel: werkervaringsplek, daarna betaald werk.",
                        "Getekend door cliënt en klantmanager.",
                    ],
                ),
                (
                    "loonstrook",
                    f"Loonstrook {month_before:%m-%Y}",
                    month_before + dt.timedelta(days=27),
                    [f"Loonstrook {month_before:%m-%Y}", name, "Parttime baan, 16 uur per week", "Netto: 612,40"],
                ),
                (
                    "loonstrook",
                    f"Loonstrook {last_month:%m-%Y}",
                    last_month + dt.timedelta(days=27),
                    [f"Loonstrook {last_month:%m-%Y}", name, "Parttime baan, 16 uur per week", "Netto: 598,15"],
                ),
                (
                    "bankafschrift",
                    "Bankafschrift",
                    last_month + dt.timedelta(days=28),
                    ["Bankafschrift", name, f"Periode {last_month:%m-%Y}", "Saldo: 231,07"],
                ),
            ]
            if i == 0:
                items.append(
                    (
                        "medische_informatie",
                        "Brief huisarts",
                        today - dt.timedelta(days=9),
                        ["Brief huisarts", f"Betreft: {name}", "Beperkt belastbaar gedurende zes weken."],
                    )
                )
            for kind, title, on, lines in items:
                store_upload(
                    st.case,
                    user,
                    SimpleUploadedFile(f"{title}.pdf", _pdf(lines)),
                    kind=kind,
                    title=title,
                    document_date=on,
                )
                stored += 1
    return stored
