"""Imported client data is the start of the record; imported record events follow it, and the search keys too."""

from __future__ import annotations

import io

import pytest

from regie.accounts.models import Municipality
from regie.casework.interchange import export_file, import_file
from regie.casework.models import Client
from regie.clientrecord.selectors import record_for
from tests.foundation.sample import sample_records, write

pytestmark = pytest.mark.django_db
CODE = "0935"


def test_import_fills_keys_and_record_events_move_the_postcode(tmp_path):
    records = sample_records(CODE)
    client_rec = next(r for r in records if r["record"] == "client")
    client_rec["family_name"] = "van den Çakır"
    records.append(
        {
            "record": "event",
            "id": "E-ADR",
            "case": "K1",
            "type": "adres_wijziging",
            "effective_date": "2023-03-01",
            "recorded_at": "2023-03-01T10:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {
                "street": "Markt",
                "house_number": 1,
                "postcode": "6211cl",
                "city": "Maastricht",
                "source": "import",
            },
        }
    )
    path = tmp_path / "in.jsonl"
    write(path, records)
    import_file(path, CODE)
    client = Client.objects.get(external_id="C1", municipality__code=CODE)
    assert (client.name_key, client.family_key, client.given_key) == ("cakir", "van den cakir", "anna")
    assert client.postcode_key == "6211cl"  # from the event, not the row's 6211 AB
    record = record_for(client)
    assert record.address_lines == ["Markt 1", "6211 CL  MAASTRICHT"]
    assert record.salutation == "Geachte mevrouw Van den Çakır,"
    other = Client.objects.exclude(pk=client.pk).filter(municipality__code=CODE).first()
    if other is not None and (other.contact or {}).get("postcode"):
        assert other.postcode_key == other.contact["postcode"].replace(" ", "").lower()
    buf = io.BytesIO()
    export_file(Municipality.objects.get(code=CODE), buf)
    assert b'"adres_wijziging"' in buf.getvalue()
