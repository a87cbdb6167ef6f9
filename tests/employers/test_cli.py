"""``regie employers candidates|stats``: pseudonymous output, audited."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from regie.audit.models import AuditRecord
from regie.cli import app
from regie.employers.demo import seed_demo
from regie.employers.models import Vacancy

pytestmark = pytest.mark.django_db(transaction=False)


def test_candidates_and_stats(world):
    seed_demo(world.a, "pw-demo-1")
    v = Vacancy.objects.filter(status="open").order_by("id").first()
    runner = CliRunner()
    r = runner.invoke(app, ["employers", "candidates", world.a.code, str(v.pk)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert rows and rows[0]["rank"] == 1 and rows[0]["case"].startswith("K")
    assert all(c.family_name not in r.output for c in world.clients_a)
    assert AuditRecord.objects.filter(object_type="match_list", detail__startswith="cli").exists()
    r = runner.invoke(app, ["employers", "candidates", world.b.code, str(v.pk)])
    assert r.exit_code == 1
    r = runner.invoke(app, ["employers", "stats", world.a.code])
    assert r.exit_code == 0 and json.loads(r.output)["placements"] >= 1
