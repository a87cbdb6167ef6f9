"""Equal treatment: vignette studies, human coding of deviation motivations, cached discretion reports.

- A :class:`VignetteStudy` groups standard client profiles (:class:`Vignette`) that caseworkers of one or more
  municipalities judge as they would a real client (seed 000:1006); each judgement is a :class:`VignetteAnswer`.
- A :class:`MotivationCoding` is one coder's reading of one deviating decision's motivation by logic (professional,
  bureaucratic, market, other; seed 004:83-91).
- A :class:`ReportRun` caches the equity monitor's result per municipality, as-of date and event-log watermark.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTIONS = [
    ("level", _("Classificatie (niveau in het eigen schema)")),
    ("route", _("Route / traject")),
    ("exemption", _("Ontheffing van de arbeidsplicht ja/nee")),
    ("months", _("Verwachte maanden tot werk")),
    ("motivation", _("Motivering")),
]
QUESTION_KEYS = [k for k, _label in QUESTIONS]

SEXES = [("V", _("vrouw")), ("M", _("man")), ("X", _("anders / onbekend"))]
HOUSEHOLDS = [
    ("alleenstaande", _("alleenstaand")),
    ("alleenstaande_ouder", _("alleenstaande ouder")),
    ("gehuwden", _("samenwonend / gehuwd")),
]
EDUCATION = [
    ("geen", _("geen / basisonderwijs")),
    ("vmbo", "vmbo"),
    ("mbo1", "mbo-1"),
    ("mbo2_4", "mbo-2 t/m 4"),
    ("havo_vwo", "havo/vwo"),
    ("hbo_wo", "hbo/wo"),
]
LANGUAGE = [
    ("goed", _("spreekt goed Nederlands")),
    ("matig", _("spreekt matig Nederlands")),
    ("slecht", _("spreekt (bijna) geen Nederlands")),
]
HEALTH = [("geen", _("geen beperkingen")), ("licht", _("lichte beperkingen")), ("ernstig", _("ernstige beperkingen"))]
LEVELS3 = [("hoog", _("hoog")), ("midden", _("midden")), ("laag", _("laag"))]
# Keys as in regie.core.equity.code_motivation (English); labels Dutch.
LOGICS = [
    ("professional", _("professioneel (maatwerk, autonomie)")),
    ("bureaucratic", _("bureaucratisch (gelijkheid, regels, voorspelbaarheid)")),
    ("market", _("markt (efficiëntie, targets, kosten)")),
    ("other", _("overig / niet te bepalen")),
]
LOGIC_KEYS = [k for k, _label in LOGICS]


class VignetteStudy(models.Model):
    """A set of vignettes, a period, the municipalities whose caseworkers take part and the questions asked."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Owner: the policy officer's municipality",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    participants = models.ManyToManyField("accounts.Municipality", related_name="vignette_studies")
    questions = models.JSONField(default=list, help_text="Subset of QUESTION_KEYS, in order")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def asks(self, key: str) -> bool:
        return key in (self.questions or [])

    def is_open(self, on) -> bool:
        return self.starts_on <= on <= self.ends_on

    def respondent_code(self, user_id: int) -> str:
        """A stable pseudonym per study: keyed hash, so codes cannot be linked across studies or reversed."""
        digest = hmac.new(settings.SECRET_KEY.encode(), f"vignette:{self.pk}:{user_id}".encode(), hashlib.sha256)
        return "R-" + digest.hexdigest()[:6]


class Vignette(models.Model):
    """A standard client profile (domain brief section 2: household, education, health, language, debts,
    motivation "willen" vs "kunnen", seed 000:366)."""

    study = models.ForeignKey(VignetteStudy, on_delete=models.CASCADE, related_name="vignettes")
    position = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=120)
    age = models.PositiveIntegerField()
    sex = models.CharField(max_length=1, choices=SEXES)
    household = models.CharField(max_length=30, choices=HOUSEHOLDS)
    n_children = models.PositiveIntegerField(default=0)
    youngest_child_age = models.PositiveIntegerField(null=True, blank=True)
    education = models.CharField(max_length=20, choices=EDUCATION)
    origin = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=10, choices=LANGUAGE)
    health = models.CharField(max_length=10, choices=HEALTH)
    debts = models.BooleanField(default=False)
    motivation_willen = models.CharField(max_length=10, choices=LEVELS3)
    motivation_kunnen = models.CharField(max_length=10, choices=LEVELS3)
    work_history = models.TextField(blank=True)
    sketch = models.TextField()

    class Meta:
        ordering = ["study", "position", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"V{self.position}"


class VignetteAnswer(models.Model):
    """One caseworker's judgement of one vignette. The respondent's municipality is stored as it was then."""

    study = models.ForeignKey(VignetteStudy, on_delete=models.CASCADE, related_name="answers")
    vignette = models.ForeignKey(Vignette, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    respondent_role = models.CharField(max_length=40)
    scheme = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=100, blank=True)
    level_rank = models.IntegerField(null=True, blank=True)
    route = models.CharField(max_length=100, blank=True)
    exemption = models.BooleanField(null=True, blank=True)
    months_to_work = models.PositiveIntegerField(null=True, blank=True)
    motivation = models.TextField(blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vignette", "respondent"], name="one_answer_per_vignette")]
        ordering = ["study", "vignette", "id"]


class MotivationCoding(models.Model):
    """One coder's label for the motivation of one deviating decision (event). Coders are blind to each other."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("casework.Event", on_delete=models.PROTECT, related_name="+")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=20, choices=LOGICS)
    suggestion = models.CharField(max_length=20, blank=True, help_text="The lexicon's first pass when coded")
    coded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "coder"], name="one_coding_per_coder")]


class ReportRun(models.Model):
    """The discretion report of one municipality as of a date, for one state of its event log (watermark)."""

    STATES = [("running", "running"), ("done", "done"), ("error", "error")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    watermark = models.CharField(max_length=64, help_text="Event count and max id when computed")
    state = models.CharField(max_length=10, choices=STATES, default="running")
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    step = models.CharField(max_length=100, blank=True, help_text="Progress: the step being computed, 'k/n name'")
    seconds = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True, help_text="When it was requested (queued)")
    heartbeat = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the job computing it; empty while queued"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "as_of", "watermark"], name="one_run_per_state")]
