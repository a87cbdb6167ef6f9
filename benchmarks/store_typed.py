"""What typed payload and decision columns in the database would save a cold build of the analytic store.

    DATABASE_URL=sqlite:///…/copy.sqlite3 PYTHONPATH=src python benchmarks/store_typed.py DIR [--rounds 2]

The question (issue 19, docs/performance.md "Analytic store on disk"): a cold build spends about half of a child
process's CPU decoding JSON payloads and decisions. Would a derived table of typed lifted fields per event
(written with the event by the append service and the importer) make the build fast enough? This script answers it
on a real database *without changing Regie*:

1. the store's tables are taken from the newest disk copy in DIR (``<DIR>/<code>/v…``), else built and written there;
2. the stand-in for the derived table — one row per event that has a lifted payload field or a decision: event id,
   case id, every :data:`regie.core.frames.PAYLOAD_COLUMNS` typed (dates as ISO text), the decision's lifted fields
   and its recommendation and decided objects as compact JSON text — is written into a *separate* SQLite file
   (``--facts``, default ``DIR/facts.sqlite3``; the database itself is never written), timing the insert (the write
   cost the importer would carry);
3. the first half of the cases (as a cold build splits them) is then built in child processes, alternately, the way
   a child does now (``columnar.raw_events`` + ``columnar.finish_events``: JSON decoded) and the typed way
   (``raw_events`` + a fetch of the derived table + the same finishing steps without decoding), ``--rounds`` times;
   each child reports its CPU per step; the two tables are checked to be identical.

A child process for each measurement, as in the store: ADBC's SQLite must not run in a process that has the file
open through Python's sqlite3. CPU is ``time.process_time`` in the child.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def finish_typed(raw, facts, by_name: dict, user_id: dict):
    """:func:`regie.analytics.columnar.finish_events` with the lifted fields from ``facts`` instead of decoding the
    payload and decision JSON (the other steps as there)."""
    import polars as pl

    from regie.analytics import columnar as C
    from regie.core import frames as core

    df = C._without_note_text(raw)
    date = pl.col("effective_date").str.slice(0, 10).str.to_date("%Y-%m-%d")
    recorded = (
        pl.col("recorded_at")
        .str.replace("T", " ", literal=True)
        .str.slice(0, 26)
        .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", cache=False)
        .dt.replace_time_zone("UTC")
    )
    out = df.with_columns(
        date.alias("effective_date"),
        recorded.alias("recorded_at"),
        pl.col("actor_id").replace_strict(user_id, default=None, return_dtype=pl.Utf8).alias("actor"),
    )
    out = out.drop("decision_json").sort(["_case_pk", "effective_date", "_event_pk"])
    out = out.join(
        facts.with_columns(pl.col("_event_pk").cast(pl.Int64)), on="_event_pk", how="left", maintain_order="left"
    )
    out = out.with_columns(
        *[pl.col(c).str.to_date(strict=False) for c, t in core.PAYLOAD_COLUMNS.items() if t == pl.Date],
        pl.when(pl.col("type") == "caseworker_toewijzing")
        .then(pl.col("caseworker").replace(by_name))
        .otherwise(pl.col("caseworker"))
        .alias("caseworker"),
    )
    return out.select(*C.KEYS, *[pl.col(c).cast(t) for c, t in core.EVENT_SCHEMA.items()])


def _fact_columns() -> list[str]:
    from regie.core import frames as core

    return [*core.PAYLOAD_COLUMNS, *core.DECISION_COLUMNS, "recommendation", "decided"]


def child(mode: str, job_path: str) -> None:
    """One half's events the way ``mode`` says; prints the CPU per step as JSON and writes the table."""
    from regie.analytics import columnar as C

    job = json.loads(Path(job_path).read_text())
    source = C.ArrowSource("sqlite", job["target"])
    user_id = {int(k): v for k, v in job["user_id"].items()}
    lo, hi = job["case_range"]
    t0 = time.process_time()
    raw = C.raw_events(source, job["tables"], job["municipality_id"], 0, job["upto"], case_range=(lo, hi))
    t1 = time.process_time()
    if mode == "json":
        out = C.finish_events(raw, job["by_name"], user_id)
        t2 = t1
    else:
        cols = ", ".join(f'"{c}"' for c in _fact_columns())
        facts = C.arrow_query(
            C.ArrowSource("sqlite", job["facts"]),
            f"SELECT event_id AS _event_pk, {cols} FROM event_facts WHERE case_id > {int(lo)} AND case_id <= {int(hi)}",
        )
        t2 = time.process_time()
        out = finish_typed(raw, facts, job["by_name"], user_id)
    t3 = time.process_time()
    out.write_parquet(job["out"] + f".{mode}.parquet", compression="uncompressed", statistics=False)
    print(json.dumps({"mode": mode, "fetch": t1 - t0, "facts_fetch": t2 - t1, "finish": t3 - t2, "total": t3 - t0}))


def write_facts(events, keys, path: Path) -> tuple[int, float]:
    """The derived table's stand-in in its own SQLite file; (rows, CPU seconds of the insert)."""
    import sqlite3

    import polars as pl

    from regie.core import frames as core

    cols = _fact_columns()
    df = keys.hstack(events.select(cols).get_columns()).filter(pl.any_horizontal(pl.col(cols).is_not_null()))
    df = df.with_columns(pl.col(c).cast(pl.Utf8) for c, t in core.PAYLOAD_COLUMNS.items() if t == pl.Date)
    kinds = {pl.Int64: "INTEGER", pl.Float64: "REAL", pl.Boolean: "INTEGER"}
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    decl = ", ".join(f'"{c}" {kinds.get(df.schema[c], "TEXT")}' for c in cols)
    con.execute(f"CREATE TABLE event_facts (event_id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, {decl})")
    con.execute("CREATE INDEX event_facts_case ON event_facts (case_id)")
    c0 = time.process_time()
    marks = ",".join("?" * (len(cols) + 2))
    con.executemany(f"INSERT INTO event_facts VALUES ({marks})", df.select("_event_pk", "_case_pk", *cols).iter_rows())
    con.commit()
    cpu = time.process_time() - c0
    con.close()
    return df.height, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--code", default="0518")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--facts", help="the derived table's SQLite file (default DIR/facts.sqlite3)")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    import django

    django.setup()
    import polars as pl

    from regie.accounts.models import Municipality
    from regie.analytics import store

    muni = Municipality.objects.get(code=args.code)
    root = Path(args.dir)
    state = store._read_disk(muni, root)
    if state is None or state.meta.get("events") != store._fingerprint(muni)["events"]:
        state = store.refresh(muni, root=root, rebuild=True, persist=True)
    facts = Path(args.facts) if args.facts else root / "facts.sqlite3"
    n, insert_cpu = write_facts(state.frames.events, state.keys, facts)
    print(f"derived table: {n} rows of {state.frames.events.height} events, insert {insert_cpu:.2f} s CPU")
    source = store._child_source()
    assert source is not None and source.vendor == "sqlite", "needs a SQLite file in autocommit"
    _, user_id, by_name = store._users(muni)
    fp = store._fingerprint(muni)
    with tempfile.TemporaryDirectory() as tmp:
        job = {
            "target": source.target,
            "facts": f"file:{facts.resolve()}?mode=ro",
            "tables": store._tables(),
            "municipality_id": muni.id,
            "upto": fp["event_max"],
            "case_range": store._case_ranges(muni, store.CHILDREN)[0],
            "by_name": by_name,
            "user_id": user_id,
            "out": str(Path(tmp) / "half"),
        }
        (Path(tmp) / "job.json").write_text(json.dumps(job))
        results: dict[str, list[dict]] = {"json": [], "typed": []}
        for r in range(args.rounds):
            for mode in ("json", "typed") if r % 2 == 0 else ("typed", "json"):
                load = os.getloadavg()[0]
                out = subprocess.run(
                    [sys.executable, __file__, "--child", mode, str(Path(tmp) / "job.json")],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                res = json.loads(out.strip().splitlines()[-1])
                results[mode].append(res)
                print(
                    f"round {r + 1} {mode:5}: fetch {res['fetch']:.2f} s, derived table {res['facts_fetch']:.2f} s,"
                    f" finish {res['finish']:.2f} s; total {res['total']:.2f} s CPU (load {load:.2f} before)"
                )
        a = pl.read_parquet(job["out"] + ".json.parquet")
        b = pl.read_parquet(job["out"] + ".typed.parquet")
        assert a.equals(b), "the typed columns give a different table"
        print(f"same table: True ({a.height} events of the first half)")
    for mode, rs in results.items():
        totals = sorted(x["total"] for x in rs)
        print(f"{mode}: median {totals[len(totals) // 2]:.2f} s CPU per half ({', '.join(f'{t:.2f}' for t in totals)})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
