"""The analytic tables (:mod:`regie.core.frames`) built from the database, for one municipality.

Ids are the interchange ids (``external_id``; users: external id or username), so a municipality's frames are the
same whether they come from its export file or from the database.
"""

from __future__ import annotations

from regie.accounts.models import Municipality, User
from regie.core import frames as core

from .models import Case, Client, Event


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
    case_ext = {pk: (ext, client_ext[cl]) for pk, ext, cl, _, _ in case_rows}
    cases = [{"case_id": ext, "client_id": client_ext[cl], "opened_on": opened, "team": team}
             for _, ext, cl, opened, team in case_rows]

    def events():
        rows = Event.objects.filter(municipality=municipality).order_by("case_id", "effective_date", "id").values_list(
            "external_id", "case_id", "type", "effective_date", "recorded_at", "actor_id", "actor_role", "payload",
            "decision")
        for ext, case_id, etype, eff, rec_at, actor_id, role, payload, decision in rows.iterator(chunk_size=10000):
            if etype == "caseworker_toewijzing":
                payload = {**payload, "caseworker": by_name.get(payload["caseworker"], payload["caseworker"])}
            cext, clext = case_ext[case_id]
            yield core.event_row(ext, cext, clext, etype, eff, rec_at, user_id.get(actor_id), role, payload, decision)

    user_rows = [{"user_id": user_id[pk], "username": name, "role": role, "team": team}
                 for pk, _, name, role, team in users]
    return core.build(municipality.code, clients, cases, events(), user_rows)
