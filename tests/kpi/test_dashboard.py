"""The monitoring pages: figures from the user's own municipality only, for policy roles only, every table honouring
the period and team filters, exports of every table, CBS record downloads and the budget."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse

from regie.casework.interchange import import_file
from regie.casework.services import append_event
from regie.core.kpi import statistics as S
from regie.core.synth import generate

pytestmark = pytest.mark.django_db

D = dt.date
PAGES = ("dashboard", "trajectories", "budget", "statistics")
YEAR = {"from": "2025-01-01", "to": "2026-01-01"}


@pytest.fixture
def two_municipalities(tmp_path, world):
    # world: 0518 (3 clients) and 0772 (2 clients); add a synthetic 0363 with hundreds of clients
    path = tmp_path / "ams.jsonl"
    generate("0363", 300, 3, path)
    import_file(path, "0363")
    return world


@pytest.fixture
def story(world):
    """Den Haag's three clients (benefit from 1 Feb 2025, 1,400 a month): client 0 (team T1) is classified on rung
    3, gets a trajectory at P1 in March (price 3,000; ends 1 May with work at a cost of 2,500), moves to rung 5 and
    leaves for work on 10 May; client 1 is classified on rung 2. Eindhoven gets a trajectory at 'PB-GEHEIM'."""
    from regie.accounts.models import Team

    km = world.users_a["integrale_klantmanager"]
    c0, c1 = (world.clients_a[i].cases.get() for i in (0, 1))
    c0.team = Team.objects.get(municipality=world.a, code="T1")
    c0.save()
    for case in (c1, world.clients_a[2].cases.get()):
        case.team = (
            Team.objects.create(municipality=world.a, code=f"T2{case.pk}", name="Team 2") if case == c1 else None
        )
        case.save()
    ev = lambda case, t, d, **p: append_event(case, type=t, effective_date=d, payload=p, actor=km)  # noqa: E731
    ev(c0, "classificatie", D(2025, 2, 15), scheme="participatieladder", level="3")
    ev(c1, "classificatie", D(2025, 2, 15), scheme="participatieladder", level="2")
    ev(
        c0,
        "traject_start",
        D(2025, 3, 1),
        trajectory_id="TR1",
        kind="bemiddeling",
        provider="P1",
        module="m1",
        price=3000.0,
        planned_end=D(2025, 5, 1),
    )
    ev(c0, "rapportage", D(2025, 4, 1), trajectory_id="TR1", kind="voortgang")
    ev(c0, "classificatie", D(2025, 4, 1), scheme="participatieladder", level="5")
    ev(c0, "traject_einde", D(2025, 5, 1), trajectory_id="TR1", result="werk", cost=2500.0)
    ev(c0, "uitstroom", D(2025, 5, 10), reason="werk_regulier")
    b = world.clients_b[0].cases.get()
    from regie.accounts.models import Provider

    Provider.objects.create(municipality=world.b, code="PB-GEHEIM", name="Eindhovens eigen aanbieder")
    append_event(
        b,
        type="traject_start",
        effective_date=D(2025, 3, 1),
        payload={"trajectory_id": "TR1", "kind": "scholing", "provider": "PB-GEHEIM", "price": 99999.0},
        actor=world.users_b["integrale_klantmanager"],
    )
    return world


def _csv(client, page, table, **params):
    """The export's rows keyed by the tables' keys: the file names its columns by the label registry (in Dutch
    here, tests/platform/test_exports_labels.py checks every export), so each header is mapped back to every key
    with that label (two keys may share one: "Uitstroom" is ``outflow`` and ``uitstroom``)."""
    r = client.get(reverse(f"monitoring:{page}"), {**params, "table": table, "export": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv"), (page, table, r.status_code)
    return [_by_key(row) for row in csv.DictReader(io.StringIO(r.content.decode()))]


def _by_key(row: dict) -> dict:
    from regie.platform import labels

    keys: dict[str, list[str]] = {}
    for k in {*labels.KPI_LABELS, *labels.FIELD_LABELS, *labels.BUILTIN_FIELDS}:
        keys.setdefault(labels.column_label(k), []).append(k)
    out = {}
    for header, value in row.items():
        for k in keys.get(header, [header]):
            out[k] = value
    return out


def test_dashboard_shows_own_figures_only(two_municipalities, login):
    world = two_municipalities
    c = login(world.users_a["beleidsmedewerker"])
    r = c.get(reverse("monitoring:dashboard"), YEAR)
    html = r.content.decode()
    assert r.status_code == 200 and "Bestand en stromen" in html and "<svg" in html
    # Den Haag's fixture has 3 benefit starts in 2025; Amsterdam's hundreds of synthetic clients never show up
    assert "<td>Instroom</td><td>3</td>" in html  # labelled and formatted for people
    assert "werk_regulier" not in html  # Amsterdam's outflow reasons are not Den Haag's
    for page in PAGES[1:]:
        html = c.get(reverse(f"monitoring:{page}"), YEAR).content.decode()
        assert "<td>P2</td>" not in html and "<td>P3</td>" not in html  # Amsterdam's synthetic providers


@pytest.mark.parametrize("role", ["integrale_klantmanager", "provider_coach", "auditor"])
def test_pages_refused_for_roles_without_aggregates(world, login, role):
    c = login(world.users_a[role])
    for page in PAGES + ("budget_edit",):
        assert c.get(reverse(f"monitoring:{page}")).status_code == 403, page
    assert c.get(reverse("monitoring:statistics"), {"records": "bus"}).status_code == 403


def test_roles_per_page(world, login):
    tm = login(world.users_a["teammanager"])
    assert all(tm.get(reverse(f"monitoring:{p}")).status_code == 200 for p in PAGES)
    fb = login(world.users_a["functioneel_beheerder"])
    # the functioneel beheerder delivers the CBS files and records budgets, but sees no other dashboards
    assert fb.get(reverse("monitoring:statistics")).status_code == 200
    assert fb.get(reverse("monitoring:budget_edit")).status_code == 200
    assert fb.get(reverse("monitoring:dashboard")).status_code == 403
    pm = login(world.users_a["beleidsmedewerker"])
    assert pm.get(reverse("monitoring:budget_edit")).status_code == 403
    assert pm.post(reverse("monitoring:budget_edit"), {"year": "2025", "source": "x y z"}).status_code == 403


def _title(table: str) -> str:
    """The sheet of a table's Excel download: the table's title on the page."""
    from regie.monitoring.views import sheet_title

    return sheet_title(table)


def test_every_table_of_every_page_exports_to_csv_and_excel(story, login):
    from openpyxl import load_workbook

    c = login(story.users_a["beleidsmedewerker"])
    tables = {
        "dashboard": ("flows", "outflow_by_reason", "duration", "caseload", "rates", "cohort"),
        "trajectories": ("trajectories", "provider_scores", "first_trajectory", "ladder", "ladder_summary"),
        "budget": ("w_deel", "w_deel_months", "i_deel", "i_deel_months"),
        "statistics": (
            "cbs_summary",
            "bus_regeling",
            "bus_huishoudtype",
            "bus_ontheffing",
            "bus_maatregel",
            "bus_beeindiging",
            "srg_soort",
            "srg_beeindiging",
            "srg_ladder",
            "validation",
        ),
    }
    for page, names in tables.items():
        html = c.get(reverse(f"monitoring:{page}"), YEAR).content.decode()
        for table in names:
            assert f"table={table}&amp;export=csv" in html, (page, table)
            _csv(c, page, table, **YEAR)
            x = c.get(reverse(f"monitoring:{page}"), {**YEAR, "table": table, "export": "xlsx"})
            assert x.status_code == 200, (page, table)
            assert load_workbook(io.BytesIO(x.content)).active.title == _title(table)
    assert {"indicator": "Instroom", "value": "3"} in _csv(c, "dashboard", "flows", **YEAR)
    wb = load_workbook(
        io.BytesIO(
            c.get(reverse("monitoring:trajectories"), {**YEAR, "table": "provider_scores", "export": "xlsx"}).content
        )
    )
    rows = list(wb.active.values)
    assert rows[0][:4] == ("Aanbieder", "Trajecten", "Naar werk", "Uitstroom") and rows[1][:4] == ("P1", 1, 1, 1)


def test_trajectory_page_values_by_hand(story, login):
    c = login(story.users_a["beleidsmedewerker"])
    scores = _csv(c, "trajectories", "provider_scores", **YEAR)
    assert len(scores) == 1  # Eindhoven's PB-GEHEIM is not here
    p1 = scores[0]
    # 61 days, planned 2 months -> weekly reports (national default, under 3 months): 8 due, 1 received
    assert (
        p1["provider"],
        p1["trajecten"],
        p1["naar_werk"],
        p1["uitstroom"],
        p1["rapportage"],
        p1["bejegening"],
        p1["kosten"],
        p1["kosten_per_succes"],
    ) == ("P1", "1", "1", "1.0", "0.125", "1.0", "2500.0", "2500.0")
    res = _csv(c, "trajectories", "trajectories", **YEAR)
    assert [(r["provider"], r["module"], r["ended"], r["successful"], r["cost_per_success"]) for r in res] == [
        ("P1", "m1", "1", "1", "2500.0")
    ]
    ladder = {"from": "2025-03-01", "to": "2025-07-01"}
    s = _csv(c, "trajectories", "ladder_summary", **ladder)[0]
    assert (s["population"], s["measured"], s["unmeasured"], s["up"], s["same"], s["down"], s["left"]) == (
        "3",
        "2",
        "1",
        "0",
        "1",
        "0",
        "1",
    )
    m = {r["from"]: r for r in _csv(c, "trajectories", "ladder", **ladder)}
    assert m["3"]["uit_uitkering"] == "1" and m["2"]["2"] == "1" and m["5"]["total"] == "0"
    html = c.get(reverse("monitoring:trajectories"), ladder).content.decode()
    assert "PB-GEHEIM" not in html and "<svg" in html


def test_team_filter_applies_to_every_page(story, login):
    c = login(story.users_a["beleidsmedewerker"])
    t1 = {**YEAR, "team": "T1"}
    flows = {r["indicator"]: r["value"] for r in _csv(c, "dashboard", "flows", **t1)}
    assert (flows["Instroom"], flows["Uitstroom"], flows["Uitstroom naar werk"]) == ("1", "1", "1")
    assert [
        r["cases"] for r in _csv(c, "dashboard", "caseload", to="2025-05-01", **{"from": "2025-01-01", "team": "T1"})
    ] == ["1"]
    march = {"from": "2025-03-01", "to": "2025-04-01"}
    assert _csv(c, "dashboard", "rates", **march)[0]["average_stock"] == "3.0"
    assert _csv(c, "dashboard", "rates", team="T1", **march)[0]["average_stock"] == "1.0"
    assert _csv(c, "dashboard", "duration", **t1) == [{"band": b, "stock": "0"} for b in ("<1", "1-3", "3-5", ">=5")]
    assert _csv(c, "trajectories", "first_trajectory", **t1)[0]["inflow"] == "1"
    t2 = {**YEAR, "team": "ZZ"}
    assert _csv(c, "trajectories", "provider_scores", **t2) == []
    assert _csv(c, "trajectories", "trajectories", **t2) == []
    assert _csv(c, "dashboard", "cohort", **t2) == []
    assert (
        _csv(c, "trajectories", "ladder_summary", **{"from": "2025-03-01", "to": "2025-07-01", "team": "T1"})[0][
            "population"
        ]
        == "1"
    )
    i = _csv(c, "budget", "i_deel", **{"from": "2025-01-01", "to": "2025-04-01", "team": "T1"})[0]
    assert float(i["to_date"]) == 2 * 1400  # February and March of client 0 only
    bus = _csv(c, "statistics", "cbs_summary", month="2025-05", **t1)
    assert bus[0]["records"] == "1"
    r = c.get(reverse("monitoring:statistics"), {"records": "bus", "month": "2025-05", "team": "T1"})
    assert len(S.read_csv(r.content.decode())) == 1


def test_budget_page_depletion_forecast_and_i_deel(story, login):
    from regie.audit.models import AuditRecord
    from regie.monitoring.models import BudgetAllocation

    fb = login(story.users_a["functioneel_beheerder"])
    bad = fb.post(reverse("monitoring:budget_edit"), {"year": "2025", "w_deel": "veel", "source": ""})
    assert bad.status_code == 400 and not BudgetAllocation.objects.exists()
    r = fb.post(
        reverse("monitoring:budget_edit"),
        {"year": "2025", "w_deel": "4.000,00", "i_deel": "100000", "source": "Beschikking SZW 2025 (test)"},
    )
    assert r.status_code == 302
    alloc = BudgetAllocation.objects.get()
    assert (alloc.municipality_id, float(alloc.w_deel), float(alloc.i_deel)) == (story.a.id, 4000.0, 100000.0)
    assert AuditRecord.objects.filter(object_type="budget", action="write").count() == 1
    c = login(story.users_a["beleidsmedewerker"])
    q = {"from": "2025-01-01", "to": "2025-04-01"}  # as of 31 March: the trajectory is committed at its price
    w = _csv(c, "budget", "w_deel", **q)[0]
    elapsed = 90 / 365 * 12
    rate = 3000 / elapsed
    assert (float(w["to_date"]), float(w["remaining"]), float(w["per_month"])) == (3000.0, 1000.0, round(rate, 2))
    assert w["forecast_depletion_month"] == "4" and w["depleted_month"] == ""  # 2.96 + 1000 / 1014 = 3.95 months
    i = _csv(c, "budget", "i_deel", **q)[0]
    assert float(i["to_date"]) == 2 * 3 * 1400 and float(i["forecast_balance"]) == round(
        100000 - 8400 / elapsed * 12, 2
    )
    months = _csv(c, "budget", "w_deel_months", **q)
    assert [m["amount"] for m in months[:4]] == ["0.0", "0.0", "3000.0", "0.0"] and months[3]["cumulative"] == ""
    html = c.get(reverse("monitoring:budget"), q).content.decode()
    assert "<polyline" in html and 'class="forecast"' in html and 'class="budget"' in html
    # SVG coordinates are machine numbers: never localised (a Dutch "23,5" would draw the budget line at 23)
    budget_line = re.search(r'<line [^>]*class="budget"', html).group(0)
    ys = re.findall(r' y[12]="([^"]*)"', budget_line)
    assert len(ys) == 2 and all(re.fullmatch(r"-?\d+(\.\d+)?", y) for y in ys), budget_line
    assert ">jan</text>" in html and ">dec</text>" in html and "Schaal tot €\u00a0" in html
    assert "in maand 4" in html and "Beschikking SZW 2025 (test)" in html
    # after the year: the trajectory ended cheaper (2,500); not depleted; Eindhoven sees no Den Haag budget
    w = _csv(c, "budget", "w_deel", **YEAR)[0]
    assert float(w["to_date"]) == 2500.0 and w["depleted_month"] == ""
    eh = login(story.users_b["beleidsmedewerker"])
    assert _csv(eh, "budget", "w_deel", **YEAR)[0]["budget"] == ""
    assert (
        "Beschikking SZW"
        not in login(story.users_b["functioneel_beheerder"]).get(reverse("monitoring:budget_edit")).content.decode()
    )


def test_statistics_page_and_record_downloads(story, login):
    from regie.audit.models import AuditRecord

    c = login(story.users_a["functioneel_beheerder"])
    html = c.get(reverse("monitoring:statistics"), {"month": "2025-05"}).content.decode()
    assert "Recordindeling" in html and "<svg" in html
    r = c.get(reverse("monitoring:statistics"), {"month": "2025-05", "records": "bus", "format": "csv"})
    assert r["Content-Disposition"] == 'attachment; filename="bus-0518-2025-05.csv"'
    rows = S.read_csv(r.content.decode())
    assert S.validate(rows, "bus") == [] and len(rows) == 3 and {x["gemeente"] for x in rows} == {"0518"}
    ended = [x for x in rows if x["einddatum"]]
    assert [(x["uitkering_id"], x["einddatum"], x["reden_beeindiging"]) for x in ended] == [("K0", "2025-05-10", "10")]
    r = c.get(reverse("monitoring:statistics"), {"month": "2025-03", "records": "srg", "format": "jsonl"})
    srg = [json.loads(line) for line in r.content.decode().splitlines()]
    assert [(x["voorziening_id"], x["soort_voorziening"], x["aanbieder"], x["participatieladder"]) for x in srg] == [
        ("K0/TR1", "02", "P1", "3")
    ]
    assert "PB-GEHEIM" not in r.content.decode()
    summary = _csv(login(story.users_a["beleidsmedewerker"]), "statistics", "cbs_summary", month="2025-05")
    assert [(x["statistiek"], x["records"], x["beeindigd"], x["fouten"]) for x in summary] == [
        ("BUS", "3", "1", "0"),
        ("SRG", "1", "1", "0"),
    ]
    assert AuditRecord.objects.filter(object_type="statistics", action="export").count() == 2


def test_bar_charts_draw_bars_in_dutch_and_english(two_municipalities, login):
    """SVG geometry must not be localised (a Dutch decimal comma in a width draws nothing); labels are readable."""
    import re

    world = two_municipalities
    c = login(world.users_a["beleidsmedewerker"])
    for lang in ("nl", "en"):
        c.post(reverse("set_language"), {"language": lang, "next": "/"})
        html = c.get(reverse("monitoring:dashboard"), YEAR).content.decode()
        widths = re.findall(r'<rect [^>]*width="([^"]+)"', html)
        assert widths, "no bars drawn"
        assert all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths), widths
        assert max(float(w) for w in widths) == 340  # the longest bar fills the bar area
        assert ("Instroom" if lang == "nl" else "Inflow") in html


def test_years_and_month_numbers_are_not_grouped_like_amounts():
    from regie.monitoring.templatetags.monitoring_tables import cell

    assert cell(2025, "year") == "2025" and cell(12, "depleted_month") == "12"
    assert cell(701040.0, "budget") != "701040"  # amounts are grouped (locale-dependent separator)


def test_pages_name_caseworkers_exports_keep_their_ids(story, login):
    """A teammanager reads names, not the interchange ids ("U2") of the analytic tables; the export keeps the id
    so that a file can be joined to other data."""
    cw = story.users_a["integrale_klantmanager"]
    cw.first_name, cw.last_name = "Fatima", "El Amrani"
    cw.save()
    c = login(story.users_a["beleidsmedewerker"])
    html = c.get(reverse("monitoring:dashboard"), YEAR).content.decode()
    assert "Fatima El Amrani" in html
    rows = _csv(c, "dashboard", "caseload", **YEAR)
    ids = {r["caseworker"] for r in rows}
    assert (cw.external_id or cw.username) in ids and "Fatima El Amrani" not in ids


def test_cohort_columns_are_explained_for_a_teammanager(story, login):
    """The RWI cohort's X/Y/Z/A1/B1 mean nothing without the definitions (seed 001:1602-1692): the page explains
    each column in one line, in the user's language."""
    c = login(story.users_a["beleidsmedewerker"])
    html = c.get(reverse("monitoring:dashboard"), YEAR).content.decode()
    # several tables explain their columns (labels: the registry's KPI_HELP); the cohort's block is one of them
    blocks = [b.split("</details>")[0] for b in html.split("Wat betekenen de kolommen?")[1:]]
    help_block = next(b for b in blocks if "Z: van Y" in b)
    assert "Z: van Y, met arbeidsverplichting" in help_block and "Sluiting: aandeel" in help_block


def test_table_cells_show_shares_as_percentages_amounts_in_euro_and_dates_for_people():
    from django.utils import translation

    from regie.monitoring.templatetags.monitoring_tables import cell

    with translation.override("nl"):
        assert cell(0.475, "compliance") == "47,5%"
        assert cell(0.9, "durable_12m") == "90,0%"
        assert cell(712448.0, "budget") == "€\u00a0712.448"
        assert cell("2025-12-31", "as_of") == "31-12-2025"
        assert cell("2025-01", "month") == "januari 2025"
        assert cell(float("nan"), "success_rate") == "—"
        assert cell(3, "cases") == "3" and cell(2025, "year") == "2025"
    with translation.override("en"):
        assert cell(0.475, "compliance") == "47.5%" and cell(712448.0, "budget") == "€\u00a0712,448"
    # every share the core computes (the RWI cohort's ratios, a provider's criteria) reads as a percentage
    from regie.core.kpi.cohorts import RATIOS
    from regie.core.kpi.providers import CRITERIA

    with translation.override("nl"):
        assert {k: cell(0.5, k) for k in (*RATIOS, *CRITERIA)} == dict.fromkeys((*RATIOS, *CRITERIA), "50,0%")
