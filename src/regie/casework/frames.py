"""The analytic tables (:mod:`regie.core.frames`) built from the database, for one municipality.

Ids are the interchange ids (``external_id``; users: external id or username), so a municipality's frames are the
same whether they come from its export file or from the database.
"""

from __future__ import annotations

from regie.accounts.models import Municipality, User
from regie.core import frames as core

from .models import Case, Client, Event


def _json_field(vendor: str, column: str, key: str) -> str:
    if vendor == "postgresql":
        return f"({column}::jsonb ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def _events_columnar(municipality: Municipality, by_name: dict[str, str], user_id: dict[int, str]):
    """The events table in one SQL query with payload fields extracted by the database (no Python per row)."""
    import polars as pl
    from django.db import connection

    vendor = connection.vendor
    t_ev, t_case, t_client = Event._meta.db_table, Case._meta.db_table, Client._meta.db_table
    fields = [f"{_json_field(vendor, 'e.payload', 'motivation' if c == 'motivation_level' else c)} AS {c}"
              for c in core.PAYLOAD_COLUMNS]
    decision = [f"{_json_field(vendor, 'e.decision', c)} AS {c}" for c in core.DECISION_COLUMNS]
    rec = "CAST(e.decision AS TEXT)" if vendor == "sqlite" else "e.decision::text"
    sql = (
        f"SELECT e.external_id AS event_id, k.external_id AS case_id, c.external_id AS client_id, e.type, "
        f"e.effective_date, e.recorded_at, e.actor_id, e.actor_role, CAST(e.payload AS TEXT) AS payload, "
        f"e.deviates, {rec} AS decision_json, {', '.join(decision + fields)} "
        f"FROM {t_ev} e JOIN {t_case} k ON k.id = e.case_id JOIN {t_client} c ON c.id = k.client_id "
        f"WHERE e.municipality_id = %s ORDER BY e.case_id, e.effective_date, e.id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [municipality.id])
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    df = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    schema = core.EVENT_SCHEMA
    out = df.with_columns(
        pl.col("effective_date").cast(pl.Utf8).str.to_date() if df["effective_date"].dtype == pl.Utf8 else pl.col("effective_date").cast(pl.Date),
        pl.col("actor_id").replace_strict(user_id, default=None, return_dtype=pl.Utf8).alias("actor"),
        pl.col("deviates").cast(pl.Boolean),
        pl.col("decision_json").map_elements(lambda d: _sub(d, "recommendation"), return_dtype=pl.Utf8).alias("recommendation"),
        pl.col("decision_json").map_elements(lambda d: _sub(d, "decided"), return_dtype=pl.Utf8).alias("decided"),
        pl.when(pl.col("type") == "caseworker_toewijzing")
        .then(pl.col("caseworker").replace(by_name)).otherwise(pl.col("caseworker")).alias("caseworker"),
        pl.when(pl.col("type") == "intake").then(pl.col("motivation_level")).otherwise(None).alias("motivation_level"),
    )
    casts = []
    for c, typ in schema.items():
        if c in ("recorded_at", "effective_date"):
            continue
        if typ == pl.Date:
            casts.append(pl.col(c).cast(pl.Utf8).str.to_date(strict=False))
        elif typ == pl.Boolean and c != "deviates":
            casts.append(pl.col(c).cast(pl.Utf8).replace({"1": "true", "0": "false", "True": "true", "False": "false"})
                         .replace_strict({"true": True, "false": False}, default=None, return_dtype=pl.Boolean).alias(c))
        else:
            casts.append(pl.col(c).cast(typ))
    out = out.with_columns(casts)
    recorded = out["recorded_at"]
    if recorded.dtype == pl.Utf8:
        out = out.with_columns(pl.col("recorded_at").str.to_datetime(time_zone="UTC", strict=False))
    else:
        out = out.with_columns(pl.col("recorded_at").dt.convert_time_zone("UTC"))
    return out.with_columns(pl.col("recorded_at").cast(pl.Datetime("us", "UTC"))).select(list(schema))


def _sub(decision_json: str | None, key: str) -> str | None:
    import orjson

    if not decision_json:
        return None
    value = orjson.loads(decision_json).get(key)
    return None if value is None else orjson.dumps(value).decode()


def frames_for(municipality: Municipality) -> core.Frames:
    users = list(User.objects.filter(municipality=municipality).values_list("id", "external_id", "username", "role",
                                                                           "team__code"))
    user_id = {pk: ext or name for pk, ext, name, _, _ in users}
    by_name = {name: ext or name for _, ext, name, _, _ in users}
    client_ext = dict(Client.objects.filter(municipality=municipality).values_list("id", "external_id"))
    clients = (
        core.client_row(ext, {"birth_date": bd, "sex": sex, "education": edu, "language": lang, "origin": origin,
                              "household": hh, "housing": housing})
        for ext, bd, sex, edu, lang, origin, hh, housing in Client.objects.filter(municipality=municipality)
        .values_list("external_id", "birth_date", "sex", "education", "language", "origin", "household", "housing")
        .iterator(chunk_size=5000)
    )
    case_rows = list(Case.objects.filter(municipality=municipality).values_list("id", "external_id", "client_id",
                                                                                 "opened_on", "team__code"))
    cases = [{"case_id": ext, "client_id": client_ext[cl], "opened_on": opened, "team": team}
             for _, ext, cl, opened, team in case_rows]

    user_rows = [{"user_id": user_id[pk], "username": name, "role": role, "team": team}
                 for pk, _, name, role, team in users]
    built = core.build(municipality.code, clients, cases, [], user_rows)
    built.events = _events_columnar(municipality, by_name, user_id)
    return built
