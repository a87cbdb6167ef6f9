"""Validation at the gate, import path: pass 1 refuses the same things as the web form and the API, with the line,
the field and a Dutch message; nothing is written."""

import datetime as dt

import pytest

from regie.casework.interchange import ImportRefused, import_file
from regie.casework.models import Event

from .sample import sample_records, write

pytestmark = pytest.mark.django_db

CODE = "0935"
NEXT_YEAR = (dt.date.today().replace(month=1, day=15) + dt.timedelta(days=366)).isoformat()


def _event(eid, case, etype, day, payload=None, **extra):
    return {
        "record": "event",
        "id": eid,
        "case": case,
        "type": etype,
        "effective_date": day,
        "recorded_at": f"{day}T09:00:00+00:00",
        "actor": "U1",
        "actor_role": "integrale_klantmanager",
        "payload": payload or {},
        **extra,
    }


def _refused(tmp_path, records) -> list:
    path = tmp_path / "in.jsonl"
    write(path, records)
    with pytest.raises(ImportRefused) as exc:
        import_file(path, CODE)
    assert not Event.objects.exists()
    return [(e.line, e.field, e.message) for e in exc.value.errors]


def _with(*extra):
    return sample_records(CODE) + list(extra)


def test_birth_date_in_the_future_is_refused(tmp_path):
    recs = sample_records(CODE)
    recs[5] = {**recs[5], "birth_date": "2030-05-01"}
    assert (6, "birth_date", "Geboortedatum ligt in de toekomst (01-05-2030)") in _refused(tmp_path, recs)


def test_a_3000_character_name_is_refused(tmp_path):
    recs = sample_records(CODE)
    recs[5] = {**recs[5], "given_name": "A" * 3000}
    assert (6, "given_name", "Voornaam is te lang: hoogstens 200 tekens") in _refused(tmp_path, recs)


def test_melding_in_the_future_is_refused(tmp_path):
    recs = sample_records(CODE)
    recs[7] = {**recs[7], "effective_date": "2028-03-01"}
    errors = _refused(tmp_path, recs)
    assert (
        8,
        "effective_date",
        "Ingangsdatum ligt in de toekomst (01-03-2028): dit kan pas worden vastgelegd als het is gebeurd",
    ) in errors


@pytest.mark.parametrize("day", ["1890-01-01", "2099-01-01"])
def test_events_dated_1890_and_2099_are_refused(tmp_path, day):
    recs = _with(_event("E90", "K1", "contact", day))
    [(line, field, message)] = _refused(tmp_path, recs)
    assert (line, field) == (len(recs), "effective_date") and message.startswith("Ingangsdatum ligt")


def test_provider_report_dated_next_year_is_refused(tmp_path):
    recs = _with(_event("E90", "K1", "rapportage", NEXT_YEAR, {"trajectory_id": "TR1", "summary": "Voortgang"}))
    [(line, field, message)] = _refused(tmp_path, recs)
    assert (line, field) == (len(recs), "effective_date") and "in de toekomst" in message


def test_end_of_aftercare_before_the_case_began_is_refused(tmp_path):
    recs = _with(
        _event("E90", "K1", "traject_einde", "2023-09-01", {"trajectory_id": "TR1", "result": "werk"}),
        _event("E91", "K1", "uitstroom", "2023-09-01", {"reason": "werk_regulier"}),
        _event("E92", "K1", "nazorg_einde", "2017-01-09", {"result": "onbekend"}),
    )
    errors = _refused(tmp_path, recs)
    assert any(
        line == len(recs)
        and field == "effective_date"
        and "ligt vóór de melding van dit dossier (09-01-2023)" in message
        for line, field, message in errors
    ), errors


def test_end_before_start_is_refused_whatever_the_line_order(tmp_path):
    recs = sample_records(CODE)
    recs.insert(-3, _event("E90", "K1", "traject_einde", "2023-04-01", {"trajectory_id": "TR1", "result": "afgerond"}))
    errors = _refused(tmp_path, recs)
    assert [(f, m) for _, f, m in errors] == [
        ("effective_date", "Ingangsdatum (01-04-2023) ligt vóór de start van TR1 (01-05-2023)")
    ]


def test_provider_name_instead_of_the_provider_id_is_refused(tmp_path):
    recs = _with(
        _event(
            "E90",
            "K1",
            "traject_start",
            "2023-06-01",
            {"trajectory_id": "TR2", "kind": "scholing", "provider": "Trajectum"},
        )
    )
    [(line, field, message)] = _refused(tmp_path, recs)
    assert (line, field) == (
        len(recs),
        "payload.provider",
    ) and "Trajectum is geen aanbieder van deze gemeente" in message


def test_outflow_with_an_open_trajectory_needs_its_result(tmp_path):
    recs = _with(_event("E90", "K1", "uitstroom", "2023-09-01", {"reason": "werk_regulier"}))
    [(line, field, message)] = _refused(tmp_path, recs)
    assert (line, field) == (len(recs), "payload.trajectory_results") and "(TR1)" in message
    ok = _with(
        _event(
            "E90", "K1", "uitstroom", "2023-09-01", {"reason": "werk_regulier", "trajectory_results": {"TR1": "werk"}}
        )
    )
    write(tmp_path / "ok.jsonl", ok)
    import_file(tmp_path / "ok.jsonl", CODE)
    assert Event.objects.get(external_id="E90").payload["trajectory_results"] == {"TR1": "werk"}


def test_aanvraag_inside_the_search_period_needs_an_exception(tmp_path):
    # K2: Bram, born 2001-11-30, melding 2024-03-01 with search_period_end 2024-03-29 (the file's own value)
    recs = _with(_event("E90", "K2", "aanvraag", "2024-03-10", {"norm_type": "alleenstaande"}))
    [(line, field, message)] = _refused(tmp_path, recs)
    assert (line, field) == (len(recs), "payload.search_period_exception") and "Pw art. 41 lid 4" in message
    ok = _with(
        _event(
            "E90",
            "K2",
            "aanvraag",
            "2024-03-10",
            {"norm_type": "alleenstaande", "search_period_exception": "noodsituatie"},
        )
    )
    write(tmp_path / "ok.jsonl", ok)
    import_file(tmp_path / "ok.jsonl", CODE)


def test_melding_gets_the_search_period_only_when_the_file_has_none(tmp_path):
    recs = sample_records(CODE)
    e6 = next(r for r in recs if r.get("id") == "E6")
    e6["payload"] = {}  # Bram is 22 at the melding: four weeks from the national layer
    recs.append(_event("E90", "K2", "aanvraag", "2024-03-28", {"norm_type": "alleenstaande"}))  # within the 4 weeks
    assert [f for _, f, _ in _refused(tmp_path, recs)] == ["payload.search_period_exception"]
    recs[-1] = _event("E90", "K2", "aanvraag", "2024-03-29", {"norm_type": "alleenstaande"})
    write(tmp_path / "ok.jsonl", recs)
    import_file(tmp_path / "ok.jsonl", CODE)
    assert Event.objects.get(external_id="E6").payload["search_period_end"] == "2024-03-29"
    # Anna (32 at her melding) gets none; a file's own value is kept as it is
    assert "search_period_end" not in Event.objects.get(external_id="E1").payload


def test_file_value_of_the_search_period_is_kept(tmp_path):
    recs = sample_records(CODE)
    next(r for r in recs if r.get("id") == "E6")["payload"] = {"search_period_end": "2024-03-15"}
    write(tmp_path / "ok.jsonl", recs)
    import_file(tmp_path / "ok.jsonl", CODE)
    assert Event.objects.get(external_id="E6").payload["search_period_end"] == "2024-03-15"
