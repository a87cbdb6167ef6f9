"""Uploading a document: the type from the content, the size limit, the file name, the event and the row; the
download and preview: tenancy, role, confidentiality, audit, headers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import storages

from regie.audit.models import AuditRecord
from regie.casework.decisions import record_step
from regie.casework.models import Event
from regie.core.events import EventError
from regie.documents import services, uploads
from regie.documents.models import Document

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def _post(client, case, content: bytes, name="stuk.pdf", **fields):
    data = {"kind": "loonstrook", "title": "", "document_date": "", **fields}
    data["file"] = upload(name, content)
    return client.post(f"/dossiers/{case.pk}/documenten/nieuw/", data)


def test_upload_stores_the_file_records_the_event_and_audits(world, login, case_a, km):
    c = login(km)
    content = pdf_bytes()
    resp = _post(c, case_a, content, name="loonstrook jan.pdf", document_date="2025-01-31")
    assert resp.status_code == 302, resp.content.decode()[:2000]
    doc = Document.objects.get(case=case_a)
    assert doc.kind == "loonstrook" and doc.content_type == "application/pdf" and doc.size == len(content)
    assert doc.title == "loonstrook jan.pdf" and doc.document_date == dt.date(2025, 1, 31)
    assert storages["documents"].open(doc.storage_key).read() == content
    event = Event.objects.get(case=case_a, type="document")
    assert doc.event == event and event.payload["sha256"] == doc.sha256 and event.actor == km
    assert "loonstrook jan" not in str(event.payload)  # the file name stays off the log
    assert event.payload["retention_class"] == "bijstand_verstrekt"
    assert AuditRecord.objects.filter(object_type="document", object_id=doc.document_id, action="create").exists()
    page = c.get(f"/clienten/{case_a.client_id}/").content.decode()
    assert "loonstrook jan.pdf" in page and f"/documenten/{doc.pk}/" in page


def test_a_renamed_program_is_refused_naming_the_field(world, login, case_a, km):
    resp = _post(login(km), case_a, b"MZ\x90\x00" + b"\x00" * 2000, name="loonstrook.pdf")
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "Bestand: dit type bestand wordt niet aangenomen" in body
    assert 'value="loonstrook"' in body or "selected" in body  # the form keeps the choice
    assert not Document.objects.exists() and not Event.objects.filter(type="document").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_stored(world, login, case_a, km, settings):
    settings.REGIE_DOCUMENT_MAX_BYTES = 10_000
    resp = _post(login(km), case_a, pdf_bytes() + b"%" * 20_000)
    assert resp.status_code == 413
    assert "groter dan" in resp.content.decode()
    assert not Document.objects.exists()


def test_a_body_declared_over_the_limit_is_not_read(world, login, case_a, km, settings):
    settings.REGIE_DOCUMENT_MAX_BYTES = 10_000
    c = login(km)
    body = b"x" * 200_000
    resp = c.generic(
        "POST",
        f"/dossiers/{case_a.pk}/documenten/nieuw/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert resp.status_code == 413 and not Document.objects.exists()


def test_wrong_kind_and_future_date_are_named(world, login, case_a, km):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    resp = _post(login(km), case_a, pdf_bytes(), kind="paspoort", document_date=future)
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "Soort document: kies een soort" in body and "Datum document ligt in de toekomst" in body


def test_file_names_are_cleaned():
    assert uploads.clean_filename("../../etc/pass wd<script>.exe", "application/pdf") == "pass wd_script.pdf"
    assert uploads.clean_filename("C:\\Users\\x\\scan 1.JPG", "image/jpeg") == "scan 1.jpg"
    assert uploads.clean_filename("\x00\x1f...", "image/png") == "document.png"
    assert len(uploads.clean_filename("a" * 500 + ".pdf", "application/pdf")) <= 120


def test_magic_bytes():
    assert uploads.sniff(pdf_bytes()[:16]) == "application/pdf"
    assert uploads.sniff(png_bytes()[:16]) == "image/png"
    assert uploads.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") == "image/jpeg"
    assert uploads.sniff(b"II*\x00\x08\x00\x00\x00") == "image/tiff"
    assert uploads.sniff(b"\x00\x00\x00\x18ftypheic\x00\x00") == "image/heic"
    assert uploads.sniff(b"MZ\x90\x00\x03\x00\x00\x00") is None
    assert uploads.sniff(b"<html><script>") is None


def test_download_is_audited_attachment_and_nosniff(world, login, case_a, km):
    doc = services.store_upload(case_a, km, upload("bank.pdf", pdf_bytes()), kind="bankafschrift")
    c = login(world.users_a["inkomensconsulent"])
    resp = c.get(f"/documenten/{doc.pk}/bestand/")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content).startswith(b"%PDF-")
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("attachment") and "bank.pdf" in resp["Content-Disposition"]
    assert resp["Content-Type"] == "application/pdf"
    rec = AuditRecord.objects.get(object_type="document", object_id=doc.document_id, action="read")
    assert rec.actor == "inkomensconsulent.0518" and rec.detail.startswith("download")


def test_medical_documents_are_confidential_and_hidden_from_other_roles(world, login, case_a, km):
    doc = services.store_upload(
        case_a, km, upload("brief huisarts.pdf", pdf_bytes()), kind="medische_informatie", confidential=False
    )
    assert doc.confidential and doc.event.payload["confidential"] is True  # always, whatever the form said
    for role, status in (
        ("integrale_klantmanager", 200),
        ("reintegratieconsulent", 404),  # not the case's caseworker nor the uploader (casework.confidential)
        ("teammanager", 200),
        ("inkomensconsulent", 404),
        ("juridisch_medewerker", 404),
        ("beleidsmedewerker", 403),
        ("provider_coach", 403),
    ):
        c = login(world.users_a[role])
        for url in (f"/documenten/{doc.pk}/", f"/documenten/{doc.pk}/bestand/"):
            assert c.get(url).status_code == status, (role, url)
        if status == 404:
            assert "brief huisarts" not in c.get(f"/clienten/{case_a.client_id}/").content.decode()
    assert AuditRecord.objects.filter(object_type="document", result="denied").count() >= 4


def test_another_municipality_gets_404(world, login, case_a, km):
    doc = services.store_upload(case_a, km, upload("x.png", png_bytes()), kind="identiteitsbewijs")
    c = login(world.users_b["integrale_klantmanager"])
    for url in (f"/documenten/{doc.pk}/", f"/documenten/{doc.pk}/bestand/", f"/documenten/{doc.pk}/voorbeeld/"):
        assert c.get(url).status_code == 404
    assert c.post(f"/dossiers/{case_a.pk}/documenten/nieuw/", {"kind": "overig"}).status_code == 404


def test_image_preview_is_scaled_and_audited(world, login, case_a, km):
    from PIL import Image

    doc = services.store_upload(case_a, km, upload("foto.png", png_bytes((3000, 2000))), kind="identiteitsbewijs")
    c = login(km)
    page = c.get(f"/documenten/{doc.pk}/").content.decode()
    assert f"/documenten/{doc.pk}/voorbeeld/" in page
    resp = c.get(f"/documenten/{doc.pk}/voorbeeld/")
    assert resp.status_code == 200 and resp["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(io.BytesIO(resp.content)).size) == 1200
    assert AuditRecord.objects.filter(object_id=doc.document_id, detail__startswith="preview").exists()


def test_a_pdf_has_no_preview_but_a_download(world, login, case_a, km):
    doc = services.store_upload(case_a, km, upload("plan.pdf", pdf_bytes()), kind="ondertekend_plan")
    c = login(km)
    assert "geen voorbeeld" in c.get(f"/documenten/{doc.pk}/").content.decode()
    assert c.get(f"/documenten/{doc.pk}/voorbeeld/").status_code == 404


def test_a_document_event_without_a_stored_file_is_refused(world, case_a, km):
    with pytest.raises(EventError) as exc:
        record_step(
            case_a,
            km,
            event_type="document",
            effective_date=dt.date.today(),
            payload={
                "document_id": "DO-1",
                "kind": "overig",
                "storage_key": "0518/2026/12/nope.pdf",
                "sha256": "0" * 64,
                "size": 1,
                "content_type": "application/pdf",
            },
        )
    assert "payload.storage_key" in dict(exc.value.errors)


def test_a_failed_recording_leaves_no_file(world, case_a, settings):
    before = set(storages["documents"].listdir("")[0])
    with pytest.raises(services.DocumentError):
        services.store_upload(case_a, world.users_a["integrale_klantmanager"], upload("a.pdf", b""), kind="overig")
    assert set(storages["documents"].listdir("")[0]) == before


def test_store_generated_keeps_one_document_per_content(world, case_a, km):
    content = pdf_bytes("Beschikking toekenning")
    args = {"kind": "brief_gemeente", "filename": "beschikking.pdf", "content": content, "user": km}
    first = services.store_generated(case_a, **args)
    again = services.store_generated(case_a, **args)
    assert first.pk == again.pk and first.origin == "generated" and first.event.payload["origin"] == "generated"
    assert Document.objects.filter(case=case_a).count() == 1


def test_the_timeline_shows_no_storage_key_and_confidential_documents_only_as_such(world, login, case_a, km):
    doc = services.store_upload(case_a, km, upload("a.pdf", pdf_bytes()), kind="medische_informatie")
    plain = services.store_upload(case_a, km, upload("b.pdf", pdf_bytes("b")), kind="loonstrook")
    for role, sees in (("integrale_klantmanager", True), ("inkomensconsulent", False)):
        page = login(world.users_a[role]).get(f"/clienten/{case_a.client_id}/").content.decode()
        assert doc.storage_key not in page and plain.storage_key not in page and doc.sha256 not in page
        assert ("Medische informatie" in page) is sees  # the timeline shows the kind by its label
        assert "Loonstrook" in page
    api = login(world.users_a["inkomensconsulent"]).get(f"/api/v1/cases/{case_a.pk}/events/").content.decode()
    assert "medische_informatie" not in api and doc.storage_key not in api and "loonstrook" in api
