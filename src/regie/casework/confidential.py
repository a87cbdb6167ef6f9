"""Who reads the text of a journal note (``notitie`` event), and the audit of every note read.

The journal lives in :mod:`regie.journal`; this rule lives here because every place that shows events applies it:
the client page's timeline (casework), the REST API's event listing (api) and the journal pages (journal, above
casework). One rule, one home, below all of them.

A note marked ``confidential`` (category medisch, veiligheid or overig) shows its text only to (AVG art. 5 lid 1
onder c, data minimisation; decided here, docs/user-guide.md "Journaal"):

- its author, unless the author's role is provider_coach (a coach never reads case notes);
- the case's current caseworker (CaseState.caseworker);
- a teammanager of the municipality (tenancy already limits them to their own municipalities).

Everyone else who may see the timeline (another caseworker of the municipality, the juridisch medewerker) sees
that a confidential note exists, its date, author and category, never its text. The auditor reads the access log,
not the timeline: the log names the note (its event id) and whether its text was shown, not the text. The
client's own inzage (AVG art. 15, :mod:`regie.privacy.documents`) includes the full text: it is their data.
The interchange export (``regie export``, functioneel beheerder, audited) is a lossless transfer of the whole log
and keeps the text too.

Every note shown (text or redacted) is one audit record: action ``read``, object ``note``, the event's external id,
detail ``text`` / ``redacted`` plus the category.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from regie.audit.services import log_request

NOTE_TYPE = "notitie"
# Roles that read every confidential note of their municipality's cases.
READ_ALL_ROLES = frozenset({"teammanager"})
# Roles that never read a confidential note's text, whoever wrote it.
NEVER_ROLES = frozenset({"provider_coach", "auditor", "beleidsmedewerker"})


def may_read(user, event, caseworker_id: int | None) -> bool:
    """Whether ``user`` may read the text of note ``event`` on a case whose current caseworker is
    ``caseworker_id``. Non-confidential notes: yes (the page's own capability check decides who sees the case)."""
    payload = event.payload or {}
    if not payload.get("confidential"):
        return True
    role = getattr(user, "role", "")
    if role in NEVER_ROLES:
        return False
    if role in READ_ALL_ROLES:
        return True
    return user.pk is not None and (user.pk == caseworker_id or user.pk == event.actor_id)


def redacted(payload: dict) -> dict:
    """A confidential note's payload without its text (what others see)."""
    out = {k: v for k, v in payload.items() if k != "text"}
    out["text"] = _("Vertrouwelijke notitie: de tekst is alleen zichtbaar voor de klantmanager en de teammanager.")
    out["redacted"] = True
    return out


# --- documents ---
# A ``document`` event in a timeline (the client page, the API): the file's storage key and checksum are internal
# (the document's own page shows the checksum); a confidential document shows only that it exists, and only to
# the roles below, which regie.documents.access uses for the document itself (its docstring gives the reasons).
DOCUMENT_TYPE = "document"
DOCUMENT_ROLES = frozenset({"integrale_klantmanager", "reintegratieconsulent", "teammanager"})
DOCUMENT_HIDDEN = ("storage_key", "sha256")


def document_payload(user, payload: dict) -> dict:
    """What ``user`` sees of a document event's payload in a timeline."""
    if payload.get("confidential") and getattr(user, "role", "") not in DOCUMENT_ROLES:
        return {"confidential": True}
    return {k: v for k, v in payload.items() if k not in DOCUMENT_HIDDEN}


def shown_payload(user, event, caseworker_id: int | None) -> dict:
    """The payload ``user`` may see of ``event`` (unchanged for every event but a confidential note or a
    document)."""
    if event.type == DOCUMENT_TYPE:
        return document_payload(user, event.payload or {})
    if event.type != NOTE_TYPE or may_read(user, event, caseworker_id):
        return event.payload or {}
    return redacted(event.payload or {})


def filter_events(request, events: Iterable, caseworker_id: int | None, *, municipality_id: int | None = None) -> list:
    """The events with each note's payload as ``request.user`` may see it, every note shown audited.

    The events are model instances; a redacted note gets its payload replaced in memory only (events are
    append-only: ``Event.save`` refuses an update, so the copy can never be written back)."""
    out = []
    for e in events:
        if e.type == DOCUMENT_TYPE:  # documents: in memory only, as for notes
            e.payload = document_payload(request.user, e.payload or {})
        if e.type == NOTE_TYPE:
            readable = may_read(request.user, e, caseworker_id)
            if not readable:
                e.payload = redacted(e.payload or {})
            log_request(
                request,
                "read",
                "note",
                e.external_id,
                municipality_id=municipality_id or e.municipality_id,
                detail=("text" if readable else "redacted")
                + (
                    f" confidential {(e.payload or {}).get('confidentiality', '')}"
                    if (e.payload or {}).get("confidential")
                    else ""
                ),
            )
        out.append(e)
    return out
