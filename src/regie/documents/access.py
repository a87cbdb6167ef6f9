"""Who may see which documents.

- Every document of a case is for the roles that may see the client's file (``view_clients``) in the case's
  municipality (tenancy: ``regie.accounts.tenancy.municipality_ids``); another municipality's document is a 404.
- A **confidential** document (always: medical information, AVG art. 9 and UAVG art. 30; otherwise when the uploader
  marks it) follows the one rule for confidential notes and documents,
  :func:`regie.casework.confidential.may_read_confidential` (its docstring gives who and why: the case's current
  caseworker, who added it, a teammanager). To the others the document does not exist (404; the list leaves it
  out); the case's timeline shows them only that a confidential document was added.
- The client's own inzage (AVG art. 15) always includes confidential documents: it is their data.
"""

from __future__ import annotations

from regie.accounts.tenancy import can, municipality_ids
from regie.casework.confidential import confidential_q, may_read_confidential


def may_see(user, document) -> bool:
    """Whether ``user`` may see this document (tenancy, role, the confidential rule)."""
    if document.municipality_id not in municipality_ids(user) or not can(user, "view_clients"):
        return False
    if not document.confidential:
        return True
    state = getattr(document.case, "state", None)
    return may_read_confidential(
        user, author_id=document.added_by_id, caseworker_id=getattr(state, "caseworker_id", None)
    )


def visible_to(user, documents):
    """``documents`` (a queryset) narrowed to what ``user`` may see."""
    qs = documents.filter(municipality_id__in=municipality_ids(user))
    if not can(user, "view_clients"):
        return qs.none()
    return qs.filter(confidential_q(user, author="added_by", caseworker="case__state__caseworker"))
