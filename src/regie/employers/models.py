"""The employer side: regions (werkgeversservicepunten), employers, their locations, contacts, the accountmanagers'
contact history, covenants, vacancies and demand without a vacancy, the match lists shown, and the sociale kaart.

Employers and vacancies belong to a **region** shared by its municipalities (a werkgeversservicepunt works across
municipalities, seed 001:1390-1537); clients stay in their own municipality: a match list holds only the cases of
one municipality, shown to that municipality's staff. What happens to a client (consent, proposal, placement,
aftercare, referral) is an event on the case (regie.core.events, ``# --- employers ---``); these tables hold no
client facts except which cases a shown list contained (for the creaming check, seed 000:540-560).
Written only by :mod:`regie.employers.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Sections of the Standaard Bedrijfsindeling (SBI 2008, CBS; the Dutch version of NACE rev. 2).
SECTORS = [
    ("A", _("Landbouw, bosbouw en visserij")),
    ("B", _("Delfstoffenwinning")),
    ("C", _("Industrie")),
    ("D", _("Energievoorziening")),
    ("E", _("Waterbedrijven en afvalbeheer")),
    ("F", _("Bouwnijverheid")),
    ("G", _("Handel")),
    ("H", _("Vervoer en opslag")),
    ("I", _("Logies-, maaltijd- en drankverstrekking")),
    ("J", _("Informatie en communicatie")),
    ("K", _("Financiële dienstverlening")),
    ("L", _("Verhuur en handel van onroerend goed")),
    ("M", _("Specialistische zakelijke diensten")),
    ("N", _("Verhuur en overige zakelijke diensten")),
    ("O", _("Openbaar bestuur en overheidsdiensten")),
    ("P", _("Onderwijs")),
    ("Q", _("Gezondheids- en welzijnszorg")),
    ("R", _("Cultuur, sport en recreatie")),
    ("S", _("Overige dienstverlening")),
    ("T", _("Huishoudens als werkgever")),
    ("U", _("Extraterritoriale organisaties")),
]
# Major groups of ISCO-08 (ILO, International Standard Classification of Occupations); a vacancy's occupation code
# is a 4-digit ISCO-08 unit group whose first digit is one of these.
ISCO_MAJOR = {
    "0": _("Militaire beroepen"),
    "1": _("Leidinggevenden"),
    "2": _("Specialisten"),
    "3": _("Technici en vakspecialisten"),
    "4": _("Administratief personeel"),
    "5": _("Dienstverlenend en verkooppersoneel"),
    "6": _("Landbouw, bosbouw en visserij"),
    "7": _("Ambachtslieden"),
    "8": _("Bedieners van machines"),
    "9": _("Elementaire beroepen"),
}
CONTACT_KINDS = [
    ("bezoek", _("Bedrijfsbezoek")),
    ("telefoon", _("Telefoon")),
    ("email", _("E-mail")),
    ("overleg", _("Overleg")),
]
AGREEMENT_KINDS = [
    ("convenant", _("Convenant (sector of werkgever)")),
    ("sroi", _("Social return (SROI) bij een aanbesteding")),
    ("afspraak", _("Afspraak met de werkgever")),
]
VACANCY_KINDS = [("vacature", _("Vacature")), ("vraag", _("Vraag zonder vacature (jobcarving)"))]
VACANCY_STATUSES = [("open", _("Open")), ("vervuld", _("Vervuld")), ("ingetrokken", _("Ingetrokken"))]
SERVICE_KINDS = [
    ("schulden", _("Schuldhulpverlening")),
    ("taal", _("Taalcursus")),
    ("kinderopvang", _("Kinderopvang")),
    ("zorg", _("Zorg en ondersteuning")),
    ("vrijwilligerswerk", _("Vrijwilligerswerk")),
    ("overig", _("Overig")),
]


class Region(models.Model):
    """A werkgeversservicepunt (regional employer service point): the municipalities that share employers and
    vacancies."""

    name = models.CharField(max_length=200, unique=True)
    municipalities = models.ManyToManyField("accounts.Municipality", related_name="employer_regions")

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employers")
    kvk_number = models.CharField(max_length=8, help_text="KvK-nummer (8 cijfers, Handelsregisterwet 2007)")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=1, choices=SECTORS)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # the account the loonkostensubsidie is paid to (checked with schwifty; services.set_employer_account)
    iban = models.CharField(max_length=34, blank=True)
    iban_holder = models.CharField(max_length=70, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "kvk_number"], name="employer_kvk_per_region")]

    def __str__(self) -> str:
        return self.name


class EmployerLocation(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    street = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=7)
    city = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class EmployerContact(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    function = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)


class ContactMoment(models.Model):
    """One contact of an accountmanager with the employer (the contact history)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_moments")
    accountmanager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    kind = models.CharField(max_length=20, choices=CONTACT_KINDS)
    summary = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]


class Agreement(models.Model):
    """A covenant or agreement: a number of stages and jobs per year, or a social return obligation; fulfilment is
    counted from the placement events at the employer in the period (selectors.agreement_fulfilment)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=20, choices=AGREEMENT_KINDS)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_stages = models.PositiveIntegerField(default=0)
    target_jobs = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True, help_text="Where the agreement is laid down")

    class Meta:
        ordering = ["-starts_on"]


class Vacancy(models.Model):
    """A vacancy, or demand without a vacancy (job carving: ``tasks`` an employer could split off, seed
    003:336-366)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    location = models.ForeignKey(EmployerLocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=VACANCY_KINDS, default="vacature")
    title = models.CharField(max_length=200)
    occupation_code = models.CharField(max_length=4, blank=True, help_text="ISCO-08 unit group (4 digits)")
    # employers2: the same ISCO-08 unit group is a hard criterion (otherwise the occupation is a wish)
    occupation_required = models.BooleanField(default=False)
    tasks = models.TextField(blank=True, max_length=4000, help_text="Job carving: the tasks to split off")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    postcode = models.CharField(max_length=7)
    requirements = models.JSONField(default=list, blank=True, help_text="[{kind, value, hard}] (core.matching)")
    conditions = models.JSONField(default=list, blank=True, help_text="core.matching.CONDITIONS codes")
    max_distance_km = models.PositiveIntegerField(null=True, blank=True)
    wage_per_hour = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    contract_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=VACANCY_STATUSES, default="open")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"


class MatchList(models.Model):
    """A ranked list shown to a user: candidates of one municipality for a vacancy (``vacancy``) or vacancies for one
    case (``case``). Recorded so the equity monitor can see who is shown and who is proposed (seed 000:540-560)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="match_lists")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shown_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shown_at = models.DateTimeField(auto_now_add=True)
    considered = models.PositiveIntegerField(help_text="Rows the ranking considered")
    eligible = models.PositiveIntegerField(help_text="Rows failing no hard criterion")


class MatchListEntry(models.Model):
    match_list = models.ForeignKey(MatchList, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveIntegerField()
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hard_failed = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["match_list", "rank"]


class SocialService(models.Model):
    """A service of the sociale kaart (debt help, language course, childcare, care, volunteering) that caseworkers
    refer to besides re-integration (seed 002:1789, 002:2786)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SERVICE_KINDS)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=300, blank=True, help_text="Phone, e-mail or address")
    conditions = models.TextField(blank=True, max_length=2000)
    waiting_weeks = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Stated waiting time")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class SubsidyLine(models.Model):
    """One month of a placement's loonkostensubsidie (Pw art. 10d) in a payment run (regie.benefit.PaymentRun): the
    employer section of the run, computed with the run's preview from the one derivation
    (:func:`regie.employers.selectors.subsidy_rows`), paid in the run's SEPA file on release (a ``subsidiebetaling``
    event per line). ``skipped`` holds the Dutch reason a line is not paid (no account, no policy, paid already)."""

    run = models.ForeignKey("benefit.PaymentRun", on_delete=models.CASCADE, related_name="subsidy_lines")
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="subsidy_lines")
    placement_id = models.CharField(max_length=64)
    month = models.CharField(max_length=7)  # YYYY-MM
    days = models.PositiveSmallIntegerField(default=0)
    days_in_month = models.PositiveSmallIntegerField(default=0)
    amount_cents = models.BigIntegerField(default=0)
    iban = models.CharField(max_length=34, blank=True)
    holder = models.CharField(max_length=70, blank=True)
    skipped = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["employer__name", "placement_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["run", "placement_id", "month"], name="subsidy_line_once_per_run")
        ]

    @property
    def masked_iban(self) -> str:
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}" if self.iban else ""
