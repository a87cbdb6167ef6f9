"""Participatieladder positions and movement between two dates (polars; no Django). docs/kpi-definitions.md.

Where the rung comes from: a ``classificatie`` event carries ``scheme`` and ``level`` (core/events.py); the scheme is
the municipality's own classification (core/policy: ``Policy.scheme``). Only a scheme that *is* the
participatieladder can be read as a rung. The mapping below says which (scheme id, level id) means which rung, in
the standard numbering (domain brief section 4, ext): 1 geïsoleerd, 2 sociale contacten buitenshuis, 3 deelname
aan georganiseerde activiteiten, 4 onbetaald werk, 5 betaald werk met ondersteuning, 6 betaald werk. Den Haag and
the national default policy use scheme ``participatieladder`` with level ids "1".."6" in that numbering (policies/
den-haag, national-default: level "6" is labelled "Betaald werk").

Other schemes (a/b-stroom, distance bands, Weert's six groups, Maastricht's werkladder and transferium) are *not*
mapped: their levels measure expected time to work or a target group, not participation, and a rung read from
them would be invented. Clients classified only on such a scheme count as "unmeasured". (Maastricht's werkladder
0-6 looks like a ladder, but its rungs are purchase categories — "Sociale activering (hoog)" — not the Regioplan
rungs; pass an explicit ``mapping`` if a municipality decides otherwise.)

The position of a client on a date is the level of the client's last participatieladder classification with
effective date on or before that date (in any of the client's cases: re-entry keeps the last known rung until a
new classification).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ..frames import Frames, of_type
from .indicators import spells

RUNGS = (1, 2, 3, 4, 5, 6)
RUNG_LABELS = {
    1: "geïsoleerd",
    2: "sociale contacten buitenshuis",
    3: "georganiseerde activiteiten",
    4: "onbetaald werk",
    5: "betaald werk met ondersteuning",
    6: "betaald werk",
}
# scheme id -> {level id -> rung}
DEFAULT_MAPPING: dict[str, dict[str, int]] = {"participatieladder": {str(r): r for r in RUNGS}}
LEFT = "uit_uitkering"  # column: no longer on benefit on the second date


def classifications(frames: Frames, mapping: dict[str, dict[str, int]] | None = None) -> pl.DataFrame:
    """All classifications that map to a rung: client_id, effective_date, rung (sorted for as-of joins)."""
    mapping = mapping or DEFAULT_MAPPING
    key = ("kpi.ladder", tuple(sorted((s, tuple(sorted(m.items()))) for s, m in mapping.items())))
    return frames.memo(key, lambda: _classifications(frames, mapping))


def _classifications(frames: Frames, mapping: dict[str, dict[str, int]]) -> pl.DataFrame:
    pairs = pl.DataFrame(
        {
            "scheme": [s for s, m in mapping.items() for _ in m],
            "level": [lv for m in mapping.values() for lv in m],
            "rung": [r for m in mapping.values() for r in m.values()],
        },
        schema={"scheme": pl.Utf8, "level": pl.Utf8, "rung": pl.Int64},
    )
    ev = of_type(
        frames, "classificatie", columns=("type", "client_id", "effective_date", "recorded_at", "scheme", "level")
    )
    return (
        ev.join(pairs, on=["scheme", "level"], how="inner")
        .sort(["client_id", "effective_date", "recorded_at"])
        .select("client_id", "effective_date", "rung")
    )


def rung_on(frames: Frames, keys: pl.DataFrame, date_col: str, mapping=None, out: str = "rung") -> pl.DataFrame:
    """``keys`` (with columns client_id and ``date_col``) plus the client's rung on that date (null: unmeasured)."""
    cl = classifications(frames, mapping).rename({"effective_date": "_cdate"})
    k = keys.with_row_index("_row").sort(date_col)
    joined = k.join_asof(
        cl.sort("_cdate"),
        left_on=date_col,
        right_on="_cdate",
        by="client_id",
        strategy="backward",
        check_sortedness=False,
    )
    return joined.sort("_row").drop("_row", "_cdate").rename({"rung": out})


def movement(frames: Frames, d1: dt.date, d2: dt.date, team: str | None = None, mapping=None) -> dict:
    """Transition matrix of rungs between ``d1`` and ``d2`` for the clients on benefit on ``d1``.

    Rows: rung on d1 (clients without a rung on d1 are counted in ``unmeasured``). Columns: rung on d2, or
    ``uit_uitkering`` when the client is no longer on benefit on d2. Returns ``matrix`` (list of rows with
    ``from`` and one key per column), and the totals ``up``, ``same``, ``down``, ``left``, ``unmeasured``,
    ``population``. Events after d2 are ignored.
    """
    if d2 <= d1:
        raise ValueError("the second date must be after the first")
    sp = spells(frames, d2)
    if team:
        sp = sp.filter(pl.col("team") == team)
    on1 = sp.filter((pl.col("start") <= d1) & (pl.col("end").is_null() | (pl.col("end") > d1)))
    on2 = sp.filter((pl.col("start") <= d2) & (pl.col("end").is_null() | (pl.col("end") > d2)))
    pop = on1.select("client_id").unique()
    still = on2.select("client_id").unique().with_columns(pl.lit(True).alias("on2"))
    keys = pop.with_columns(pl.lit(d1).alias("d1"), pl.lit(d2).alias("d2"))
    keys = rung_on(frames, keys, "d1", mapping, "rung1")
    keys = rung_on(frames, keys, "d2", mapping, "rung2")
    keys = keys.join(still, on="client_id", how="left").with_columns(pl.col("on2").fill_null(False))
    measured = keys.filter(pl.col("rung1").is_not_null())
    cell = measured.with_columns(
        pl.when(~pl.col("on2")).then(pl.lit(LEFT)).otherwise(pl.col("rung2").cast(pl.Utf8)).alias("to")
    )
    counts = {(f, t): n for f, t, n in cell.group_by("rung1", "to").len().iter_rows()}
    cols = [str(r) for r in RUNGS] + [LEFT]
    matrix = [
        {"from": r, **{c: counts.get((r, c), 0) for c in cols}, "total": sum(counts.get((r, c), 0) for c in cols)}
        for r in RUNGS
    ]
    stay = cell.filter(pl.col("on2"))
    return {
        "d1": d1.isoformat(),
        "d2": d2.isoformat(),
        "population": pop.height,
        "unmeasured": keys.height - measured.height,
        "measured": measured.height,
        "up": stay.filter(pl.col("rung2") > pl.col("rung1")).height,
        "same": stay.filter(pl.col("rung2") == pl.col("rung1")).height,
        "down": stay.filter(pl.col("rung2") < pl.col("rung1")).height,
        "left": measured.height - stay.height,
        "matrix": matrix,
    }
