"""Clients, cases, the append-only case event log, and the CaseState projection.

The event log (``Event``) is the single source of truth. ``CaseState`` is a cache of
:func:`regie.core.projection.fold` over a case's events, written by :mod:`regie.casework.services` when an event
is appended and rebuildable from the log at any time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from regie.audit.models import AppendOnlyError
from regie.core.bsn import mask_bsn
from regie.core.events import NAME_MAX


class Client(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="clients")
    external_id = models.CharField(max_length=64)
    bsn = models.CharField(max_length=9)
    given_name = models.CharField(max_length=NAME_MAX)
    family_name = models.CharField(max_length=NAME_MAX)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1)
    education = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=8, blank=True)
    origin = models.CharField(max_length=20, blank=True)
    household = models.JSONField(default=dict)
    housing = models.CharField(max_length=20, blank=True)
    contact = models.JSONField(default=dict)
    # Search keys (regie.casework.search): a cache of the names and the record's postcode, folded (accents off,
    # lower case) so that SQLite and PostgreSQL compare the same text. Written by save() and the importer.
    name_key = models.CharField(max_length=NAME_MAX, blank=True, default="")
    family_key = models.CharField(max_length=NAME_MAX, blank=True, default="")
    given_key = models.CharField(max_length=NAME_MAX, blank=True, default="")
    postcode_key = models.CharField(max_length=6, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "bsn"], name="client_bsn_per_municipality"),
            models.UniqueConstraint(fields=["municipality", "external_id"], name="client_extid_per_municipality"),
        ]
        indexes = [
            models.Index(fields=["municipality", "family_name"]),
            # prefix search on names, case-insensitive (selectors.worklist uses a range on these expressions)
            models.Index(Lower("family_name"), name="client_family_lower_idx"),
            models.Index(Lower("given_name"), name="client_given_lower_idx"),
            # search and Dutch sort order (regie.casework.search)
            models.Index(fields=["municipality", "name_key", "given_key"], name="client_name_key_idx"),
            models.Index(fields=["municipality", "family_key"], name="client_family_key_idx"),
            models.Index(fields=["municipality", "given_key"], name="client_given_key_idx"),
            models.Index(fields=["municipality", "postcode_key"], name="client_postcode_key_idx"),
        ]

    def __str__(self) -> str:  # never the BSN
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        """Keep the name search keys in line with the names (also on ``save(update_fields=[...])``)."""
        from .search import name_keys, postcode_key

        for key, value in name_keys(self.given_name, self.family_name).items():
            setattr(self, key, value)
        if self.pk is None and not self.postcode_key:
            self.postcode_key = postcode_key((self.contact or {}).get("postcode"))
        update = kwargs.get("update_fields")
        if update is not None:
            update = set(update)
            if update & {"given_name", "family_name"}:
                update |= {"name_key", "family_key", "given_key"}
            if "contact" in update:  # a rectified postcode, unless an address event says otherwise
                from .search import client_postcode

                self.postcode_key = client_postcode(self)
                update.add("postcode_key")
            kwargs["update_fields"] = sorted(update)
        super().save(*args, **kwargs)

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)


class Case(models.Model):
    """A dossier: one client, one municipality, one period on (or applying for) benefit."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="cases")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    external_id = models.CharField(max_length=64)
    opened_on = models.DateField()
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "external_id"], name="case_extid_per_municipality")
        ]

    def __str__(self) -> str:
        return f"Dossier {self.external_id}"


class Event(models.Model):
    """One fact or decision. Append-only: no update, no delete (model guards plus database triggers)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    external_id = models.CharField(max_length=64)
    # One of regie.core.events.EVENT_TYPES, checked where events are written (the decision gate); no choices here,
    # so that a new event type needs no migration.
    type = models.CharField(max_length=40)
    effective_date = models.DateField()
    recorded_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    decision = models.JSONField(null=True, blank=True)
    # Denormalised from ``decision`` for indexed discretion queries; set once at insert.
    deviates = models.BooleanField(default=False)
    policy_version = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "external_id"], name="event_extid_per_municipality")
        ]
        indexes = [
            models.Index(fields=["case", "effective_date", "id"]),
            models.Index(fields=["municipality", "type", "effective_date"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("events are append-only; record a new event instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("events are append-only; they cannot be deleted")


class CaseState(models.Model):
    """Projection: the current state of a case (a cache of ``fold(events)``)."""

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="state")
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, db_index=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="caseload"
    )
    level = models.CharField(max_length=40, blank=True)
    route = models.CharField(max_length=60, blank=True)
    benefit_start = models.DateField(null=True)
    benefit_end = models.DateField(null=True)
    last_event_on = models.DateField(null=True)
    exempt = models.BooleanField(default=False)
    open_trajectories = models.PositiveIntegerField(default=0)
    # Optimistic concurrency: the number of events folded in. A writer states the version it saw.
    version = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["municipality", "status"]),
            # pages4: the worklist's caseload and team views filter on caseworker, status and municipality and read
            # the case id: all four in the index, so the count and the page's ids need no table row
            models.Index(fields=["caseworker", "status", "municipality", "case"], name="casestate_caseload_idx"),
        ]


class PendingDecision(models.Model):
    """A deviating decision in a rules-steered municipality, waiting for a teammanager (four eyes).

    It is not an event yet: the case is unchanged until approval appends the event (with the approval recorded in
    its decision block). A rejection is kept here with the reviewer's note.
    """

    STATUSES = [("pending", "pending"), ("approved", "approved"), ("rejected", "rejected")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pending_decisions")
    event_type = models.CharField(max_length=40)
    effective_date = models.DateField()
    payload = models.JSONField(default=dict)
    decision = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending", db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_at"]


class PolicySignal(models.Model):
    """ "Signaal naar beleid": a caseworker flags a bottleneck or a policy that does not fit (seed 002:2786-2835)."""

    STATUSES = [("open", "open"), ("in_behandeling", "in behandeling"), ("afgehandeld", "afgehandeld")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="policy_signals")
    topic = models.CharField(max_length=200)
    text = models.TextField()
    rule_id = models.CharField(max_length=100, blank=True, help_text="Policy rule the signal is about, if any")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=STATUSES, default="open")
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]


class SignalAcknowledgement(models.Model):
    """A caseworker saw a signal on a case and noted what they do about it; it leaves the worklist until it recurs
    with a new due date."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="signal_acknowledgements")
    code = models.CharField(max_length=40)
    due = models.DateField(help_text="The due date of the signal acknowledged; a later recurrence is a new signal")
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "monitoring_signalacknowledgement"  # created by the monitoring app before the model moved here
        constraints = [models.UniqueConstraint(fields=["case", "code", "due"], name="one_ack_per_signal")]
