"""Documents through their life: the inzage lists them, the dossier PDF holds them, destruction removes the files,
and a 20 MB upload is streamed to a temporary file and to the storage in chunks."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc

import orjson
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import RequestFactory
from pypdf import PdfReader

from regie.audit.models import AuditRecord
from regie.casework.models import Case, Client
from regie.casework.services import append_event
from regie.documents import services
from regie.documents.models import Document, DossierExport
from regie.privacy import documents as inzage
from regie.privacy import selectors as privacy_selectors
from regie.retention import services as retention

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
D = dt.date


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_inzage_lists_every_document_confidential_ones_included(world, case_a, km, login):
    services.store_upload(case_a, km, upload("loonstrook.pdf", pdf_bytes()), kind="loonstrook")
    med = services.store_upload(case_a, km, upload("brief arts.pdf", pdf_bytes()), kind="medische_informatie")
    login(km).get(f"/documenten/{med.pk}/")  # a read: it must show in the inzage's access log
    pf = privacy_selectors.person_file(world.clients_a[0])
    assert [d.title for d in pf.documents] == ["loonstrook.pdf", "brief arts.pdf"]
    text = _text(inzage.render_pdf(pf))
    assert "Documenten in uw dossier" in text and "brief arts.pdf" in text and "vertrouwelijk" in text
    assert "een document in uw dossier ingezien" in text
    data = orjson.loads(inzage.render_json(pf))
    assert {d["title"] for d in data["documents"]} == {"loonstrook.pdf", "brief arts.pdf"}


def _export(client, user, purpose, login):
    c = login(user)
    resp = c.post(f"/clienten/{client.pk}/dossier-pdf/", {"purpose": purpose})
    assert resp.status_code == 302, resp.content.decode()[:1000]
    export = DossierExport.objects.latest("id")
    status = c.get(f"/dossier-pdf/{export.pk}/")
    assert status.status_code == 200
    export.refresh_from_db()
    assert export.status == "done", (export.status, export.error)
    pdf = c.get(f"/dossier-pdf/{export.pk}/bestand/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    return export, b"".join(pdf.streaming_content)


def test_the_dossier_pdf_has_cover_timeline_and_enclosures(world, case_a, km, login):
    person = world.clients_a[0]
    services.store_upload(
        case_a, km, upload("plan.pdf", pdf_bytes("Plan van aanpak getekend", pages=3)), kind="ondertekend_plan"
    )
    services.store_upload(case_a, km, upload("id.png", png_bytes()), kind="identiteitsbewijs")
    services.store_upload(
        case_a, km, upload("arts.pdf", pdf_bytes("Medisch geheim", pages=2)), kind="medische_informatie"
    )
    # bezwaar by the inkomensconsulent: no confidential documents
    export, content = _export(person, world.users_a["inkomensconsulent"], "bezwaar", login)
    text = _text(content)
    assert "Dossier ten behoeve van bezwaar of beroep" in text and person.family_name in text
    assert "Tijdlijn dossier K0" in text and "Toekenning" in text and "Document toegevoegd" in text
    assert "Plan van aanpak getekend 3" in text and "Medisch geheim" not in text and "arts.pdf" not in text
    assert "vertrouwelijk document (niet opgenomen)" in text
    timeline_pages = export.pages - 3 - 1
    assert timeline_pages >= 2 and export.progress == export.total == 3  # timeline + two enclosures
    # inzage by the functioneel beheerder: everything, the medical letter too (AVG art. 15)
    export, content = _export(person, world.users_a["functioneel_beheerder"], "inzage", login)
    assert "Medisch geheim 2" in _text(content) and export.include_confidential
    assert AuditRecord.objects.filter(
        object_type="client", detail__startswith=f"dossier pdf {export.pk} downloaded"
    ).exists()


def test_dossier_exports_are_for_the_requester_of_the_same_municipality(world, login):
    person = world.clients_a[0]
    export, _ = _export(person, world.users_a["integrale_klantmanager"], "bezwaar", login)
    for user in (world.users_a["inkomensconsulent"], world.users_b["integrale_klantmanager"]):
        c = login(user)
        assert c.get(f"/dossier-pdf/{export.pk}/").status_code == 404
        assert c.get(f"/dossier-pdf/{export.pk}/bestand/").status_code == 404
    c = login(world.users_b["integrale_klantmanager"])
    assert c.post(f"/clienten/{person.pk}/dossier-pdf/", {"purpose": "bezwaar"}).status_code == 404
    # a caseworker may not make an inzage export (that is the privacy desk's)
    c = login(world.users_a["integrale_klantmanager"])
    assert c.post(f"/clienten/{person.pk}/dossier-pdf/", {"purpose": "inzage"}).status_code == 403


def test_destruction_deletes_the_stored_files(world, km):
    client = Client.objects.create(
        municipality=world.a,
        external_id="C90",
        bsn="123456771",
        given_name="Oud",
        family_name="Dossier",
        birth_date=D(1970, 1, 1),
        sex="M",
    )
    case = Case.objects.create(municipality=world.a, client=client, external_id="K90", opened_on=D(2013, 1, 7))
    for type_, day, payload in (
        ("melding", D(2013, 1, 7), {}),
        ("aanvraag", D(2013, 1, 9), {"norm_type": "alleenstaande"}),
        ("afwijzing", D(2013, 2, 1), {"reason": "vermogen"}),
    ):
        append_event(case, type=type_, effective_date=day, payload=payload, actor=km)
    doc = services.store_upload(case, km, upload("bank.pdf", pdf_bytes()), kind="bankafschrift")
    kept = services.store_upload(world.clients_a[0].cases.get(), km, upload("x.pdf", pdf_bytes("ander")), kind="overig")
    export = DossierExport.objects.create(
        municipality=world.a,
        client=client,
        purpose="bezwaar",
        requested_by=km,
        status="done",
        storage_key=services.storage().save("exports/0518/test.pdf", io.BytesIO(pdf_bytes())),
    )
    store = storages["documents"]
    assert store.exists(doc.storage_key) and store.exists(export.storage_key)
    dl = retention.build_list(world.a, "2024-01", actor="cli:test")
    assert dl.items.filter(case_external_id="K90").exists()
    dl = retention.approve(world.users_a["archivaris"], dl, origin="test")
    record = retention.destroy(dl, actor="cli:test")
    assert not Document.objects.filter(pk=doc.pk).exists() and not DossierExport.objects.filter(pk=export.pk).exists()
    assert not store.exists(doc.storage_key) and not store.exists(export.storage_key)
    assert store.exists(kept.storage_key) and Document.objects.filter(pk=kept.pk).exists()
    assert record.rows["stored_files"] == 2 and record.rows["documents_document"] == 1


def test_a_20_mb_upload_is_streamed_through_a_temporary_file(world, case_a, km, settings):
    """Not timed: the 20 MB body is parsed by the configured upload handlers into a TemporaryUploadedFile, and
    hashing and storing it hold only chunks in memory."""
    big = pdf_bytes() + b"%" + b"0" * (20 * 1024 * 1024)
    request = RequestFactory().post(
        f"/dossiers/{case_a.pk}/documenten/nieuw/", {"kind": "bankafschrift", "file": upload("groot.pdf", big)}
    )
    del big
    tracemalloc.start()
    try:
        f = request.FILES["file"]
        assert isinstance(f, TemporaryUploadedFile) and f.size > 20 * 1024 * 1024
        assert not getattr(request, "upload_too_large", True)
        doc = services.store_upload(case_a, km, f, kind="bankafschrift")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak  # chunks (64 KB) and the PDF page, not the 20 MB
    assert storages["documents"].size(doc.storage_key) == doc.size > 20 * 1024 * 1024
