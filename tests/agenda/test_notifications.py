"""Notifications: created on approval given/refused, a provider report in, a term about to expire (the periodic
job, idempotent), a task (notify); the bell's count; list and mark read; e-mail only when opted in and on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from regie.casework.decisions import record_step, review_pending
from regie.casework.models import PendingDecision
from regie.casework.services import append_event
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
    assert n.kind == kind and "dossier K0" in n.text and n.link == reverse("client_detail", args=[case_a.client_id])


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
    assert "Evaluatie plan van aanpak" in n.text


def test_notify_for_tasks_and_unknown_kind(world, km):
    assert notify(km, "task", "Taak: stukken opvragen", "/clienten/")
    with pytest.raises(ValueError):
        notify(km, "gossip", "x")


def test_bell_list_and_mark_read(world, km, login):
    notify(km, "task", "Taak: stukken opvragen", "/clienten/")
    c = login(km)
    page = c.get(reverse("notifications:index"))
    assert page.context["unread_notifications"] == 1 and "Taak: stukken opvragen" in page.content.decode()
    n = Notification.objects.get(user=km)
    resp = c.post(reverse("notifications:read"), {"id": n.pk, "open": "1"})
    assert resp["Location"] == "/clienten/"
    n.refresh_from_db()
    assert n.read
    assert c.get(reverse("notifications:index")).context["unread_notifications"] == 0


def test_others_cannot_mark_my_notifications(world, km, login):
    n = notify(km, "task", "Taak", "/")
    login(world.users_b["integrale_klantmanager"]).post(reverse("notifications:read"), {"id": n.pk})
    n.refresh_from_db()
    assert not n.read


def test_email_only_when_opted_in_and_configured(world, km, settings, django_capture_on_commit_callbacks):
    km.email = "km@example.org"
    km.save()
    settings.REGIE_NOTIFY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        notify(km, "task", "Taak 1", "/")
    assert mail.outbox == []
    NotificationPreference.objects.create(user=km, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(km, "task", "Taak 2", "/")
    assert [m.to for m in mail.outbox] == [["km@example.org"]]
    settings.REGIE_NOTIFY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        notify(km, "task", "Taak 3", "/")
    assert len(mail.outbox) == 1
