"""The import format carries the benefit history (household changes, income, payments, recoveries) through the
generic event records: all or nothing, and the imported history gives the same ledger as recorded events."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from regie.benefit.selectors import ledger
from regie.casework.interchange import ImportRefused, export_file, import_file
from regie.casework.models import Case, Event
from tests.foundation.sample import sample_records, write

pytestmark = pytest.mark.django_db

CODE = "0935"


def _event(i: int, type_: str, day: str, payload: dict, decision: dict | None = None) -> dict:
    rec = {
        "record": "event",
        "id": f"B{i}",
        "case": "K1",
        "type": type_,
        "effective_date": day,
        "recorded_at": f"{day}T12:00:00+00:00",
        "actor": "U1",
        "actor_role": "integrale_klantmanager",
        "payload": payload,
    }
    if decision is not None:
        rec["decision"] = decision
    return rec


def benefit_history() -> list[dict]:
    return [
        _event(1, "betaling", "2023-02-24", {"month": "2023-02", "amount": "1568.00", "run": "legacy-2023-02"}),
        _event(2, "wijziging_huishouden", "2023-03-01", {"norm_type": "alleenstaande_ouder", "cost_sharers": 1}),
        _event(3, "inkomstenopgave", "2023-04-05", {"month": "2023-03", "work_income": "420.00"}),
        _event(
            4,
            "terugvordering",
            "2023-05-01",
            {"months": ["2023-02"], "amount": "120.00", "repayment_monthly": "20.00", "repayment_start": "2023-06-01"},
            {"decided": {}, "legal_basis": "Pw art. 58"},
        ),
    ]


def test_benefit_history_imports_and_keeps_its_recorded_amounts(tmp_path):
    path = tmp_path / "in.jsonl"
    write(path, sample_records(CODE) + benefit_history())
    report = import_file(path, CODE)
    assert report.counts["event"] == 7 + 4
    case = Case.objects.get(external_id="K1", municipality__code=CODE)
    assert Event.objects.get(case=case, type="terugvordering").payload["amount"] == "120.00"  # kept as recorded
    assert Event.objects.get(case=case, type="toekenning").payload["monthly_amount"] == 1650.5
    # the ledger reads the imported history (norms: none for 2023 in the national layer -> fail closed there)
    from regie.core.benefit.norms import NormUnavailable

    with pytest.raises(NormUnavailable):
        ledger(case, dt.date(2023, 3, 31))
    # and it goes out again losslessly
    out = io.BytesIO()
    export_file(case.municipality, out)
    text = out.getvalue().decode()
    assert '"type":"inkomstenopgave"' in text and "legacy-2023-02" in text and '"amount":"120.00"' in text


def test_one_bad_benefit_record_refuses_the_whole_file(tmp_path):
    recs = sample_records(CODE) + benefit_history()
    recs.append(_event(9, "inkomstenopgave", "2023-06-05", {"month": "2023-13", "work_income": "-5"}))
    path = tmp_path / "bad.jsonl"
    write(path, recs)
    with pytest.raises(ImportRefused) as exc:
        import_file(path, CODE)
    fields = {e.field for e in exc.value.errors if e.line == len(recs)}
    assert {"payload.month", "payload.work_income"} <= fields
    assert not Case.objects.filter(external_id="K1").exists()
