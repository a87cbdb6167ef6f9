"""Retention: the one place a case's retention is computed, the monthly destruction list, holds, and the
destruction itself.

- :func:`retention_for` — the class, end and destruction date of a case (``regie.core.retention.assess`` over the
  case's status and events from ``regie.casework.selectors``); every page and command calls it.
- :func:`build_list` — the month's vernietigingslijst: ended cases whose destruction date falls in or before the
  month and that have no active hold (``RetentionHold``).
- :func:`approve` / :func:`remove_item` — the archivaris (``approve_destruction``) approves the list or takes a case
  off it with a reason.
- :func:`destroy` — deletes the approved cases through the one sanctioned path,
  ``regie.platform.dbutil.maintenance_mode``, in one transaction: their events, projections, pending decisions and
  every other row that refers to them (documents included), the client when no case of theirs is left, and the
  stored files of their documents and dossier PDFs (after the commit); then the cached results that
  named them (the equity report's runs; the lab's runs, which hold aggregates only, are checked too) and the
  analytic copy. It writes a ``DestructionRecord`` and an audit entry. It is for the command line only
  (``regie retention destroy``), never for request handling (dbutil's rule).

Audit records that name a destroyed case stay: the access log is accountability with its own retention (BIO
8.15.01; docs/operations.md, "Bewaartermijnen en vernietiging").
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.tenancy import can
from regie.audit.services import cli_origin, log
from regie.casework.models import Case, Client, Event
from regie.core import retention as core
from regie.documents import services as documents
from regie.platform.dbutil import maintenance_mode

from . import selectors
from .classes import CLASSES, PERIODS, RetentionClass
from .models import DestructionItem, DestructionList, DestructionRecord, RetentionHold


class RetentionError(Exception):
    """A refused retention action; ``message`` is Dutch, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CaseRetention:
    case: Case
    retention: core.Retention
    retention_class: RetentionClass
    holds: tuple  # active RetentionHold rows


def retention_for(case: Case, facts: selectors.CaseFacts | None = None) -> core.Retention:
    """The retention of ``case``: class, end of the case and destruction date (the one computation). ``facts``:
    already read for many cases at once (:func:`selectors.facts_for`)."""
    f = facts or selectors.facts_for([case])[case.pk]
    return core.assess(f.status, f.events, f.aftercare_until, PERIODS)


def _active_holds(case_ids) -> dict[int, list[RetentionHold]]:
    out: dict[int, list[RetentionHold]] = {}
    for hold in RetentionHold.objects.filter(case_id__in=case_ids, released_at__isnull=True):
        out.setdefault(hold.case_id, []).append(hold)
    return out


def overview(municipality_id: int, cases=None) -> list[CaseRetention]:
    """Retention of the municipality's cases (or of ``cases``), with their active holds."""
    cases = list(
        cases
        if cases is not None
        else Case.objects.filter(municipality_id=municipality_id).select_related("state").order_by("external_id")
    )
    holds = _active_holds([c.pk for c in cases])
    facts = selectors.facts_for(cases)
    out = []
    for case in cases:
        r = retention_for(case, facts[case.pk])
        out.append(CaseRetention(case, r, CLASSES[r.class_id], tuple(holds.get(case.pk, ()))))
    return out


def due_cases(municipality_id: int, month: str) -> list[CaseRetention]:
    """Cases due for destruction in or before ``month`` (YYYY-MM) and without an active hold."""
    _, last = core.month_bounds(month)
    return [cr for cr in overview(municipality_id) if core.due_in(cr.retention, last) and not cr.holds]


def _actor_name(actor) -> str:
    return (getattr(actor, "username", None) or str(actor))[:150]


def build_list(municipality, month: str, *, actor, origin: str | None = None) -> DestructionList:
    """The month's destruction list (state concept). A concept list of the same month is replaced; an approved or
    executed one is not (RetentionError)."""
    first, _last = core.month_bounds(month)
    if first > today().replace(day=1):
        raise RetentionError(
            _("%(month)s ligt in de toekomst: een lijst is er voor de lopende of een eerdere maand.") % {"month": month}
        )
    existing = DestructionList.objects.filter(municipality=municipality, month=first)
    if existing.exclude(state="concept").exists():
        raise RetentionError(
            _("Voor %(month)s is al een goedgekeurde of uitgevoerde vernietigingslijst.") % {"month": month}
        )
    due = due_cases(municipality.pk, month)
    with transaction.atomic():
        existing.delete()
        dl = DestructionList.objects.create(municipality=municipality, month=first, created_by=_actor_name(actor))
        DestructionItem.objects.bulk_create(
            [
                DestructionItem(
                    list=dl,
                    case=cr.case,
                    case_external_id=cr.case.external_id,
                    retention_class=cr.retention.class_id,
                    ended_on=cr.retention.ended_on,
                    destroy_on=cr.retention.destroy_on,
                )
                for cr in due
            ]
        )
        log(
            actor=actor,
            action="create",
            object_type="destruction_list",
            object_id=dl.pk,
            origin=origin or cli_origin(),
            municipality_id=municipality.pk,
            detail=f"{month}: {len(due)} cases",
        )
    return dl


def _require_archivist(user, dl: DestructionList) -> None:
    if not can(user, "approve_destruction") or dl.municipality_id != getattr(user, "municipality_id", None):
        raise RetentionError(_("Alleen de archivaris van de gemeente kan een vernietigingslijst beoordelen."))


def remove_item(user, item: DestructionItem, reason: str, *, origin: str) -> DestructionItem:
    """Take a case off a concept list, with a reason (the archivaris)."""
    _require_archivist(user, item.list)
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError(_("Geef een reden om het dossier van de lijst te halen."))
    if item.list.state != "concept":
        raise RetentionError(_("Deze lijst is al goedgekeurd; maak een nieuwe lijst."))
    DestructionItem.objects.filter(pk=item.pk).update(
        state="removed", removed_reason=reason[:500], removed_by=user.username
    )
    log(
        actor=user,
        action="update",
        object_type="destruction_list",
        object_id=item.list_id,
        origin=origin,
        municipality_id=item.list.municipality_id,
        detail=f"removed {item.case_external_id}",
    )
    item.refresh_from_db()
    return item


def approve(user, dl: DestructionList, *, origin: str) -> DestructionList:
    """The archivaris approves a concept list; the cases still proposed on it may then be destroyed."""
    _require_archivist(user, dl)
    if dl.state != "concept":
        raise RetentionError(_("Deze lijst is niet (meer) ter beoordeling."))
    n = DestructionList.objects.filter(pk=dl.pk, state="concept").update(
        state="approved", approved_by=user, approved_at=timezone.now()
    )
    if not n:
        raise RetentionError(_("Deze lijst is intussen al beoordeeld."))
    log(
        actor=user,
        action="update",
        object_type="destruction_list",
        object_id=dl.pk,
        origin=origin,
        municipality_id=dl.municipality_id,
        detail=f"approved {dl.items.filter(state='proposed').count()} cases",
    )
    dl.refresh_from_db()
    return dl


def place_hold(case: Case, reason: str, note: str = "", *, actor, origin: str) -> RetentionHold:
    if reason not in dict(RetentionHold.REASONS):
        raise RetentionError(_("Onbekende reden: %(reason)s.") % {"reason": repr(reason)})
    hold = RetentionHold.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        reason=reason,
        note=(note or "")[:500],
        placed_by=_actor_name(actor),
    )
    log(
        actor=actor,
        action="create",
        object_type="retention_hold",
        object_id=hold.pk,
        origin=origin,
        municipality_id=case.municipality_id,
        detail=f"case {case.external_id}: {reason}",
    )
    return hold


def release_hold(hold: RetentionHold, *, actor, origin: str) -> RetentionHold:
    if hold.released_at is None:
        RetentionHold.objects.filter(pk=hold.pk).update(released_by=_actor_name(actor), released_at=timezone.now())
        log(
            actor=actor,
            action="update",
            object_type="retention_hold",
            object_id=hold.pk,
            origin=origin,
            municipality_id=hold.municipality_id,
            detail="released",
        )
        hold.refresh_from_db()
    return hold


# --- destruction ---------------------------------------------------------------------------------------------------


def _label(model) -> str:
    return model._meta.db_table


def _purge(model, pks: list[int], counts: dict[str, int]) -> None:
    """Delete ``model`` rows ``pks`` and, first, every row of any app that refers to them: rows whose foreign key
    cascades or protects are deleted (recursively), a SET_NULL key is emptied. Generic on purpose, so that a new
    app's rows about a case or a client (notes, documents, requests) go with it without a change here."""
    if not pks:
        return
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        related, name = rel.related_model, rel.field.name
        for chunk in _chunks(pks):
            refs = related._base_manager.filter(**{f"{name}__in": chunk})
            if rel.on_delete is models.SET_NULL:
                refs.update(**{name: None})
            elif rel.on_delete is not models.DO_NOTHING:
                _purge(related, list(refs.values_list("pk", flat=True)), counts)
    for chunk in _chunks(pks):
        n, _kinds = model._base_manager.filter(pk__in=chunk).delete()
        counts[_label(model)] = counts.get(_label(model), 0) + n


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _scrub_cached_results(municipality_id: int, ids: set[str], counts: dict[str, int]) -> None:
    """Delete cached results of the reporting apps that name a destroyed case, client or event.

    The equity report's runs keep comparable pairs (case and client ids) and motivations; they are caches of the
    log and are recomputed for the new state of the log. The lab's runs hold aggregates of simulated
    municipalities; they are checked the same way. Named by app label (``apps.get_model``): retention and the
    reporting apps are independent siblings (pyproject, import-linter)."""
    quoted = {json.dumps(i) for i in ids}
    for label, name in (("equity", "ReportRun"), ("labweb", "LabRun")):
        try:
            model = apps.get_model(label, name)
        except LookupError:  # pragma: no cover - both apps are installed
            continue
        doomed = []
        for pk, result in model.objects.filter(municipality_id=municipality_id).values_list("pk", "result"):
            text = json.dumps(result) if result is not None else ""
            if any(q in text for q in quoted):
                doomed.append(pk)
        if doomed:
            n, _kinds = model.objects.filter(pk__in=doomed).delete()
            counts[_label(model)] = counts.get(_label(model), 0) + n


def destroy(dl: DestructionList, *, actor, origin: str | None = None) -> DestructionRecord:
    """Destroy the cases still proposed on an approved list (see the module docstring). Exactly those: other
    cases, other clients and other municipalities are untouched; a client with a case not yet due stays."""
    origin = origin or cli_origin()
    dl = DestructionList.objects.select_related("approved_by", "municipality").get(pk=dl.pk)
    if dl.state != "approved" or dl.approved_by is None:
        raise RetentionError(_("Alleen een door de archivaris goedgekeurde lijst kan worden uitgevoerd."))
    items = list(dl.items.filter(state="proposed"))
    muni = dl.municipality
    case_ids = [i.case_id for i in items if i.case_id]
    cases = list(Case.objects.filter(pk__in=case_ids, municipality=muni).select_related("client"))
    # checked again at execution: a hold placed after approval, or a case reopened since, stops that case
    held = set(_active_holds(case_ids))
    planned = {i.case_id: i.destroy_on for i in items}
    facts = selectors.facts_for(cases)
    skipped = []
    for case in cases:
        r = retention_for(case, facts[case.pk])
        if case.pk in held or r.destroy_on is None or r.destroy_on > min(planned[case.pk], today()):
            skipped.append(case)
    doomed = [c for c in cases if c not in skipped]
    doomed_ids = {c.pk for c in doomed}
    client_ids = sorted({c.client_id for c in doomed})
    names = {c.external_id for c in doomed} | {c.client.external_id for c in doomed}
    names |= set(Event.objects.filter(case_id__in=doomed_ids).values_list("external_id", flat=True))
    counts: dict[str, int] = {}
    # documents: the stored files of the cases' documents, and the dossier PDFs of their clients (which may show a
    # doomed case), are deleted from the storage once the rows are gone (after the commit: a rollback keeps both)
    stored = documents.stored_keys(doomed_ids, client_ids)
    with transaction.atomic():
        with maintenance_mode(connection):
            if stored:
                counts["stored_files"] = len(stored)
            documents.drop_exports(client_ids)
            _purge(Case, sorted(doomed_ids), counts)
            orphans = list(Client.objects.filter(pk__in=client_ids, cases__isnull=True).values_list("pk", flat=True))
            _purge(Client, orphans, counts)
        _scrub_cached_results(muni.pk, names, counts)
        by_case = {i.case_external_id: i for i in items}
        destroyed = [by_case[c.external_id] for c in doomed]
        DestructionItem.objects.filter(pk__in=[i.pk for i in destroyed]).update(state="destroyed", case=None)
        for case in skipped:
            DestructionItem.objects.filter(list=dl, case=case).update(
                state="removed",
                removed_by=_actor_name(actor)[:150],
                removed_reason="Bij uitvoering: bewaarblokkade, dossier heropend of termijn nog niet verstreken",
            )
        DestructionList.objects.filter(pk=dl.pk).update(state="destroyed")
        record = DestructionRecord.objects.create(
            municipality=muni,
            list=dl,
            clients_removed=len(orphans),
            rows=counts,
            cases=[
                {
                    "case": i.case_external_id,
                    "class": i.retention_class,
                    "ended_on": i.ended_on.isoformat(),
                    "destroy_on": i.destroy_on.isoformat(),
                }
                for i in destroyed
            ],
            executed_by=_actor_name(actor),
            approved_by=dl.approved_by.username,
            approved_at=dl.approved_at,
        )
        log(
            actor=actor,
            action="delete",
            object_type="destruction_list",
            object_id=dl.pk,
            origin=origin,
            municipality_id=muni.pk,
            detail=f"record {record.pk}: {len(destroyed)} cases, {len(orphans)} clients destroyed"
            + (f", {len(skipped)} kept (hold or reopened)" if skipped else ""),
        )
    documents.delete_files(stored)
    _refresh_analytics(muni)
    return record


def _refresh_analytics(muni) -> None:
    """Bring the analytic copy up to date now: the in-memory tables (the log epoch moved, so ``current`` rebuilds)
    and, where one exists, the disk copy, rewritten so no file keeps a destroyed case."""
    from regie.analytics import store

    if (store.store_root() / muni.code).exists():
        store.refresh(muni, rebuild=True, persist=True)
    store.current(muni, max_age=0)


def today() -> dt.date:
    return timezone.localdate()
