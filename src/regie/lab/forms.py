"""The policy officer's choice: a baseline, a policy change and a small ensemble."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.lab.market import SCENARIOS as MARKETS
from regie.core.lab.model import GROUNDS

from .runner import baselines, scenario_arms

GROUND_LABELS = {
    "kind_onder_5": _("Alleenstaande ouder met kind onder 5 (art. 9a)"),
    "geen_kinderopvang": _("Geen passende kinderopvang"),
    "medisch": _("Medische beperking"),
    "mantelzorg": _("Mantelzorg"),
}
MARKET_LABELS = {
    "stable": _("Stabiel (8% werkloosheid)"),
    "sittard-geleen-2006": _("Schok Sittard-Geleen 2006"),
    "recession": _("Recessie"),
    "boom": _("Krappe arbeidsmarkt"),
}
CHANGE_FIELDS = (
    "steering",
    "work_first",
    "caseload_norm",
    "capacity_factor",
    "w_deel_per_client",
    "sanction_factor",
    "warn_instead",
    "exemptions_off",
    "freedom",
    "creaming",
    "market",
    # benefit (h/benefit2): norm and vrijlating, costed through the simulated ledgers
    "norm_pct",
    "vrijlating_percentage",
    "vrijlating_max",
    # lab demand side (core/lab/demand.py)
    "accountmanagers",
    "subsidy_pct",
)
MAX_CLIENT_RUNS = 100_000  # clients × runs per arm: keeps a run to about a minute on a shared server


class LabRunForm(forms.Form):
    baseline = forms.ChoiceField(label=_("Uitgangssituatie"))
    use_arms = forms.BooleanField(
        label=_("De varianten van het scenario vergelijken (in plaats van een eigen wijziging)"), required=False
    )
    # --- the policy change (empty = as in the baseline)
    steering = forms.ChoiceField(
        label=_("Sturing"),
        required=False,
        choices=[
            ("", _("ongewijzigd")),
            ("rules", _("Sturing op regels (rechtmatigheid)")),
            ("performance", _("Sturing op prestaties")),
        ],
    )
    work_first = forms.ChoiceField(
        label=_("Work First"), required=False, choices=[("", _("ongewijzigd")), ("aan", _("aan")), ("uit", _("uit"))]
    )
    caseload_norm = forms.IntegerField(
        label=_("Caseloadnorm (cliënten per klantmanager)"), required=False, min_value=20, max_value=300
    )
    capacity_factor = forms.FloatField(
        label=_("Trajectcapaciteit aanbieders (× huidige)"), required=False, min_value=0, max_value=5
    )
    w_deel_per_client = forms.FloatField(
        label=_("W-deel per cliënt per jaar (€)"), required=False, min_value=0, max_value=10_000
    )
    sanction_factor = forms.FloatField(
        label=_("Hoogte maatregelen (× beleid)"), required=False, min_value=0, max_value=3
    )
    warn_instead = forms.FloatField(
        label=_("Kans op waarschuwing i.p.v. maatregel (0-1)"), required=False, min_value=0, max_value=1
    )
    exemptions_off = forms.MultipleChoiceField(
        label=_("Ontheffingsgronden die vervallen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(g, GROUND_LABELS[g]) for g in GROUNDS],
    )
    freedom = forms.FloatField(label=_("Beleidsvrijheid klantmanagers (0-1)"), required=False, min_value=0, max_value=1)
    creaming = forms.FloatField(label=_("Afroming (selectiviteit, 0-2)"), required=False, min_value=0, max_value=2)
    market = forms.ChoiceField(
        label=_("Arbeidsmarkt"),
        required=False,
        choices=[("", _("ongewijzigd"))] + [(k, MARKET_LABELS.get(k, k)) for k in MARKETS],
    )
    # --- benefit (h/benefit2): the cost of a change to the norm or the inkomstenvrijlating (regie.core.lab.ledger)
    norm_pct = forms.IntegerField(
        label=_("Bijstandsnorm (% van de landelijke norm)"), required=False, min_value=50, max_value=150
    )
    vrijlating_percentage = forms.IntegerField(
        label=_("Inkomstenvrijlating (% van de inkomsten uit werk)"), required=False, min_value=0, max_value=100
    )
    vrijlating_max = forms.DecimalField(
        label=_("Inkomstenvrijlating: maximum per maand (€)"),
        required=False,
        min_value=0,
        max_value=2000,
        decimal_places=2,
    )
    # --- the demand side (regie.core.lab.demand): vacancies recruited by accountmanagers, the wage subsidy
    accountmanagers = forms.IntegerField(
        label=_("Accountmanagers werkgeversdienstverlening"), required=False, min_value=0, max_value=200
    )
    subsidy_pct = forms.IntegerField(
        label=_("Loonkostensubsidie (% van de loonkosten, ten hoogste 70)"), required=False, min_value=0, max_value=70
    )
    # --- the ensemble
    clients = forms.IntegerField(label=_("Cliënten bij de start"), initial=2000, min_value=200, max_value=20_000)
    caseworkers = forms.IntegerField(label=_("Klantmanagers"), initial=15, min_value=2, max_value=200)
    months = forms.IntegerField(label=_("Maanden"), initial=48, min_value=12, max_value=120)
    runs = forms.IntegerField(label=_("Runs per variant"), initial=5, min_value=2, max_value=20)
    seed = forms.IntegerField(label=_("Startgetal (seed)"), initial=1, min_value=0, max_value=1_000_000)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = baselines(municipality)
        self.fields["baseline"].choices = [(b["key"], b["label"]) for b in self.options]
        if self.options and not self.is_bound:
            self.initial.setdefault("baseline", self.options[0]["key"])

    def clean(self):
        data = super().clean()
        clients, cws = data.get("clients"), data.get("caseworkers")
        if clients and cws and clients / cws > 400:
            self.add_error("caseworkers", _("Te weinig klantmanagers: meer dan 400 cliënten per klantmanager."))
        if clients and data.get("runs") and clients * data["runs"] > MAX_CLIENT_RUNS:
            self.add_error(
                "runs",
                _(
                    "Te groot voor de webpagina: cliënten × runs mag hoogstens 100.000 zijn; "
                    "gebruik 'regie lab run' voor grotere ensembles."
                ),
            )
        if data.get("subsidy_pct") is not None and not data.get("accountmanagers"):
            b = next((o for o in self.options if o["key"] == data.get("baseline")), None)
            base_am = ((b or {}).get("overrides") or {}).get("demand", {}).get("accountmanagers")
            if not base_am:
                self.add_error(
                    "subsidy_pct",
                    _(
                        "De loonkostensubsidie werkt alleen via vacatures: vul ook het aantal accountmanagers in "
                        "(de uitgangssituatie heeft er geen)."
                    ),
                )
        changed = any(data.get(f) not in (None, "", []) for f in CHANGE_FIELDS)
        if data.get("use_arms"):
            if len(scenario_arms(data.get("baseline") or "")) < 2:
                self.add_error("use_arms", _("Alleen voor een verscheept scenario met varianten."))
            elif changed:
                self.add_error("use_arms", _("Kies de varianten van het scenario of een eigen wijziging, niet beide."))
        elif not changed and not self.has_error("baseline"):
            self.add_error("steering", _("Kies ten minste één beleidswijziging (dit veld of een van de andere)."))
        return data

    def change(self) -> dict:
        """The change fields as JSON-safe values (stored on the run)."""
        out = {f: self.cleaned_data.get(f) for f in CHANGE_FIELDS if self.cleaned_data.get(f) not in (None, "", [])}
        if "vrijlating_max" in out:  # JSON: the Decimal as text
            out["vrijlating_max"] = str(out["vrijlating_max"])
        return out

    def change_fields(self):
        return [self[f] for f in CHANGE_FIELDS]

    def ensemble_fields(self):
        return [self[f] for f in ("clients", "caseworkers", "months", "runs", "seed")]
