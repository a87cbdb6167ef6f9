"""Shared fixtures: two municipalities with users of every role, clients and cases recorded as events."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from regie.core.records import ROLES

BSNS_A = ["111222333", "123456782", "100000009"]
BSNS_B = ["999999990", "111111110"]
PASSWORD = "correct-horse-battery"


# Tests append events and look at the monitoring pages at once (and ids repeat after each test's rollback): no
# grace period for the monitoring cache, here and in the servers the browser tests start.
os.environ["REGIE_MONITORING_MAX_AGE"] = "0"


INLINE_JOBS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED_JOBS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _inline_jobs(settings):
    """Background jobs (regie.platform.jobs) run at once in the test's process and transaction. Set here, not in
    the environment, so that the servers and workers the tests start use the database queue."""
    settings.TASKS = INLINE_JOBS


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGIE_MONITORING_MAX_AGE = 0


# --- documents ---
@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path_factory):
    """Documents go to a temporary directory per test, never to var/documents."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))},
        },
    }


def _municipality(code: str, name: str, bsns: list[str]):
    from regie.accounts.models import Municipality, Provider, Team, User
    from regie.casework.models import Case, Client
    from regie.casework.services import append_event

    muni = Municipality.objects.create(code=code, name=name)
    team = Team.objects.create(municipality=muni, code="T1", name="Team 1")
    provider = Provider.objects.create(municipality=muni, code="P1", name="Werkbedrijf")
    users = {}
    for role in ROLES:
        users[role] = User.objects.create_user(
            username=f"{role}.{code}",
            password=PASSWORD,
            municipality=muni,
            role=role,
            team=team,
            provider=provider if role == "provider_coach" else None,
        )
    km = users["integrale_klantmanager"]
    clients = []
    for i, bsn in enumerate(bsns):
        client = Client.objects.create(
            municipality=muni,
            external_id=f"C{i}",
            bsn=bsn,
            given_name=f"Voornaam{i}",
            family_name=f"Achternaam{code}{i}",
            birth_date=dt.date(1985, 1, 1 + i),
            sex="V",
            household={"children": [{"birth_date": "2022-03-01"}]},
        )
        case = Case.objects.create(municipality=muni, client=client, external_id=f"K{i}", opened_on=dt.date(2025, 1, 6))
        append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=km)
        append_event(
            case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"}, actor=km
        )
        append_event(
            case,
            type="toekenning",
            effective_date=dt.date(2025, 2, 1),
            payload={"norm_type": "alleenstaande", "monthly_amount": 1400.0},
            actor=km,
        )
        append_event(
            case,
            type="caseworker_toewijzing",
            effective_date=dt.date(2025, 2, 1),
            payload={"caseworker": km.username},
            actor=users["teammanager"],
        )
        clients.append(client)
    return muni, users, clients


class World:
    def __init__(self):
        self.a, self.users_a, self.clients_a = _municipality("0518", "Den Haag", BSNS_A)
        self.b, self.users_b, self.clients_b = _municipality("0772", "Eindhoven", BSNS_B)


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
