"""Notifications: created on approval given/refused, a provider report in, a term about to expire (the periodic
job, idempotent), a task (notify); the bell's count; list and mark read; e-mail only when opted in and on. What a
notification says is a message key with parameters, rendered when read in the reader's language (the e-mail in the
recipient's chosen language); formatted text is refused."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from regie.casework.decisions import record_step, review_pending
from regie.casework.models import PendingDecision
from regie.casework.services import append_event
from regie.notifications.messages import MESSAGES
from regie.notifications.models import Notification, NotificationPreference
from regie.notifications.services import notify
from regie.notifications.tasks import announce_terms

pytestmark = pytest.mark.django_db


def _pending(world, km, case):
    return PendingDecision.objects.create(
        municipality=world.a,
        case=case,
        event_type="waarschuwing",
        effective_date=timezone.localdate(),
        payload={"obligation_type": "administratief"},
        decision={},
        requested_by=km,
    )


@pytest.mark.parametrize("approve, kind", [(True, "approval"), (False, "refusal")])
def test_review_notifies_the_author(world, km, case_a, approve, kind):
    review_pending(_pending(world, km, case_a), world.users_a["teammanager"], approve=approve, note="ok")
    (n,) = Notification.objects.filter(user=km)
    assert n.kind == kind and n.link == reverse("client_detail", args=[case_a.client_id])
    assert n.text == "" and n.params == {"step": "waarschuwing", "case": case_a.external_id}
    with translation.override("nl"):
        assert f"(Waarschuwing, dossier {case_a.external_id})" in n.shown  # the step by its label, not its key
        assert ("goedgekeurd" if approve else "afgewezen") in n.shown
    with translation.override("en"):
        assert n.shown.startswith(f"Your decision (Warning, case {case_a.external_id})")


def test_provider_report_notifies_the_caseworker(world, km, case_a):
    append_event(
        case_a,
        type="traject_start",
        effective_date=timezone.localdate(),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
        actor=km,
    )
    append_event(
        case_a,
        type="rapportage",
        effective_date=timezone.localdate(),
        payload={"trajectory_id": "T1"},
        actor=world.users_a["provider_coach"],
    )
    assert Notification.objects.filter(user=km, kind="report").count() == 1


def test_terms_job_announces_each_term_once(world, km, case_a):
    record_step(
        case_a,
        km,
        event_type="plan_van_aanpak",
        effective_date=timezone.localdate(),
        payload={"version": 1, "review_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    assert announce_terms.call(world.a.id) == 1
    assert announce_terms.call(world.a.id) == 0
    (n,) = Notification.objects.filter(user=km, kind="term")
    due = timezone.localdate() + dt.timedelta(days=3)
    assert n.message == "term_expiring" and n.params["label"] == "plan_review" and n.params["due"] == due.isoformat()
    with translation.override("nl"):
        assert n.shown.startswith("Termijn Evaluatie plan van aanpak verloopt op ")
        assert str(due.year) in n.shown and "-" not in n.shown.split(" op ")[1].split(" (")[0]  # "9 december 2026"
    with translation.override("en"):
        assert n.shown.startswith("Term Action plan review expires on ") and "Evaluatie" not in n.shown


def _task(km, title="stukken opvragen", link="/clienten/"):
    return notify(km, "task", "task_new", {"title": title}, link)


def test_notify_for_tasks_and_unknown_kind(world, km):
    assert _task(km)
    with pytest.raises(ValueError):
        notify(km, "gossip", "task_new", {"title": "x"})


@pytest.mark.parametrize(
    "message, params",
    [
        ("Nieuwe taak: stukken opvragen", {}),  # formatted text where the key belongs
        ("Nieuwe taak: %(title)s", {"title": "x"}),  # the msgid is not the key either
        ("task_new", {}),  # a parameter missing
        ("task_new", {"title": "x", "extra": "y"}),  # one too many
        ("task_new", {"title": gettext_lazy("Nieuwe taak")}),  # a lazy translation would be stored in one language
        ("caseload_transferred", {"cases": True, "tasks": 1}),
    ],
)
def test_formatted_text_or_wrong_parameters_are_refused(world, km, message, params):
    with pytest.raises(ValueError):
        notify(km, "task", message, params, "/")
    assert not Notification.objects.filter(user=km).exists()


def test_every_caller_passes_a_message_key():
    """Every call of notify() (and worktasks' _notify) in the source names its message by a literal key of
    MESSAGES: a caller that formats text first fails here, not only when its code path runs."""
    src = Path(__file__).resolve().parents[2] / "src" / "regie"
    calls = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("notify", "_notify"):
                continue
            position = 2  # notify(user, kind, message, ...) and _notify(task, user, message, ...)
            arg = node.args[position] if len(node.args) > position else None
            where = f"{path.relative_to(src)}:{node.lineno}"
            if where.startswith("worktasks/services.py") and isinstance(arg, ast.Name) and arg.id == "message":
                continue  # worktasks' _notify passes its own argument on (its callers are checked here)
            calls.append(where)
            if isinstance(arg, ast.IfExp):  # "a" if approved else "b"
                keys = [arg.body, arg.orelse]
            else:
                keys = [arg]
            for k in keys:
                assert isinstance(k, ast.Constant) and k.value in MESSAGES, f"{where}: not a message key"
    assert len(calls) >= 6, calls  # approval, report, term, task new / transferred / bulk


def test_bell_list_and_mark_read(world, km, login):
    _task(km)
    c = login(km)
    page = c.get(reverse("notifications:index"))
    assert page.context["unread_notifications"] == 1 and "Nieuwe taak: stukken opvragen" in page.content.decode()
    n = Notification.objects.get(user=km)
    resp = c.post(reverse("notifications:read"), {"id": n.pk, "open": "1"})
    assert resp["Location"] == "/clienten/"
    n.refresh_from_db()
    assert n.read
    assert c.get(reverse("notifications:index")).context["unread_notifications"] == 0


def test_others_cannot_mark_my_notifications(world, km, login):
    n = _task(km, "Taak", "/")
    login(world.users_b["integrale_klantmanager"]).post(reverse("notifications:read"), {"id": n.pk})
    n.refresh_from_db()
    assert not n.read


def test_email_only_when_opted_in_and_configured(world, km, settings, django_capture_on_commit_callbacks):
    km.email = "km@example.org"
    km.save()
    settings.REGIE_NOTIFY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        _task(km, "Taak 1", "/")
    assert mail.outbox == []
    NotificationPreference.objects.create(user=km, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        _task(km, "Taak 2", "/")
    assert [m.to for m in mail.outbox] == [["km@example.org"]]
    settings.REGIE_NOTIFY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        _task(km, "Taak 3", "/")
    assert len(mail.outbox) == 1


def test_the_list_reads_in_the_readers_language(world, km, login):
    with translation.override("nl"):  # created while Dutch is active, read in English
        notify(km, "task", "caseload_transferred", {"cases": 1, "tasks": 3}, "/")
    c = login(km)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("notifications:index")).content.decode()
    assert "Handed to you: 1 case and 3 tasks." in html and "overgedragen" not in html
    c.cookies["django_language"] = "nl"
    assert "Aan u overgedragen: 1 dossier en 3 taken." in c.get(reverse("notifications:index")).content.decode()


def test_email_in_the_recipients_language(world, km, login, settings, django_capture_on_commit_callbacks):
    km.email = "km@example.org"
    km.save()
    NotificationPreference.objects.create(user=km, email=True)
    settings.REGIE_NOTIFY_EMAIL = True
    c = login(km)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})  # the switch, used while logged in
    km.refresh_from_db()
    assert km.language == "en"
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):  # a Dutch colleague's act
        _task(km, "Loonstrook opvragen", "/taken/")
    (m,) = mail.outbox
    assert m.subject == "Regie: New task: Loonstrook opvragen" and "Nieuwe taak" not in m.body
    km.language = ""  # never chose: the deployment's default (Dutch)
    km.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _task(km, "Bellen", "/taken/")
    assert mail.outbox[1].subject == "Regie: Nieuwe taak: Bellen"


def test_older_rows_get_their_message_key_from_the_known_patterns(world, km, case_a):
    """The data migration: a text of a known pattern (Dutch or English) becomes its key and parameters and reads
    in the reader's language; a text it does not know keeps showing as it is."""
    migration = importlib.import_module("regie.notifications.migrations.0003_i18n6b_messages_from_text")
    rows = [
        Notification.objects.create(user=km, kind="task", text="Nieuwe taak: Bellen over loonstrook"),
        Notification.objects.create(user=km, kind="task", text="Task handed to you: Afspraak maken"),
        Notification.objects.create(user=km, kind="task", text="12 dossiers en 1 taken aan u overgedragen"),
        Notification.objects.create(
            user=km, kind="approval", text="Uw besluit (waarschuwing, dossier K9) is goedgekeurd door de teammanager."
        ),
        Notification.objects.create(
            user=km,
            kind="term",
            text="Termijn Evaluatie plan van aanpak verloopt op 09-12-2026 (dossier K9).",
            key=f"term:{case_a.pk}:plan_review:2026-12-09",
        ),
        Notification.objects.create(user=km, kind="task", text="Iets wat niemand herkent"),
    ]
    migration.forwards(django_apps, None)
    for n in rows:
        n.refresh_from_db()
    assert [n.message for n in rows] == [
        "task_new",
        "task_transferred",
        "caseload_transferred",
        "decision_approved",
        "term_expiring",
        "",
    ]
    with translation.override("en"):
        assert [n.shown for n in rows] == [
            "New task: Bellen over loonstrook",
            "Task handed to you: Afspraak maken",
            "Handed to you: 12 cases and 1 task.",
            "Your decision (Warning, case K9) was approved by the team manager.",
            "Term Action plan review expires on 9 December 2026 (case K9).",
            "Iets wat niemand herkent",
        ]


def test_logging_in_on_an_english_browser_makes_english_the_users_language(world, km, client):
    from tests.conftest import PASSWORD

    assert km.language == ""
    client.cookies["django_language"] = "en"
    r = client.post(reverse("login"), {"username": km.username, "password": PASSWORD})
    assert r.status_code == 302
    km.refresh_from_db()
    assert km.language == "en"
    client.cookies["django_language"] = "xx"  # not one of ours: ignored
    client.post(reverse("login"), {"username": km.username, "password": PASSWORD})
    km.refresh_from_db()
    assert km.language == "en"


def test_a_typed_title_is_marked_dutch_in_the_english_list_and_escaped():
    from django.utils import translation

    from regie.notifications.models import Notification

    n = Notification(message="task_new", params={"title": "Bel <de> cliënt"})
    with translation.override("en"):
        assert str(n.shown_html) == 'New task: <span lang="nl">Bel &lt;de&gt; cliënt</span>'
    with translation.override("nl"):
        assert str(n.shown_html) == "Nieuwe taak: Bel &lt;de&gt; cliënt"
