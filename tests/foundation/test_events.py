import pytest

from regie.core.events import EVENT_TYPES, EventError, validate_event
from regie.core.projection import fold

REQUIRED_BY_ISSUE = {
    "melding",
    "aanvraag",
    "toekenning",
    "afwijzing",
    "intake",
    "classificatie",
    "plan_van_aanpak",
    "traject_start",
    "traject_einde",
    "rapportage",
    "driegesprek",
    "ontheffing_start",
    "ontheffing_einde",
    "waarschuwing",
    "maatregel",
    "contact",
    "uitstroom",
    "nazorg_einde",
    "herinstroom",
    "caseworker_toewijzing",
}


def test_all_event_types_named_in_the_foundation_issue_exist():
    assert REQUIRED_BY_ISSUE <= set(EVENT_TYPES)


def test_payload_errors_name_every_bad_field():
    with pytest.raises(EventError) as exc:
        validate_event("maatregel", {"obligation_type": "zwemmen", "percentage": 150, "months": 1})
    fields = dict(exc.value.errors)
    assert "payload.obligation_type" in fields and "payload.percentage" in fields


def test_unknown_event_type_is_refused():
    with pytest.raises(EventError, match="Onbekende soort gebeurtenis"):
        validate_event("verzonnen", {})


def test_deviation_without_motivation_is_refused():
    with pytest.raises(EventError) as exc:
        validate_event(
            "classificatie",
            {"scheme": "participatieladder", "level": "3"},
            {"recommendation": {"level": "4"}, "decided": {"level": "3"}, "deviates": True},
        )
    assert exc.value.errors[0][0] == "decision"


def test_decision_block_only_on_decision_events():
    with pytest.raises(EventError, match="geen besluit"):
        validate_event("contact", {}, {"decided": {}})


def test_outflow_gets_its_cbs_code_and_a_wrong_code_is_refused():
    payload, _ = validate_event("uitstroom", {"reason": "werk_regulier"})
    assert payload["cbs_code"] == "10"
    with pytest.raises(EventError, match="cbs_code"):
        validate_event("uitstroom", {"reason": "werk_regulier", "cbs_code": "70"})


def test_fold_follows_the_client_route():
    events = [
        {"type": "melding", "effective_date": "2024-01-02", "payload": {}},
        {"type": "aanvraag", "effective_date": "2024-01-03", "payload": {"norm_type": "alleenstaande"}},
        {"type": "toekenning", "effective_date": "2024-02-01", "payload": {"norm_type": "alleenstaande"}},
        {
            "type": "classificatie",
            "effective_date": "2024-02-10",
            "payload": {"scheme": "participatieladder", "level": "3"},
        },
        {
            "type": "traject_start",
            "effective_date": "2024-03-01",
            "payload": {"trajectory_id": "t1", "kind": "reintegratie"},
        },
        {
            "type": "ontheffing_start",
            "effective_date": "2024-03-05",
            "payload": {"exemption_id": "o1", "ground": "medisch"},
        },
        {"type": "ontheffing_einde", "effective_date": "2024-06-05", "payload": {"exemption_id": "o1"}},
        {
            "type": "maatregel",
            "effective_date": "2024-07-01",
            "payload": {"obligation_type": "reintegratie", "percentage": 30, "months": 1},
        },
        {"type": "uitstroom", "effective_date": "2024-09-01", "payload": {"reason": "werk_regulier"}},
    ]
    s = fold(events)
    assert s.status == "uitgestroomd" and s.level == "3" and s.sanctions == 1
    assert s.benefit_start.isoformat() == "2024-02-01" and s.benefit_end.isoformat() == "2024-09-01"
    assert s.first_trajectory_on.isoformat() == "2024-03-01" and s.trajectories == {} and s.exemptions == {}
    assert s.event_count == 9
    s2 = fold(events[:6])
    assert s2.exempt and s2.status == "lopend" and "t1" in s2.trajectories


def test_published_json_schema_matches_the_code():
    import json
    from pathlib import Path

    from regie.core.records import json_schema

    published = json.loads((Path(__file__).parents[2] / "docs" / "import-format.schema.json").read_text())
    assert published == json.loads(json.dumps(json_schema())), (
        "run: regie schema import-format > docs/import-format.schema.json"
    )


def test_documentation_example_is_a_valid_file(tmp_path):
    from pathlib import Path

    import orjson

    from regie.core.records import RECORD_ADAPTER

    doc = (Path(__file__).parents[2] / "docs" / "import-format.md").read_text()
    example = doc.split("## Example\n```json\n", 1)[1].split("```", 1)[0]
    records = [RECORD_ADAPTER.validate_python(orjson.loads(line)) for line in example.strip().splitlines()]
    assert records[0].record == "header" and len(records) == 7
    for r in records:
        if r.record == "event":
            validate_event(r.type, r.payload, r.decision)
