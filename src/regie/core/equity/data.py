"""Decision tables: one row per analysis unit (a case or an event) with the outcome, the caseworker and the
client covariates used for adjustment and for matching (docs/equity.md, "Decisions" and "Covariates").

Who is "the caseworker":
- event-level decisions (classification, sanction vs warning, deviation): the last ``caseworker_toewijzing`` on or
  before the decision's effective date (falling back to the event's actor);
- case-level windows (trajectory / exemption / outflow within 12 months, time to first trajectory): the caseworker
  assigned at benefit start (the last assignment on or before grant + 30 days, else the first one) -- an
  intention-to-treat rule, so a re-assignment half-way through the window cannot move outcomes between
  caseworkers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

DECISIONS: dict[str, tuple[str, str]] = {
    "classification_level": (
        "continuous",
        "Level of the first classification of a case (rung on the scheme; higher = closer to work)",
    ),
    "trajectory_12m": ("binary", "Trajectory started within 12 months of benefit start"),
    "exemption_12m": ("binary", "Exemption from the work obligation granted within 12 months of benefit start"),
    "sanction": ("binary", "Sanction (maatregel) rather than a warning, among recorded violations"),
    "deviation": ("binary", "Decision deviates from the policy recommendation, among decisions that carry one"),
    "time_to_trajectory": (
        "duration",
        "Time from benefit start to the first trajectory (censored at outflow, the as-of date or 24 months)",
    ),
    "outflow_work_12m": ("binary", "Outflow to work within 12 months of benefit start"),
}
# Client covariates (adjustment and exact matching). Caseworker judgements recorded at intake (motivation,
# expected months to work) and the classification itself are deliberately NOT adjusted for: discretion exercised
# through them would be hidden (docs/equity.md).
COVARIATES = [
    "age_band",
    "sex",
    "education",
    "origin",
    "household",
    "child_under_5",
    "health",
    "language",
    "debts",
    "medical_claim",
    "prior_cases",
    "period",
]
# Extra design covariates per decision (not client characteristics, but part of the situation).
EXTRA = {
    "trajectory_12m": ["exposure_12m"],
    "exemption_12m": ["exposure_12m"],
    "sanction": ["obligation_type", "months_on_benefit"],
    "deviation": ["decision_type", "months_on_benefit"],
    "classification_level": [],
    "outflow_work_12m": [],
    "time_to_trajectory": [],
}
MONTHS_ON_BENEFIT = ("<6m", "6-12m", "12-24m", "2-5y", "5y+")  # bands of the event tables' months_on_benefit
WORK_REASONS = ("werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf")
PIECES = (0, 91, 182, 365, 730)  # piecewise-exponential cut points in days (last piece ends at 24 months)
EDUCATION_GROUP = {
    "geen": "laag",
    "basis": "laag",
    "vmbo": "laag",
    "mbo1": "laag",
    "mbo2_4": "midden",
    "havo_vwo": "midden",
    "hbo": "hoog",
    "wo": "hoog",
}


@dataclass
class DecisionTable:
    name: str
    kind: str
    unit: str
    rows: pl.DataFrame  # y, caseworker, team, client_id, case_id, event_id, date, covariates (+ exposure, piece)
    covariates: list[str]

    def design(self, extra_fixed: list[str] | None = None, dtype=np.float64):
        """(X, names, y, group codes, group labels, offset) with treatment-coded categorical covariates
        (``dtype=np.uint8``: the 0/1 design in an eighth of the memory, see :func:`design_matrix`)."""
        return design_matrix(self.rows, self.covariates + (extra_fixed or []), dtype=dtype)


MIN_LEVEL_ROWS = 10  # assumption: a covariate level with fewer rows gets no coefficient of its own (see below)


def design_matrix(rows: pl.DataFrame, covariates: list[str], dtype=np.float64):
    """Dummy-coded design (reference: each covariate's most frequent level), response, caseworker codes, offset.

    Sparse levels are pooled with the reference level rather than given a coefficient: a level with fewer than
    :data:`MIN_LEVEL_ROWS` rows, or — for a yes/no decision — one in which the decision is always yes or always no.
    Such a level separates the data: its maximum-likelihood coefficient runs off to infinity and drags the
    caseworker variance with it (small municipalities, the policy lab's small runs). Pooling is the usual remedy;
    the price is a little less adjustment for very rare client profiles (docs/equity.md, "Covariates").

    ``dtype``: of ``X``; ``np.uint8`` for a GLMM that is fitted on cells (report._fit): the units' float design
    (266,783 x 34 x 8 bytes for the deviation table) was the largest array of the report, and only the cells'
    design is needed in floating point. The columns kept are the same either way (the Gram matrix is summed
    exactly in float64 from row blocks)."""
    n = rows.height
    # per covariate: its level codes and, per level, the design column it sets (-1: none; reference or pooled)
    coded: list[tuple[np.ndarray, np.ndarray]] = []
    names = ["(intercept)"]
    y_all = rows["y"].cast(pl.Float64).to_numpy()
    binary = bool(n) and bool(np.isin(y_all, (0.0, 1.0)).all()) and "exposure" not in rows.columns
    for c in covariates:
        levels, codes, counts = level_codes(rows[c])
        if len(levels) < 2:
            continue
        ref = levels[int(np.argmax(counts))]  # the most frequent level (the first one on ties)
        if binary:
            yes = np.bincount(codes, weights=y_all, minlength=len(levels))
        column = np.full(len(levels), -1, dtype=np.int64)
        for i, lev in enumerate(levels):
            if lev == ref or counts[i] < MIN_LEVEL_ROWS:
                continue
            if binary and (yes[i] == 0 or yes[i] == counts[i]):
                continue
            column[i] = len(names)
            names.append(f"{c}={lev}")
        if (column >= 0).any():
            coded.append((codes, column))
    # filled in place, row-major: one n x p array; one scatter per covariate (a row sets at most one column of
    # each covariate) instead of one strided column write per level (0.9 s of the deviation step's 3 s)
    X = np.zeros((n, len(names)), dtype=dtype)
    X[:, 0] = 1
    flat = X.reshape(-1)
    base = np.arange(n, dtype=np.int64) * len(names)
    for codes, column in coded:
        j = column[codes]
        hit = j >= 0
        flat[base[hit] + j[hit]] = 1
    # drop exactly collinear columns (e.g. a level that coincides with another covariate's level)
    keep = _independent_columns(X)
    if len(keep) < X.shape[1]:
        X = np.ascontiguousarray(X[:, keep])  # row-major: row-wise scaling and X.T @ X are ~10x faster
    names = [names[i] for i in keep]
    labels, g = group_codes(rows["caseworker"])
    y = rows["y"].cast(pl.Float64).to_numpy()
    offset = np.log(rows["exposure"].to_numpy() / 30.4375) if "exposure" in rows.columns else None
    return X, names, y, g, labels, offset


def level_codes(s: pl.Series) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(levels, code per row, rows per level) of a covariate, a missing value as the level "onbekend"; the levels
    in code-point order (as ``sorted`` and ``np.unique``).

    A categorical column is coded from its physical ids (no string per row: casting each of the deviation table's
    14 covariates to text and counting the strings took 0.3 s of its design); any other column through its text.
    Both give the same levels, codes and counts (tests/equity/test_core_fast.py)."""
    if isinstance(s.dtype, (pl.Categorical, pl.Enum)):
        phys = s.to_physical()
        top = phys.max()  # None when every value is missing
        n_ids = top + 1 if isinstance(top, int) else 0
        ids = phys.fill_null(n_ids).to_numpy()  # a missing value: one id past the others
        present = np.flatnonzero(np.bincount(ids, minlength=n_ids + 1))
        cats = s.cat.get_categories()
        names = [cats[int(i)] if i < n_ids else "onbekend" for i in present]
        levels = sorted(set(names))
        lookup = np.zeros(n_ids + 1, dtype=np.uint32)  # codes as 4 bytes: 14 covariates x 266,783 rows
        lookup[present] = [levels.index(name) for name in names]
        codes = lookup[ids]
    else:
        text = s.cast(pl.Utf8).fill_null("onbekend")
        levels = sorted(text.unique().to_list())
        codes = text.cast(pl.Enum(levels)).to_physical().to_numpy().astype(np.uint32, copy=False)
    return levels, codes, np.bincount(codes, minlength=len(levels))


def group_codes(col: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(sorted labels, integer code per row), as ``np.unique(..., return_inverse=True)`` but without sorting rows."""
    s = col.cast(pl.Utf8).fill_null("None")
    labels = sorted(s.unique().to_list())
    codes = s.cast(pl.Enum(labels)).to_physical().to_numpy().astype(np.int64)
    return np.array(labels, dtype=str), codes


def cell_codes(rows: pl.DataFrame, covariates: list[str]) -> tuple[np.ndarray, int]:
    """Integer id per row of its (caseworker x covariate pattern) cell, and the number of cells."""
    key = pl.concat_str(
        [pl.col(c).cast(pl.Utf8).fill_null("onbekend") for c in ["caseworker", *covariates]], separator="\x1f"
    )
    ids = rows.select(key.rank("dense").alias("k"))["k"].to_numpy().astype(np.int64) - 1
    return ids, int(ids.max()) + 1 if len(ids) else 0


def _gram(X: np.ndarray, block: int = 32768) -> np.ndarray:
    """``X'X`` in float64; an integer ``X`` (the uint8 design) is converted block by block (integer sums: exact)."""
    if X.dtype == np.float64:
        return X.T @ X
    gram = np.zeros((X.shape[1], X.shape[1]))
    for i in range(0, X.shape[0], block):
        b = X[i : i + block].astype(np.float64)
        gram += b.T @ b
    return gram


def _independent_columns(X: np.ndarray, tol: float = 1e-9) -> list[int]:
    """Columns of ``X`` (in order) that are not linear combinations of the columns kept before them.

    Greedy Cholesky of the Gram matrix ``X'X`` (p x p, one pass over the rows): a column is kept when the squared
    norm of its residual on the kept columns exceeds ``tol`` times its own squared norm. For the dummy-coded design
    (0/1 columns of at least MIN_LEVEL_ROWS rows) an exactly collinear column has a residual of rounding size and
    an independent one of at least one row's worth, so the rule selects what a QR of ``X`` selected, at a fraction
    of its cost (a Householder QR of 264,000 x 40 took 2-4 s; this takes ~0.1 s)."""
    gram = _gram(X)
    keep: list[int] = []
    L = np.zeros_like(gram)
    for i in range(gram.shape[0]):
        if gram[i, i] <= 0:
            continue
        k = len(keep)
        row = gram[i, keep]
        li = np.linalg.solve(L[:k, :k], row) if k else row[:0]  # lower-triangular solve (k <= ~50)
        resid = gram[i, i] - float(li @ li)
        if resid > tol * gram[i, i]:
            L[k, :k] = li
            L[k, k] = math.sqrt(resid)
            keep.append(i)
    return keep


# ---------------------------------------------------------------------------------------------------------------


def _as_of(frames, as_of):
    if as_of is not None:
        return as_of
    ev = frames.events
    if ev.height == 0:
        return dt.date.today()
    return ev["effective_date"].max()


def _json_bool(col: str) -> pl.Expr:
    v = pl.col("payload").str.json_path_match(f"$.{col}")
    return _ja_nee(v)


def _ja_nee(v: pl.Expr) -> pl.Expr:
    return pl.when(v == "true").then(pl.lit("ja")).when(v == "false").then(pl.lit("nee")).otherwise(pl.lit(None))


JSON_SLICE = 2048
_INTAKE_FLAGS = {"health_limitation": "health", "language_barrier": "language", "debts": "debts"}


def _intake_facts(intakes: pl.DataFrame) -> pl.DataFrame:
    """Per intake row: case_id, health, language, debts ("ja"/"nee"/None from the payload's JSON booleans) and
    medical_claim. The payload is parsed once into its three fields (a JSON path match per field parsed every
    payload three times: 0.36 s of the shared preparation at 50,000 clients); a payload that does not decode
    (not an object, invalid JSON) sends the whole column through the path matches, whose values are the same."""
    medical = (
        pl.when(pl.col("medical_claim"))
        .then(pl.lit("ja"))
        .when(pl.col("medical_claim").is_not_null())
        .then(pl.lit("nee"))
        .alias("medical_claim")
    )
    dtype = pl.Struct({k: pl.String for k in _INTAKE_FLAGS})
    payload = intakes["payload"]
    try:  # in slices: polars' decoder holds about 1.4 kB per row while it parses (75 MB for 53,000 intakes at once)
        fields = pl.concat(
            [payload.slice(i, JSON_SLICE).str.json_decode(dtype) for i in range(0, len(payload), JSON_SLICE)]
            or [payload.str.json_decode(dtype)]
        )
    except pl.exceptions.PolarsError:
        fields = None
    if fields is None:
        flags = [_json_bool(k).alias(name) for k, name in _INTAKE_FLAGS.items()]
    else:
        flags = [_ja_nee(pl.lit(fields.struct.field(k))).alias(name) for k, name in _INTAKE_FLAGS.items()]
    return intakes.select("case_id", *flags, medical)


# What the decision tables read from the events table (columns) and which events (types; plus every event that
# carries a recommendation, for the deviation table).
_EVENT_COLUMNS = (
    "event_id",
    "case_id",
    "type",
    "effective_date",
    "recorded_at",
    "actor",
    "caseworker",
    "reason",
    "payload",
    "medical_claim",
    "scheme",
    "level",
    "obligation_type",
    "recommendation",
    "deviates",
    "motivation_code",
    "motivation",
    "source",
)
_EVENT_TYPES = (
    "toekenning",
    "uitstroom",
    "intake",
    "caseworker_toewijzing",
    "classificatie",
    "traject_start",
    "ontheffing_start",
    "waarschuwing",
    "maatregel",
)


def report_events(events: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """The part of an events table the report reads: the columns and event types the decision tables use (every
    event with a recommendation included, for the deviation table), the payload JSON text for intakes only.

    Run on a lazy scan of the analytic store's Parquet copy this reads a tenth of the table; ``equity_report`` of
    frames cut down this way (:func:`report_frames`) gives the same report, as long as ``as_of`` is passed (its
    default is the last effective date of *all* events: :func:`last_effective_date`)."""
    lf = events.lazy()
    names = lf.collect_schema().names()
    wanted = [c for c in _EVENT_COLUMNS if c in names]
    keep = pl.col("type").is_in(_EVENT_TYPES)
    if "recommendation" in wanted:
        keep = keep | pl.col("recommendation").is_not_null()
    lf = lf.filter(keep).select(wanted)
    if "payload" in wanted:  # the JSON text is read for intakes only (health, language, debts)
        lf = lf.with_columns(pl.when(pl.col("type") == "intake").then(pl.col("payload")).alias("payload"))
    return lf


def last_effective_date(events: pl.LazyFrame | pl.DataFrame) -> dt.date:
    """The report's default ``as_of``: the last effective date in the log (today for an empty log)."""
    value = events.lazy().select(pl.col("effective_date").max()).collect().item()
    return value if value is not None else dt.date.today()


def report_frames(frames):
    """``frames`` with only :func:`report_events` of its events (the other tables are small and kept whole)."""
    from ..frames import Frames

    return Frames(
        frames.municipality, frames.clients, frames.cases, report_events(frames.events).collect(), frames.users
    )


class _Prep:
    """Shared per-case facts, computed once per (frames, as_of)."""

    def __init__(self, frames, as_of: dt.date):
        self.as_of = as_of
        self.tables: dict = {}  # decision_table results, per (decision, sources)
        # only the columns and event types the decision tables read: the analytic events table is wide (one column
        # per payload field), and a filtered copy of all of it was most of the report's memory
        ev = report_events(frames.events).filter(pl.col("effective_date") <= as_of).collect()
        self.events = ev
        grants = (
            ev.filter(pl.col("type") == "toekenning")
            .group_by("case_id")
            .agg(pl.col("effective_date").min().alias("grant"))
        )
        outs = ev.filter(pl.col("type") == "uitstroom").select(
            "case_id", pl.col("effective_date").alias("out_date"), pl.col("reason").alias("out_reason")
        )
        outs = outs.sort("out_date").unique("case_id", keep="first")
        cases = frames.cases.join(grants, on="case_id", how="left")
        cases = cases.with_columns(pl.coalesce("grant", "opened_on").alias("ref"))
        prior = frames.cases.select("client_id", "case_id", "opened_on").with_columns(
            pl.col("opened_on").rank("ordinal").over("client_id").alias("_k")
        )
        cases = cases.join(prior.select("case_id", (pl.col("_k") - 1).alias("n_prior")), on="case_id", how="left")
        intake = _intake_facts(
            ev.filter(pl.col("type") == "intake").sort("effective_date").unique("case_id", keep="first")
        )
        cl = frames.clients
        cases = (
            cases.join(outs, on="case_id", how="left")
            .join(intake, on="case_id", how="left")
            .join(cl, on="client_id", how="left")
        )
        age = (pl.col("ref") - pl.col("birth_date")).dt.total_days() / 365.25
        cases = cases.with_columns(
            pl.when(age < 27)
            .then(pl.lit("18-26"))
            .when(age < 35)
            .then(pl.lit("27-34"))
            .when(age < 45)
            .then(pl.lit("35-44"))
            .when(age < 55)
            .then(pl.lit("45-54"))
            .otherwise(pl.lit("55+"))
            .alias("age_band"),
            pl.col("education").replace_strict(EDUCATION_GROUP, default=None).alias("education"),
            pl.when(pl.col("has_partner"))
            .then(pl.lit("paar"))
            .when(pl.col("n_children") > 0)
            .then(pl.lit("alleenstaande_ouder"))
            .otherwise(pl.lit("alleenstaand"))
            .alias("household"),
            pl.when(
                pl.col("youngest_child_birth").is_not_null()
                & ((pl.col("ref") - pl.col("youngest_child_birth")).dt.total_days() < 5 * 365.25)
            )
            .then(pl.lit("ja"))
            .otherwise(pl.lit("nee"))
            .alias("child_under_5"),
            pl.when(pl.col("n_prior") >= 2)
            .then(pl.lit("2+"))
            .otherwise(pl.col("n_prior").cast(pl.Utf8))
            .alias("prior_cases"),
            pl.col("ref").dt.year().clip(as_of.year - 9, as_of.year).cast(pl.Utf8).alias("period"),
        )
        # the covariates as categoricals: every decision table carries them (164,000 piecewise rows for the time to
        # trajectory), and as text they were most of a table's resident size
        self.cases = cases.with_columns(
            *(pl.col(c).cast(pl.Categorical) for c in COVARIATES if cases.schema[c] == pl.Utf8),
            pl.col("case_id").rank("dense").alias("_case_rank"),  # the tables' sort key (see _sorted)
        )
        # assignments
        asg = (
            ev.filter(pl.col("type") == "caseworker_toewijzing")
            .select("case_id", pl.col("effective_date").alias("asg_date"), "recorded_at", "caseworker")
            .sort(["asg_date", "recorded_at"])
        )
        self.assignments = asg
        users = frames.users.select(pl.col("user_id").alias("caseworker"), pl.col("team").alias("user_team"))
        self.users = users
        # every value a table's caseworker can take (an assignment's, else the event's actor), in sort order: the
        # tables are sorted on its rank instead of the text (see _sorted)
        names = pl.concat([asg["caseworker"], ev["actor"]]).drop_nulls().unique() if "actor" in ev.columns else None
        self.caseworker_labels = sorted(names.to_list()) if names is not None else None

    def caseworker_at(self, df: pl.DataFrame, date_col: str, *, itt: bool = False) -> pl.DataFrame:
        """Add ``caseworker`` (last assignment on or before ``date_col``) and ``team``."""
        asg = self.assignments
        left = df.with_columns(pl.col(date_col).alias("_at"))
        if itt:
            left = left.with_columns((pl.col("_at") + pl.duration(days=30)).alias("_at"))
        left = left.sort("_at")
        right = asg.select("case_id", pl.col("asg_date").alias("_at"), pl.col("caseworker").alias("_cw")).sort("_at")
        out = left.join_asof(right, on="_at", by="case_id", strategy="backward", check_sortedness=False)
        if itt:
            first = (
                asg.sort("asg_date")
                .unique("case_id", keep="first")
                .select("case_id", pl.col("caseworker").alias("_first"))
            )
            out = (
                out.join(first, on="case_id", how="left")
                .with_columns(pl.coalesce("_cw", "_first").alias("_cw"))
                .drop("_first")
            )
        if "actor" in out.columns:
            out = out.with_columns(pl.coalesce("_cw", "actor").alias("_cw"))
        out = out.with_columns(pl.col("_cw").alias("caseworker")).drop("_at", "_cw")
        out = out.join(self.users, on="caseworker", how="left")
        if "team" in out.columns:
            out = out.with_columns(pl.coalesce("user_team", "team").alias("team")).drop("user_team")
        else:
            out = out.rename({"user_team": "team"})
        return out.filter(pl.col("caseworker").is_not_null())


_PREP_CACHE: dict = {}


def prepare(frames, as_of=None) -> _Prep:
    as_of = _as_of(frames, as_of)
    key = (id(frames), id(frames.events), as_of)
    hit = _PREP_CACHE.get(key)
    if hit is None:
        _PREP_CACHE.clear()
        hit = _PREP_CACHE[key] = _Prep(frames, as_of)
    return hit


# Which path recorded a decision (the events' ``source`` column): "web" and "api" went through the decision gate
# (the recommendation computed by Regie from the policy in force), "import" is history recorded elsewhere and kept
# as recorded; None is a decision without the mark (logs from before it, synthetic data, the lab).
GATE_SOURCES = ("web", "api")
DECISION_SOURCES = ("web", "api", "import", None)


def decision_table(
    frames, decision: str, *, as_of: dt.date | None = None, sources: tuple[str | None, ...] | None = None
) -> DecisionTable:
    """The analysis table of one decision (see ``DECISIONS``).

    ``sources`` keeps only the decisions recorded by those paths (see ``DECISION_SOURCES``; e.g. ``GATE_SOURCES``
    for decisions whose recommendation Regie computed, ``("import",)`` for imported history); default: all. It
    applies to the decision events (deviation, sanction, classification); the case-level windows count events of
    every source. The deviation table carries the ``source`` column either way."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}; choose from {sorted(DECISIONS)}")
    if sources is not None:
        unknown = [s for s in sources if s not in DECISION_SOURCES]
        if unknown:
            raise ValueError(f"unknown decision source(s) {unknown}; choose from {list(DECISION_SOURCES)}")
    p = prepare(frames, as_of)
    key = (decision, sources)
    if key not in p.tables:  # the report reads each table twice (model, comparable pairs)
        p.tables[key] = _decision_table(p, decision, sources)
    return p.tables[key]


def _with_cases(rows: pl.DataFrame, cases: pl.DataFrame) -> pl.DataFrame:
    """Event rows with their caseworker (:meth:`_Prep.caseworker_at`) joined to their case's columns, the team
    being the caseworker's, else the case's. The caseworker is looked up on the narrow event rows first: with the
    case covariates carried through its sorts and joins the deviation table's build peaked at 310 MB of
    intermediates for a 31 MB table (266,783 decisions)."""
    compact = [pl.col(c).cast(pl.Categorical) for c in COVARIATES if cases.schema.get(c) == pl.Utf8]
    out = rows.join(cases.rename({"team": "_case_team"}).with_columns(compact), on="case_id", how="inner")
    return out.with_columns(pl.coalesce("team", "_case_team").alias("team")).drop("_case_team")


def _sorted(rows: pl.DataFrame, caseworker_labels: list[str] | None) -> pl.DataFrame:
    """``rows.sort(["caseworker", "case_id", "date"])``, the same rows in the same order (ties included), sorted
    on integer ranks instead of the two text columns: the caseworker's position in ``caseworker_labels`` and the
    case's ``_case_rank`` (dense rank of the case id among the cases). The ranks compare as the texts do, and the
    multi-column sort's order depends only on those comparisons (tests/equity/test_core_fast.py). The text sort
    was a third of the deviation table's build (266,000 rows)."""
    if caseworker_labels is not None and rows["case_id"].null_count() == 0 and rows["_case_rank"].null_count() == 0:
        try:
            cw = rows["caseworker"].cast(pl.Enum(caseworker_labels)).to_physical().cast(pl.UInt32)
        except pl.exceptions.PolarsError:  # a caseworker outside the labels (cannot happen): the text sort
            cw = None
        if cw is not None and cw.null_count() == rows["caseworker"].null_count() == 0:
            return rows.with_columns(cw.alias("_cw_rank")).sort(["_cw_rank", "_case_rank", "date"]).drop("_cw_rank")
    return rows.sort(["caseworker", "case_id", "date"])


def _with_months_on_benefit(rows: pl.DataFrame) -> pl.DataFrame:
    """``months_on_benefit`` of event rows (``date`` against the case's ``grant``), a categorical of the
    :data:`MONTHS_ON_BENEFIT` bands: the band's index, then its label gathered from a categorical of the five labels
    (the same column as a when/then chain of text literals cast to Categorical, without building a string per
    row: 0.2 s of the deviation table's build)."""
    months = (pl.col("date") - pl.col("grant").fill_null(pl.col("date"))).dt.total_days() / 30.4375
    band = (
        pl.when(months < 6)
        .then(0)
        .when(months < 12)
        .then(1)
        .when(months < 24)
        .then(2)
        .when(months < 60)
        .then(3)
        .otherwise(4)
        .cast(pl.UInt32)
    )
    labels = pl.Series("months_on_benefit", MONTHS_ON_BENEFIT, dtype=pl.Categorical)
    return rows.with_columns(labels.gather(rows.select(band.alias("_b"))["_b"]))


def _with_texts(rows: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """The deviation rows with their free texts (``texts``: event_id, motivation_code, motivation, source; the rows
    carry their position in it as ``_text``): the left join by event id, as a gather by position when the event
    ids are unique (they are; the join of 266,000 text keys took 0.15 s)."""
    if texts["event_id"].n_unique() == texts.height:
        return rows.with_columns(texts.drop("event_id")[rows["_text"]]).drop("_text")
    return rows.drop("_text").join(texts, on="event_id", how="left", maintain_order="left")


def _decision_table(p: _Prep, decision: str, sources) -> DecisionTable:
    kind = DECISIONS[decision][0]
    ev, cases, as_of = p.events, p.cases, p.as_of
    if sources is not None and decision in ("classification_level", "sanction", "deviation"):
        wanted = pl.col("source").is_in([s for s in sources if s is not None])
        ev = ev.filter((wanted | pl.col("source").is_null()) if None in sources else wanted)
    case_cols = ["case_id", "_case_rank", "client_id", "team", "grant", "out_date", "out_reason"] + COVARIATES
    base_cols = ["y", "caseworker", "team", "client_id", "case_id", "event_id", "date"]
    unit = "case"
    if decision == "classification_level":
        cls = (
            ev.filter(pl.col("type") == "classificatie")
            .sort("effective_date")
            .unique("case_id", keep="first")
            .select("case_id", "event_id", "actor", "scheme", "level", pl.col("effective_date").alias("date"))
        )
        num = cls["level"].cast(pl.Float64, strict=False)
        if num.null_count() == 0:
            cls = cls.with_columns(num.alias("y"))
        else:  # non-numeric scheme: rank within the scheme, standardised
            cls = cls.with_columns(pl.col("level").rank("dense").over("scheme").cast(pl.Float64).alias("_r"))
            cls = cls.with_columns(
                ((pl.col("_r") - pl.col("_r").mean().over("scheme")) / pl.col("_r").std().over("scheme").fill_null(1.0))
                .fill_nan(0.0)
                .alias("y")
            )
        rows = _with_cases(p.caseworker_at(cls, "date"), cases.select(case_cols))
    elif decision in ("trajectory_12m", "exemption_12m", "outflow_work_12m", "time_to_trajectory"):
        c = cases.select(case_cols).filter(pl.col("grant").is_not_null())
        etype = {
            "trajectory_12m": "traject_start",
            "time_to_trajectory": "traject_start",
            "exemption_12m": "ontheffing_start",
        }.get(decision)
        if decision != "time_to_trajectory":
            c = c.filter(pl.col("grant") <= as_of - dt.timedelta(days=365))
        if etype:
            first = (
                ev.filter(pl.col("type") == etype)
                .join(c.select("case_id", "grant"), on="case_id")
                .filter(pl.col("effective_date") >= pl.col("grant"))
                .group_by("case_id")
                .agg(pl.col("effective_date").min().alias("_first"))
            )
            c = c.join(first, on="case_id", how="left")
        c = c.with_columns(pl.col("grant").alias("date"), pl.lit(None, pl.Utf8).alias("event_id"))
        if decision in ("trajectory_12m", "exemption_12m"):
            c = c.with_columns(
                ((pl.col("_first") - pl.col("grant")).dt.total_days() <= 365).fill_null(False).alias("y")
            )
            on_days = (
                pl.min_horizontal(pl.col("out_date").fill_null(as_of), pl.col("grant") + pl.duration(days=365))
                - pl.col("grant")
            ).dt.total_days()
            c = c.with_columns(
                pl.when(on_days < 91)
                .then(pl.lit("<3m"))
                .when(on_days < 182)
                .then(pl.lit("3-6m"))
                .when(on_days < 365)
                .then(pl.lit("6-12m"))
                .otherwise(pl.lit("12m"))
                .alias("exposure_12m")
            )
        elif decision == "outflow_work_12m":
            c = c.with_columns(
                (
                    pl.col("out_reason").is_in(WORK_REASONS)
                    & ((pl.col("out_date") - pl.col("grant")).dt.total_days() <= 365)
                )
                .fill_null(False)
                .alias("y")
            )
        else:
            end = pl.min_horizontal(
                pl.col("out_date").fill_null(as_of), pl.lit(as_of), pl.col("grant") + pl.duration(days=PIECES[-1])
            )
            c = c.with_columns(
                (pl.col("_first").is_not_null() & (pl.col("_first") <= end)).alias("_event"),
            ).with_columns(
                pl.when(pl.col("_event"))
                .then((pl.col("_first") - pl.col("grant")).dt.total_days())
                .otherwise((end - pl.col("grant")).dt.total_days())
                .alias("_t")
            )
            c = c.filter(pl.col("_t") > 0)
        rows = p.caseworker_at(c, "grant", itt=True)
        if decision == "time_to_trajectory":
            parts = []
            for a, b in zip(PIECES[:-1], PIECES[1:]):
                part = rows.filter(pl.col("_t") > a).with_columns(
                    (pl.min_horizontal(pl.col("_t"), pl.lit(b)) - a).cast(pl.Float64).alias("exposure"),
                    (pl.col("_event") & (pl.col("_t") <= b)).alias("y"),
                    pl.lit(f"{a // 30:02d}-{b // 30:02d}m").cast(pl.Categorical).alias("piece"),
                )
                parts.append(part)
            rows = pl.concat(parts)
    elif decision == "sanction":
        unit = "event"
        e = ev.filter(pl.col("type").is_in(["waarschuwing", "maatregel"])).select(
            "case_id",
            "event_id",
            "actor",
            "obligation_type",
            pl.col("effective_date").alias("date"),
            (pl.col("type") == "maatregel").alias("y"),
        )
        rows = _with_cases(p.caseworker_at(e, "date"), cases.select(case_cols))
    else:  # deviation
        unit = "event"
        # one filter of the events serves both parts (the free texts and the rest)
        both = ev.select(
            "case_id",
            "event_id",
            "actor",
            pl.col("type").cast(pl.Categorical).alias("decision_type"),
            pl.col("effective_date").alias("date"),
            pl.col("deviates").fill_null(False).alias("y"),
            "motivation_code",
            "motivation",
            "source",
            "recommendation",
        ).filter(pl.col("recommendation").is_not_null())
        # the free-text columns join the finished rows at the end (by position, _with_texts): carried through the
        # joins and sorts of the caseworker look-up they made most of the step's memory peak (266,783 decisions)
        texts = both.select("event_id", "motivation_code", "motivation", "source")
        e = both.select("case_id", "event_id", "actor", "decision_type", "date", "y").with_row_index("_text")
        del both
        rows = _with_cases(p.caseworker_at(e, "date"), cases.select(case_cols))
    if unit == "event":
        rows = _with_months_on_benefit(rows)
    extra = EXTRA[decision] + (["piece"] if decision == "time_to_trajectory" else [])
    keep = base_cols + [c for c in COVARIATES + extra if c not in base_cols]
    keep += [c for c in ("exposure", "motivation_code", "motivation", "source") if c in rows.columns]
    at = ["_text"] if "_text" in rows.columns else []
    rows = _sorted(rows.select(*keep, "_case_rank", *at), p.caseworker_labels).drop("_case_rank")
    # the event tables keep their covariates as categoricals (see _with_cases): as text the 266,783-row deviation
    # table took about 100 MB resident (string views), a third of the report's peak; every reader casts what it
    # compares or prints (design_matrix, cell_codes, comparable_pairs)
    if decision == "deviation":
        rows = _with_texts(rows, texts)
    return DecisionTable(decision, kind, unit, rows, COVARIATES + extra)
