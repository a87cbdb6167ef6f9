"""The Beleidslab page: form validation, a small run end to end through the views, roles and tenancy."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from regie.lab.models import LabRun

pytestmark = pytest.mark.django_db

SMALL = {
    "baseline": "policy:national-default",
    "clients": "300",
    "caseworkers": "3",
    "months": "36",
    "runs": "2",
    "seed": "7",
}


def _officer(world, which="a"):
    return (world.users_a if which == "a" else world.users_b)["beleidsmedewerker"]


def test_form_keeps_input_and_names_the_fields_on_errors(world, login):
    c = login(_officer(world))
    resp = c.post(
        reverse("lab:index"), {**SMALL, "clients": "150", "caseworkers": "2", "caseload_norm": "5", "freedom": "1.5"}
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    form = resp.context["form"]
    assert set(form.errors) >= {"clients", "caseload_norm", "freedom"}
    # messages carry the field's label, in the summary and next to the field; the input is kept
    assert "Cliënten bij de start:" in body and "Caseloadnorm (cliënten per klantmanager):" in body
    assert 'value="150"' in body and 'value="1.5"' in body
    assert LabRun.objects.count() == 0


def test_a_change_is_required_and_the_size_is_bounded(world, login):
    c = login(_officer(world))
    resp = c.post(reverse("lab:index"), SMALL)  # no policy change at all
    assert "steering" in resp.context["form"].errors
    resp = c.post(
        reverse("lab:index"), {**SMALL, "steering": "rules", "clients": "8000", "caseworkers": "20", "runs": "20"}
    )
    errors = resp.context["form"].errors
    assert "caseworkers" not in errors and "runs" in errors
    resp = c.post(reverse("lab:index"), {**SMALL, "steering": "rules", "clients": "8000", "caseworkers": "10"})
    assert "caseworkers" in resp.context["form"].errors  # 800 clients per caseworker
    assert LabRun.objects.count() == 0


def test_small_run_end_to_end_through_the_views(world, login):
    # the run's job executes inside the request (tests/conftest.py: the immediate job backend)
    c = login(_officer(world))
    resp = c.post(
        reverse("lab:index"), {**SMALL, "steering": "rules", "work_first": "aan", "exemptions_off": ["mantelzorg"]}
    )
    run = LabRun.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("lab:run", args=[run.pk])
    assert run.status == "done", run.error
    assert run.created_by == _officer(world) and run.municipality == world.a
    assert run.params["change"] == {"steering": "rules", "work_first": "aan", "exemptions_off": ["mantelzorg"]}
    assert run.progress == run.total == 4
    json.dumps(run.result, allow_nan=False)  # storable in PostgreSQL's jsonb (no NaN)
    keys = {m["key"] for m in run.result["measures"]}
    assert {"outflow_to_work_per_year_pct", "mean_duration_months", "cost_w_deel", "trajectory_rate_ratio"} <= keys
    assert run.result["arms"] == ["basis", "wijziging"]
    for m in run.result["measures"]:
        assert [a["name"] for a in m["arms"]] == ["basis", "wijziging"] and [d["name"] for d in m["diffs"]] == [
            "wijziging"
        ]
        for band in m["arms"] + m["diffs"]:
            assert band["p05"] <= band["mean"] <= band["p95"]
        # the paired difference is the mean of the per-run differences
        assert m["diffs"][0]["mean"] == pytest.approx(m["arms"][1]["mean"] - m["arms"][0]["mean"], abs=1e-3)
    # equal treatment between caseworkers comes from the equity monitor's code
    assert run.result["equal_treatment_method"].startswith("regie.core.equity.caseworker_icc — trajectory_12m")
    # the change is real: rules-steering with Work First differs from the baseline
    dev = next(m for m in run.result["measures"] if m["key"] == "deviation_rate")
    assert dev["diffs"][0]["mean"] != 0

    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert "Uitstroom naar werk per jaar" in page and "Gemiddelde uitkeringsduur" in page
    assert "Kosten per geslaagd traject" in page and "herkomstgroep" in page
    assert page.count('src="data:image/svg+xml;base64,') >= 4  # band plots and bar charts from the report code
    assert "Sturing: Sturing op regels" in page and "Work First: aan" in page
    # survives a reload: the list on the index shows it
    assert reverse("lab:run", args=[run.pk]) in c.get(reverse("lab:index")).content.decode()
    # htmx polling of a finished run asks for a refresh
    st = c.get(reverse("lab:status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert st.status_code == 200 and st["HX-Refresh"] == "true"

    got = c.get(reverse("lab:export", args=[run.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(got.content.decode())))
    assert got["Content-Type"].startswith("text/csv") and len(rows) == len(run.result["measures"])
    # columns named for a policy officer (per arm and statistic)
    assert {"Maat", "Basis: gemiddelde", "Wijziging: gemiddelde", "Verschil Wijziging: ondergrens (p05)"} <= set(
        rows[0]
    )
    runs = list(
        csv.DictReader(io.StringIO(c.get(reverse("lab:export", args=[run.pk, "csv"]) + "?table=runs").content.decode()))
    )
    assert sorted(r["Variant"] for r in runs) == ["Basis", "Basis", "Wijziging", "Wijziging"]  # labels, not keys
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(c.get(reverse("lab:export", args=[run.pk, "xlsx"])).content))
    assert wb.sheetnames == ["Effecten", "Runs"] and wb["Runs"].max_row == 5


def test_a_shipped_scenario_runs_its_own_arms_from_the_page(world, login):
    c = login(_officer(world))
    data = {**SMALL, "baseline": "experiment:h2-vrijheid-variatie", "use_arms": "on", "months": "24"}
    # own change and the scenario's arms at once is refused, naming the field; so is use_arms on a policy baseline
    bad = c.post(reverse("lab:index"), {**data, "steering": "rules"})
    assert "use_arms" in bad.context["form"].errors
    bad = c.post(reverse("lab:index"), {**data, "baseline": "policy:national-default"})
    assert "use_arms" in bad.context["form"].errors
    assert LabRun.objects.count() == 0
    c.post(reverse("lab:index"), data)
    run = LabRun.objects.get()
    assert run.status == "done", run.error
    assert run.result["arms"] == ["weinig", "midden", "veel"] and run.total == run.progress == 6
    dev = next(m for m in run.result["measures"] if m["key"] == "deviation_rate")
    assert [d["name"] for d in dev["diffs"]] == ["midden", "veel"]
    assert dev["arms"][0]["mean"] < dev["arms"][1]["mean"] < dev["arms"][2]["mean"]  # freedom 0.1 < 0.4 < 0.8
    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert "Verschil Veel vrijheid − Weinig vrijheid" in page  # the arms by the scenario file's labels
    assert "Varianten van het scenario: Weinig vrijheid, Gemiddelde vrijheid, Veel vrijheid" in page
    assert "Scenario: Meer vrijheid, meer verschil tussen klantmanagers?" in page
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert "Difference Much freedom − Little freedom" in page and "Variants of the scenario: Little freedom" in page
    assert "The more freedom a municipality leaves" in page and "Naarmate" not in page and "vrijheid" not in page
    # the citation only behind the Bron disclosure
    visible = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert "seed 000:568-570" in page and "seed 000" not in visible and "regie.core" not in visible
    effects = c.get(reverse("lab:export", args=[run.pk, "csv"])).content.decode("utf-8-sig")
    assert "Much freedom: mean" in effects and "veel" not in effects
    index = c.get(reverse("lab:index")).content.decode()
    runs_table = index[index.index("<h2>My simulations</h2>") :]
    assert "experiment:" not in runs_table  # the runs by their baseline's name, not its key
    assert "<td>Scenario: More freedom, more difference between caseworkers?</td>" in runs_table


@pytest.mark.parametrize(
    "role",
    [
        "integrale_klantmanager",
        "inkomensconsulent",
        "reintegratieconsulent",
        "provider_coach",
        "auditor",
        "functioneel_beheerder",
    ],
)
def test_roles_without_aggregates_get_403(world, login, role):
    run = LabRun.objects.create(
        municipality=world.a,
        created_by=_officer(world),
        scenario="policy:national-default",
        params={**SMALL, "change": {"steering": "rules"}},
        status="done",
        result={"measures": [], "charts": [], "runs": []},
    )
    c = login(world.users_a[role])
    for url in (
        reverse("lab:index"),
        reverse("lab:run", args=[run.pk]),
        reverse("lab:status", args=[run.pk]),
        reverse("lab:export", args=[run.pk, "csv"]),
    ):
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("lab:index"), {**SMALL, "steering": "rules"}).status_code == 403
    assert LabRun.objects.count() == 1
    assert "Beleidslab" not in c.get("/").content.decode()


def test_another_municipalitys_run_and_a_colleagues_run_are_404(world, login):
    theirs = LabRun.objects.create(
        municipality=world.b,
        created_by=_officer(world, "b"),
        scenario="policy:national-default",
        params={**SMALL, "change": {"steering": "rules"}},
        status="done",
        result={"measures": [], "charts": [], "runs": []},
    )
    colleague = LabRun.objects.create(
        municipality=world.a,
        created_by=world.users_a["teammanager"],
        scenario="policy:national-default",
        params={**SMALL, "change": {"steering": "rules"}},
        status="done",
        result={"measures": [], "charts": [], "runs": []},
    )
    c = login(_officer(world))
    for run in (theirs, colleague):
        for url in (
            reverse("lab:run", args=[run.pk]),
            reverse("lab:status", args=[run.pk]),
            reverse("lab:export", args=[run.pk, "csv"]),
            reverse("lab:export", args=[run.pk, "xlsx"]),
        ):
            assert c.get(url).status_code == 404, url
    index = c.get(reverse("lab:index"))
    assert index.status_code == 200 and "Beleidslab" in index.content.decode()
    assert list(index.context["runs"]) == []
    # the owner sees their own run
    assert login(_officer(world, "b")).get(reverse("lab:run", args=[theirs.pk])).status_code == 200


def test_a_run_whose_server_died_is_shown_as_interrupted_not_running_forever(world, login):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    kw = dict(
        municipality=world.a,
        created_by=_officer(world),
        scenario="policy:national-default",
        params={**SMALL, "change": {"steering": "rules"}},
    )
    dead = LabRun.objects.create(status="running", heartbeat=now - dt.timedelta(hours=1), **kw)
    alive = LabRun.objects.create(status="running", heartbeat=now - dt.timedelta(seconds=30), **kw)
    waiting = LabRun.objects.create(status="queued", **kw)  # just created: still waiting its turn
    c = login(_officer(world))
    assert c.get(reverse("lab:index")).status_code == 200
    dead.refresh_from_db(), alive.refresh_from_db(), waiting.refresh_from_db()
    assert dead.status == "failed" and "Onderbroken" in dead.error and dead.finished is not None
    assert alive.status == "running" and waiting.status == "queued"
    html = c.get(reverse("lab:status", args=[dead.pk])).content.decode()
    assert "Onderbroken" in html


def test_the_municipalitys_own_policy_is_the_first_baseline(world, login):
    html = login(_officer(world)).get(reverse("lab:index")).content.decode()
    options = html.split('name="baseline"')[1].split("</select>")[0]
    first = options.split("<option")[1]
    assert 'value="policy:den-haag"' in first and "Den Haag" in first  # 0518 finds den-haag as the casework does


# --- lab demand side (regie.core.lab.demand) ---------------------------------------------------------------------
def test_more_accountmanagers_from_the_page_reports_placements_and_subsidy_per_durable_placement(world, login):
    c = login(_officer(world))
    # a wage subsidy without accountmanagers (the baseline has none) is refused, naming the field
    bad = c.post(reverse("lab:index"), {**SMALL, "subsidy_pct": "30"})
    assert "subsidy_pct" in bad.context["form"].errors
    assert 'value="30"' in bad.content.decode()
    bad = c.post(reverse("lab:index"), {**SMALL, "accountmanagers": "2", "subsidy_pct": "80"})
    assert "subsidy_pct" in bad.context["form"].errors  # Pw art. 10d: at most 70%
    assert LabRun.objects.count() == 0
    c.post(reverse("lab:index"), {**SMALL, "clients": "1500", "caseworkers": "12", "accountmanagers": "3"})
    run = LabRun.objects.get()
    assert run.status == "done", run.error
    m = {x["key"]: x for x in run.result["measures"]}
    # the baseline has no accountmanagers: it placed nobody and paid no subsidy (0, not missing); shares stay out
    basis, wijziging = (a["mean"] for a in m["demand.placements"]["arms"])
    assert basis == 0 < wijziging
    assert m["demand.subsidy_spent"]["arms"][0]["mean"] == 0
    assert "demand.durable_6_share" not in m
    run.delete()
    data = {**SMALL, "clients": "1500", "caseworkers": "12", "baseline": "experiment:meer-accountmanagers"}
    c.post(reverse("lab:index"), {**data, "use_arms": "on"})
    run = LabRun.objects.get()
    assert run.status == "done", run.error
    m = {x["key"]: x for x in run.result["measures"]}
    assert {"demand.placements", "demand.durable_12", "demand.subsidy_per_durable_placement"} <= set(m)
    huidig, verdubbeld = (a["mean"] for a in m["demand.placements"]["arms"])
    assert verdubbeld > huidig > 0
    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert "Plaatsingen op vacatures" in page and "Duurzame plaatsingen (na 12 maanden)" in page
    assert "Loonkostensubsidie per duurzame plaatsing met subsidie (€)" in page
    assert "demand." not in re.sub(r"<details.*?</details>", "", page, flags=re.S)  # no internal keys outside Bron


def test_the_english_page_draws_the_charts_in_english(world, login):
    """The chart text (title, axis, arms) is drawn in the reader's language; the <img alt> is the same title."""
    import base64
    import re

    c = login(_officer(world))
    c.post(reverse("lab:index"), {**SMALL, "steering": "rules"})
    run = LabRun.objects.get()
    assert run.status == "done", run.error
    svgs = {}
    for lang in ("nl", "en"):
        c.post(reverse("set_language"), {"language": lang, "next": "/"})
        page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
        imgs = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', page)
        assert len(imgs) >= 4
        svgs[lang] = {alt: base64.b64decode(data).decode() for data, alt in imgs}
    assert "Stock (mean and 90% band)" in svgs["en"] and "Bestand (gemiddelde en 90%-band)" in svgs["nl"]
    en, nl = svgs["en"]["Stock (mean and 90% band)"], svgs["nl"]["Bestand (gemiddelde en 90%-band)"]
    # matplotlib writes text as paths, with the text in a comment: the English chart says it in English
    assert "Stock (mean and 90% band)" in en and "Bestand" not in en
    assert "months since January" in en and "maanden sinds januari" in nl
    assert "Baseline" in en and "Change" in en and "Wijziging" in nl
    bars = svgs["en"]["Outflow to work (% per year)"]
    assert "Outflow to work" in bars and "Uitstroom" not in bars


def test_an_older_result_with_only_dutch_charts_still_shows(world, login):
    run = LabRun.objects.create(
        municipality=world.a,
        created_by=_officer(world),
        scenario="policy:national-default",
        params={**SMALL, "change": {"steering": "rules"}},
        status="done",
        result={"measures": [], "charts": [{"title": "Gemiddelde duur (maanden)", "svg": "<svg></svg>"}], "runs": []},
    )
    c = login(_officer(world))
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert 'alt="Mean duration (months)"' in page
