"""Reads of documents: a case's documents as a user may see them, a client's for the inzage and the dossier PDF."""

from __future__ import annotations

from .access import visible_to
from .models import Document


def for_case(case, user) -> list[Document]:
    return list(visible_to(user, Document.objects.filter(case=case)).select_related("added_by"))


def for_client(client, *, include_confidential: bool) -> list[Document]:
    """All documents of the client's cases, oldest first (the inzage: ``include_confidential=True``)."""
    qs = Document.objects.filter(case__client=client).select_related("case", "added_by").order_by("added_at", "id")
    return list(qs if include_confidential else qs.filter(confidential=False))


def document_for(user, document_id: int) -> Document | None:
    """The document if ``user`` may see it, else None (the view answers 404 either way)."""
    return visible_to(user, Document.objects.filter(pk=document_id)).select_related("case", "case__client").first()
