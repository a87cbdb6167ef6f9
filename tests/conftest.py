"""Shared fixtures: two municipalities with users of every role, clients and cases recorded as events."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from regie.core.records import ROLES

BSNS_A = ["111222333", "123456782", "100000009"]
BSNS_B = ["999999990", "111111110"]
PASSWORD = "correct-horse-battery"


# Tests append events and look at the monitoring pages at once (and ids repeat after each test's rollback): no
# grace period for the monitoring cache, here and in the servers the browser tests start.
os.environ["REGIE_MONITORING_MAX_AGE"] = "0"

# Under pytest-xdist (`make test` runs one process per core) each worker has a var directory of its own for the
# `regie` commands and servers the tests start (their disk copies of the analytic store, documents, secret key).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["REGIE_VAR_DIR"] = "{}-{}".format(
        os.environ.get("REGIE_VAR_DIR", "/tmp/regie-test-var"), os.environ["PYTEST_XDIST_WORKER"]
    )


# --- the PostgreSQL pass: only the tests that reach the database ---
DATABASE_ONLY_ENV = "REGIE_TESTS_DATABASE_ONLY"
# (Not django_db_blocker: pytest-django's autouse fixtures ask every test for it.)
_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "cli_db"}
# A module that reaches a database by its own means (a `regie` subprocess, its own connection, DATABASE_URL): its
# tests are kept even where they ask for no database fixture. Matching on the source text keeps too much rather than
# too little: a module that only names one of these words is run on both databases.
_OWN_DATABASE_ACCESS = ("DATABASE_URL", "subprocess", "cli_db", "psycopg", "sqlite3", "connection")


def reaches_database(item, _source_cache: dict[str, bool] = {}) -> bool:  # noqa: B006  (a per-run memo)
    """Whether a test uses the database: a Django database fixture or marker, or a module that reaches one itself."""
    if _DB_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db"):
        return True
    path = str(item.path)
    if path not in _source_cache:
        text = item.path.read_text(encoding="utf-8")
        _source_cache[path] = any(word in text for word in _OWN_DATABASE_ACCESS)
    return _source_cache[path]


def pytest_collection_modifyitems(config, items):
    """With REGIE_TESTS_DATABASE_ONLY=1 (CI's PostgreSQL pass, `.ci/run`) leave out the tests that never reach the
    database: the core's tests (policy engine, equity statistics, the lab, benefit arithmetic) gave their answer in
    the SQLite pass and would give the same one again."""
    if os.environ.get(DATABASE_ONLY_ENV) != "1":
        return
    kept = [item for item in items if reaches_database(item)]
    left_out = [item for item in items if not reaches_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


# Hypothesis: no time limit per example and no "input generation is slow" health check. Both measure the machine,
# not the code (a loaded CI machine with a test process per core failed them); every property is still checked.
hypothesis_settings.register_profile(
    "regie", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "regie"))


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


# --- the analytic store's disk copies ---
@pytest.fixture(autouse=True)
def _frames_dir(settings, tmp_path_factory):
    """Disk copies of the analytic store (regie.analytics.store) go to a temporary directory per test, never to
    var/frames, which another test process or an earlier run may hold for a database with the same ids."""
    settings.REGIE_FRAMES_DIR = str(tmp_path_factory.mktemp("frames"))


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
def import_synthetic(tmp_path, world, settings):
    """Import a generated synthetic municipality (regie.core.synth, seed 2) of ``clients`` clients beside the
    world, its background jobs run at once: the data the tests comparing a page's rows with their old templates read."""

    def _import(clients: int, code: str = "0363") -> None:
        from regie.casework.interchange import import_file
        from regie.core.synth import generate

        settings.TASKS = INLINE_JOBS
        path = tmp_path / f"synthetic-{code}.jsonl"
        generate(code, clients, 2, path)
        import_file(path, code)

    return _import


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
