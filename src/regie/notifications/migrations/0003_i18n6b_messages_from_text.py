"""Older notifications (formatted text only) get their message key and parameters where the text is one of the
known patterns (Dutch, or English when whoever triggered it used the English UI), so they too read in the reader's
language. The text stays (the reverse step only clears the keys); a text no pattern matches keeps showing as it is.
The patterns are copied here, as they were written before the keys (a migration does not import app code)."""

import datetime as dt
import re

from django.db import migrations


def _rx(template: str, **groups: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", template)
    return re.compile(
        "^"
        + "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{groups.get(p, '.+?')})" for i, p in enumerate(parts))
        + "$",
        re.S,
    )


STEP = r"[a-z][a-z0-9_]*"
COUNT = r"\d+"
PATTERNS = [  # (kind, message, pattern)
    (
        "approval",
        "decision_approved",
        _rx("Uw besluit (%(step)s, dossier %(case)s) is goedgekeurd door de teammanager.", step=STEP),
    ),
    (
        "approval",
        "decision_approved",
        _rx("Your decision (%(step)s, case %(case)s) was approved by the team manager.", step=STEP),
    ),
    (
        "refusal",
        "decision_refused",
        _rx("Uw besluit (%(step)s, dossier %(case)s) is afgewezen door de teammanager.", step=STEP),
    ),
    (
        "refusal",
        "decision_refused",
        _rx("Your decision (%(step)s, case %(case)s) was rejected by the team manager.", step=STEP),
    ),
    ("report", "provider_report", _rx("Nieuwe rapportage van de aanbieder (dossier %(case)s).")),
    ("report", "provider_report", _rx("New report from the provider (case %(case)s).")),
    ("task", "task_new", _rx("Nieuwe taak: %(title)s")),
    ("task", "task_new", _rx("New task: %(title)s")),
    ("task", "task_transferred", _rx("Taak aan u overgedragen: %(title)s")),
    ("task", "task_transferred", _rx("Task handed to you: %(title)s")),
    (
        "task",
        "caseload_transferred",
        _rx("%(cases)s dossiers en %(tasks)s taken aan u overgedragen", cases=COUNT, tasks=COUNT),
    ),
    (
        "task",
        "caseload_transferred",
        _rx("%(cases)s cases and %(tasks)s tasks handed to you", cases=COUNT, tasks=COUNT),
    ),
]
TERM = _rx("Termijn %(label)s verloopt op %(due)s (dossier %(case)s).", due=r"\d{2}-\d{2}-\d{4}")
TERM_KEY = re.compile(r"^term:\d+:(?P<key>[a-z0-9_]+):(?P<due>\d{4}-\d{2}-\d{2})$")


def _params(n):
    if n.kind == "term":
        m, k = TERM.match(n.text), TERM_KEY.match(n.key)
        if m is None or k is None:
            return None
        due = dt.datetime.strptime(m["due"], "%d-%m-%Y").date().isoformat()
        if due != k["due"]:
            return None
        return "term_expiring", {"label": k["key"], "label_text": m["label"], "due": due, "case": m["case"]}
    for kind, message, rx in PATTERNS:
        m = rx.match(n.text) if kind == n.kind else None
        if m is not None:
            params = m.groupdict()
            if message == "caseload_transferred":
                params = {k: int(v) for k, v in params.items()}
            return message, params
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for n in Notification.objects.filter(message="").iterator(chunk_size=2000):
        found = _params(n)
        if found is not None:
            n.message, n.params = found
            n.save(update_fields=["message", "params"])


def backwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.exclude(text="").update(message="", params={})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_i18n6b_message_params")]
    operations = [migrations.RunPython(forwards, backwards)]
