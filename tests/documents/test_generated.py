"""A letter Regie sends is kept as a document of the case, once per letter, as it was sent."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from regie.casework.models import Event
from regie.documents.models import Document
from tests.letters.conftest import letters_world  # noqa: F401  (the fixture: letterhead and addresses)

pytestmark = pytest.mark.django_db


def test_a_sent_letter_is_stored_once_as_a_document(letters_world, login):  # noqa: F811
    w = letters_world
    c = login(w.users_a["integrale_klantmanager"])
    case = w.clients_a[0].cases.get()
    toekenning = Event.objects.get(case=case, type="toekenning")
    # a draft (not yet sent) is not kept
    assert c.get(reverse("letter", args=[case.pk, toekenning.pk])).status_code == 200
    assert not Document.objects.filter(case=case).exists()
    assert c.post(reverse("letter_send", args=[case.pk, toekenning.pk])).status_code == 302
    doc = Document.objects.get(case=case)
    assert doc.origin == "generated" and doc.kind == "brief_gemeente" and doc.content_type == "application/pdf"
    assert doc.filename == f"brief-toekenning-{toekenning.external_id}.pdf"
    assert doc.event.type == "document" and doc.event.payload["origin"] == "generated"
    stored = storages["documents"].open(doc.storage_key).read()
    assert stored.startswith(b"%PDF-")
    # downloaded after sending (a new PDF, other metadata): still one document, the letter as sent
    assert c.get(reverse("letter", args=[case.pk, toekenning.pk])).status_code == 200
    assert Document.objects.filter(case=case).count() == 1
    assert storages["documents"].open(doc.storage_key).read() == stored
    assert doc.title and doc.title in c.get(f"/clienten/{case.client_id}/").content.decode()
