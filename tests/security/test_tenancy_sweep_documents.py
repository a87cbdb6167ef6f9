"""Confidential documents × every role × every document URL: a role that may not see confidential documents gets
403 or 404 and no trace of the document (title, file name, content) on any page of the client, while the roles
that may see it do (the control). Tenancy for documents and tasks is swept in test_tenancy_sweep_objects.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regie.casework.confidential import may_read_confidential
from regie.core.records import ROLES
from regie.documents import services

from .test_tenancy_sweep import _routes

pytestmark = pytest.mark.django_db

SECRET = "VERTROUWELIJKX"


def test_confidential_documents_are_invisible_to_roles_that_may_not_see_them(world, client):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    content = b"%PDF-1.4\n% " + SECRET.encode() + b"\n%%EOF\n"
    doc = services.store_upload(
        case,
        km,
        SimpleUploadedFile(f"{SECRET}.pdf", content),
        kind="overig",
        title=f"Brief {SECRET}",
        confidential=True,
    )
    routes = [p for p, n in _routes() if n and n.startswith("documents:") and "<int:document_id>" in p]
    assert len(routes) >= 3, routes
    paths = [p.replace("<int:document_id>", str(doc.pk)).replace("^", "").replace("$", "") for p in routes]
    client_page = f"/clienten/{case.client_id}/"
    attempts, shown = 0, []
    for role in ROLES:
        client.force_login(world.users_a[role])
        may = may_read_confidential(world.users_a[role], author_id=km.pk, caseworker_id=km.pk)
        for path in ["/" + p for p in paths] + [client_page]:
            resp = client.get(path)
            attempts += 1
            body = b"".join(resp.streaming_content) if resp.streaming else resp.content
            seen = SECRET.encode() in body
            if path == client_page:
                if seen != may and resp.status_code == 200:
                    shown.append((role, path, resp.status_code, seen))
            elif may:
                assert resp.status_code in (200, 404), (role, path)  # 404: the preview of a PDF
            elif resp.status_code not in (403, 404) or seen:
                shown.append((role, path, resp.status_code, seen))
    assert shown == [], shown
    # the control: the caseworker does see it, title and file
    client.force_login(km)
    assert SECRET in client.get(f"/documenten/{doc.pk}/").content.decode()
    assert SECRET.encode() in b"".join(client.get(f"/documenten/{doc.pk}/bestand/").streaming_content)
    print(f"confidential sweep: {attempts} attempts, 0 shown")
