"""The client record's commands."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from regie.audit.models import AuditRecord
from regie.casework.models import Client
from regie.cli import app
from regie.clientrecord.models import BrpConnection

pytestmark = pytest.mark.django_db(transaction=False)


def test_brp_config_and_reindex(world):
    runner = CliRunner()
    r = runner.invoke(app, ["clientrecord", "brp", "--municipality", world.a.code])
    assert r.exit_code == 0 and "no BRP connection" in r.output
    r = runner.invoke(app, ["clientrecord", "brp", "--municipality", world.a.code, "--enable"])
    assert r.exit_code == 1 and "url: required" in r.output
    r = runner.invoke(app, ["clientrecord", "brp", "--municipality", world.a.code, "--url", "geen-url", "--enable"])
    assert r.exit_code == 1 and "base_url" in r.output
    r = runner.invoke(
        app,
        [
            "clientrecord",
            "brp",
            "--municipality",
            world.a.code,
            "--url",
            "https://brp.example.nl/haalcentraal/api/brp",
            "--api-key-env",
            "BRP_KEY",
            "--enable",
            "--timeout",
            "5",
        ],
    )
    assert r.exit_code == 0, r.output
    conn = BrpConnection.objects.get(municipality=world.a)
    assert conn.enabled and conn.timeout_seconds == 5 and conn.api_key_env == "BRP_KEY"
    assert AuditRecord.objects.filter(object_type="brp_connection", object_id=world.a.code).exists()
    Client.objects.filter(municipality=world.a).update(name_key="")
    r = runner.invoke(app, ["clientrecord", "reindex", "--municipality", world.a.code])
    assert r.exit_code == 0 and "changed for 3 clients" in r.output
