"""Tenancy isolation per entry point, and audit logging of every read of personal data."""

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


# --- web: worklist ------------------------------------------------------------------------------------------------


def test_worklist_shows_only_own_municipality(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("worklist"), {"scope": "all"}).content.decode()
    for cl in world.clients_a:
        assert cl.family_name in html
    for cl in world.clients_b:
        assert cl.family_name not in html


def test_worklist_search_by_full_bsn_does_not_cross_tenants(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    other = world.clients_b[0]
    html = c.get(reverse("worklist"), {"scope": "all", "q": other.bsn}).content.decode()
    assert other.family_name not in html and "0 dossiers" in html
    own = world.clients_a[1]
    html = c.get(reverse("worklist"), {"scope": "all", "q": own.bsn}).content.decode()
    assert own.family_name in html and own.masked_bsn in html
    assert html.count(own.bsn) == 1  # only the search box echoes what was typed; the row shows it masked


def test_worklist_mine_scope_is_the_caseload(world, login):
    c = login(world.users_a["teammanager"])
    html = c.get(reverse("worklist"), {"scope": "mine"}).content.decode()
    assert "0 dossiers" in html  # cases are assigned to the klantmanager, not the teammanager


# --- web: client detail and BSN reveal ----------------------------------------------------------------------------


def test_client_page_of_another_municipality_is_404_and_audited_as_denied(world, login):
    user = world.users_a["integrale_klantmanager"]
    c = login(user)
    other = world.clients_b[0]
    resp = c.get(reverse("client_detail", args=[other.pk]))
    assert resp.status_code == 404
    assert other.family_name not in resp.content.decode()
    rec = AuditRecord.objects.filter(actor=user.username, object_type="client", result="denied").get()
    assert rec.object_id == str(other.pk)


def test_reveal_bsn_of_another_municipality_is_refused(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    other = world.clients_b[0]
    resp = c.post(reverse("reveal_bsn", args=[other.pk]))
    assert resp.status_code == 404 and other.bsn not in resp.content.decode()


def test_client_page_masks_bsn_and_audits_the_read(world, login):
    user = world.users_a["integrale_klantmanager"]
    c = login(user)
    cl = world.clients_a[0]
    resp = c.get(reverse("client_detail", args=[cl.pk]), REMOTE_ADDR="10.1.2.3")
    html = resp.content.decode()
    assert resp.status_code == 200 and cl.masked_bsn in html and cl.bsn not in html
    assert "Toekenning" in html  # the timeline (the step by its label)
    rec = AuditRecord.objects.filter(action="read", object_type="client", object_id=cl.external_id).get()
    assert (rec.actor, rec.actor_role, rec.origin, rec.result, rec.municipality_id) == (
        user.username,
        "integrale_klantmanager",
        "10.1.2.3",
        "success",
        world.a.id,
    )


def test_reveal_bsn_is_a_post_and_is_audited(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    cl = world.clients_a[0]
    assert c.get(reverse("reveal_bsn", args=[cl.pk])).status_code == 405
    resp = c.post(reverse("reveal_bsn", args=[cl.pk]))
    assert cl.bsn in resp.content.decode()
    assert AuditRecord.objects.filter(action="reveal_bsn", object_id=cl.external_id).count() == 1


@pytest.mark.parametrize("role", ["beleidsmedewerker", "provider_coach", "auditor"])
def test_roles_without_client_access_are_refused_and_audited(world, login, role):
    user = world.users_a[role]
    c = login(user)
    cl = world.clients_a[0]
    assert c.get(reverse("client_detail", args=[cl.pk])).status_code == 403
    assert c.get(reverse("worklist")).status_code == 403
    assert AuditRecord.objects.filter(actor=user.username, result="denied").count() == 2


def test_anonymous_users_are_sent_to_login(world, client):
    resp = client.get(reverse("client_detail", args=[world.clients_a[0].pk]))
    assert resp.status_code == 302 and reverse("login") in resp["Location"]


# --- web: audit log -----------------------------------------------------------------------------------------------


def test_auditor_sees_only_own_municipality_audit_records(world, login):
    login(world.users_b["integrale_klantmanager"]).get(reverse("client_detail", args=[world.clients_b[0].pk]))
    c = login(world.users_a["auditor"])
    html = c.get(reverse("audit_log"), {"object_type": "client"}).content.decode()
    assert world.clients_b[0].external_id not in html or "0 regels" in html
    assert world.users_b["integrale_klantmanager"].username not in html


def test_auditor_csv_export_is_scoped_and_audited(world, login):
    login(world.users_a["integrale_klantmanager"]).get(reverse("client_detail", args=[world.clients_a[0].pk]))
    login(world.users_b["integrale_klantmanager"]).get(reverse("client_detail", args=[world.clients_b[0].pk]))
    c = login(world.users_a["auditor"])
    resp = c.get(reverse("audit_export"), {"action": "read", "object_type": "client"})
    body = resp.content.decode()
    assert resp["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Tijdstip,Gebruiker") and len(lines) == 2  # the header in the user's language
    assert world.users_a["integrale_klantmanager"].username in lines[1]
    assert AuditRecord.objects.filter(
        action="export", object_type="auditlog", actor=world.users_a["auditor"].username
    ).exists()


def test_caseworker_cannot_read_the_audit_log(world, login):
    assert login(world.users_a["integrale_klantmanager"]).get(reverse("audit_log")).status_code == 403


def test_bad_date_filter_names_the_field(world, login):
    html = login(world.users_a["auditor"]).get(reverse("audit_log"), {"since": "gisteren"}).content.decode()
    assert "Vanaf: geen geldige datum" in html and "since:" not in html  # the field by its label, not its key


def test_login_and_failed_login_are_audited(world, client):
    from tests.conftest import PASSWORD

    user = world.users_a["integrale_klantmanager"]
    client.post(reverse("login"), {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    failed = AuditRecord.objects.get(action="login_failed")
    ok = AuditRecord.objects.get(action="login")
    assert failed.result == "denied" and failed.origin == "10.9.9.9" and failed.actor == user.username
    assert ok.result == "success" and ok.municipality_id == world.a.id
    assert "wrong" not in failed.detail


def test_shared_service_user_sees_both_municipalities(world, login):
    from regie.accounts.models import SharedService, User

    svc = SharedService.objects.create(name="Werk en Inkomen Regio")
    svc.municipalities.set([world.a, world.b])
    user = User.objects.create_user(
        username="km.regio", password="x" * 12, shared_service=svc, municipality=world.a, role="integrale_klantmanager"
    )
    html = login(user).get(reverse("worklist"), {"scope": "all"}).content.decode()
    assert world.clients_a[0].family_name in html and world.clients_b[0].family_name in html


@pytest.mark.parametrize(
    "role,start",
    [
        ("integrale_klantmanager", "/vandaag/"),  # agenda: the start page; the worklist is one click away
        ("provider_coach", "/aanbieder/"),
        ("auditor", "/audit/"),
        ("teammanager", "/clienten/"),
    ],
)
def test_each_role_starts_on_its_own_page(world, login, role, start):
    r = login(world.users_a[role]).get("/")
    assert r.status_code == 302 and r["Location"] == start


def test_name_search_matches_name_starts_case_insensitively(world, login):
    from regie.casework.models import Client

    cl = world.clients_a[0]
    # through save(): the search keys follow the names (a queryset update() would bypass them)
    cl = Client.objects.get(pk=cl.pk)
    cl.family_name, cl.given_name = "de Vries", "Anouk"
    cl.save(update_fields=["family_name", "given_name"])
    c = login(world.users_a["integrale_klantmanager"])
    for q in ("de vries", "DE VR", "de vries anouk", "anouk de vr", "anou"):
        html = c.get(reverse("worklist"), {"scope": "all", "q": q}).content.decode()
        assert "de Vries, Anouk" in html, q
    assert "de Vries, Anouk" not in c.get(reverse("worklist"), {"scope": "all", "q": "ries"}).content.decode()
