"""Retention classes of Regie's dossiers, mapped onto the Selectielijst gemeenten en intergemeentelijke organen.

Source: Selectielijst gemeenten en intergemeentelijke organen 2020, vastgesteld 18 februari 2020, Staatscourant
nr. 11143 van 26 februari 2020 (VNG Adviescommissie Archieven; it replaces the Selectielijst 2017 of 23 juni 2017,
Staatscourant nr. 38013), and its Handreiking, versie 2.0_1, april 2020. The list is process-oriented: a case is
valued as a whole, documents included, by the result of its process; the retention period runs from the end of the
process (procestermijn "nihil") or of the process object (procestermijn "bestaansduur procesobject", here: the
benefit), which for Regie is the end of the case (``regie.core.retention.case_end``).

What could be confirmed from the sources consulted (handreiking 2017 and 2020; GEMMA online, "Handreiking
Selectielijst, hoofdstuk 3", consulted 2026-12-01; VHIC, "FAQ Selectielijst - 12.1.1", consulted 2026-12-01):
the 29 process types, the process-oriented valuation of a case with all its documents, and (VHIC FAQ) that a
benefit's investigations, recoveries and one-off sanctions belong to the benefit's dossier and are destroyed ten
years on. The exact category numbers and periods of the list's tables for granting and refusing bijstand and for
re-integration could NOT be confirmed from the text available here: every class below marks its category number and
period as an assumption, to be checked by the municipality's archivist against the Selectielijst 2020 (its
"Bijlage" tables) before the first destruction list is approved. ``assumption=True`` is shown on every screen.

A municipality that wants other periods changes this table (a code change, reviewed like any other), never a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regie.core import retention as core

SELECTIELIJST = (
    "Selectielijst gemeenten en intergemeentelijke organen 2020 (Stcrt. 2020, 11143, vastgesteld 18-02-2020)"
)


@dataclass(frozen=True)
class RetentionClass:
    id: str
    label: str | Promise  # shown in the reader's language
    description: str | Promise  # which cases
    category: str  # the Selectielijst process type and result this class is mapped onto
    period_years: int  # years after the end of the case
    source: str
    assumption: bool  # True: category number and/or period not confirmed against the list's text
    note: str | Promise = ""


CLASSES: dict[str, RetentionClass] = {
    c.id: c
    for c in (
        RetentionClass(
            core.BENEFIT_GRANTED,
            _("Bijstand verstrekt"),
            _(
                "Dossiers waarin bijstand is toegekend (met wat erbij hoort: re-integratie, ontheffingen, "
                "maatregelen, heronderzoeken, uitstroom en nazorg)."
            ),
            # assumption: category number not confirmed
            "Procestype 'Verstrekken van een uitkering' (Participatiewet), resultaat 'uitkering verstrekt'",
            10,
            f"{SELECTIELIJST}; VHIC FAQ Selectielijst 12.1.1",  # ten years for a benefit's investigations, sanctions
            True,
            _(
                "Aanname: 10 jaar na het einde van de uitkering en de nazorg. Een invordering die langer loopt, "
                "krijgt een bewaarblokkade tot ze is afgerond."
            ),
        ),
        RetentionClass(
            core.BENEFIT_REFUSED,
            _("Bijstand afgewezen"),
            _("Dossiers met een aanvraag die niet tot toekenning leidde (afgewezen of niet voortgezet)."),
            "Procestype 'Verstrekken van een uitkering', resultaat 'geweigerd'",  # assumption: category number
            5,
            SELECTIELIJST,
            True,
            _(
                "Aanname: 5 jaar na de afwijzing; dat dekt bezwaar, beroep en hoger beroep (Awb 6:7, 6:8) en een "
                "nieuwe aanvraag die ernaar verwijst."
            ),
        ),
        RetentionClass(
            core.REINTEGRATION_ONLY,
            _("Alleen re-integratie"),
            _(
                "Dossiers met re-integratie (intake, plan van aanpak, trajecten) zonder besluit over bijstand, "
                "zoals niet-uitkeringsgerechtigden."
            ),
            # assumption: category number not confirmed
            "Procestype 'Leveren van een dienst / begeleiden' (re-integratie, Pw art. 7), resultaat 'geleverd'",
            5,
            SELECTIELIJST,
            True,
            _("Aanname: 5 jaar na het einde van het laatste traject of contact."),
        ),
        RetentionClass(
            core.REPORT_ONLY,
            _("Alleen melding"),
            _("Dossiers met alleen een melding, zonder aanvraag of re-integratie."),
            # handreiking 2020, section 3.4.2: negative results and 'afgebroken'; assumption: category number
            "Procestype 'Verstrekken van een uitkering', resultaat 'afgebroken' (handreiking 2020, paragraaf 3.4.2)",
            1,
            SELECTIELIJST,
            True,
            _("Aanname: 1 jaar na de laatste gebeurtenis."),
        ),
    )
}

# An objection (bezwaar) or appeal against a decision in a case is part of that case (process-oriented: it takes
# the case's retention, procestermijn "samengevoegd met bewaartermijn"); while it runs the case has a hold.
OBJECTION_NOTE = _(
    "Bezwaar en beroep horen bij het dossier van het besluit en krijgen de bewaartermijn van dat "
    "dossier; zolang ze lopen staat het dossier op 'niet vernietigen' (bewaarblokkade)."
)

PERIODS: dict[str, int] = {c.id: c.period_years for c in CLASSES.values()}
