"""CBS-style monthly statistics records from the event log (polars; no Django). Layouts: docs/statistics.md.

- BUS (bijstandsuitkeringenstatistiek): one record per benefit (case spell) that runs on at least one day of the
  month, or ends in it.
- SRG (statistiek re-integratie gemeenten): one record per re-integration provision (trajectory) that runs on at
  least one day of the month, or ends in it.

Only events with an effective date on or before the last day of the month are used: a record says what the log
knew about that month. The code lists marked "Regie" in docs/statistics.md are Regie's own numbering, not a
verified CBS list (there was no access to the CBS delivery specifications); the categories themselves follow the
law (Participatiewet articles) or the event vocabularies of core/events.py.

:func:`validate` checks any list of records (built here, or read back from CSV/JSONL as strings) against the layout
and the code lists and reports (record number, field, problem).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import orjson
import polars as pl

from ..events import OUTFLOW_REASONS
from ..frames import Frames, of_type
from .indicators import spells
from .ladder import RUNGS, rung_on

# --- code lists ------------------------------------------------------------------------------------------------
# Each: {code: label}. "law" = the categories are the law's; "regie" = Regie's own code numbering (assumption).

BENEFIT_TYPES = {"PW": "Participatiewet (bijstand)", "IOAW": "IOAW", "IOAZ": "IOAZ", "BBZ": "Bbz 2004"}
HOUSEHOLD_TYPES = {
    "1": "alleenstaande (Pw art. 21 sub a)",
    "2": "alleenstaande ouder (Pw art. 21 sub a)",
    "3": "gehuwden (Pw art. 21 sub b)",
}
HOUSEHOLD_CODE = {"alleenstaande": "1", "alleenstaande_ouder": "2", "gehuwden": "3"}
EXEMPTION_ARTICLES = {
    "9a": "Pw art. 9a: alleenstaande ouder met kind onder 5 jaar",
    "9.2": "Pw art. 9 lid 2: tijdelijke ontheffing om dringende redenen",
}
EXEMPTION_ARTICLE_BY_GROUND = {
    "kind_onder_5": "9a",
    "geen_kinderopvang": "9.2",
    "medisch": "9.2",
    "mantelzorg": "9.2",
    "sociaal": "9.2",
    "overig": "9.2",
}
EXEMPTION_SCOPES = {"V": "volledig", "G": "gedeeltelijk"}
SANCTION_REASONS = {
    "1": "arbeidsverplichtingen (Pw art. 18 lid 4)",
    "2": "re-integratie (Pw art. 9 lid 1 sub b)",
    "3": "inlichtingenplicht (Pw art. 17, 18a)",
    "4": "administratieve verplichtingen",
    "5": "tegenprestatie (Pw art. 9 lid 1 sub c)",
    "6": "zeer ernstige misdragingen (Pw art. 18 lid 2)",
}
SANCTION_CODE = {
    "arbeidsverplichting": "1",
    "reintegratie": "2",
    "inlichtingen": "3",
    "administratief": "4",
    "tegenprestatie": "5",
    "gedrag": "6",
}
END_REASONS_BUS = {code: reason for reason, code in OUTFLOW_REASONS.items()}
PROVISION_TYPES = {
    "01": "work first",
    "02": "bemiddeling naar werk",
    "03": "re-integratietraject",
    "04": "scholing",
    "05": "diagnose",
    "06": "zorg",
    "07": "participatie / sociale activering",
}
PROVISION_CODE = {
    "work_first": "01",
    "bemiddeling": "02",
    "reintegratie": "03",
    "scholing": "04",
    "diagnose": "05",
    "zorg": "06",
    "participatie": "07",
}
END_REASONS_SRG = {
    "1": "werk (regulier)",
    "2": "werk (gesubsidieerd)",
    "3": "afgerond zonder werk",
    "4": "voortijdig gestopt",
    "5": "uitval medisch",
    "6": "uitstroom uit de uitkering",
    "7": "uitkering beëindigd zonder einde voorziening",
}
END_SRG_CODE = {
    "werk": "1",
    "werk_gesubsidieerd": "2",
    "afgerond": "3",
    "voortijdig_gestopt": "4",
    "uitval_medisch": "5",
    "uitstroom": "6",
}
CASE_CLOSED_CODE = "7"
LADDER = {str(r): f"trede {r}" for r in RUNGS}

# --- layouts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text" | "code" | "int" | "amount" | "date" | "period" | "municipality"
    required: bool = True
    codes: dict | None = None
    max_len: int | None = None
    description: str = ""


BUS_LAYOUT: tuple[Field, ...] = (
    Field("record_type", "code", codes={"BUS": "bijstandsuitkeringenstatistiek"}),
    Field("gemeente", "municipality", description="CBS gemeentecode, 4 digits"),
    Field("periode", "period", description="reporting month YYYYMM"),
    Field("uitkering_id", "text", max_len=64, description="pseudonymous benefit (case) id"),
    Field("persoon_id", "text", max_len=64, description="pseudonymous person id"),
    Field("regeling", "code", codes=BENEFIT_TYPES, description="benefit type (toekenning.benefit_type)"),
    Field("ingangsdatum", "date", description="first day of benefit (toekenning)"),
    Field("einddatum", "date", required=False, description="outflow date, if in or before the month"),
    Field("huishoudtype", "code", codes=HOUSEHOLD_TYPES, description="norm category (toekenning.norm_type)"),
    Field("kostendelers", "int", description="number of cost-sharers (Pw art. 22a)"),
    Field("bedrag_per_maand", "amount", required=False, description="monthly benefit (toekenning.monthly_amount)"),
    Field("ontheffing_artikel", "code", required=False, codes=EXEMPTION_ARTICLES),
    Field("ontheffing_omvang", "code", required=False, codes=EXEMPTION_SCOPES),
    Field("ontheffing_einddatum", "date", required=False),
    Field("maatregel_reden", "code", required=False, codes=SANCTION_REASONS),
    Field("maatregel_percentage", "amount", required=False),
    Field("maatregel_bedrag", "amount", required=False, description="reduction in this month, euro"),
    Field("reden_beeindiging", "code", required=False, codes=END_REASONS_BUS),
)

SRG_LAYOUT: tuple[Field, ...] = (
    Field("record_type", "code", codes={"SRG": "statistiek re-integratie gemeenten"}),
    Field("gemeente", "municipality"),
    Field("periode", "period"),
    Field("voorziening_id", "text", max_len=128, description="pseudonymous case id / trajectory id"),
    Field("persoon_id", "text", max_len=64),
    Field("soort_voorziening", "code", codes=PROVISION_TYPES, description="traject_start.kind"),
    Field("aanbieder", "text", required=False, max_len=64),
    Field("module", "text", required=False, max_len=64),
    Field("begindatum", "date"),
    Field("einddatum", "date", required=False),
    Field("reden_beeindiging", "code", required=False, codes=END_REASONS_SRG),
    Field("participatieladder_begin", "code", required=False, codes=LADDER),
    Field(
        "participatieladder",
        "code",
        required=False,
        codes=LADDER,
        description="rung at the end of the month, or at the end date",
    ),
)

LAYOUTS = {"bus": BUS_LAYOUT, "srg": SRG_LAYOUT}


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month {month!r}: expected YYYY-MM")
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])


def _typed(frames: Frames, name: str, types: tuple[str, ...], columns: tuple[str, ...], derive=None) -> pl.DataFrame:
    """Narrow per-type events (memoised on the frames), optionally with derived columns (e.g. parsed payload)."""

    def compute():
        t = of_type(frames, *types, columns=columns)
        return derive(t) if derive else t

    return frames.memo(("kpi.statistics", name), compute)


def _awards(frames: Frames) -> pl.DataFrame:
    return _typed(
        frames,
        "awards",
        ("toekenning",),
        ("type", "case_id", "effective_date", "recorded_at", "norm_type", "cost_sharers", "monthly_amount", "payload"),
        lambda t: (
            t.with_columns(pl.col("payload").str.json_path_match("$.benefit_type").fill_null("PW").alias("regeling"))
            .drop("payload")
            .sort("effective_date", "recorded_at")
        ),
    )


def _sanctions(frames: Frames) -> pl.DataFrame:
    return _typed(
        frames,
        "sanctions",
        ("maatregel",),
        ("type", "case_id", "effective_date", "recorded_at", "obligation_type", "percentage", "months", "payload"),
        lambda t: (
            t.with_columns(
                (pl.col("effective_date").dt.year() * 12 + pl.col("effective_date").dt.month() - 1).alias("_m0"),
                pl.col("payload").str.json_path_match("$.amount").cast(pl.Float64).alias("_amount"),
            )
            .drop("payload")
            .sort("effective_date", "recorded_at")
        ),
    )


def _fmt_date(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d")


# --- BUS ---------------------------------------------------------------------------------------------------------


def bus_frame(frames: Frames, month: str, team: str | None = None) -> pl.DataFrame:
    """The BUS records of ``month`` (YYYY-MM) as a polars frame (columns = BUS_LAYOUT; strings/ints/floats)."""
    first, last = month_bounds(month)
    upto = pl.col("effective_date") <= last
    sp = spells(frames, last)
    if team:
        sp = sp.filter(pl.col("team") == team)
    sp = sp.filter((pl.col("start") <= last) & (pl.col("end").is_null() | (pl.col("end") >= first)))
    cases = sp.select("case_id")
    # the last toekenning of the case on or before the month end: norm, cost-sharers, amount, benefit type
    award = (
        _awards(frames)
        .filter(upto)
        .join(cases, on="case_id", how="semi")
        .group_by("case_id")
        .agg(
            pl.col("norm_type").last(),
            pl.col("cost_sharers").last(),
            pl.col("monthly_amount").last(),
            pl.col("regeling").last(),
        )
    )
    # exemption active on some day of the month: started ≤ last, not ended (einde event or end date) before first
    ex_start = (
        of_type(
            frames,
            "ontheffing_start",
            columns=("type", "case_id", "exemption_id", "effective_date", "ground", "scope", "end_date"),
        )
        .filter(upto)
        .rename({"effective_date": "ex_from"})
    )
    ex_end = (
        of_type(frames, "ontheffing_einde", columns=("type", "case_id", "exemption_id", "effective_date"))
        .filter(upto)
        .group_by("case_id", "exemption_id")
        .agg(pl.col("effective_date").max().alias("ex_closed"))
    )
    ex = (
        ex_start.join(ex_end, on=["case_id", "exemption_id"], how="left")
        .with_columns(pl.min_horizontal("ex_closed", "end_date").alias("ex_until"))
        .filter(pl.col("ex_until").is_null() | (pl.col("ex_until") >= first))
        .sort("ex_from")
        .group_by("case_id")
        .agg(pl.col("ground").last(), pl.col("scope").last(), pl.col("ex_until").last())
    )
    # sanction running in the month: months m0 .. m0+months-1 (a 0-month measure only in its own month)
    mi = first.year * 12 + first.month - 1
    sanc = (
        _sanctions(frames)
        .filter(upto)
        .filter((pl.col("_m0") <= mi) & (pl.col("_m0") + pl.max_horizontal(pl.col("months"), pl.lit(1)) > mi))
        .group_by("case_id")
        .agg(
            pl.col("obligation_type").last(),
            pl.col("percentage").last(),
            pl.col("months").last(),
            pl.col("_amount").last(),
        )
    )
    t = sp.join(award, on="case_id", how="left").join(ex, on="case_id", how="left").join(sanc, on="case_id", how="left")
    cbs_end = pl.DataFrame({"reason": list(OUTFLOW_REASONS), "_end_code": list(OUTFLOW_REASONS.values())})
    t = t.join(cbs_end, on="reason", how="left")
    sanc_amount = (
        pl.when(pl.col("_amount").is_not_null())
        .then(pl.col("_amount") / pl.max_horizontal(pl.col("months"), pl.lit(1)))
        .otherwise(pl.col("monthly_amount") * pl.col("percentage") / 100)
    )
    return t.sort("start", "case_id").select(
        pl.lit("BUS").alias("record_type"),
        pl.lit(frames.municipality).alias("gemeente"),
        pl.lit(f"{first:%Y%m}").alias("periode"),
        pl.col("case_id").alias("uitkering_id"),
        pl.col("client_id").alias("persoon_id"),
        pl.col("regeling"),
        _fmt_date("start").alias("ingangsdatum"),
        _fmt_date("end").alias("einddatum"),
        pl.col("norm_type").replace_strict(HOUSEHOLD_CODE, default=None).alias("huishoudtype"),
        pl.col("cost_sharers").fill_null(0).alias("kostendelers"),
        pl.col("monthly_amount").round(2).alias("bedrag_per_maand"),
        pl.col("ground").replace_strict(EXEMPTION_ARTICLE_BY_GROUND, default=None).alias("ontheffing_artikel"),
        pl.col("scope").replace_strict({"volledig": "V", "gedeeltelijk": "G"}, default=None).alias("ontheffing_omvang"),
        _fmt_date("ex_until").alias("ontheffing_einddatum"),
        pl.col("obligation_type").replace_strict(SANCTION_CODE, default=None).alias("maatregel_reden"),
        pl.col("percentage").alias("maatregel_percentage"),
        pl.when(pl.col("obligation_type").is_not_null()).then(sanc_amount.round(2)).alias("maatregel_bedrag"),
        pl.col("_end_code").alias("reden_beeindiging"),
    )


# --- SRG ---------------------------------------------------------------------------------------------------------


def srg_frame(frames: Frames, month: str, team: str | None = None) -> pl.DataFrame:
    """The SRG records of ``month`` (YYYY-MM): every trajectory running on a day of the month or ending in it."""
    first, last = month_bounds(month)
    upto = pl.col("effective_date") <= last
    st = (
        of_type(
            frames,
            "traject_start",
            columns=("type", "case_id", "trajectory_id", "effective_date", "client_id", "kind", "provider", "module"),
        )
        .filter(upto)
        .group_by("case_id", "trajectory_id")
        .agg(
            pl.col("effective_date").min().alias("begin"),
            pl.all().exclude("effective_date").sort_by("effective_date").first(),
        )
    )
    en = (
        of_type(frames, "traject_einde", columns=("type", "case_id", "trajectory_id", "effective_date", "result"))
        .filter(upto)
        .group_by("case_id", "trajectory_id")
        .agg(pl.col("effective_date").max().alias("t_end"), pl.col("result").sort_by("effective_date").last())
    )
    sp = spells(frames, last).select("case_id", pl.col("end").alias("case_end"), "team")
    t = st.join(en, on=["case_id", "trajectory_id"], how="left").join(sp, on="case_id", how="left")
    if team:
        t = t.filter(pl.col("team") == team)
    # a trajectory without an end event ends with the benefit (code 7); never before its own start
    t = t.with_columns(
        pl.when(pl.col("t_end").is_not_null())
        .then(pl.col("t_end"))
        .otherwise(pl.when(pl.col("case_end") >= pl.col("begin")).then(pl.col("case_end")))
        .alias("end"),
        pl.when(pl.col("t_end").is_not_null())
        .then(pl.col("result").replace_strict(END_SRG_CODE, default=None))
        .otherwise(pl.when(pl.col("case_end") >= pl.col("begin")).then(pl.lit(CASE_CLOSED_CODE)))
        .alias("reden_beeindiging"),
    )
    t = t.filter((pl.col("begin") <= last) & (pl.col("end").is_null() | (pl.col("end") >= first)))
    t = t.with_columns(pl.min_horizontal(pl.col("end").fill_null(last), pl.lit(last)).alias("_at"))
    t = rung_on(frames, t, "begin", out="_r0")
    t = rung_on(frames, t, "_at", out="_r1")
    return t.sort("begin", "case_id", "trajectory_id").select(
        pl.lit("SRG").alias("record_type"),
        pl.lit(frames.municipality).alias("gemeente"),
        pl.lit(f"{first:%Y%m}").alias("periode"),
        (pl.col("case_id") + "/" + pl.col("trajectory_id")).alias("voorziening_id"),
        pl.col("client_id").alias("persoon_id"),
        pl.col("kind").replace_strict(PROVISION_CODE, default=None).alias("soort_voorziening"),
        pl.col("provider").alias("aanbieder"),
        pl.col("module"),
        _fmt_date("begin").alias("begindatum"),
        _fmt_date("end").alias("einddatum"),
        pl.col("reden_beeindiging"),
        pl.col("_r0").cast(pl.Utf8).alias("participatieladder_begin"),
        pl.col("_r1").cast(pl.Utf8).alias("participatieladder"),
    )


def records(frames: Frames, kind: str, month: str, team: str | None = None) -> list[dict]:
    """BUS or SRG records of a month as dicts (None for empty fields)."""
    builder = {"bus": bus_frame, "srg": srg_frame}.get(kind)
    if builder is None:
        raise ValueError(f"kind {kind!r}: expected bus or srg")
    return builder(frames, month, team).to_dicts()


def summary(frames: Frames, month: str, team: str | None = None) -> list[dict]:
    """Counts per record type for a month: records, ending, with exemption/sanction, invalid records."""
    bus, srg = bus_frame(frames, month, team), srg_frame(frames, month, team)
    pb, ps = validate(bus.to_dicts(), "bus"), validate(srg.to_dicts(), "srg")
    return [
        {
            "statistiek": "BUS",
            "records": bus.height,
            "beeindigd": bus["reden_beeindiging"].is_not_null().sum(),
            "met_ontheffing": bus["ontheffing_artikel"].is_not_null().sum(),
            "met_maatregel": bus["maatregel_reden"].is_not_null().sum(),
            "fouten": len(pb),
            "records_met_fout": len({p.record for p in pb}),
        },
        {
            "statistiek": "SRG",
            "records": srg.height,
            "beeindigd": srg["reden_beeindiging"].is_not_null().sum(),
            "met_ontheffing": None,
            "met_maatregel": None,
            "fouten": len(ps),
            "records_met_fout": len({p.record for p in ps}),
        },
    ]


def breakdown(frames: Frames, kind: str, month: str, column: str, team: str | None = None) -> list[dict]:
    """Records per code of one column, with the code's label (for the statistics page)."""
    fr = (bus_frame if kind == "bus" else srg_frame)(frames, month, team)
    layout = {f.name: f for f in LAYOUTS[kind]}
    codes = layout[column].codes or {}
    g = fr.group_by(column).len().sort(column, nulls_last=True)
    return [
        {"code": c, "omschrijving": codes.get(c, "—") if c is not None else "(leeg)", "records": n}
        for c, n in g.iter_rows()
    ]


# --- output ------------------------------------------------------------------------------------------------------


def _cell(v):
    """Amounts with two decimals, as a number (Decimal), so the CSV writer keeps them unquoted and unprefixed."""
    if isinstance(v, float):
        return Decimal(f"{v:.2f}")
    return v


def table(rows: list[dict], kind: str) -> tuple[list[str], list[list]]:
    """The header and the rows of a CSV file of ``kind`` records (written by the shared export writer with ``;``)."""
    cols = [f.name for f in LAYOUTS[kind]]
    return cols, [[_cell(r.get(c)) for c in cols] for r in rows]


def to_jsonl(rows: list[dict], kind: str) -> str:
    cols = [f.name for f in LAYOUTS[kind]]
    return "".join(orjson.dumps({c: r.get(c) for c in cols}).decode() + "\n" for r in rows)


def read_csv(text: str) -> list[dict]:
    """Records from a CSV file of :func:`table` rows (`regie stats`) (all values strings; empty -> None)."""
    return [
        {k: (v if v != "" else None) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
    ]


# --- validation --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    record: int  # 1-based record number (data line number, header not counted)
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"record": self.record, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"record {self.record}, {self.field}: {self.message}"


def _as_date(v) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v) if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else None


def _check_field(f: Field, v) -> str | None:
    if v is None or v == "":
        return "required field is empty" if f.required else None
    if f.kind == "municipality":
        return None if isinstance(v, str) and re.fullmatch(r"\d{4}", v) else f"{v!r} is not a 4-digit gemeentecode"
    if f.kind == "period":
        ok = isinstance(v, str) and re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", v)
        return None if ok else f"{v!r} is not a month YYYYMM"
    if f.kind == "date":
        try:
            return None if _as_date(v) else f"{v!r} is not a date YYYY-MM-DD"
        except ValueError:
            return f"{v!r} is not a valid date"
    if f.kind == "int":
        try:
            n = int(v)
        except (TypeError, ValueError):
            return f"{v!r} is not a whole number"
        if isinstance(v, float) and v != n:
            return f"{v!r} is not a whole number"
        return None if n >= 0 else f"{v!r} is negative"
    if f.kind == "amount":
        try:
            x = float(v)
        except (TypeError, ValueError):
            return f"{v!r} is not an amount"
        return None if x >= 0 else f"{v!r} is negative"
    if f.kind == "code":
        return None if str(v) in (f.codes or {}) else f"{v!r} is not in the code list ({', '.join(f.codes or {})})"
    if f.kind == "text":
        if not isinstance(v, str):
            return f"{v!r} is not text"
        if f.max_len and len(v) > f.max_len:
            return f"longer than {f.max_len} characters"
    return None


def _cross(kind: str, r: dict) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    per = r.get("periode")
    first = last = None
    if isinstance(per, str) and re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", per):
        first, last = month_bounds(f"{per[:4]}-{per[4:]}")

    def d(name):
        try:
            return _as_date(r.get(name))
        except ValueError:
            return None

    def filled(name):
        return r.get(name) not in (None, "")

    start_name = "ingangsdatum" if kind == "bus" else "begindatum"
    start, end = d(start_name), d("einddatum")
    if start and end and end < start:
        out.append(("einddatum", f"{end} is before {start_name} {start}"))
    if first and start and start > last:
        out.append((start_name, f"{start} is after the reporting month {per}"))
    if first and end and end < first:
        out.append(("einddatum", f"{end} is before the reporting month {per}: the record should not be in it"))
    if first and end and end > last:
        out.append(("einddatum", f"{end} is after the reporting month {per}: not yet known at its end"))
    if filled("einddatum") != filled("reden_beeindiging"):
        out.append(("reden_beeindiging", "must be filled exactly when einddatum is filled"))
    if kind == "bus":
        if filled("ontheffing_artikel") != filled("ontheffing_omvang"):
            out.append(("ontheffing_omvang", "must be filled exactly when ontheffing_artikel is filled"))
        if filled("ontheffing_einddatum") and not filled("ontheffing_artikel"):
            out.append(("ontheffing_einddatum", "an exemption end date without an exemption article"))
        ex_end = d("ontheffing_einddatum")
        if first and ex_end and ex_end < first:
            out.append(("ontheffing_einddatum", f"{ex_end} is before the reporting month: exemption not active"))
        for name in ("maatregel_percentage", "maatregel_bedrag"):
            if filled(name) != filled("maatregel_reden"):
                out.append((name, "must be filled exactly when maatregel_reden is filled"))
        pct = r.get("maatregel_percentage")
        try:
            if filled("maatregel_percentage") and float(pct or 0) > 100:
                out.append(("maatregel_percentage", f"{pct!r} is above 100"))
        except (TypeError, ValueError):
            pass
        try:
            if (
                filled("maatregel_bedrag")
                and filled("bedrag_per_maand")
                and float(r["maatregel_bedrag"]) > float(r["bedrag_per_maand"]) + 0.005
            ):
                out.append(("maatregel_bedrag", "reduction is larger than the monthly benefit"))
        except (TypeError, ValueError):
            pass
    return out


def validate(rows: Iterable[dict], kind: str) -> list[Problem]:
    """Every problem of every record: unknown/missing fields, types, code lists, cross-field rules, duplicates."""
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise ValueError(f"kind {kind!r}: expected bus or srg")
    names = {f.name for f in layout}
    key = "uitkering_id" if kind == "bus" else "voorziening_id"
    seen: dict[tuple, int] = {}
    problems: list[Problem] = []
    for i, r in enumerate(rows, start=1):
        for extra in sorted(set(r) - names):
            problems.append(Problem(i, extra, "unknown field"))
        for f in layout:
            if f.name not in r:
                problems.append(Problem(i, f.name, "field missing"))
                continue
            msg = _check_field(f, r[f.name])
            if msg:
                problems.append(Problem(i, f.name, msg))
        problems += [Problem(i, fname, msg) for fname, msg in _cross(kind, r)]
        k = (r.get("gemeente"), r.get("periode"), r.get(key))
        if k in seen:
            problems.append(Problem(i, key, f"duplicate of record {seen[k]}"))
        else:
            seen[k] = i
    return problems
