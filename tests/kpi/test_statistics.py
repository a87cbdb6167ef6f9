"""CBS BUS/SRG records from a hand-built event log: every field checked against values computed by hand, the
validator's (record, field, problem) reports, CSV/JSONL round trips and the ``regie stats`` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from regie.core import frames as F
from regie.core.events import validate_event
from regie.core.kpi import statistics as S
from regie.platform.exports import csv_string

D = dt.date


class Log:
    """A tiny event log: ``Log().ev(client, case, type, date, **payload)`` then ``.frames()``."""

    def __init__(self, municipality="0518"):
        self.municipality = municipality
        self.events, self.cases, self.clients = [], {}, set()
        self.n = 0

    def ev(self, client, case, etype, day, actor="km1", role="integrale_klantmanager", team="T1", **payload):
        self.n += 1
        self.clients.add(client)
        self.cases.setdefault(case, (client, day, team))
        clean, _ = validate_event(etype, payload)
        self.events.append(
            F.event_row(
                f"E{self.n}",
                case,
                client,
                etype,
                day,
                dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=self.n),
                actor,
                role,
                clean,
                None,
            )
        )
        return self

    def frames(self):
        clients = [{"client_id": c, "birth_date": D(1980, 1, 1)} for c in sorted(self.clients)]
        cases = [{"case_id": k, "client_id": c, "opened_on": d, "team": t} for k, (c, d, t) in self.cases.items()]
        return F.build(self.municipality, clients, cases, self.events, [])


def june_log() -> Log:
    g = Log()
    # A: IOAW, couple with one cost-sharer; partial medical exemption; information-duty sanction 30% for 2 months
    g.ev(
        "A",
        "A-1",
        "toekenning",
        D(2025, 1, 10),
        norm_type="gehuwden",
        cost_sharers=1,
        monthly_amount=2000.0,
        benefit_type="IOAW",
    )
    g.ev(
        "A",
        "A-1",
        "ontheffing_start",
        D(2025, 3, 1),
        exemption_id="O1",
        ground="medisch",
        scope="gedeeltelijk",
        end_date=D(2025, 8, 31),
    )
    g.ev("A", "A-1", "maatregel", D(2025, 5, 20), obligation_type="inlichtingen", percentage=30, months=2)
    g.ev("A", "A-1", "traject_start", D(2025, 4, 1), trajectory_id="TR1", kind="diagnose", provider="P5")
    # B: single parent, art. 9a exemption, leaves for work on 15 June; trajectory ends with work on 10 June
    g.ev("B", "B-1", "toekenning", D(2024, 11, 1), norm_type="alleenstaande_ouder", monthly_amount=1500.0)
    g.ev("B", "B-1", "classificatie", D(2025, 1, 15), scheme="participatieladder", level="3")
    g.ev(
        "B", "B-1", "ontheffing_start", D(2025, 1, 1), exemption_id="O1", ground="kind_onder_5", end_date=D(2027, 3, 1)
    )
    g.ev(
        "B",
        "B-1",
        "traject_start",
        D(2025, 2, 1),
        trajectory_id="TR1",
        kind="reintegratie",
        provider="P2",
        module="m1",
        price=4000.0,
    )
    g.ev("B", "B-1", "classificatie", D(2025, 4, 1), scheme="participatieladder", level="5")
    g.ev("B", "B-1", "traject_einde", D(2025, 6, 10), trajectory_id="TR1", result="werk", cost=4000.0)
    g.ev("B", "B-1", "uitstroom", D(2025, 6, 15), reason="werk_regulier")
    # C: starts in July: not in June
    g.ev("C", "C-1", "toekenning", D(2025, 7, 1), norm_type="alleenstaande")
    # D: left on 31 May; its trajectory had no end event, so it ends with the benefit (SRG code 7) in May
    g.ev("D", "D-1", "toekenning", D(2023, 1, 1), norm_type="alleenstaande", monthly_amount=1300.0)
    g.ev("D", "D-1", "traject_start", D(2025, 3, 1), trajectory_id="TR1", kind="participatie", provider="P3")
    g.ev("D", "D-1", "uitstroom", D(2025, 5, 31), reason="verhuizing")
    # E: a sanction in April for 1 month is over by June; a finished exemption too
    g.ev("E", "E-1", "toekenning", D(2022, 1, 1), norm_type="alleenstaande", monthly_amount=1200.0)
    g.ev("E", "E-1", "maatregel", D(2025, 4, 2), obligation_type="arbeidsverplichting", percentage=100, months=1)
    g.ev("E", "E-1", "ontheffing_start", D(2025, 1, 1), exemption_id="O1", ground="mantelzorg")
    g.ev("E", "E-1", "ontheffing_einde", D(2025, 5, 1), exemption_id="O1")
    return g


def test_bus_records_of_june_field_by_field():
    rows = {r["uitkering_id"]: r for r in S.records(june_log().frames(), "bus", "2025-06")}
    assert set(rows) == {"A-1", "B-1", "E-1"}  # C starts in July, D left in May
    a = rows["A-1"]
    assert a == {
        "record_type": "BUS",
        "gemeente": "0518",
        "periode": "202506",
        "uitkering_id": "A-1",
        "persoon_id": "A",
        "regeling": "IOAW",
        "ingangsdatum": "2025-01-10",
        "einddatum": None,
        "huishoudtype": "3",
        "kostendelers": 1,
        "bedrag_per_maand": 2000.0,
        "ontheffing_artikel": "9.2",
        "ontheffing_omvang": "G",
        "ontheffing_einddatum": "2025-08-31",
        "maatregel_reden": "3",
        "maatregel_percentage": 30.0,
        "maatregel_bedrag": 600.0,
        "reden_beeindiging": None,
    }
    b = rows["B-1"]
    assert (
        b["regeling"],
        b["huishoudtype"],
        b["ontheffing_artikel"],
        b["ontheffing_omvang"],
        b["ontheffing_einddatum"],
    ) == ("PW", "2", "9a", "V", "2027-03-01")
    assert (b["einddatum"], b["reden_beeindiging"], b["maatregel_reden"]) == ("2025-06-15", "10", None)
    e = rows["E-1"]  # April sanction (1 month) and the exemption ended 1 May are not in June
    assert (e["maatregel_reden"], e["maatregel_bedrag"], e["ontheffing_artikel"]) == (None, None, None)
    # July: the 2-month sanction (May, June) is over; in May it was there
    may = {r["uitkering_id"]: r for r in S.records(june_log().frames(), "bus", "2025-05")}
    assert may["A-1"]["maatregel_bedrag"] == 600.0 and may["D-1"]["reden_beeindiging"] == "50"
    assert may["E-1"]["ontheffing_einddatum"] == "2025-05-01"
    jul = {r["uitkering_id"]: r for r in S.records(june_log().frames(), "bus", "2025-07")}
    assert set(jul) == {"A-1", "C-1", "E-1"} and jul["A-1"]["maatregel_reden"] is None
    assert jul["C-1"]["bedrag_per_maand"] is None  # no amount recorded: empty, still valid
    for m in ("2025-05", "2025-06", "2025-07"):
        assert S.validate(S.records(june_log().frames(), "bus", m), "bus") == []


def test_srg_records_with_ladder_position():
    f = june_log().frames()
    june = {r["voorziening_id"]: r for r in S.records(f, "srg", "2025-06")}
    assert set(june) == {"A-1/TR1", "B-1/TR1"}
    assert june["B-1/TR1"] == {
        "record_type": "SRG",
        "gemeente": "0518",
        "periode": "202506",
        "voorziening_id": "B-1/TR1",
        "persoon_id": "B",
        "soort_voorziening": "03",
        "aanbieder": "P2",
        "module": "m1",
        "begindatum": "2025-02-01",
        "einddatum": "2025-06-10",
        "reden_beeindiging": "1",
        "participatieladder_begin": "3",
        "participatieladder": "5",
    }
    a = june["A-1/TR1"]
    assert (a["soort_voorziening"], a["einddatum"], a["participatieladder"]) == ("05", None, None)
    may = {r["voorziening_id"]: r for r in S.records(f, "srg", "2025-05")}
    assert (may["D-1/TR1"]["einddatum"], may["D-1/TR1"]["reden_beeindiging"]) == ("2025-05-31", "7")
    # before the second classification the position was still rung 3
    march = {r["voorziening_id"]: r for r in S.records(f, "srg", "2025-03")}
    assert march["B-1/TR1"]["participatieladder"] == "3"
    assert S.validate(june.values(), "srg") == [] and S.validate(may.values(), "srg") == []


def test_team_filter_and_summary():
    f = june_log().frames()
    assert S.records(f, "bus", "2025-06", team="T2") == []
    s = {r["statistiek"]: r for r in S.summary(f, "2025-06")}
    assert (
        s["BUS"]["records"],
        s["BUS"]["beeindigd"],
        s["BUS"]["met_ontheffing"],
        s["BUS"]["met_maatregel"],
        s["BUS"]["fouten"],
    ) == (3, 1, 2, 1, 0)
    assert (s["SRG"]["records"], s["SRG"]["beeindigd"]) == (2, 1)
    by_type = {r["code"]: r["records"] for r in S.breakdown(f, "bus", "2025-06", "huishoudtype")}
    assert by_type == {"1": 1, "2": 1, "3": 1}


def test_validator_reports_record_field_and_problem():
    good = S.records(june_log().frames(), "bus", "2025-06")
    bad = [dict(r) for r in good]
    bad[0]["huishoudtype"] = "9"  # not in the code list
    bad[0]["ingangsdatum"] = "2025-13-01"  # not a date
    bad[1]["reden_beeindiging"] = None  # einddatum without reason
    bad[2]["periode"] = "202513"
    bad[2]["kostendelers"] = -1
    bad[2]["extra"] = "x"
    bad.append(dict(good[0]))  # duplicate of record 1
    problems = {(p.record, p.field) for p in S.validate(bad, "bus")}
    assert {
        (1, "huishoudtype"),
        (1, "ingangsdatum"),
        (2, "reden_beeindiging"),
        (3, "periode"),
        (3, "kostendelers"),
        (3, "extra"),
        (4, "uitkering_id"),
    } <= problems
    assert not any(rec == 2 and fld != "reden_beeindiging" for rec, fld in problems)
    msgs = {(p.record, p.field): p.message for p in S.validate(bad, "bus")}
    assert "code list" in msgs[(1, "huishoudtype")] and "duplicate of record 1" in msgs[(4, "uitkering_id")]
    srg = [dict(r) for r in S.records(june_log().frames(), "srg", "2025-06")]
    assert [r["voorziening_id"] for r in srg] == ["B-1/TR1", "A-1/TR1"]  # by start date
    srg[1], srg[0] = srg[0], srg[1]
    srg[0]["einddatum"] = "2025-07-03"  # after the month, and without reason
    srg[1]["participatieladder"] = "7"
    del srg[1]["soort_voorziening"]
    p = {(x.record, x.field) for x in S.validate(srg, "srg")}
    assert {(1, "einddatum"), (1, "reden_beeindiging"), (2, "participatieladder"), (2, "soort_voorziening")} <= p


def test_csv_and_jsonl_round_trip_validate():
    rows = S.records(june_log().frames(), "bus", "2025-06")
    cols, body = S.table(rows, "bus")
    text = csv_string(body, header=cols, delimiter=";")
    assert text.splitlines()[0].split(";") == [f.name for f in S.BUS_LAYOUT]
    back = S.read_csv(text)
    assert len(back) == 3 and S.validate(back, "bus") == []
    # sorted by benefit start: E (2022), B (2024), A (2025)
    assert [(r["uitkering_id"], r["bedrag_per_maand"]) for r in back] == [
        ("E-1", "1200.00"),
        ("B-1", "1500.00"),
        ("A-1", "2000.00"),
    ]
    js = [json.loads(x) for x in S.to_jsonl(rows, "bus").splitlines()]
    assert js == [{f.name: r[f.name] for f in S.BUS_LAYOUT} for r in rows]


def test_month_argument_checked():
    with pytest.raises(ValueError):
        S.month_bounds("2025-13")
    assert S.month_bounds("2024-02") == (D(2024, 2, 1), D(2024, 2, 29))


@pytest.mark.django_db
def test_stats_cli_writes_valid_files(world, tmp_path):
    from typer.testing import CliRunner

    from regie.audit.models import AuditRecord
    from regie.cli import app

    out = tmp_path / "bus.csv"
    r = CliRunner().invoke(app, ["stats", "bus", "--municipality", "0518", "--month", "2025-03", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = S.read_csv(out.read_text())
    # the fixture: three Den Haag benefits from 1 Feb 2025, 1,400 a month, single
    assert [(x["ingangsdatum"], x["huishoudtype"], x["bedrag_per_maand"]) for x in rows] == [
        ("2025-02-01", "1", "1400.00")
    ] * 3
    r = CliRunner().invoke(app, ["stats", "srg", "--municipality", "0518", "--month", "2025-03", "--format", "jsonl"])
    assert r.exit_code == 0 and r.stdout == ""
    r = CliRunner().invoke(app, ["stats", "validate", "bus", str(out)])
    assert r.exit_code == 0, r.output
    out.write_text(out.read_text().replace(";1;0;", ";9;0;", 1))
    r = CliRunner().invoke(app, ["stats", "validate", "bus", str(out)])
    assert r.exit_code == 1 and "record 1, huishoudtype" in r.stdout
    assert CliRunner().invoke(app, ["stats", "bus", "--municipality", "0518", "--month", "2025-3"]).exit_code == 2
    assert AuditRecord.objects.filter(object_type="statistics", action="export").count() == 2
