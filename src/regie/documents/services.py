"""The only writers of documents: an upload, a letter Regie generated, and the removal of stored files.

A document is stored in two steps: the file goes to the documents storage first (outside any database transaction,
so a 20 MB upload holds no lock), then the ``document`` event is recorded through the decision gate
(``regie.casework.decisions.record_step``, which passes non-decision events after the decision-rights check) with
the document row in the same transaction. When recording fails the stored file is removed again.

Files are named by a random key under the municipality's code and the month (``0518/2026/12/3f…e1.pdf``): no
personal data in a storage key, and no public URL: ``views.download`` is the only way to a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.casework.decisions import record_step
from regie.casework.validation import translate
from regie.core import retention as core_retention
from regie.core.events import DOCUMENT_KINDS, date_problem

from . import uploads
from .models import Document

log = logging.getLogger(__name__)
TITLE_MAX = 200


class DocumentError(ValueError):
    """Refused input: ``errors`` are (field, Dutch message) pairs, the field as the form names it."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))

    def as_dict(self) -> dict[str, str]:
        return dict(self.errors)


def storage():
    """The documents storage (``settings.STORAGES["documents"]``); a missing entry is an error (fail closed)."""
    return storages["documents"]


@dataclass(frozen=True)
class Checked:
    content_type: str
    size: int
    sha256: str


def check_file(f, *, field: str = "file") -> Checked:
    """Type from the content, size within the limit, and the hash, reading the file once in chunks."""
    label = _("Bestand")
    if f is None:
        raise DocumentError([(field, _("%(field)s: kies een bestand.") % {"field": label})])
    limit = uploads.max_bytes()
    if f.size is not None and f.size > limit:
        raise DocumentError([(field, too_large_message())])
    f.seek(0)
    head = f.read(16)
    content_type = uploads.sniff(head)
    if content_type is None:
        raise DocumentError(
            [
                (
                    field,
                    _(
                        "%(field)s: dit type bestand wordt niet aangenomen. Voeg een PDF, JPEG-, PNG-, TIFF- of "
                        "HEIC-bestand toe (gescand of gefotografeerd)."
                    )
                    % {"field": label},
                )
            ]
        )
    f.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in f.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise DocumentError([(field, _("%(field)s: het bestand is leeg.") % {"field": label})])
    if size > limit:
        raise DocumentError([(field, too_large_message())])
    f.seek(0)
    return Checked(content_type, size, digest.hexdigest())


def too_large_message() -> str:
    mb = uploads.max_bytes() / (1024 * 1024)
    return _("Bestand: het bestand is groter dan %(mb)s MB; verklein of splits het.") % {"mb": f"{mb:g}"}


def _key(case, content_type: str, today: dt.date) -> str:
    return f"{case.municipality.code}/{today:%Y/%m}/{uuid.uuid4().hex}.{uploads.EXTENSIONS[content_type]}"


def _document_date_problem(value: dt.date | None, today: dt.date) -> str | None:
    if value is None:
        return None
    problem = date_problem(value, today=today, fieldname="document_date")
    return translate(problem) if problem is not None else None


def _retention_class(case) -> str:
    types = case.events.values_list("type", flat=True)
    return core_retention.classify(types)[0]


def _store(case, user, f, *, checked: Checked, kind, title, filename, document_date, confidential, origin, **gate):
    today = timezone.localdate()
    key = storage().save(_key(case, checked.content_type, today), File(f, name="upload"))
    document_id = f"DO-{uuid.uuid4().hex[:12]}"
    payload = {
        "document_id": document_id,
        "kind": kind,
        "document_date": document_date.isoformat() if document_date else None,
        "retention_class": _retention_class(case),
        "confidential": bool(confidential),
        "storage_key": key,
        "sha256": checked.sha256,
        "size": checked.size,
        "content_type": checked.content_type,
        "origin": origin,
    }
    try:
        with transaction.atomic():
            _outcome, event = record_step(
                case,
                user,
                event_type="document",
                effective_date=today,
                payload={k: v for k, v in payload.items() if v is not None},
                **gate,  # expected_version and source, from the API
            )
            return Document.objects.create(
                municipality_id=case.municipality_id,
                case=case,
                event=event,
                document_id=document_id,
                kind=kind,
                title=title[:TITLE_MAX],
                filename=filename,
                document_date=document_date,
                confidential=event.payload.get("confidential", False),
                storage_key=key,
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
                origin=origin,
                added_by=user,
            )
    except BaseException:
        storage().delete(key)
        raise


def store_upload(
    case,
    user,
    f,
    *,
    kind: str,
    title: str = "",
    document_date: dt.date | None = None,
    confidential: bool = False,
    expected_version: int | None = None,
    source: str = "web",
) -> Document:
    """Store an uploaded file (a Django ``UploadedFile`` or any file object with ``chunks``) as a document of
    ``case``. Raises :class:`DocumentError` (fields ``file``, ``kind``, ``document_date``, ``title``), and what
    ``record_step`` raises (``DecisionRefused``, ``EventError``, ``ConflictError`` for a stale ``expected_version``,
    ``PolicyUnavailable``); nothing is kept then."""
    errors: list[tuple[str, str]] = []
    if kind not in DOCUMENT_KINDS:
        errors.append(("kind", _("Soort document: kies een soort uit de lijst.")))
    if problem := _document_date_problem(document_date, timezone.localdate()):
        errors.append(("document_date", problem))
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        errors.append(("title", _("Titel: hoogstens %(n)s tekens.") % {"n": TITLE_MAX}))
    try:
        checked = check_file(f)
    except DocumentError as exc:
        errors += exc.errors
        checked = None
    if errors:
        raise DocumentError(errors)
    filename = uploads.clean_filename(getattr(f, "name", "") or "", checked.content_type)
    return _store(
        case,
        user,
        f,
        checked=checked,
        kind=kind,
        title=title or filename,
        filename=filename,
        document_date=document_date,
        confidential=confidential,
        origin="upload",
        expected_version=expected_version,
        source=source,
    )


def store_generated(case, *, kind: str, filename: str, content: bytes, user, title: str = "") -> Document:
    """Store a letter (or other file) Regie generated, e.g. a decision letter as it was sent or downloaded, as a
    document of ``case`` (``kind`` from the document vocabulary, usually ``brief_gemeente``). One document per
    letter: the same content, or a generated file of the same name (a letter names its event), already in the case
    returns the existing document, so the file keeps the letter as it was first made."""
    if kind not in DOCUMENT_KINDS:
        raise DocumentError([("kind", _("Soort document: kies een soort uit de lijst."))])
    f = File(io.BytesIO(content), name=filename)
    checked = check_file(f)
    clean = uploads.clean_filename(filename, checked.content_type)
    existing = (
        Document.objects.filter(case=case, sha256=checked.sha256).first()
        or Document.objects.filter(case=case, origin="generated", filename=clean).first()
    )
    if existing is not None:
        return existing
    return _store(
        case,
        user,
        f,
        checked=checked,
        kind=kind,
        title=title or clean,
        filename=clean,
        document_date=timezone.localdate(),
        confidential=False,
        origin="generated",
    )


def open_file(document: Document):
    return storage().open(document.storage_key, "rb")


def stored_keys(case_ids, client_ids=()) -> list[str]:
    """The storage keys of the documents of these cases and of the dossier exports of these clients: what the
    destruction of the cases must remove from the storage (``regie.retention.services.destroy``)."""
    from .models import DossierExport

    keys = list(Document.objects.filter(case_id__in=list(case_ids)).values_list("storage_key", flat=True))
    keys += [
        k
        for k in DossierExport.objects.filter(client_id__in=list(client_ids)).values_list("storage_key", flat=True)
        if k
    ]
    return keys


def drop_exports(client_ids) -> int:
    """Remove the dossier exports of these clients (rows; their files via :func:`delete_files`)."""
    from .models import DossierExport

    n, _ = DossierExport.objects.filter(client_id__in=list(client_ids)).delete()
    return n


def delete_files(keys) -> int:
    """Delete stored files; a key already gone counts as deleted. Returns how many were removed."""
    n, s = 0, storage()
    for key in keys:
        try:
            if s.exists(key):
                s.delete(key)
                n += 1
        except OSError:  # logged without the key's case: the operator removes it by hand (docs/operations.md)
            log.error("a stored document could not be deleted")
    return n
