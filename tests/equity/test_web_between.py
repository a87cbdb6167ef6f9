"""Between municipalities: a shared-service user sees the variance split between its municipalities, per
municipality only (no caseworker); single-municipality users are told why there is nothing to compare."""

import re

import pytest
from django.urls import reverse

from regie.accounts.models import Municipality, SharedService, User
from regie.casework.interchange import import_file
from regie.core.synth import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(tmp_path, world):
    for code, seed in (("0363", 3), ("0344", 5)):  # seeds whose synthetic usernames do not collide
        path = tmp_path / f"{code}.jsonl"
        generate(code, 400, seed, path)
        import_file(path, code)
    svc = SharedService.objects.create(name="Regio")
    svc.municipalities.set(Municipality.objects.filter(code__in=["0363", "0344"]))
    officer = User.objects.create_user(
        "bm.regio",
        password="x",
        shared_service=svc,
        role="beleidsmedewerker",
        municipality=Municipality.objects.get(code="0363"),
    )
    return officer


def test_shared_service_sees_the_split_and_one_row_per_municipality(region, login):
    c = login(region)
    r = c.get(reverse("equity:between"), {"decision": "trajectory_12m", "as_of": "2026-10-31"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Tussen gemeenten" in html and "Traject binnen 12 maanden" in html
    names = [m.name for m in Municipality.objects.filter(code__in=["0363", "0344"])]
    assert all(html.count(f"<td>{n}</td>") == 1 for n in names)
    # the municipality and caseworker shares are numbers between 0 and 1, written the Dutch way (0,276)
    found = re.findall(r"<td>Tussen gemeenten</td><td>[^<]*</td><td>([0-9.,]+)</td>", html)
    assert found and all(re.fullmatch(r"\d,\d{3}", v) for v in found), found
    shares = [float(v.replace(",", ".")) for v in found]
    assert len(shares) == 1 and 0 <= shares[0] <= 1
    # geometry of the chart is not localised
    assert all(re.fullmatch(r"\d+", v) for v in re.findall(r'cx="([^"]+)"', html))
    # no caseworkers on this page (as whole words: the CSRF token is random letters and digits and may hold "U1")
    assert not re.search(r"\bU1\b", html) and not re.search(r"\bKM-[0-9a-f]+", html)


def test_single_municipality_user_gets_an_explanation(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    html = c.get(reverse("equity:between")).content.decode()
    assert "hoort bij één gemeente" in html


@pytest.mark.parametrize("role", ["integrale_klantmanager", "provider_coach", "auditor"])
def test_roles_without_aggregates_are_refused(world, login, role):
    assert login(world.users_a[role]).get(reverse("equity:between")).status_code == 403
