"""Document pages: upload to a case, the document's page with a preview, the download, and the dossier PDF.

Every view checks tenancy (another municipality's case or document is a 404), the role (``view_clients``; to add a
document ``record_events``) and the confidential flag (``access``), and audits the read. Files are streamed from
the storage with ``Content-Disposition`` and ``X-Content-Type-Options: nosniff``; there is no public URL.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from regie.accounts.access import not_found, require_capability
from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework.confidential import reads_all_confidential_of
from regie.casework.decisions import DecisionRefused
from regie.casework.models import Client
from regie.casework.views.common import case_or_404
from regie.core.events import DOCUMENT_KINDS, EventError
from regie.core.policy import PolicyUnavailable
from regie.platform import jobs

from . import selectors, services, uploads
from .models import DossierExport

PREVIEW_PIXELS = 1200  # the longest side of an image preview (assumption: sharp on a page, small to send)


def _document_or_404(request, document_id: int):
    require_capability(request, "view_clients", "document", document_id)
    doc = selectors.document_for(request.user, document_id)
    if doc is None:
        # another municipality's, a confidential one the role may not see, or none: the same answer
        raise not_found(request, "document", document_id)
    return doc


def _audit(request, doc, detail: str) -> None:
    log_request(
        request,
        "read",
        "document",
        doc.document_id,
        municipality_id=doc.municipality_id,
        detail=f"{detail} case {doc.case.external_id}",
    )


def _parse_date(value: str, errors: dict) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors["document_date"] = _("Datum document: geen geldige datum (JJJJ-MM-DD).")
        return None


@csrf_exempt
@login_required
def upload(request, case_id: int):
    """Add a document to a case. CSRF is checked in :func:`_upload`, after the size check: a body over the limit is
    not read (``uploads.SizeLimitUploadHandler``), so it carries no token, and it is answered 413 with nothing
    changed."""
    require_capability(request, "record_events", "case", case_id)
    case = case_or_404(request, case_id)
    if request.method == "POST":
        request.POST  # noqa: B018  (parses the body through the upload handlers, if no middleware did yet)
        if getattr(request, "upload_too_large", False):
            return _form(request, case, {"file": services.too_large_message()}, {}, status=413)
    else:
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="upload form"
        )
    return _upload(request, case)


@csrf_protect
def _upload(request, case):
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values = request.POST.dict()
        on = _parse_date(values.get("document_date", ""), errors)
        if not errors:
            try:
                doc = services.store_upload(
                    case,
                    request.user,
                    request.FILES.get("file"),
                    kind=values.get("kind", ""),
                    title=values.get("title", ""),
                    document_date=on,
                    confidential=values.get("confidential") == "on",
                )
            except services.DocumentError as exc:
                errors = exc.as_dict()
            except EventError as exc:
                errors = {f.rsplit(".", 1)[-1]: str(m) for f, m in exc.errors}
            except DecisionRefused as exc:
                errors = {"file": exc.message}
            except PolicyUnavailable:
                raise
            else:
                log_request(
                    request,
                    "create",
                    "document",
                    doc.document_id,
                    municipality_id=case.municipality_id,
                    detail=f"case {case.external_id} {doc.kind}",
                )
                messages.success(request, _("Document toegevoegd: %(title)s") % {"title": doc.title})
                return redirect("client_detail", case.client_id)
    return _form(request, case, errors, values, status=400 if errors else 200)


def _form(request, case, errors, values, status=200):
    return render(
        request,
        "documents/upload.html",
        {
            "case": case,
            "errors": errors,
            "values": values,
            "kinds": list(DOCUMENT_KINDS.items()),
            "max_mb": f"{uploads.max_bytes() / (1024 * 1024):g}",
            "accept": ",".join(["application/pdf", *sorted(uploads.IMAGE_TYPES), ".heic"]),
        },
        status=status,
    )


@login_required
def detail(request, document_id: int):
    doc = _document_or_404(request, document_id)
    _audit(request, doc, "detail")
    return render(
        request,
        "documents/detail.html",
        {"doc": doc, "previewable": _previewable(doc), "type_label": uploads.TYPE_LABELS.get(doc.content_type, "")},
    )


def _streamed(f, doc, *, inline: bool, filename: str, content_type: str):
    resp = FileResponse(f, as_attachment=not inline, filename=filename, content_type=content_type)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


@login_required
def download(request, document_id: int):
    doc = _document_or_404(request, document_id)
    _audit(request, doc, "download")
    return _streamed(services.open_file(doc), doc, inline=False, filename=doc.filename, content_type=doc.content_type)


def _previewable(doc) -> bool:
    """Images Pillow can read (JPEG, PNG, TIFF; HEIC needs a plug-in Regie does not install). PDFs get no preview:
    no PDF renderer is installed (pypdf reads PDFs but does not draw them); the page offers the download."""
    return doc.content_type in ("image/jpeg", "image/png", "image/tiff")


@login_required
def preview(request, document_id: int):
    doc = _document_or_404(request, document_id)
    if not _previewable(doc):
        raise not_found(request, "document", document_id, detail="no preview for this type")
    from PIL import Image, ImageOps

    with services.open_file(doc) as f:
        img = Image.open(f)
        img = ImageOps.exif_transpose(img)
        img.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=85)
    _audit(request, doc, "preview")
    resp = HttpResponse(out.getvalue(), content_type="image/jpeg")
    resp["Content-Disposition"] = 'inline; filename="voorbeeld.jpg"'
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


# --- the dossier as one PDF ----------------------------------------------------------------------------------------


def _client_or_404(request, client_id: int) -> Client:
    client = Client.objects.filter(pk=client_id, municipality_id__in=municipality_ids(request.user)).first()
    if client is None:
        raise not_found(request, "client", client_id)
    return client


def _reads_all(user, client) -> bool:
    """A dossier for a bezwaar includes confidential documents when the one rule lets the user read all of them."""
    return reads_all_confidential_of(user, client.cases.select_related("state"))


def _may_export(user, purpose: str) -> bool:
    # bezwaar: whoever may see the client's file; inzage: whoever handles privacy requests (AVG art. 15)
    return can(user, "handle_privacy_requests") if purpose == "inzage" else can(user, "view_clients")


@login_required
def export_new(request, client_id: int):
    """Ask for the client's file as one PDF (a job); GET shows what it will hold."""
    if not (can(request.user, "view_clients") or can(request.user, "handle_privacy_requests")):
        require_capability(request, "view_clients", "client", client_id)
    client = _client_or_404(request, client_id)
    purposes = [p for p in DossierExport.PURPOSES if _may_export(request.user, p[0])]
    errors = {}
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        if purpose not in dict(DossierExport.PURPOSES):
            errors["purpose"] = _("Doel: kies bezwaar of inzageverzoek.")
        elif not _may_export(request.user, purpose):
            require_capability(
                request, "handle_privacy_requests" if purpose == "inzage" else "view_clients", "client", client_id
            )
        else:
            from .tasks import build_dossier

            with transaction.atomic():
                export = DossierExport.objects.create(
                    municipality_id=client.municipality_id,
                    client=client,
                    purpose=purpose,
                    include_confidential=purpose == "inzage" or _reads_all(request.user, client),
                    requested_by=request.user,
                )
                log_request(
                    request,
                    "export",
                    "client",
                    client.external_id,
                    municipality_id=client.municipality_id,
                    detail=f"dossier pdf {export.pk} requested ({purpose})",
                )
                jobs.enqueue(build_dossier, export.pk)  # in the transaction: both rows or neither
            return redirect("documents:export", export.pk)
    if request.method != "POST":
        log_request(
            request, "read", "client", client.external_id, municipality_id=client.municipality_id, detail="dossier pdf"
        )
    return render(
        request,
        "documents/export_new.html",
        {
            "client": client,
            "purposes": purposes,
            "errors": errors,
            "sees_confidential": _reads_all(request.user, client),
        },
        status=400 if errors else 200,
    )


def _export_or_404(request, export_id: int) -> DossierExport:
    export = (
        DossierExport.objects.filter(
            pk=export_id, municipality_id__in=municipality_ids(request.user), requested_by=request.user
        )
        .select_related("client")
        .first()
    )
    if export is None:
        raise not_found(request, "dossier_export", export_id)
    return export


@login_required
def export_status(request, export_id: int):
    export = _export_or_404(request, export_id)
    stale = export.status == "running" and jobs.is_stale(export.heartbeat)
    log_request(
        request,
        "read",
        "client",
        export.client.external_id,
        municipality_id=export.municipality_id,
        detail=f"dossier pdf {export.pk} status",
    )
    return render(request, "documents/export.html", {"export": export, "stale": stale})


@login_required
def export_download(request, export_id: int):
    export = _export_or_404(request, export_id)
    if export.status != "done" or not export.storage_key:
        raise not_found(request, "dossier_export", export_id, detail="not ready")
    log_request(
        request,
        "export",
        "client",
        export.client.external_id,
        municipality_id=export.municipality_id,
        detail=f"dossier pdf {export.pk} downloaded ({export.purpose})",
    )
    f = services.storage().open(export.storage_key, "rb")
    resp = FileResponse(
        f, as_attachment=True, filename=f"dossier-{export.client.external_id}.pdf", content_type="application/pdf"
    )
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp
