"""Bank accounts of clients and the monthly payment runs (the benefit amounts themselves are derived from the
event log by regie.core.benefit; a released run writes one ``betaling`` event per payment)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

RUN_STATES = (
    ("queued", _("in de wachtrij")),
    ("running", _("wordt berekend")),
    ("preview", _("voorbeeld: wacht op vrijgave")),
    ("released", _("vrijgegeven")),
    ("failed", _("mislukt")),
    ("cancelled", _("ingetrokken")),
)


class BankAccount(models.Model):
    """The account a client's benefit is paid to; the latest recorded counts (IBAN checked with schwifty)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("casework.Client", on_delete=models.PROTECT, related_name="bank_accounts")
    iban = models.CharField(max_length=34)
    holder = models.CharField(max_length=70)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-recorded_at"])]

    @property
    def masked(self) -> str:
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}"


class PaymentRun(models.Model):
    """One month's payment run of a municipality: computed as a job (preview), released by a second person (four
    eyes), then the SEPA file and the betaling events exist."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(max_length=7)  # YYYY-MM
    execution_date = models.DateField()
    status = models.CharField(max_length=12, choices=RUN_STATES, default="queued")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    total_cents = models.BigIntegerField(default=0)
    count = models.IntegerField(default=0)
    skipped = models.JSONField(default=list)  # [{"case": external id, "reason": Dutch text}]
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=35, blank=True)
    sepa_xml = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month"],
                condition=models.Q(status="released"),
                name="benefit_one_released_run_per_month",
            )
        ]


class PaymentLine(models.Model):
    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField()
    iban = models.CharField(max_length=34)
    holder = models.CharField(max_length=70)
    reason = models.CharField(max_length=200, blank=True)
    calculation = models.JSONField(default=dict)  # the month's Entitlement.as_json()

    class Meta:
        ordering = ["id"]

    @property
    def masked_iban(self) -> str:
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}"
