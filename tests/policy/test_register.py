"""Algoritmeregister entries and the DPIA starting document: every shipped policy version produces a complete
entry with every field of the publication standard, its rules' sources, and JSON that validates against the
field list; the command line prints both."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from typer.testing import CliRunner

from regie.accounts.tenancy import CAPABILITIES
from regie.core.policy import register as R
from regie.core.policy.loader import load_dir
from regie.platform import labels
from regie.policy.cli import policy_app

POLICIES = load_dir()
VERSIONS = [p for vs in POLICIES.by_id.values() for p in vs if p.municipality_code]


def _schema() -> dict:
    """A JSON Schema built from the encoded field list."""
    props = {}
    for f in R.FIELDS:
        if f.kind == "list":
            props[f.key] = {"type": "array", "items": {"type": "string", "minLength": 1}}
        else:
            p = {"type": "string"}
            if f.max_len:
                p["maxLength"] = f.max_len
            if f.choices:
                p["enum"] = list(f.choices)
            if f.kind == "month":
                p["pattern"] = r"^(\d{4}-(0[1-9]|1[0-2]))?$"
            if f.required:
                p["minLength"] = 1
            props[f.key] = p
    props["x_regie"] = {"type": "object"}
    return {"type": "object", "properties": props, "required": list(R.FIELD_KEYS), "additionalProperties": False}


def test_the_field_list_covers_the_standard():
    keys = set(R.FIELD_KEYS)
    # the fields the standard marks "Verplicht" (ch02, Algemene informatie)
    assert {f.key for f in R.FIELDS if f.required} == {
        "naam",
        "korte_omschrijving",
        "organisatie",
        "status",
        "contactgegevens",
        "publicatiecategorie",
    }
    assert {"doel_en_impact", "menselijke_tussenkomst", "wettelijke_basis", "gegevens", "link_broncode"} <= keys
    assert len(keys) == len(R.FIELDS) == 24


@pytest.mark.parametrize("policy", VERSIONS, ids=[p.version_id for p in VERSIONS])
def test_every_shipped_policy_version_gives_a_complete_entry(policy):
    jsonschema = pytest.importorskip("jsonschema")
    e = R.policy_entry(policy)
    assert R.problems(e) == []
    jsonschema.validate(json.loads(json.dumps(e)), _schema())
    rules = e["x_regie"]["rules"]
    assert rules and all(len(r["source"]) >= 3 for r in rules)
    ids = {r["id"] for r in rules if r["id"]}
    assert {r.id for r in policy.sanctions} <= ids and {r.id for r in policy.routing.rules} <= ids
    assert all(i in e["technische_werking"] for i in ids) or len(e["technische_werking"]) == 5000
    four_eyes = "vier ogen" in e["menselijke_tussenkomst"]
    assert four_eyes == (policy.steering.mode == "rules") and "motiveren" in e["menselijke_tussenkomst"]
    assert e["begindatum"] == policy.valid_from.strftime("%Y-%m")


def test_a_municipality_register_lists_versions_then_the_equity_monitor():
    versions = POLICIES.versions("den-haag")
    entries = R.register(versions)
    assert len(entries) == len(versions) + 1
    assert [e["status"] for e in entries[:-1]] == ["Buiten gebruik"] * (len(versions) - 1) + ["In gebruik"]
    assert entries[0]["einddatum"] == (versions[1].valid_from.strftime("%Y-%m") if len(versions) > 1 else "")
    monitor = entries[-1]
    assert monitor["x_regie"]["kind"] == "equity_monitor" and R.problems(monitor) == []
    # a broken entry is reported
    bad = {**monitor, "status": "Actief", "naam": ""}
    del bad["gegevens"]
    assert {p.split(":")[0] for p in R.problems(bad)} == {"status", "naam", "gegevens"}


def test_the_command_prints_json_and_markdown():
    runner = CliRunner()
    res = runner.invoke(policy_app, ["register", "0518", "--format", "json"])
    assert res.exit_code == 0, res.output
    entries = json.loads(res.output)
    assert all(R.problems(e) == [] for e in entries) and entries[-1]["x_regie"]["kind"] == "equity_monitor"
    md = runner.invoke(policy_app, ["register", "den-haag", "--format", "md"]).output
    assert "## Beleidsadvies Participatiewet Den Haag" in md and "| `routing.rules[0]` |" in md
    assert "Menselijke tussenkomst" in md and "1.0.9" in md
    missing = runner.invoke(policy_app, ["register", "9999"])
    assert missing.exit_code == 1 and "geen beleid" in missing.output


def test_dpia_starting_document():
    res = CliRunner().invoke(policy_app, ["dpia", "0518"])
    assert res.exit_code == 0, res.output
    md = res.output
    for needle in (
        "BSN",
        "Gezondheid",
        "Huishouden",
        "schulden",
        "Contact",
        "bewaarbeleid",
        "Verwerkers",
        "tenancy",
        "auditlog",
        "gepseudonimiseerd",
        "*aanname*",
    ):
        assert needle in md, needle
    with translation.override("nl"):
        for role, caps in CAPABILITIES.items():  # roles and capabilities by their names, not their keys
            named = ", ".join(sorted(labels.capability_label(c) for c in caps))
            assert f"| {labels.role_label(role)} | {named} |" in md
    assert "provider_coach" not in md and "view_clients" not in md and "manage_brp" not in md
