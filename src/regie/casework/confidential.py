"""Who reads a confidential note (``notitie`` event) or a confidential document: ONE rule for both, for the web
pages and the REST API alike, and the audit of every note read.

The journal lives in :mod:`regie.journal`, the documents in :mod:`regie.documents`; this rule lives here because
every place that shows them applies it: the client page's timeline (casework), the REST API (api), the journal
pages (journal) and the document pages (documents). One rule, one home, below all of them.

A confidential note (category medisch, veiligheid or overig) or a confidential document (always: medical
information, AVG art. 9 and UAVG art. 30; otherwise when the uploader marks it) is readable only by
(:func:`may_read_confidential`; AVG art. 5 lid 1 onder c, data minimisation: need to know):

- a role that may see client files at all (``view_clients``) -- never a provider coach, an auditor or a
  beleidsmedewerker, whoever wrote or added it (:data:`NEVER_ROLES`);
- and then: a teammanager of the municipality (tenancy already limits them to their own municipalities;
  :data:`READ_ALL_ROLES`), the case's current caseworker (``CaseState.caseworker``), or its author (who wrote the
  note, who added the document).

Assumption (no law names the persons): "the caseworker of the case, the author and their teammanager" is the need
to know; another caseworker of the municipality, an inkomensconsulent who is not the case's caseworker and the
juridisch medewerker (who asks the caseworker for what an objection needs) do not read it. They see that a
confidential note exists (date, author, category, never its text); a confidential document does not exist for
them on the document pages (404; the list leaves it out) and the timeline shows only that one was added.

The auditor reads the access log, not the timeline: the log names the note (its event id) and whether its text was
shown, not the text. The client's own inzage (AVG art. 15, :mod:`regie.privacy.documents`) includes the full
text and every document: it is their data. The interchange export (``regie export``, functioneel beheerder,
audited) is a lossless transfer of the whole log and keeps the text too.

Every note shown (text or redacted) is one audit record: action ``read``, object ``note``, the event's external id,
detail ``text`` / ``redacted`` plus the category.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from regie.accounts.tenancy import can
from regie.audit.services import log_request

NOTE_TYPE = "notitie"
# Roles that read every confidential note and document of their municipality's cases.
READ_ALL_ROLES = frozenset({"teammanager"})
# Roles that never read a confidential note's text or a confidential document, whoever wrote or added it.
NEVER_ROLES = frozenset({"provider_coach", "auditor", "beleidsmedewerker"})


def may_read_confidential(user, *, author_id: int | None, caseworker_id: int | None) -> bool:
    """THE rule: whether ``user`` may read a confidential note or document written/added by ``author_id`` on a
    case whose current caseworker is ``caseworker_id``."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    role = getattr(user, "role", "")
    if role in NEVER_ROLES or not can(user, "view_clients"):
        return False
    if role in READ_ALL_ROLES:
        return True
    return user.pk in {caseworker_id, author_id} - {None}


def confidential_q(user, *, author: str, caseworker: str) -> Q:
    """The same rule as a filter on a queryset of rows with a ``confidential`` flag: ``author`` and
    ``caseworker`` name the lookups of the author and of the case's current caseworker (e.g. ``added_by``,
    ``case__state__caseworker``). The rows ``user`` may read: every non-confidential row plus the confidential
    rows :func:`may_read_confidential` allows."""
    plain = Q(confidential=False)
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return plain
    role = getattr(user, "role", "")
    if role in NEVER_ROLES or not can(user, "view_clients"):
        return plain
    if role in READ_ALL_ROLES:
        return Q()
    return plain | Q(**{author: user.pk}) | Q(**{caseworker: user.pk})


def reads_all_confidential_of(user, cases) -> bool:
    """Whether ``user`` may read every confidential item of these cases, whoever added it (the dossier PDF of a
    client for a bezwaar includes confidential documents only then): a teammanager, or the current caseworker of
    every one of them."""
    cases = list(cases)
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    role = getattr(user, "role", "")
    if role in NEVER_ROLES or not can(user, "view_clients"):
        return False
    if role in READ_ALL_ROLES:
        return True
    return bool(cases) and all(getattr(getattr(c, "state", None), "caseworker_id", None) == user.pk for c in cases)


def may_read(user, event, caseworker_id: int | None) -> bool:
    """Whether ``user`` may read the text of note ``event`` on a case whose current caseworker is
    ``caseworker_id``. Non-confidential notes: yes (the page's own capability check decides who sees the case)."""
    payload = event.payload or {}
    if not payload.get("confidential"):
        return True
    return may_read_confidential(user, author_id=event.actor_id, caseworker_id=caseworker_id)


def redacted(payload: dict) -> dict:
    """A confidential note's payload without its text (what others see)."""
    out = {k: v for k, v in payload.items() if k != "text"}
    out["text"] = _("Vertrouwelijke notitie: de tekst is alleen zichtbaar voor de klantmanager en de teammanager.")
    out["redacted"] = True
    return out


# --- documents ---
# A ``document`` event in a timeline (the client page, the API): the file's storage key and checksum are internal
# (the document's own page shows the checksum); a confidential document shows only that it exists to whom
# may_read_confidential refuses it (regie.documents.access applies the same rule to the document itself).
DOCUMENT_TYPE = "document"
DOCUMENT_HIDDEN = ("storage_key", "sha256")


def document_payload(user, event, caseworker_id: int | None) -> dict:
    """What ``user`` sees of a document event's payload in a timeline."""
    payload = event.payload or {}
    if payload.get("confidential") and not may_read_confidential(
        user, author_id=event.actor_id, caseworker_id=caseworker_id
    ):
        return {"confidential": True}
    return {k: v for k, v in payload.items() if k not in DOCUMENT_HIDDEN}


def shown_payload(user, event, caseworker_id: int | None) -> dict:
    """The payload ``user`` may see of ``event`` (unchanged for every event but a confidential note or a
    document)."""
    if event.type == DOCUMENT_TYPE:
        return document_payload(user, event, caseworker_id)
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
            e.payload = document_payload(request.user, e, caseworker_id)
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
