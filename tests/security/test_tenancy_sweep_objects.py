"""Every URL with an object id × every role × GET and POST, with another municipality's ids for every object type
that has its own URL: vignette studies and vignettes, lab runs, inzage and rectification requests, destruction
lists, their items and retention holds, API tokens and applications, and users. No response shows the other
municipality's object, and nothing of it changes.

The URL patterns come from the resolver (as in test_tenancy_sweep.py, which sweeps clients, cases, events and
pending decisions), so a new page with one of these parameters is swept too; a parameter this test cannot fill
fails the test. The number of attempts is written to test-artifacts/tenancy-sweep-objects.json
(docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from regie.agenda.models import Appointment
from regie.api import tokens
from regie.api.models import ApiApplication, ApiToken
from regie.casework.models import Event
from regie.core.records import ROLES
from regie.documents import services as documents
from regie.documents.models import Document, DossierExport
from regie.equity.models import Vignette, VignetteStudy
from regie.lab.models import LabRun
from regie.privacy import services as privacy
from regie.privacy.models import AccessRequest, RectificationRequest
from regie.retention.models import DestructionItem, DestructionList, RetentionHold
from regie.worktasks import services as worktasks
from regie.worktasks.models import Absence, Task

from .test_tenancy_sweep import PARAM, _fill, _routes

pytestmark = pytest.mark.django_db

SECRET = "GEHEIMB"  # in every text field of municipality B's objects below
# Values for path parameters that are not object ids.
WORDS = {
    "action": ["verify", "extend", "provided", "decide"],
    "fmt": ["pdf", "json", "csv", "xlsx"],
    "event_type": ["contact"],
}


def _objects_of_b(world) -> dict[str, list[int]]:
    b, users = world.b, world.users_b
    client = world.clients_b[0]
    case = client.cases.get()
    study = VignetteStudy.objects.create(
        municipality=b,
        title=f"Studie {SECRET}",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        created_by=users["beleidsmedewerker"],
    )
    study.participants.add(b)
    vignette = Vignette.objects.create(
        study=study,
        title=f"Vignet {SECRET}",
        age=30,
        sex="V",
        household="alleenstaande",
        education="mbo",
        language="nl",
        health="goed",
        motivation_willen="hoog",
        motivation_kunnen="hoog",
        sketch=SECRET,
    )
    run = LabRun.objects.create(
        municipality=b,
        created_by=users["beleidsmedewerker"],
        scenario=f"policy:{SECRET}",
        params={},
        status="done",
        result={"measures": [], "charts": [], "runs": []},
    )
    access = privacy.record_access_request(
        client, requested_by=f"Verzoeker {SECRET}", received_on=dt.date(2025, 3, 1), user=users["functioneel_beheerder"]
    )
    rect = privacy.record_rectification(
        client,
        requested_by=f"Verzoeker {SECRET}",
        received_on=dt.date(2025, 3, 1),
        field="anders",
        statement=f"Klopt niet {SECRET}",
        user=users["functioneel_beheerder"],
    )
    dlist = DestructionList.objects.create(municipality=b, month=dt.date(2025, 1, 1), created_by=SECRET)
    item = DestructionItem.objects.create(
        list=dlist,
        case_external_id=f"K-{SECRET}",
        retention_class="melding",
        ended_on=dt.date(2020, 1, 1),
        destroy_on=dt.date(2021, 1, 1),
    )
    hold = RetentionHold.objects.create(municipality=b, case=case, reason="bezwaar", note=SECRET, placed_by=SECRET)
    app = tokens.create_application(
        name=f"koppeling-{SECRET.lower()}",
        municipality=b,
        role="integrale_klantmanager",
        scopes=["read"],
        contact=SECRET,
        actor="test",
        origin="test",
    )
    token, _ = tokens.issue(users["integrale_klantmanager"], name=f"Sleutel {SECRET}", actor="test", origin="test")
    # documents and work tasks: a confidential and an ordinary document, a dossier PDF, a task
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake_pdf = b"%PDF-1.4\n% " + SECRET.encode() + b"\n%%EOF\n"
    docs = [
        documents.store_upload(
            case,
            users["integrale_klantmanager"],
            SimpleUploadedFile(f"{SECRET}.pdf", fake_pdf),
            kind=kind,
            title=f"Stuk {SECRET}",
        )
        for kind in ("medische_informatie", "loonstrook")
    ]
    export = DossierExport.objects.create(
        municipality=b,
        client=client,
        purpose="bezwaar",
        requested_by=users["integrale_klantmanager"],
        status="done",
        storage_key=documents.storage().save("exports/b.pdf", SimpleUploadedFile("b.pdf", fake_pdf)),
    )
    task = worktasks.create(
        users["teammanager"], case=case, title=f"Taak {SECRET}", assignee=users["integrale_klantmanager"]
    )
    # agenda: an appointment (its place) and a confidential journal note of B
    from regie.agenda.services import plan
    from regie.journal.services import add_note

    appointment = plan(
        case,
        users["integrale_klantmanager"],
        kind="intake",
        date=dt.date.today() + dt.timedelta(days=1),
        start_time=dt.time(10, 0),
        location=f"Werkplein {SECRET}",
    )
    add_note(
        case, users["integrale_klantmanager"], text=f"Notitie {SECRET}", confidential=True, confidentiality="medisch"
    )
    return {
        "document_id": [d.pk for d in docs],
        "export_id": [export.pk],
        "task_id": [task.pk],
        "appointment_id": [appointment.pk],
        "study_id": [study.pk],
        "vignette_id": [vignette.pk],
        "run_id": [run.pk],
        "request_id": [access.pk, rect.pk],
        "list_id": [dlist.pk],
        "item_id": [item.pk],
        "hold_id": [hold.pk],
        "app_id": [app.pk],
        "token_id": [token.pk],
        "user_id": [users["integrale_klantmanager"].pk],
    }


def _state_of_b(world) -> tuple:
    """Everything of municipality B's objects that a write could change."""
    return (
        list(VignetteStudy.objects.filter(municipality=world.b).values_list("title", "starts_on", "ends_on")),
        list(Vignette.objects.filter(study__municipality=world.b).values_list("title", "sketch")),
        list(LabRun.objects.filter(municipality=world.b).values_list("status", "scenario")),
        list(
            AccessRequest.objects.filter(municipality=world.b).values_list(
                "identity_verified_on", "extended_due_on", "provided_on"
            )
        ),
        list(RectificationRequest.objects.filter(municipality=world.b).values_list("decision", "after")),
        list(DestructionList.objects.filter(municipality=world.b).values_list("state", "approved_by")),
        DestructionItem.objects.filter(list__municipality=world.b).count(),
        list(RetentionHold.objects.filter(municipality=world.b).values_list("released_at")),
        list(ApiApplication.objects.filter(municipality=world.b).values_list("scopes", "user__is_active")),
        list(ApiToken.objects.filter(municipality_at_issue=world.b).values_list("revoked_at")),
        # agenda: appointments and notes of B
        list(Appointment.objects.filter(municipality=world.b).values_list("status", "date", "location")),
        Event.objects.filter(municipality=world.b).count(),
        list(
            world.users_b["integrale_klantmanager"]
            .__class__.objects.filter(municipality=world.b)
            .values_list("username", "is_active")
        ),
        list(Document.objects.filter(municipality=world.b).values_list("title", "confidential")),
        list(DossierExport.objects.filter(municipality=world.b).values_list("status", "storage_key")),
        list(Task.objects.filter(municipality=world.b).values_list("title", "status", "assignee", "team")),
        Absence.objects.filter(municipality=world.b).count(),
    )


def test_no_object_of_another_municipality_is_shown_or_changed(world, client):
    ids = _objects_of_b(world)
    routes = [
        (p, n) for p, n in _routes() if any((m.group("name") or m.group("rname")) in ids for m in PARAM.finditer(p))
    ]
    assert len(routes) >= 15, routes
    for pattern, _name in routes:
        for m in PARAM.finditer(pattern):
            param = m.group("name") or m.group("rname")
            assert param in ids or param in WORDS or param in ("case_id", "client_id"), (pattern, param)
    fill = {**ids, **WORDS, "case_id": [world.clients_b[0].cases.get().pk], "client_id": [world.clients_b[0].pk]}
    before = _state_of_b(world)
    attempts, shown = 0, []
    for role in ROLES:
        client.force_login(world.users_a[role])
        for pattern, _ in routes:
            for path in _fill(pattern, fill):
                for method in ("get", "post"):
                    resp = getattr(client, method)(
                        path, {} if method == "post" else None, HTTP_ACCEPT="text/html,application/json"
                    )
                    attempts += 1
                    body = (
                        resp.content.decode(errors="replace")
                        if resp.get("Content-Type", "").startswith(("text", "application/json"))
                        else resp.content.decode("latin-1")
                    )
                    if SECRET in body or SECRET.lower() in body:
                        shown.append((role, method, path, resp.status_code))
    assert shown == []
    assert _state_of_b(world) == before
    # the detection works: municipality B's own staff do see their objects on the same pages
    from django.urls import reverse

    client.force_login(world.users_b["beleidsmedewerker"])
    assert SECRET in client.get(reverse("equity:study", args=[ids["study_id"][0]])).content.decode()
    client.force_login(world.users_b["functioneel_beheerder"])
    assert SECRET in client.get(reverse("privacy:access", args=[ids["request_id"][0]])).content.decode()
    client.force_login(world.users_b["integrale_klantmanager"])
    for doc_id in ids["document_id"]:
        assert SECRET in client.get(reverse("documents:detail", args=[doc_id])).content.decode()
    assert SECRET in client.get(reverse("worktasks:detail", args=[ids["task_id"][0]])).content.decode()
    assert SECRET in b"".join(client.get(reverse("documents:export_download", args=[ids["export_id"][0]]))).decode()
    # agenda: the appointment and the journal
    assert SECRET in client.get(reverse("agenda:appointment", args=[ids["appointment_id"][0]])).content.decode()
    assert SECRET in client.get(reverse("journal:case", args=[world.clients_b[0].cases.get().pk])).content.decode()
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    (out / "tenancy-sweep-objects.json").write_text(
        json.dumps(
            {
                "attempts": attempts,
                "routes": len(routes),
                "roles": len(ROLES),
                "object_types": len(ids),
                "shown": 0,
                "changed": 0,
            },
            indent=2,
        )
    )
    print(f"object sweep: {attempts} attempts over {len(routes)} routes × {len(ROLES)} roles, 0 shown, 0 changed")
