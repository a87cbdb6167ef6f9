"""Who may see which documents.

- Every document of a case is for the roles that may see the client's file (``view_clients``) in the case's
  municipality (tenancy: ``regie.accounts.tenancy.municipality_ids``); another municipality's document is a 404.
- A **confidential** document (always: medical information, AVG art. 9 and UAVG art. 30; otherwise when the uploader
  marks it) only for :data:`CONFIDENTIAL_ROLES`. Assumption (no law names the roles): the caseworkers who work with
  the client on participation and health (integrale klantmanager, re-integratieconsulent) and their teammanager;
  not the inkomensconsulent, whose work is the benefit, nor the juridisch medewerker, who asks the caseworker for
  what an objection needs. To the others the document does not exist (404; the list leaves it out); the case's
  timeline shows them only that a confidential document was added (``casework.confidential``).
- The client's own inzage (AVG art. 15) always includes confidential documents: it is their data.
"""

from __future__ import annotations

from regie.accounts.tenancy import can, municipality_ids
from regie.casework.confidential import DOCUMENT_ROLES

# One set for the document and for its event in the timeline (casework.confidential, below this app).
CONFIDENTIAL_ROLES = DOCUMENT_ROLES


def may_see_confidential(user) -> bool:
    return bool(user and user.is_authenticated and user.role in CONFIDENTIAL_ROLES and can(user, "view_clients"))


def visible_to(user, documents):
    """``documents`` (a queryset) narrowed to what ``user`` may see."""
    qs = documents.filter(municipality_id__in=municipality_ids(user))
    if not can(user, "view_clients"):
        return qs.none()
    return qs if may_see_confidential(user) else qs.filter(confidential=False)
