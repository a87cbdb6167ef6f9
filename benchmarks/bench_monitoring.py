"""Monitoring benchmark (figures in docs/performance.md, section "Monitoring").

    python benchmarks/bench_monitoring.py [--clients 400000] [--seed 7] [--repeat 5] [--dashboard-clients 50000]
                                          [--skip-dashboard] [--json var/bench/monitoring.json]

1. KPIs at national size: a synthetic municipality of ``--clients`` clients (``regie.core.synth``; the jsonl and the
   analytic tables are cached as Parquet under var/bench/), then, best of ``--repeat``:
   - Regie: the full cohort KPI set for one half-year cohort and the operational indicators
     (``regie.core.kpi``), each repetition on a fresh ``Frames`` object (empty memo: nothing precomputed);
   - the reference: hand-written DuckDB SQL computing the same numbers over the same events (loaded from the same
     Parquet file into an in-memory DuckDB table before timing), in the same run on the same cores.
   The script checks both give the same numbers (counts exactly; rounded ratios within their rounding unit) and
   prints the times and the ratio Regie / DuckDB.
2. Dashboard: the monitoring dashboard page on a ``--dashboard-clients`` demo (``regie demo`` into
   var/bench/demo<N>/regie.sqlite3, loaded once), through Django's test client in a fresh process that has answered
   another page first: the first dashboard request with the Parquet store present ("cold": read the store, check the
   database, compute, render) and the median of further requests ("warm"); and, in another fresh process, the very
   first request (which also pays for lazy imports and reading the policy files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
PY = sys.executable
REGIE = str(Path(PY).parent / "regie")

COHORT = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
PERIOD = (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
NORM = 150.0


# --- data ------------------------------------------------------------------------------------------------------------


def frames_dir(n: int, seed: int) -> Path:
    return VAR / f"frames-{n}-{seed}"


def prepare(n: int, seed: int) -> Path:
    """The analytic tables of the synthetic municipality as Parquet (generated and read once, then reused)."""
    from regie.core import frames as core

    out = frames_dir(n, seed)
    if (out / "events.parquet").exists():
        return out
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"synth-{n}-{seed}.jsonl"
    if not path.exists():
        from regie.core.synth import generate

        t0 = time.perf_counter()
        generate("0518", n, seed, path, name="Benchmark")
        print(f"generated {path.name} in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    frames = core.from_jsonl(path, normalise=False)
    print(f"read {path.name} in {time.perf_counter() - t0:.0f} s ({frames.events.height:,} events)", flush=True)
    tmp = out.with_name(out.name + ".tmp")
    core.write_parquet(frames, tmp)
    (tmp / "municipality").write_text(frames.municipality)
    tmp.rename(out)
    return out


def load(directory: Path):
    import polars as pl

    from regie.core.frames import Frames

    tables = {t: pl.read_parquet(directory / f"{t}.parquet") for t in ("clients", "cases", "events", "users")}
    return (directory / "municipality").read_text(), tables, Frames


# --- Regie -----------------------------------------------------------------------------------------------------------


def regie(frames) -> dict:
    from regie.core.kpi import cohort_kpis
    from regie.core.kpi import indicators as I

    start, end = PERIOD
    last = end - dt.timedelta(days=1)
    return {
        "cohort": cohort_kpis(frames, *COHORT),
        "flows": I.stock_and_flows(frames, start, end),
        "duration": I.duration_bands(frames, last),
        "caseload": I.caseload(frames, last, NORM),
        "first_trajectory": I.time_to_first_trajectory(frames, start, end),
        "rates": I.rates(frames, start, end),
        "trajectories": I.trajectory_results(frames, start, end),
    }


# --- the DuckDB reference ---------------------------------------------------------------------------------------------


def duckdb_connection(directory: Path):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count()}")
    # rn: the row's position in the log (case, date, id), which decides ties exactly as in Regie
    con.execute(
        f"CREATE TABLE events AS SELECT file_row_number AS rn, * EXCLUDE (file_row_number) "
        f"FROM read_parquet('{directory / 'events.parquet'}', file_row_number = true)"
    )
    con.execute(f"CREATE TABLE cases AS SELECT * FROM read_parquet('{directory / 'cases.parquet'}')")
    return con


SPELLS = """
    SELECT s.case_id, s.start, s.client_id, u."end", u.reason, k.team
    FROM (SELECT case_id, min(effective_date) AS start, arg_min(client_id, rn) AS client_id FROM kev
          WHERE type = 'toekenning' AND effective_date <= DATE '{as_of}' GROUP BY case_id) s
    LEFT JOIN (SELECT case_id, max(effective_date) AS "end", arg_max(reason, rn) AS reason FROM kev
               WHERE type = 'uitstroom' AND effective_date <= DATE '{as_of}' GROUP BY case_id) u USING (case_id)
    LEFT JOIN cases k USING (case_id)
"""

COHORT_SQL = """
WITH spells AS (
    SELECT s.client_id, s.case_id, s.effective_date AS start, u."end"
    FROM kev s LEFT JOIN (SELECT case_id, max(effective_date) AS "end" FROM kev WHERE type = 'uitstroom'
                             GROUP BY case_id) u USING (case_id)
    WHERE s.type = 'toekenning'),
anchors AS (
    SELECT client_id, min(start) AS x_start, min(start) + 365 AS d365, min(start) + 547 AS d547 FROM spells
    WHERE start BETWEEN DATE '{f}' AND DATE '{t}' GROUP BY client_id),
y AS (SELECT DISTINCT a.client_id FROM anchors a JOIN spells s USING (client_id)
      WHERE s.start <= a.d365 AND (s."end" IS NULL OR s."end" > a.d365)),
ex_end AS (SELECT case_id, exemption_id, effective_date AS ex_end FROM kev WHERE type = 'ontheffing_einde'),
exempt AS (
    SELECT DISTINCT a.client_id FROM anchors a JOIN kev x ON x.client_id = a.client_id
    WHERE x.type = 'ontheffing_start' AND coalesce(x.scope, 'volledig') = 'volledig' AND x.effective_date <= a.d365
      AND (x.end_date IS NULL OR x.end_date > a.d365)
      AND (NOT EXISTS (SELECT 1 FROM ex_end e WHERE e.case_id = x.case_id AND e.exemption_id = x.exemption_id)
           OR EXISTS (SELECT 1 FROM ex_end e WHERE e.case_id = x.case_id AND e.exemption_id = x.exemption_id
                      AND e.ex_end > a.d365))),
traj AS (SELECT DISTINCT a.client_id FROM anchors a JOIN kev t ON t.client_id = a.client_id
         WHERE t.type = 'traject_start' AND t.effective_date BETWEEN a.x_start AND a.d365),
lft AS (SELECT DISTINCT a.client_id FROM anchors a JOIN kev o ON o.client_id = a.client_id
        WHERE o.type = 'uitstroom' AND o.effective_date > a.d365 AND o.effective_date <= a.d547),
m AS (
    SELECT y.client_id IS NOT NULL AS y, exempt.client_id IS NOT NULL AS ex, traj.client_id IS NOT NULL AS tr,
           lft.client_id IS NOT NULL AS l
    FROM anchors a LEFT JOIN y USING (client_id) LEFT JOIN exempt USING (client_id) LEFT JOIN traj USING (client_id)
    LEFT JOIN lft USING (client_id))
SELECT count(*) AS X, count_if(y) AS Y, count_if(y AND NOT ex) AS Z, count_if(y AND NOT ex AND tr) AS A,
       count_if(y AND NOT ex AND NOT tr) AS B, count_if(y AND ex AND tr) AS C,
       count_if(y AND NOT ex AND tr AND l) AS A1, count_if(y AND NOT ex AND NOT tr AND l) AS B1
FROM m
"""

FLOWS_SQL = """
WITH sp AS ({spells}),
out AS (SELECT * FROM sp WHERE "end" >= DATE '{s}' AND "end" < DATE '{e}')
SELECT
  (SELECT count(*) FROM sp WHERE start <= DATE '{s}' AND ("end" IS NULL OR "end" > DATE '{s}')) AS stock_start,
  (SELECT count(*) FROM sp WHERE start <= DATE '{last}' AND ("end" IS NULL OR "end" > DATE '{last}')) AS stock_end,
  (SELECT count(*) FROM sp WHERE start >= DATE '{s}' AND start < DATE '{e}') AS inflow,
  (SELECT count(*) FROM out) AS outflow,
  (SELECT count(*) FROM out WHERE reason IN ({work})) AS outflow_to_work,
  (SELECT list(struct_pack(reason := reason, n := n)) FROM (SELECT reason, count(*) AS n FROM out GROUP BY reason))
      AS by_reason,
  {durable}
"""

DURABLE = """
  (SELECT [count(*), count(*) FILTER (WHERE EXISTS (
       SELECT 1 FROM ({all_spells}) later WHERE later.client_id = w.client_id AND later.start > w."end"
         AND later.start <= w."end" + {days}))]
   FROM out w WHERE w.reason IN ({work}) AND w."end" + {days} <= (SELECT max(effective_date) FROM events))
   AS durable_{m}m"""

DURATION_SQL = """
WITH sp AS ({spells}), d AS (SELECT DATE '{on}' - start AS d FROM sp
                            WHERE start <= DATE '{on}' AND ("end" IS NULL OR "end" > DATE '{on}'))
SELECT count_if(d < 365), count_if(d >= 365 AND d < 1096), count_if(d >= 1096 AND d < 1826), count_if(d >= 1826) FROM d
"""

CASELOAD_SQL = """
WITH sp AS ({spells}),
a AS (SELECT case_id, arg_max(caseworker, (effective_date - DATE '1900-01-01') * 100000000 + rn) AS caseworker
      FROM kev WHERE type = 'caseworker_toewijzing' AND effective_date <= DATE '{on}' GROUP BY case_id)
SELECT a.caseworker, count(*) AS n FROM sp LEFT JOIN a USING (case_id)
WHERE sp.start <= DATE '{on}' AND (sp."end" IS NULL OR sp."end" > DATE '{on}')
GROUP BY a.caseworker ORDER BY n DESC, a.caseworker ASC NULLS LAST
"""

FIRST_TRAJ_SQL = """
WITH sp AS ({spells}),
inflow AS (SELECT * FROM sp WHERE start >= DATE '{s}' AND start < DATE '{e}'),
f AS (SELECT case_id, min(effective_date) AS first_traj FROM kev WHERE type = 'traject_start' GROUP BY case_id),
d AS (SELECT f.first_traj - i.start AS d FROM inflow i JOIN f USING (case_id))
SELECT (SELECT count(*) FROM inflow), count(*), median(d),
       list_sort(list(d))[CAST(round(0.75 * (count(*) - 1)) AS INTEGER) + 1] FROM d
"""

RATES_SQL = """
WITH sp AS ({spells})
SELECT
  (SELECT count(*) FROM sp WHERE start <= DATE '{s}' AND ("end" IS NULL OR "end" > DATE '{s}')),
  (SELECT count(*) FROM sp WHERE start <= DATE '{last}' AND ("end" IS NULL OR "end" > DATE '{last}')),
  count_if(type = 'ontheffing_start'), count_if(type = 'waarschuwing'), count_if(type = 'maatregel'),
  (SELECT count(*) FROM events WHERE deviates AND effective_date >= DATE '{s}' AND effective_date < DATE '{e}')
FROM kev WHERE effective_date >= DATE '{s}' AND effective_date < DATE '{e}'
"""

# The reference first cuts the event types the KPIs read into a narrow table (part of the timed work, as Regie's
# per-type tables are), then every query reads that table.
KEV_SQL = """
CREATE OR REPLACE TEMP TABLE kev AS
SELECT rn, case_id, client_id, type, effective_date, reason, caseworker, trajectory_id, provider, module, price, cost,
       result, scope, end_date, exemption_id
FROM events WHERE type IN ('toekenning', 'uitstroom', 'caseworker_toewijzing', 'traject_start', 'traject_einde',
                           'ontheffing_start', 'ontheffing_einde', 'waarschuwing', 'maatregel')
"""

TRAJ_SQL = """
WITH st AS (SELECT case_id, trajectory_id, provider, module, price FROM kev WHERE type = 'traject_start'),
en AS (SELECT case_id, trajectory_id, result, cost FROM kev
       WHERE type = 'traject_einde' AND effective_date >= DATE '{s}' AND effective_date < DATE '{e}'),
t AS (SELECT st.provider, st.module, coalesce(en.cost, st.price, 0) AS spent,
             coalesce(en.result IN ('werk', 'werk_gesubsidieerd'), false) AS success
      FROM en LEFT JOIN st ON st.case_id = en.case_id AND st.trajectory_id = en.trajectory_id)
SELECT provider, module, count(*) AS ended, count_if(success) AS successful, sum(spent) AS cost FROM t
GROUP BY provider, module ORDER BY provider NULLS FIRST, module NULLS FIRST
"""


def reference(con) -> dict:
    from regie.core.events import WORK_OUTFLOW_REASONS

    s, e = PERIOD
    last = e - dt.timedelta(days=1)
    work = ", ".join(f"'{r}'" for r in sorted(WORK_OUTFLOW_REASONS))
    sp_e, sp_last, sp_max = (SPELLS.format(as_of=d) for d in (e, last, dt.date(9999, 12, 31)))
    durable = ",".join(DURABLE.format(days=int(m * 30.44), work=work, m=m, all_spells=sp_max) for m in (6, 12))
    con.execute(KEV_SQL)
    out = {}
    out["cohort"] = dict(
        zip(
            ("X", "Y", "Z", "A", "B", "C", "A1", "B1"),
            con.execute(COHORT_SQL.format(f=COHORT[0], t=COHORT[1])).fetchone(),
        )
    )
    cur = con.execute(FLOWS_SQL.format(spells=sp_e, s=s, e=e, last=last, work=work, durable=durable))
    out["flows"] = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    out["duration"] = con.execute(DURATION_SQL.format(spells=sp_last, on=last)).fetchone()
    out["caseload"] = con.execute(CASELOAD_SQL.format(spells=sp_last, on=last)).fetchall()
    out["first_trajectory"] = con.execute(FIRST_TRAJ_SQL.format(spells=sp_max, s=s, e=e)).fetchone()
    out["rates"] = con.execute(RATES_SQL.format(spells=sp_e, s=s, e=e, last=last)).fetchone()
    out["trajectories"] = con.execute(TRAJ_SQL.format(s=s, e=e)).fetchall()
    return out


def check(r: dict, ref: dict) -> list[str]:
    """Differences between Regie's numbers and the reference's (empty when they agree)."""
    bad = []

    def same(label, a, b, tol=0.0):
        if a is None or b is None:
            ok = a is None and b is None
        else:
            ok = abs(a - b) <= tol
        if not ok:
            bad.append(f"{label}: regie {a!r} vs duckdb {b!r}")

    for k, v in ref["cohort"].items():
        same(f"cohort {k}", r["cohort"][k], v)
    f, rf = r["flows"], ref["flows"]
    for k in ("stock_start", "stock_end", "inflow", "outflow", "outflow_to_work"):
        same(f"flows {k}", f[k], rf[k])
    if f["outflow_by_reason"] != {x["reason"]: x["n"] for x in (rf["by_reason"] or [])}:
        bad.append("flows outflow_by_reason")
    for m in (6, 12):
        obs, back = rf[f"durable_{m}m"]
        same(f"durable_{m}m", f[f"durable_{m}m"], (obs - back) / obs if obs else None, 0.00005)
    same("duration", 0, 0 if list(r["duration"].values()) == list(ref["duration"]) else 1)
    if [(x["caseworker"], x["cases"]) for x in r["caseload"]] != [tuple(x) for x in ref["caseload"]]:
        bad.append("caseload")
    t, rt = r["first_trajectory"], ref["first_trajectory"]
    same("first_trajectory inflow", t["inflow"], rt[0])
    same("first_trajectory with", t["with_trajectory"], rt[1])
    same("first_trajectory median", t["median_days"], None if rt[2] is None else float(rt[2]), 1e-9)
    same("first_trajectory p75", t["p75_days"], None if rt[3] is None else float(rt[3]), 1e-9)
    q, rq = r["rates"], ref["rates"]
    same("rates average_stock", q["average_stock"], (rq[0] + rq[1]) / 2)
    for i, k in enumerate(("exemptions", "warnings", "sanctions"), start=2):
        same(f"rates {k}", q[k], rq[i])
        same(f"rates {k}_per_100", q[f"{k}_per_100"], 100 * rq[i] / ((rq[0] + rq[1]) / 2), 0.005 + 1e-9)
    same("rates deviations", q["deviations"], rq[5])
    rows = {(x["provider"], x["module"]): x for x in r["trajectories"]}
    if len(rows) != len(ref["trajectories"]):
        bad.append("trajectories: number of rows")
    for prov, mod, ended, ok, cost in ref["trajectories"]:
        x = rows.get((prov, mod))
        if x is None:
            bad.append(f"trajectories {prov}/{mod} missing")
            continue
        same(f"traj {prov}/{mod} ended", x["ended"], ended)
        same(f"traj {prov}/{mod} successful", x["successful"], ok)
        same(f"traj {prov}/{mod} cost", x["cost"], cost, 1e-6 * max(1.0, abs(cost)))
        same(f"traj {prov}/{mod} cost_per_success", x["cost_per_success"], cost / ok if ok else None, 0.5 + 1e-6)
    return bad


def time_best(fn, repeat: int) -> tuple[float, float, object, float]:
    """Best and median wall time of ``repeat`` runs, the last result, and the process CPU time of the best run
    (all threads: on a shared machine the CPU time shows the work when the wall time is inflated by others)."""
    times, result = [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    best = min(times)
    return best[0], statistics.median(t for t, _ in times), result, best[1]


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def bench_kpis(n: int, seed: int, repeat: int) -> dict:
    import polars as pl

    directory = prepare(n, seed)
    t0 = time.perf_counter()
    municipality, tables, Frames = load(directory)
    read_s = time.perf_counter() - t0
    events = tables["events"]
    con = duckdb_connection(directory)

    def fresh():
        return Frames(municipality, tables["clients"], tables["cases"], tables["events"], tables["users"])

    from regie.core.kpi import cohort_kpis

    load_before = _load_average()
    regie_best, regie_median, r, regie_cpu = time_best(lambda: regie(fresh()), repeat)
    ref_best, ref_median, ref, ref_cpu = time_best(lambda: reference(con), repeat)
    bad = check(r, ref)
    warm_frames = fresh()
    regie(warm_frames)
    warm_best, _, _, _ = time_best(lambda: regie(warm_frames), repeat)
    cohort_best, _, _, _ = time_best(lambda: cohort_kpis(fresh(), *COHORT), repeat)
    return {
        "load_average_1min": [load_before, _load_average()],
        "regie_cpu_s": round(regie_cpu, 3),
        "duckdb_cpu_s": round(ref_cpu, 3),
        "clients": n,
        "events": events.height,
        "read_parquet_s": round(read_s, 3),
        "repeat": repeat,
        "regie_best_s": round(regie_best, 3),
        "regie_median_s": round(regie_median, 3),
        "regie_cohort_only_best_s": round(cohort_best, 3),
        "regie_memo_warm_best_s": round(warm_best, 4),
        "duckdb_best_s": round(ref_best, 3),
        "duckdb_median_s": round(ref_median, 3),
        "ratio_best": round(regie_best / ref_best, 2),
        "agree": not bad,
        "differences": bad,
        "cohort": {k: r["cohort"][k] for k in ("X", "Y", "Z", "A", "B", "C", "A1", "B1")},
        "polars_threads": pl.thread_pool_size(),
    }


# --- dashboard on the demo -------------------------------------------------------------------------------------------

DASHBOARD_SNIPPET = r"""
import os, sys, time, json, statistics
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
t_import = time.perf_counter()
import django; django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.test import Client
from regie.accounts.models import User
from regie.analytics.store import refresh
u = User.objects.filter(role="beleidsmedewerker", municipality__isnull=False).order_by("id").first()
if sys.argv[1] == "prepare":
    refresh(u.municipality, persist=True)   # make sure the Parquet store is present and current
    print(json.dumps({}))
    raise SystemExit
c = Client()
c.force_login(u)
url = sys.argv[2]
if sys.argv[1] == "first":  # the very first request of a fresh process: lazy imports, policy files, frames
    t0 = time.perf_counter(); r = c.get(url); first = time.perf_counter() - t0
    assert r.status_code == 200, r.status_code
    print(json.dumps({"first_request_s": first}))
    raise SystemExit
# a server that has answered other requests: URL conf, templates and policy files loaded, frames not yet read
from regie.casework.signals import norms_for
import datetime as dt
norms_for(u.municipality.code, dt.date.today())
assert c.get("/").status_code in (200, 302)
t0 = time.perf_counter(); r = c.get(url); cold = time.perf_counter() - t0
assert r.status_code == 200, r.status_code
pages = {}
for page in [url] + [p for p in sys.argv[4].split(",") if p]:
    warm, status = [], None
    for _ in range(int(sys.argv[3])):
        t0 = time.perf_counter(); r = c.get(page); warm.append(time.perf_counter() - t0)
        status = r.status_code
    pages[page] = {"status": status, "warm_median_s": statistics.median(warm), "warm_min_s": min(warm),
                   "warm_max_s": max(warm), "bytes": len(r.content)}
print(json.dumps({"cold_s": cold, **pages[url], "pages": pages}))
"""


OTHER_PAGES = ("/monitoring/trajecten/", "/monitoring/budget/", "/monitoring/statistiek/")


def bench_dashboard(n: int, seed: int, repeat: int, url: str = "/monitoring/") -> dict:
    directory = VAR / f"demo{n}"
    db = directory / "regie.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "REGIE_VAR_DIR": str(directory)}
    if not db.exists():
        directory.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        subprocess.run([REGIE, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
        subprocess.run(
            [REGIE, "demo", "--clients", str(n), "--seed", str(seed)],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        print(f"loaded the {n:,}-client demo in {time.perf_counter() - t0:.0f} s", flush=True)
    subprocess.run([REGIE, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)  # new migrations

    def run(*a):
        proc = subprocess.run([PY, "-c", DASHBOARD_SNIPPET, *a], env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(f"dashboard measurement failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    run("prepare")
    result = run("measure", url, str(repeat), ",".join(OTHER_PAGES))
    result.update(run("first", url))
    return {"clients": n, "url": url, **result}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dashboard-clients", type=int, default=50_000)
    ap.add_argument("--skip-dashboard", action="store_true")
    ap.add_argument("--skip-kpis", action="store_true")
    ap.add_argument("--prepare-only", action="store_true", help="only generate/read and cache the synthetic tables")
    ap.add_argument("--json", default=str(VAR / "monitoring.json"))
    args = ap.parse_args()
    if args.prepare_only:
        print(prepare(args.clients, args.seed))
        return
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "date": dt.date.today().isoformat(),
    }
    if not args.skip_kpis:
        k = results["kpis"] = bench_kpis(args.clients, args.seed, args.repeat)
        print(f"KPIs, {k['clients']:,} clients, {k['events']:,} events (best of {k['repeat']}):")
        print(
            f"  Regie   cohort + indicators  {k['regie_best_s']:7.3f} s  (CPU {k['regie_cpu_s']:.3f} s; median "
            f"{k['regie_median_s']:.3f} s; cohort alone {k['regie_cohort_only_best_s']:.3f} s; memoised repeat "
            f"{k['regie_memo_warm_best_s']:.4f} s)"
        )
        print(
            f"  DuckDB  hand-written SQL     {k['duckdb_best_s']:7.3f} s  (CPU {k['duckdb_cpu_s']:.3f} s; median "
            f"{k['duckdb_median_s']:.3f} s)"
        )
        print(f"  load average (1 min) before/after: {k['load_average_1min']}")
        print(f"  ratio Regie / DuckDB         {k['ratio_best']:7.2f}    numbers agree: {k['agree']}")
        for line in k["differences"]:
            print("   ", line)
        print(
            f"  targets: < 2 s {'met' if k['regie_best_s'] < 2 else 'NOT met'}; "
            f"<= 3x DuckDB {'met' if k['ratio_best'] <= 3 else 'NOT met'}",
            flush=True,
        )
    if not args.skip_dashboard:
        d = results["dashboard"] = bench_dashboard(args.dashboard_clients, args.seed, max(args.repeat, 5))
        print(
            f"dashboard {d['url']} on the {d['clients']:,}-client demo: cold {d['cold_s'] * 1000:.0f} ms, "
            f"warm median {d['warm_median_s'] * 1000:.0f} ms (min {d['warm_min_s'] * 1000:.0f}, "
            f"max {d['warm_max_s'] * 1000:.0f}); target < 300 ms (warm) "
            f"{'met' if d['warm_median_s'] < 0.3 else 'NOT met'}; cold {'met' if d['cold_s'] < 0.3 else 'NOT met'}; "
            f"very first request of a fresh process {d['first_request_s'] * 1000:.0f} ms",
            flush=True,
        )
        for page, v in d["pages"].items():
            print(
                f"  {page:28s} HTTP {v['status']}  warm median {v['warm_median_s'] * 1000:5.0f} ms "
                f"(min {v['warm_min_s'] * 1000:.0f}, max {v['warm_max_s'] * 1000:.0f})",
                flush=True,
            )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
