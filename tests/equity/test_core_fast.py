"""The fast equity report (docs/performance.md, "Equity report"): the shortcuts give the exact method's results.

- the default report (Wald intervals) has the same estimates as the report with profile-likelihood intervals (the
  method before), and its intervals lie within the profile intervals' widths of them;
- ``profile_intervals`` afterwards gives exactly the profile report's intervals;
- the Gram-matrix column selection keeps the columns a QR keeps, on every decision's design;
- the GLM on distinct design rows has the row-level GLM's coefficients;
- the quadrature's fused log-likelihood and expected counts equal the plain formulas;
- the decision tables read only the event columns and types they need and still give the same tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from regie.core.equity import DECISIONS, equity_report, profile_intervals
from regie.core.equity import data as eqdata
from regie.core.equity.data import decision_table
from regie.core.equity.models import _AGHQ, _glm_on_cells, _loglik_terms, _mu, glm_irls
from regie.core.frames import from_jsonl
from regie.core.synth import generate


@pytest.fixture(scope="module")
def frames():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.jsonl"
        generate("0000", 1500, 3, path)
        return from_jsonl(path, normalise=False)


@pytest.fixture(scope="module")
def reports(frames):
    return equity_report(frames), equity_report(frames, ci="profile")


def test_default_report_has_the_exact_methods_estimates(reports):
    fast, exact = reports
    fitted = [d for d, v in exact["decisions"].items() if v["icc"] is not None]
    assert len(fitted) >= 4
    for d in fitted:
        f, e = fast["decisions"][d], exact["decisions"][d]
        assert f["icc"] == pytest.approx(e["icc"], abs=1e-9), d  # same fit, only the interval differs
        width = e["icc_ci"][1] - e["icc_ci"][0]
        assert width > 0, d
        assert abs(f["icc_ci"][0] - e["icc_ci"][0]) <= width and abs(f["icc_ci"][1] - e["icc_ci"][1]) <= width, d
        assert f["icc_ci"][0] <= f["icc"] <= f["icc_ci"][1], d
        for a, b in zip(f["caseworker_effects"], e["caseworker_effects"], strict=True):
            assert a["effect"] == pytest.approx(b["effect"], abs=1e-9) and a["flag"] == b["flag"]
    assert fast["deviations"] == exact["deviations"] and fast["pairs"] == exact["pairs"]
    binary = [d for d in fitted if exact["decisions"][d]["kind"] != "continuous"]
    assert any("Wald" in fast["decisions"][d]["method"] for d in binary)
    assert all("Wald" not in exact["decisions"][d]["method"] for d in fitted)


def test_profile_intervals_afterwards_equal_the_profile_report(frames, reports):
    _fast, exact = reports
    fitted = [d for d, v in exact["decisions"].items() if v["icc"] is not None]
    extra = profile_intervals(frames, fitted)
    assert set(extra) == set(fitted)
    for d in fitted:
        assert extra[d]["icc_ci"] == pytest.approx(exact["decisions"][d]["icc_ci"], abs=1e-6), d
        assert "profile-likelihood CI" in extra[d]["method"]


def _qr_columns(X, tol=1e-9):
    """The selection before: unpivoted QR, |r_ii| above tol x the largest."""
    _q, r = np.linalg.qr(X)
    d = np.abs(np.diag(r))
    return [i for i in range(X.shape[1]) if d[i] > tol * max(d.max(), 1.0)]


def test_gram_column_selection_keeps_what_qr_keeps(frames, monkeypatch):
    monkeypatch.setattr(eqdata, "_independent_columns", lambda X, tol=1e-9: list(range(X.shape[1])))
    for d in DECISIONS:
        X, *_ = decision_table(frames, d).design()
        monkeypatch.undo()
        assert eqdata._independent_columns(X) == _qr_columns(X), d
        monkeypatch.setattr(eqdata, "_independent_columns", lambda X, tol=1e-9: list(range(X.shape[1])))
    # an exactly collinear column (the sum of two others) is dropped, an almost collinear one kept
    rng = np.random.default_rng(3)
    A = (rng.random((500, 4)) < 0.4).astype(float)
    B = np.column_stack([np.ones(500), A, A[:, 0] + A[:, 1], A[:, 2] + np.eye(500)[0]])
    monkeypatch.undo()
    assert eqdata._independent_columns(B) == [0, 1, 2, 3, 4, 6] == _qr_columns(B)


@pytest.mark.parametrize("decision", ["trajectory_12m", "sanction", "time_to_trajectory"])
def test_glm_on_distinct_design_rows_equals_the_row_glm(frames, decision):
    X, _n, y, _g, _l, off = decision_table(frames, decision).design()
    family = "poisson" if off is not None else "binomial"
    rows = glm_irls(X, y, family, off)
    cells = _glm_on_cells(X, y, family, off)
    assert cells == pytest.approx(rows, abs=1e-5)


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_fused_loglik_and_mu_equal_the_plain_formulas(family):
    rng = np.random.default_rng(5)
    n = 400
    X = np.column_stack([np.ones(n), rng.random(n) < 0.5])
    y = (rng.random(n) < 0.3).astype(float) if family == "binomial" else rng.poisson(1.2, n).astype(float)
    trials = rng.integers(1, 5, n).astype(float) if family == "binomial" else None
    if trials is not None:
        y = np.minimum(y * trials, trials)
    g = np.sort(rng.integers(0, 20, n))
    m = _AGHQ(X, y, g, 20, family, trials=trials)
    eta = rng.normal(0, 8, (n, 9))  # far into both tails
    ll, mu = m._ll_mu(eta, True)
    nt = None if trials is None else trials[:, None]
    assert ll == pytest.approx(_loglik_terms(family, y[:, None], eta, nt), rel=1e-12, abs=1e-12)
    expect = _mu(family, eta) * (1 if nt is None else nt)
    assert mu == pytest.approx(expect, rel=1e-12, abs=1e-300)


def test_decision_tables_from_the_narrow_events_equal_those_from_all_columns(frames, monkeypatch):
    narrow = {d: decision_table(frames, d).rows for d in DECISIONS}
    monkeypatch.setattr(eqdata, "_EVENT_COLUMNS", tuple(frames.events.columns))
    monkeypatch.setattr(eqdata, "_EVENT_TYPES", tuple(frames.events["type"].unique().to_list()))
    eqdata._PREP_CACHE.clear()
    for d in DECISIONS:
        assert decision_table(frames, d).rows.equals(narrow[d]), d
    eqdata._PREP_CACHE.clear()


def test_the_report_of_only_what_it_reads_is_the_same(frames, reports, tmp_path):
    """``report_frames`` (and ``report_events`` on a lazy Parquet scan, as the store's copy is read) keeps a small
    part of the events table and gives exactly the report of the whole tables, given the default ``as_of``."""
    import polars as pl

    from regie.core.equity import last_effective_date, report_events, report_frames
    from regie.core.frames import read_parquet, write_parquet

    fast, _ = reports
    cut = report_frames(frames)
    assert cut.events.width < frames.events.width / 2 and cut.events.height < frames.events.height
    as_of = last_effective_date(frames.events)
    assert as_of.isoformat() == fast["as_of"]
    assert equity_report(cut, as_of=as_of) == fast
    write_parquet(frames, tmp_path)
    scanned = read_parquet(tmp_path, frames.municipality, events=report_events)[0]
    assert scanned.events.equals(cut.events)
    assert last_effective_date(pl.scan_parquet(tmp_path / "events.parquet")) == as_of


def test_level_codes_of_a_categorical_equal_those_of_its_text(frames):
    """The categorical path (physical ids) and the text path give the same levels, codes and counts: on every
    covariate of the decision tables, and on a column with missing values, a real level "onbekend" (which the
    missing values join) and categories of other columns in the same global mapping."""
    import polars as pl

    pl.Series(["zz-other", "aa-other"], dtype=pl.Categorical)  # other strings in the global categories
    odd = pl.Series("c", ["b", None, "onbekend", "a", None, "b"], dtype=pl.Categorical)
    cases = [odd, odd.filter(odd.is_not_null()), pl.Series("e", ["x", "y"], dtype=pl.Enum(["y", "x"]))]
    for d in DECISIONS:
        table = decision_table(frames, d)
        cases += [table.rows[c] for c in table.covariates if c in table.rows.columns]
    cases = [col for col in cases if isinstance(col.dtype, (pl.Categorical, pl.Enum))]
    assert len(cases) > 20
    for col in cases:
        levels, codes, counts = eqdata.level_codes(col)
        t_levels, t_codes, t_counts = eqdata.level_codes(col.cast(pl.Utf8))
        assert levels == t_levels == sorted(set(col.cast(pl.Utf8).fill_null("onbekend").to_list()))
        assert np.array_equal(codes, t_codes) and np.array_equal(counts, t_counts)
        assert [levels[i] for i in codes] == col.cast(pl.Utf8).fill_null("onbekend").to_list()
    assert eqdata.level_codes(odd)[0] == ["a", "b", "onbekend"]


def test_deviations_summaries_equal_a_plain_count(frames):
    """Per caseworker and team: decisions, deviations by logic and the top motivations as ``Counter.most_common``
    over the deviating rows in order gives them (the loop the polars group-bys replaced); human codes first."""
    from collections import Counter, defaultdict

    import polars as pl

    from regie.core.equity.coding import LOGICS, code_motivation
    from regie.core.equity.report import deviations

    rows = decision_table(frames, "deviation").rows
    dev = rows.filter(pl.col("y"))
    assert dev.height > 50
    ids = dev["event_id"].to_list()
    human = {ids[0]: "market", ids[1]: "not-a-logic", ids[2]: "professional"}
    got = deviations(frames, human_codes=human, top=3)
    for key, part in (("caseworker", "caseworkers"), ("team", "teams")):
        tot = Counter(rows[key].to_list())
        by: dict = defaultdict(Counter)
        mot: dict = defaultdict(Counter)
        for k, eid, text, code in dev.select(key, "event_id", "motivation", "motivation_code").iter_rows():
            h = human.get(eid)
            logic = (h if h in LOGICS else None) if h is not None else code_motivation(text, code)["logic"]
            by[k][logic or "unclassified"] += 1
            mot[k][(text, code, logic)] += 1
        want = [
            {
                key: k,
                "n_decisions": tot[k],
                "n_deviations": sum(by[k].values()),
                "rate": sum(by[k].values()) / tot[k],
                "by_logic": {lg: by[k].get(lg, 0) for lg in (*LOGICS, "unclassified")},
                "motivations": [{"text": t, "code": c, "logic": lg, "n": n} for (t, c, lg), n in mot[k].most_common(3)],
            }
            for k in sorted(tot, key=lambda x: (x is None, str(x)))
        ]
        assert got[part] == want, key
    assert got["caseworkers"][0]["motivations"], "no motivations to compare"


def _tables_the_way_before(monkeypatch):
    """The decision tables' helpers as they were before h/equity10: the text sort, one JSON path match per intake
    field, the months on benefit as a when/then chain of text literals, the free texts joined by event id."""
    import polars as pl

    def text_sort(rows, labels):
        return rows.sort(["caseworker", "case_id", "date"])

    def path_matches(intakes):
        medical = (
            pl.when(pl.col("medical_claim"))
            .then(pl.lit("ja"))
            .when(pl.col("medical_claim").is_not_null())
            .then(pl.lit("nee"))
            .alias("medical_claim")
        )
        flags = [eqdata._json_bool(k).alias(name) for k, name in eqdata._INTAKE_FLAGS.items()]
        return intakes.select("case_id", *flags, medical)

    def months_chain(rows):
        months = (pl.col("date") - pl.col("grant").fill_null(pl.col("date"))).dt.total_days() / 30.4375
        band = (
            pl.when(months < 6)
            .then(pl.lit("<6m"))
            .when(months < 12)
            .then(pl.lit("6-12m"))
            .when(months < 24)
            .then(pl.lit("12-24m"))
            .when(months < 60)
            .then(pl.lit("2-5y"))
            .otherwise(pl.lit("5y+"))
        )
        return rows.with_columns(band.cast(pl.Categorical).alias("months_on_benefit"))

    def joined_texts(rows, texts):
        return rows.drop("_text").join(texts, on="event_id", how="left", maintain_order="left")

    monkeypatch.setattr(eqdata, "_sorted", text_sort)
    monkeypatch.setattr(eqdata, "_intake_facts", path_matches)
    monkeypatch.setattr(eqdata, "_with_months_on_benefit", months_chain)
    monkeypatch.setattr(eqdata, "_with_texts", joined_texts)


def test_decision_tables_equal_those_built_the_way_before(frames, monkeypatch):
    """The rank sort, the one-pass intake JSON, the gathered months bands and texts (h/equity10) give exactly the
    tables of the text sort, the path matches, the text chain and the join: same rows in the same order (ties of
    caseworker, case and date included), same values and types."""
    keys = [(d, None) for d in DECISIONS] + [("deviation", ("web", "api")), ("sanction", ("import", None))]
    eqdata._PREP_CACHE.clear()
    new = {k: decision_table(frames, k[0], sources=k[1]).rows for k in keys}
    eqdata._PREP_CACHE.clear()
    with monkeypatch.context() as m:
        _tables_the_way_before(m)
        old = {k: decision_table(frames, k[0], sources=k[1]).rows for k in keys}
    eqdata._PREP_CACHE.clear()
    ties = 0
    for k in keys:
        assert new[k].schema == old[k].schema, k
        assert new[k].equals(old[k]), k
        ties += new[k].select("caseworker", "case_id", "date").is_duplicated().sum()
    assert ties > 0  # the orders of tied rows were compared too
    assert new[("deviation", None)]["motivation"].null_count() < new[("deviation", None)].height


def test_the_rank_sort_is_the_text_sort_ties_included():
    """``_sorted`` on ranks puts rows, tied ones included, in the order of the text sort; a caseworker outside the
    labels falls back to the text sort."""
    import datetime as dt

    import polars as pl

    rng = np.random.default_rng(5)
    n = 20_000
    cws = [f"cw{i:03d}" for i in rng.permutation(40)] + ["Zed", "ämter", "a b"]
    cases = [f"case-{i}" for i in rng.permutation(500)]
    rows = pl.DataFrame(
        {
            "caseworker": rng.choice(cws, n),
            "case_id": rng.choice(cases, n),
            "date": [dt.date(2020, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 4, n)],
            "v": np.arange(n),
        }
    )
    rows = rows.with_columns(pl.col("case_id").rank("dense").alias("_case_rank"))
    assert rows.select("caseworker", "case_id", "date").is_duplicated().sum() > 1000
    want = rows.sort(["caseworker", "case_id", "date"])
    assert eqdata._sorted(rows, sorted(set(cws) | {"unused"})).equals(want)
    assert eqdata._sorted(rows, sorted(cws)[1:]).equals(want)  # not every caseworker labelled: the text sort
    assert eqdata._sorted(rows, None).equals(want)


def test_intake_facts_in_one_pass_equal_the_path_matches():
    """One JSON decode of the payload into its three fields gives what one path match per field gave, for JSON
    booleans, strings, numbers, nulls, nested values, missing keys and missing payloads; a payload that does not
    decode sends the column through the path matches (the same values)."""
    import polars as pl

    payloads = [
        '{"debts": true, "health_limitation": false, "language_barrier": true}',
        '{"debts": "true", "language_barrier": "false"}',
        '{"debts": 1, "health_limitation": null}',
        '{"debts": {"a": true}, "health_limitation": [true]}',
        None,
        "{}",
        '{"debts": false, "x": "$.debts", "medical_claim": true}',
    ] * 700  # more than one decode slice
    for extra in ([], ["[1, 2]"], ["not json"]):
        p = payloads + extra
        df = pl.DataFrame(
            {
                "case_id": [str(i) for i in range(len(p))],
                "payload": p,
                "medical_claim": [True, False, None] * (len(p) // 3) + [None] * (len(p) % 3),
            }
        )
        got = eqdata._intake_facts(df)
        want = df.select(
            "case_id",
            *[eqdata._json_bool(k).alias(name) for k, name in eqdata._INTAKE_FLAGS.items()],
        )
        assert got.drop("medical_claim").equals(want), extra
        assert got["medical_claim"].to_list()[:3] == ["ja", "nee", None]
    assert len(payloads) > eqdata.JSON_SLICE
