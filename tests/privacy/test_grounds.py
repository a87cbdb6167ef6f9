"""The register of legal grounds: every data category has a ground, a source and real places in Regie."""

import pytest
from django.apps import apps
from django.urls import reverse
from typer.testing import CliRunner

from regie.accounts.tenancy import CAPABILITIES
from regie.core.events import EVENT_TYPES
from regie.privacy import grounds

EXPECTED = {
    "identiteit_bsn",
    "huishouden",
    "inkomen_uitkering",
    "gezondheid",
    "schulden",
    "contact",
    "motiveringen",
    "auditlog",
    "analyse",
}


def test_every_category_has_a_ground_a_source_and_exists_in_regie():
    codes = {c.code for c in grounds.CATEGORIES}
    assert EXPECTED <= codes and len(codes) == len(grounds.CATEGORIES)
    all_caps = set().union(*CAPABILITIES.values())
    for c in grounds.CATEGORIES:
        assert c.ground.startswith("AVG art. 6 lid 1 sub"), c.code
        assert c.sources and all(s.strip() for s in c.sources), c.code
        assert c.purpose and c.retention and c.visible_to, c.code
        assert all(v.split()[0] in all_caps for v in c.visible_to), c.code
        for place in c.stored_in:
            kind, _, ref = place.partition(":")
            if kind == "model":
                app_model, field = ref.rsplit(".", 1)
                apps.get_model(app_model)._meta.get_field(field)
            else:
                assert kind == "event", place
                etype, field = ref.split(".")
                assert field in EVENT_TYPES[etype].model_fields, place
    health = grounds.by_code()["gezondheid"]
    assert "UAVG art. 30" in health.special
    assert "burgerservicenummer" in " ".join(grounds.by_code()["identiteit_bsn"].sources)


def test_markdown_command_lists_every_category():
    from regie.cli import app

    result = CliRunner().invoke(app, ["privacy", "grounds"])
    assert result.exit_code == 0, result.output
    for c in grounds.CATEGORIES:
        assert f"## {c.name}" in result.output


@pytest.mark.django_db
def test_register_page_for_beheer_and_auditor_only(world, login, client):
    for role, status in (("functioneel_beheerder", 200), ("auditor", 200), ("integrale_klantmanager", 403)):
        login(world.users_a[role])
        r = client.get(reverse("privacy:register"))
        assert r.status_code == status, role
        if status == 200:
            assert "Gezondheid" in r.content.decode() and "UAVG art. 30" in r.content.decode()
