"""The appointment projection: a cache of the ``afspraak`` and ``afspraak_uitkomst`` events for fast calendar
queries (a caseworker's day and week). The event log stays the source of truth: every row is rebuilt from it by
:func:`regie.agenda.services.rebuild_appointments` (after an import, and by ``regie agenda rebuild <gemeentecode>``),
just as ``CaseState`` is a cache of ``core.projection.fold``; a test checks that rebuilt and incremental rows agree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

STATUSES = [
    ("gepland", _("gepland")),
    ("gehouden", _("gehouden")),
    ("no_show_gemeld", _("niet verschenen, wel afgemeld")),
    ("no_show", _("niet verschenen, niet afgemeld")),
    ("verzet", _("verzet")),
]

KIND_LABELS = {
    "intake": _("Intake"),
    "voortgangsgesprek": _("Voortgangsgesprek"),
    "driegesprek": _("Driegesprek"),
    "huisbezoek": _("Huisbezoek"),
    "hoorzitting": _("Hoorzitting"),
}


class Appointment(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="appointments")
    event = models.OneToOneField("casework.Event", on_delete=models.CASCADE, related_name="+")
    appointment_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=30)
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    location = models.CharField(max_length=200, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caseworker_username = models.CharField(max_length=150)
    provider = models.CharField(max_length=64, blank=True)
    with_whom = models.CharField(max_length=200, blank=True)
    rescheduled_from = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default="gepland")
    outcome_event = models.ForeignKey(
        "casework.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "appointment_id"], name="appointment_id_per_municipality")
        ]
        indexes = [models.Index(fields=["caseworker", "date"]), models.Index(fields=["case", "date"])]
        ordering = ["date", "start_time", "id"]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def no_show(self) -> bool:
        return self.status in ("no_show", "no_show_gemeld")


class StartPageSeen(models.Model):
    """What the caseworker marked as seen on the start page: provider reports and decisions back from approval
    recorded before these moments leave "Nieuw" (the log is not touched; this is the reader's own bookmark)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reports_seen_at = models.DateTimeField(null=True, blank=True)
    decisions_seen_at = models.DateTimeField(null=True, blank=True)


class CalendarFeedToken(models.Model):
    """A caseworker's secret calendar subscription link (Outlook, Google): the agenda as .ics without a session.

    Only the secret's sha256 digest is stored (and its first characters, to recognise it in the audit log); the
    secret is shown once, when made. One active link per user: a new one revokes the old. It stops when revoked,
    when the user is inactive, or when their role or municipality is no longer the one it was made for
    (``regie.agenda.feeds``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    role_at_issue = models.CharField(max_length=40)
    municipality_at_issue = models.ForeignKey(
        "accounts.Municipality", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]
