"""The monitoring dashboard: figures from the user's own municipality only, for policy roles only, with exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from regie.casework.interchange import import_file
from regie.core.synth import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_municipalities(tmp_path, world):
    # world: 0518 (3 clients) and 0772 (2 clients); add a synthetic 0363 with hundreds of clients
    path = tmp_path / "ams.jsonl"
    generate("0363", 300, 3, path)
    import_file(path, "0363")
    return world


def test_dashboard_shows_own_figures_only(two_municipalities, login):
    world = two_municipalities
    c = login(world.users_a["beleidsmedewerker"])
    r = c.get(reverse("monitoring:dashboard"), {"from": "2025-01-01", "to": "2026-01-01"})
    html = r.content.decode()
    assert r.status_code == 200 and "Bestand en stromen" in html and "<svg" in html
    # Den Haag's fixture has 3 benefit starts in 2025; Amsterdam's hundreds of synthetic clients never show up
    assert "<td>inflow</td><td>3</td>" in html
    assert "werk_regulier" not in html  # Amsterdam's outflow reasons are not Den Haag's


@pytest.mark.parametrize("role", ["integrale_klantmanager", "provider_coach", "auditor"])
def test_dashboard_refused_for_roles_without_aggregates(world, login, role):
    assert login(world.users_a[role]).get(reverse("monitoring:dashboard")).status_code == 403


def test_teammanager_sees_the_dashboard(world, login):
    assert login(world.users_a["teammanager"]).get(reverse("monitoring:dashboard")).status_code == 200


def test_every_table_exports_to_csv_and_excel(world, login):
    from openpyxl import load_workbook

    c = login(world.users_a["beleidsmedewerker"])
    for table in ("flows", "outflow_by_reason", "duration", "caseload", "first_trajectory", "rates", "trajectories", "cohort"):
        r = c.get(reverse("monitoring:dashboard"), {"from": "2025-01-01", "to": "2026-01-01", "table": table, "export": "csv"})
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv"), table
        x = c.get(reverse("monitoring:dashboard"), {"from": "2025-01-01", "to": "2026-01-01", "table": table, "export": "xlsx"})
        assert x.status_code == 200
        wb = load_workbook(io.BytesIO(x.content))
        assert wb.active.title == table[:31]
    flows = c.get(reverse("monitoring:dashboard"), {"from": "2025-01-01", "to": "2026-01-01", "table": "flows", "export": "csv"})
    assert "inflow,3" in flows.content.decode()
