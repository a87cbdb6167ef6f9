"""The simulated event log as the analytic tables of ``regie.core.frames`` (clients, cases, events, users).

Every event type and payload field is the one real casework records (``regie.core.events``), decisions carry the
policy's recommendation next to what the simulated caseworker decided, so the KPI code (``regie.core.kpi``),
the signals and the equity monitor measure a simulated municipality exactly as a real one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ..events import OUTFLOW_REASONS
from ..frames import CASE_SCHEMA, CLIENT_SCHEMA, EVENT_SCHEMA, USER_SCHEMA, Frames
from .model import (
    EDUCATION,
    EV,
    EVENT_TYPES,
    GROUNDS,
    HOUSEHOLDS,
    KINDS,
    MOTIVATION,
    OBLIGATIONS,
    ORIGINS,
    REASONS,
    RESULTS,
    SimResult,
)

ORDER = [
    "melding",
    "herinstroom",
    "aanvraag",
    "toekenning",
    "caseworker_toewijzing",
    "intake",
    "classificatie",
    "ontheffing_start",
    "plan_van_aanpak",
    "contact",
    "traject_start",
    "waarschuwing",
    "maatregel",
    "traject_einde",
    "ontheffing_einde",
    "uitstroom",
]
PRIO = np.zeros(len(EVENT_TYPES), np.int8)
for _i, _name in enumerate(ORDER):
    PRIO[EV[_name]] = _i
EX_END_REASONS = ("einddatum", "herbeoordeling", "uitstroom")
NORM = {"alleenstaande": "alleenstaande", "alleenstaande_ouder": "alleenstaande_ouder", "gehuwden": "gehuwden"}


def _val(name, v, sel):
    """A payload value: an expression on the log columns, or a function of the selected rows."""
    if isinstance(v, pl.Expr):
        return v.alias(name)
    out = v(sel)
    if isinstance(out, pl.Expr):
        return out.alias(name)
    return pl.Series(name, out) if not isinstance(out, pl.Series) else out.alias(name)


def _dates(start: dt.date, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    m0 = (start.year - 1970) * 12 + start.month - 1
    return (np.asarray(month, np.int64) + m0).astype("datetime64[M]").astype("datetime64[D]") + np.asarray(
        day, np.int64
    )


def _lookup(values, codes) -> pl.Series:
    codes = np.asarray(codes)
    table = pl.Series(list(values) + [None], dtype=pl.Utf8)
    return table.gather(np.where((codes < 0) | (codes >= len(values)), len(values), codes))


def to_frames(r: SimResult, municipality: str | None = None) -> Frames:
    lg = r.log
    order = np.lexsort((PRIO[lg["type"]], lg["day"], lg["month"], lg["case"]))
    L = {k: v[order] for k, v in lg.items()}
    n = len(order)
    date = _dates(r.start, L["month"], L["day"])
    pv = r.policy_versions[0] if r.policy_versions else None
    levels = r.levels.get(pv, {}) if pv else {}
    level_ids = [levels.get(i) for i in range(max(levels) + 1)] if levels else []
    scheme = r.params.get("scheme_id") or "lab"
    providers = [pr["id"] for pr in r.params["providers"]] + ["work-first"]
    base = pl.DataFrame(
        {
            "event_id": pl.int_range(0, n, eager=True).cast(pl.Utf8),
            "type_code": L["type"],
            "case_n": L["case"],
            "client_n": L["client"],
            "effective_date": date,
            "actor_n": L["actor"],
            "a": L["a"],
            "b": L["b"],
            "c": L["c"],
            "x": L["x"],
            "r": L["r"],
            "dev": L["dev"],
        }
    ).with_columns(
        ("e" + pl.col("event_id")).alias("event_id"),
        ("K" + pl.col("case_n").cast(pl.Utf8)).alias("case_id"),
        ("C" + pl.col("client_n").cast(pl.Utf8)).alias("client_id"),
        pl.when(pl.col("actor_n") >= 0).then("U" + pl.col("actor_n").cast(pl.Utf8)).alias("actor"),
        pl.when(pl.col("actor_n") >= 0)
        .then(pl.lit("integrale_klantmanager"))
        .otherwise(pl.lit("systeem"))
        .alias("actor_role"),
        pl.col("effective_date").cast(pl.Date),
    )
    parts = []

    def part(
        name: str,
        payload: dict,
        rec: dict | None = None,
        dec: dict | None = None,
        motivation: str | None = None,
        decision: bool = False,
    ):
        sel = np.flatnonzero(L["type"] == EV[name])
        if len(sel) == 0:
            return
        df = base[sel].with_columns(
            pl.lit(name).alias("type"),
            pl.lit(ORDER.index(name)).alias("prio"),
            **{k: _val(k, v, sel) for k, v in payload.items()},
        )
        fields = list(payload)
        cols = [pl.struct(fields).struct.json_encode().alias("payload") if fields else pl.lit("{}").alias("payload")]
        if decision:
            cols += [pl.lit(pv).alias("policy_version"), pl.col("dev").alias("deviates")]
            cols.append(
                pl.struct([_val(k, v, sel) for k, v in rec.items()]).struct.json_encode().alias("recommendation")
                if rec
                else pl.lit(None, pl.Utf8).alias("recommendation")
            )
            cols.append(
                pl.struct([_val(k, v, sel) for k, v in dec.items()]).struct.json_encode().alias("decided")
                if dec
                else pl.lit(None, pl.Utf8).alias("decided")
            )
            if motivation:
                cols.append(pl.when(pl.col("dev")).then(pl.lit(motivation)).alias("motivation_code"))
        else:
            cols.append(pl.lit(False).alias("deviates"))
        parts.append(df.with_columns(cols))

    hh = lambda s: _lookup(HOUSEHOLDS, L["a"][s])  # noqa: E731
    tid = pl.format("T{}-{}", pl.col("case_n"), pl.col("b"))
    eid = pl.format("O{}-{}", pl.col("case_n"), pl.col("b"))
    part("melding", {"channel": pl.lit("online")})
    part("herinstroom", {"previous_case": "K" + pl.col("b").cast(pl.Utf8)})
    part("aanvraag", {"norm_type": hh, "cost_sharers": pl.lit(0)})
    part(
        "toekenning",
        {
            "norm_type": hh,
            "cost_sharers": pl.lit(0),
            "monthly_amount": lambda s: np.round(L["x"][s], 2),
            "benefit_type": pl.lit("PW"),
        },
        rec={"norm_type": hh},
        dec={"norm_type": hh},
        decision=True,
    )
    part("caseworker_toewijzing", {"caseworker": "U" + pl.col("a").cast(pl.Utf8), "reason": pl.lit("instroom")})
    part(
        "intake",
        {
            "medical_claim": lambda s: L["a"][s] > 0,
            "expected_months_to_work": lambda s: L["b"][s],
            "motivation": lambda s: _lookup(MOTIVATION, L["c"][s]),
        },
    )
    lvl = lambda codes: _lookup(level_ids, codes) if level_ids else pl.Series(codes.astype(str))  # noqa: E731
    part(
        "classificatie",
        {"scheme": pl.lit(scheme), "level": lambda s: lvl(L["a"][s])},
        rec={"level": lambda s: lvl(L["r"][s])},
        dec={"level": lambda s: lvl(L["a"][s])},
        motivation="eigen_oordeel_klantmanager",
        decision=True,
    )
    part(
        "ontheffing_start",
        {
            "exemption_id": eid,
            "ground": lambda s: _lookup(GROUNDS, L["a"][s]),
            "scope": pl.when(pl.col("a") == 3).then(pl.lit("gedeeltelijk")).otherwise(pl.lit("volledig")),
            "end_date": lambda s: _dates(r.start, L["month"][s] + L["c"][s], L["day"][s]),
        },
        rec={"ground": lambda s: _lookup(GROUNDS, L["a"][s])},
        dec={"ground": lambda s: _lookup(GROUNDS, L["a"][s])},
        decision=True,
    )
    part(
        "plan_van_aanpak",
        {"version": pl.lit(1), "signed": pl.lit(True)},
        dec={"version": lambda s: np.ones(len(s), int)},
        decision=True,
    )
    part("contact", {"channel": pl.lit("gesprek")})
    part(
        "traject_start",
        {
            "trajectory_id": tid,
            "kind": lambda s: _lookup(KINDS, L["a"][s]),
            "provider": lambda s: _lookup(providers, L["c"][s]),
            "price": lambda s: L["x"][s],
        },
        rec={"eligible": lambda s: L["r"][s] >= 0, "kind": lambda s: _lookup(KINDS, L["r"][s])},
        dec={"kind": lambda s: _lookup(KINDS, L["a"][s])},
        motivation="eigen_oordeel_klantmanager",
        decision=True,
    )
    part(
        "waarschuwing",
        {"obligation_type": lambda s: _lookup(OBLIGATIONS, L["a"][s])},
        rec={"maatregel": lambda s: np.ones(len(s), bool)},
        dec={"maatregel": lambda s: np.zeros(len(s), bool)},
        motivation="waarschuwing_eerst",
        decision=True,
    )
    part(
        "maatregel",
        {
            "obligation_type": lambda s: _lookup(OBLIGATIONS, L["a"][s]),
            "category": pl.when(pl.col("a") == 1).then(pl.lit(2)),
            "percentage": lambda s: L["x"][s],
            "months": lambda s: L["c"][s],
            "repeat_step": lambda s: L["b"][s],
        },
        rec={"percentage": lambda s: L["x"][s], "months": lambda s: L["c"][s]},
        dec={"percentage": lambda s: L["x"][s], "months": lambda s: L["c"][s]},
        decision=True,
    )
    part(
        "traject_einde",
        {"trajectory_id": tid, "result": lambda s: _lookup(RESULTS, L["a"][s]), "cost": lambda s: L["x"][s]},
    )
    part("ontheffing_einde", {"exemption_id": eid, "reason": lambda s: _lookup(EX_END_REASONS, L["a"][s])})
    reasons = lambda s: _lookup(REASONS, L["a"][s])  # noqa: E731
    part(
        "uitstroom",
        {"reason": reasons, "cbs_code": lambda s: _lookup([OUTFLOW_REASONS[x] for x in REASONS], L["a"][s])},
        dec={"reason": reasons},
        decision=True,
    )
    ev = pl.concat(parts, how="diagonal_relaxed").sort(["case_n", "effective_date", "prio"])
    ev = ev.with_columns(
        (pl.col("effective_date").cast(pl.Datetime("us")) + pl.duration(hours=12))
        .dt.replace_time_zone("UTC")
        .alias("recorded_at")
    )
    ev = ev.select([(pl.col(c) if c in ev.columns else pl.lit(None)).cast(t).alias(c) for c, t in EVENT_SCHEMA.items()])
    # a stable order: by case, date, then the logical order of the steps
    clients = _clients(r)
    cases = pl.DataFrame(
        {
            "case_n": np.arange(len(r.cases["client"])),
            "client_n": r.cases["client"],
            "opened_on": _dates(r.start, r.cases["month"], r.cases["day"]),
            "team_n": r.cases["team"],
        }
    ).with_columns(
        ("K" + pl.col("case_n").cast(pl.Utf8)).alias("case_id"),
        ("C" + pl.col("client_n").cast(pl.Utf8)).alias("client_id"),
        ("team-" + pl.col("team_n").cast(pl.Utf8)).alias("team"),
        pl.col("opened_on").cast(pl.Date),
    )
    ncw = len(r.caseworkers["caseworker"])
    users = pl.DataFrame(
        {
            "user_id": [f"U{i}" for i in range(ncw)],
            "username": [f"km{i:04d}" for i in range(ncw)],
            "role": ["integrale_klantmanager"] * ncw,
            "team": [f"team-{t}" for t in r.caseworkers["team"]],
        }
    )
    return Frames(
        municipality=municipality or r.params.get("policy", "lab"),
        clients=clients.select([pl.col(c).cast(t) for c, t in CLIENT_SCHEMA.items()]),
        cases=cases.select([pl.col(c).cast(t) for c, t in CASE_SCHEMA.items()]),
        events=ev,
        users=users.select([pl.col(c).cast(t) for c, t in USER_SCHEMA.items()]),
    )


def _clients(r: SimResult) -> pl.DataFrame:
    c = r.clients
    n = len(c["type"])
    arrive = np.maximum(c["arrive_at"], 0)
    birth = _dates(r.start, arrive, np.zeros(n, int)) - (c["age_at_start"] * 365.25).astype("timedelta64[D]")
    has_kids = c["n_children"] > 0
    yk = np.where(has_kids, c["youngest"], 0.0)
    ychild = _dates(r.start, arrive, np.zeros(n, int)) - (yk * 365.25).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "client_id": ("C" + pl.int_range(0, n, eager=True).cast(pl.Utf8)),
            "birth_date": birth,
            "sex": pl.Series(np.where(c["female"], "V", "M")),
            "education": _lookup(EDUCATION, c["education"]),
            "language": pl.Series(np.where(c["lang"], "anders", "nl")),
            "origin": _lookup(ORIGINS, c["origin"]),
            "has_partner": c["household"] == 2,
            "n_children": c["n_children"].astype(np.int64),
            "youngest_child_birth": ychild,
            "other_adults": np.zeros(n, np.int64),
            "housing": pl.Series([None] * n, dtype=pl.Utf8),
        }
    ).with_columns(
        pl.col("birth_date").cast(pl.Date),
        pl.when(pl.Series(has_kids)).then(pl.col("youngest_child_birth").cast(pl.Date)).alias("youngest_child_birth"),
    )
