"""The one confidentiality rule (casework.confidential.may_read_confidential) for notes AND documents, on the web
pages: every role × a confidential note and a confidential document, written by the case's caseworker and by
someone else; who may read one may read the other, and nobody else sees either text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regie.accounts.models import User
from regie.casework.confidential import may_read_confidential
from regie.core.records import ROLES
from regie.documents import services as documents
from regie.journal.services import add_note

pytestmark = pytest.mark.django_db


def _body(resp) -> str:
    return (b"".join(resp.streaming_content) if resp.streaming else resp.content).decode("latin-1")


def test_the_rule_itself(world):
    users = world.users_a
    km = users["integrale_klantmanager"]
    other_km = User.objects.create_user(
        username="km2.0518", password="x", municipality=world.a, role="integrale_klantmanager", team=km.team
    )
    rule = may_read_confidential
    assert rule(km, author_id=None, caseworker_id=km.pk)  # the case's caseworker
    assert rule(users["reintegratieconsulent"], author_id=users["reintegratieconsulent"].pk, caseworker_id=km.pk)
    assert rule(users["teammanager"], author_id=None, caseworker_id=km.pk)
    assert not rule(other_km, author_id=km.pk, caseworker_id=km.pk)  # a colleague not on the case
    assert not rule(users["juridisch_medewerker"], author_id=km.pk, caseworker_id=km.pk)
    coach = users["provider_coach"]
    assert not rule(coach, author_id=coach.pk, caseworker_id=coach.pk)  # never a coach, even as author
    assert not rule(users["auditor"], author_id=None, caseworker_id=None)


@pytest.mark.parametrize("author_role", ["integrale_klantmanager", "reintegratieconsulent"])
def test_every_role_sees_both_kinds_or_neither(world, client, author_role):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]  # the case's caseworker
    author = world.users_a[author_role]
    note_secret, doc_secret = "NOTEGEHEIM", "DOCGEHEIM"
    add_note(
        case,
        author,
        text=f"Notitie {note_secret}",
        confidential=True,
        confidentiality="medisch",
        effective_date=dt.date.today(),
    )
    doc = documents.store_upload(
        case,
        author,
        SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n% x\n%%EOF\n"),
        kind="overig",
        title=f"Brief {doc_secret}",
        confidential=True,
    )
    pages = [f"/clienten/{case.client_id}/", f"/journaal/dossier/{case.pk}/"]
    for role in ROLES:
        user = world.users_a[role]
        may = may_read_confidential(user, author_id=author.pk, caseworker_id=km.pk)
        client.force_login(user)
        bodies = [(p, client.get(p)) for p in pages]
        sees_note = any(r.status_code == 200 and note_secret in _body(r) for _, r in bodies)
        sees_doc_in_list = any(r.status_code == 200 and doc_secret in _body(r) for _, r in bodies)
        detail = client.get(f"/documenten/{doc.pk}/")
        opened = detail.status_code == 200 and doc_secret in _body(detail)
        if may:
            assert sees_note and sees_doc_in_list and opened, role
        else:
            assert not sees_note and not sees_doc_in_list and not opened, role
            assert detail.status_code in (403, 404), role
