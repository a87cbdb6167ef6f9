"""The demo's documents and tasks: stored through the upload service (events, files, confidential medical letter),
tasks due and overdue, a colleague on leave whose tasks the demo caseworker covers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pypdf import PdfReader

from regie.casework.models import Event
from regie.casework.services import append_event
from regie.documents import services
from regie.documents.demo import add_demo_documents
from regie.documents.models import Document
from regie.worktasks.demo import add_demo_tasks
from regie.worktasks.selectors import my_tasks

pytestmark = pytest.mark.django_db


def test_demo_documents_and_tasks(world):
    km, colleague = world.users_a["integrale_klantmanager"], world.users_a["reintegratieconsulent"]
    case = world.clients_a[2].cases.get()
    append_event(
        case,
        type="caseworker_toewijzing",
        effective_date=dt.date(2025, 3, 1),
        payload={"caseworker": colleague.username},
        actor=world.users_a["teammanager"],
    )
    stored = add_demo_documents(world.a)
    docs = Document.objects.filter(municipality=world.a)
    assert (
        stored == docs.count() == Event.objects.filter(municipality=world.a, type="document").count() == 14
    )  # 2 + 1 cases: 4 each, a medical letter on the first
    assert docs.filter(kind="medische_informatie", confidential=True).count() == 2
    assert {"ondertekend_plan", "loonstrook", "bankafschrift"} <= set(docs.values_list("kind", flat=True))
    with services.open_file(docs.filter(kind="loonstrook").first()) as f:
        assert "Loonstrook" in PdfReader(f).pages[0].extract_text()
    made = add_demo_tasks(world.a)
    assert made == 8
    today = timezone.localdate()
    mine = my_tasks(km, today)
    assert len(mine.mine) == 5 and sum(t.due_on < today for t in mine.mine) == 2
    assert [len(tasks) for _absence, tasks in mine.covering] == [3]  # the colleague on leave
