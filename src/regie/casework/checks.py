"""System checks: the casework does not start without its policy (fail closed).

- ``casework.E001`` (every ``check``, ``runserver``, ``manage.py migrate``; no database needed): the policy directory
  (``REGIE_POLICY_DIR`` or the files shipped in the package) loads — it exists, holds policies, every file is
  readable and valid.
- ``casework.E002`` (tag ``database``: ``check --database default`` and ``manage.py migrate``): every municipality
  in the database has a policy in force today. Without one the casework refuses every step for that municipality
  (``recommend.PolicyUnavailable``); this check says so before a caseworker finds out.
"""

from __future__ import annotations

import datetime as dt

from django.core import checks
from django.db import DatabaseError

from regie.core.policy import PolicyUnavailable, default_set


def _error(exc: PolicyUnavailable, id: str, obj=None) -> checks.Error:
    return checks.Error(exc.message, hint=exc.detail or None, obj=obj, id=id)


@checks.register("regie_policy")
def policy_directory_loads(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        default_set()
    except PolicyUnavailable as exc:
        return [_error(exc, "casework.E001")]
    return []


@checks.register("regie_policy", checks.Tags.database)
def municipalities_have_policy(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases:
        return []
    from regie.accounts.models import Municipality

    try:
        policies = default_set()
    except PolicyUnavailable:
        return []  # reported once by casework.E001
    today = dt.date.today()
    out = []
    for alias in databases:
        try:
            municipalities = list(Municipality.objects.using(alias).order_by("code"))
        except DatabaseError:  # no schema yet (before the first migrate)
            continue
        for m in municipalities:
            try:
                policies.in_force(m.code, today)
            except PolicyUnavailable as exc:
                out.append(_error(exc, "casework.E002", obj=f"{m.code} {m.name}"))
    return out
