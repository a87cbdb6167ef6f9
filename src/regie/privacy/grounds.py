"""The register of processing per data category (AVG art. 30 lid 1): what Regie processes, why, on which legal
ground, how long it is kept and who may see it.

Each category names where Regie stores it (``stored_in``: ``model:<app>.<Model>.<field>`` or
``event:<type>.<field>``; a test checks that every one exists) and the sources of its legal ground. Citations are
to the law as in force on 2026-12-01 (wetten.overheid.nl). A citation marked ``(aanname)`` or ``(te controleren)`` is
the project's reading and must be confirmed by the municipality's FG or legal department before go-live; the
register is a starting point for the municipality's own verwerkingsregister, not a replacement for it.

The register is code, not data in the database: it changes with the software (a new field is a new entry, reviewed
with the change), and the page and ``regie privacy grounds`` show this one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The general ground of all of Regie's processing: the college carries out the Participatiewet, a legal obligation
# and a task in the public interest laid on it by law.
AVG_6_C = (
    "AVG art. 6 lid 1 sub c (wettelijke verplichting), met AVG art. 6 lid 3 (grondslag in het Unierecht of "
    "lidstatelijk recht)"
)
AVG_6_E = "AVG art. 6 lid 1 sub e (taak van algemeen belang / openbaar gezag)"
PW_7 = "Participatiewet art. 7 (opdracht aan het college: bijstand verlenen en ondersteuning bij arbeidsinschakeling)"
PW_17 = "Participatiewet art. 17 lid 1 (inlichtingenplicht van de belanghebbende)"
PW_53A = "Participatiewet art. 53a (onderzoek naar de juistheid en volledigheid van de verstrekte gegevens)"
PW_64 = "Participatiewet art. 64 (verstrekking van gegevens door derden aan het college) (te controleren: lid)"
SUWI = (
    "Wet SUWI art. 62 en 63 (gegevensuitwisseling in de keten werk en inkomen, Suwinet) en Besluit SUWI "
    "hoofdstuk 5 (te controleren: artikelnummers)"
)
WABB = (
    "Wet algemene bepalingen burgerservicenummer art. 10 (gebruik van het BSN door een overheidsorgaan bij de "
    "uitvoering van zijn taak) en UAVG art. 46 (een bij wet voorgeschreven identificatienummer alleen ter "
    "uitvoering van die wet)"
)
UAVG_30 = (
    "UAVG art. 30 lid 1 sub a (bestuursorganen: goede uitvoering van wettelijke voorschriften die voorzien in "
    "aanspraken die afhankelijk zijn van de gezondheidstoestand) en sub b (re-integratie of begeleiding van "
    "uitkeringsgerechtigden in verband met ziekte of arbeidsongeschiktheid), uitzondering op het verbod van "
    "AVG art. 9 lid 1 (via art. 9 lid 2 sub b en g)"
)
BIO_LOG = (
    "BIO (Baseline Informatiebeveiliging Overheid) 8.15 Logging (ISO/IEC 27002:2022 8.15), AVG art. 5 lid 2 en art. 32"
)
AVG_89 = "AVG art. 89 lid 1 (waarborgen: pseudonimisering) en UAVG art. 24 (statistiek)"
ARCHIEF = "Archiefwet 1995 art. 3 en 5, Selectielijst gemeenten en intergemeentelijke organen 2020"


@dataclass(frozen=True)
class DataCategory:
    code: str
    name: str  # Dutch: shown on the page and in the Markdown
    data: str  # what it is, in Regie's terms
    purpose: str  # processing purpose (doelbinding, AVG art. 5 lid 1 sub b)
    ground: str  # AVG art. 6 ground
    sources: tuple[str, ...]  # the national law the ground rests on
    stored_in: tuple[str, ...]  # where Regie keeps it (checked by a test)
    retention: str  # retention reference (the retention work fixes the periods per case)
    visible_to: tuple[str, ...]  # capabilities (accounts.tenancy.CAPABILITIES) that see it
    special: str = ""  # AVG art. 9 exception, UAVG article, or the BSN rule
    notes: tuple[str, ...] = field(default_factory=tuple)


CATEGORIES: tuple[DataCategory, ...] = (
    DataCategory(
        code="identiteit_bsn",
        name="Identiteit en burgerservicenummer",
        data="Naam, geboortedatum, geslacht, BSN van de cliënt",
        purpose="Vaststellen wie bijstand aanvraagt en ontvangt; eenduidige identificatie in de keten (Suwinet, BRP)",
        ground=AVG_6_C,
        sources=(
            PW_7,
            PW_17,
            WABB,
            "Wet basisregistratie personen art. 1.7 (afnemers gebruiken de BRP-gegevens) "
            "en art. 2.34 (terugmelding bij gerede twijfel) (te controleren: lid)",
        ),
        special="BSN: UAVG art. 46 en AVG art. 87; alleen ter uitvoering van de Participatiewet en de ketenwetten",
        stored_in=(
            "model:casework.Client.bsn",
            "model:casework.Client.given_name",
            "model:casework.Client.family_name",
            "model:casework.Client.birth_date",
            "model:casework.Client.sex",
        ),
        retention=ARCHIEF + " — bewaartermijn volgt het dossier (aanname: categorie 'bijstandsverlening', "
        "vastgesteld door de archiefregels van Regie)",
        visible_to=("view_clients", "reveal_bsn (volledig BSN, gelogd)", "handle_privacy_requests"),
        notes=(
            "Het BSN staat standaard gemaskeerd op het scherm; tonen is een aparte, gelogde handeling.",
            "Correctie van BRP-gegevens loopt via een terugmelding aan de BRP, niet alleen in Regie.",
        ),
    ),
    DataCategory(
        code="huishouden",
        name="Huishouden en woonsituatie",
        data="Partner (naam, geboortedatum, BSN), kinderen (geboortedatum, voornaam), medebewoners, woonvorm",
        purpose="Vaststellen van de norm (gehuwden, alleenstaande (ouder), kostendelersnorm) en van ontheffingsgronden",
        ground=AVG_6_C,
        sources=(
            "Participatiewet art. 3 (gezamenlijke huishouding), art. 4 (begrippen), art. 21 en 22a "
            "(normen, kostendelersnorm), art. 9a (alleenstaande ouder met kind onder 5 jaar)",
            PW_17,
            PW_53A,
        ),
        stored_in=(
            "model:casework.Client.household",
            "model:casework.Client.housing",
            "event:toekenning.cost_sharers",
            "event:toekenning.norm_type",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=("view_clients", "handle_privacy_requests"),
        notes=(
            "Gegevens van de partner en kinderen zijn ook hún persoonsgegevens: in een inzage aan de cliënt "
            "staat het BSN van de partner gemaskeerd (AVG art. 15 lid 4).",
        ),
    ),
    DataCategory(
        code="inkomen_uitkering",
        name="Inkomen en uitkering",
        data="Aanvraag, toekenning of afwijzing, norm, bedrag per maand, soort uitkering, maatregelen en uitstroom",
        purpose="Recht op en hoogte van de bijstand vaststellen, betalen, verlagen (maatregel) en beëindigen",
        ground=AVG_6_C,
        sources=(
            "Participatiewet art. 11 (recht op bijstand), art. 43 (aanvraag en besluit), art. 18 lid 2 "
            "(verlaging / maatregel), art. 54 (herziening, intrekking)",
            PW_17,
            PW_53A,
            PW_64,
            SUWI,
        ),
        stored_in=(
            "event:aanvraag.norm_type",
            "event:toekenning.monthly_amount",
            "event:toekenning.benefit_type",
            "event:afwijzing.reason",
            "event:maatregel.percentage",
            "event:uitstroom.reason",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=("view_clients", "view_aggregates (alleen geaggregeerd)", "handle_privacy_requests"),
    ),
    DataCategory(
        code="gezondheid",
        name="Gezondheid (medische claim, ontheffingsgronden)",
        data="Medische claim en gezondheidsbeperking bij de intake; medische grond van een ontheffing",
        purpose="Ontheffing van de arbeidsverplichtingen beoordelen en een passende re-integratieroute kiezen",
        ground=AVG_6_C,
        sources=(
            "Participatiewet art. 9 lid 2 (tijdelijke ontheffing bij dringende redenen)",
            "Participatiewet art. 10 en 7 lid 1 sub b (ondersteuning bij arbeidsinschakeling)",
        ),
        special=UAVG_30,
        stored_in=(
            "event:intake.medical_claim",
            "event:intake.health_limitation",
            "event:ontheffing_start.ground",
            # route: the medical assessment asked and its conclusion on the capacity to work (no diagnosis)
            "event:medisch_advies_aanvraag.question",
            "event:medisch_advies.outcome",
            # documents: medical letters (kind medische_informatie), always confidential
            "event:document.kind",
            "model:documents.Document.confidential",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=("view_clients", "handle_privacy_requests"),
        notes=(
            "Regie legt alleen vast dát er een medische claim of beperking is, geen diagnose; een medisch "
            "advies (bijv. van een arts of arbeidsdeskundige) hoort niet in de motivering.",
            "Een document van de soort medische informatie is altijd vertrouwelijk: alleen de integrale "
            "klantmanager, de re-integratieconsulent en de teammanager zien het (regie.documents.access). Voeg "
            "bij voorkeur alleen de conclusie van een medisch advies toe, niet de diagnose (aanname: toetsing "
            "in de DPIA).",
            "Bijzondere persoonsgegevens (AVG art. 9): niet in exports naar aanbieders en niet in de "
            "analysetabellen "
            "buiten de ja/nee-indicator (aanname: toetsing in de DPIA).",
        ),
    ),
    DataCategory(
        code="schulden",
        name="Schulden",
        data="Of er schulden zijn (ja/nee) bij de intake",
        purpose="Belemmeringen voor werk in kaart brengen; doorverwijzing naar schuldhulpverlening",
        ground=AVG_6_E,
        sources=(
            "Participatiewet art. 7 lid 1 sub b en art. 44a (plan van aanpak: belemmeringen)",
            "Wet gemeentelijke schuldhulpverlening art. 7a (verwerking door het college voor "
            "schuldhulpverlening) (te controleren: alleen bij doorverwijzing)",
        ),
        stored_in=("event:intake.debts",),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=("view_clients", "handle_privacy_requests"),
    ),
    DataCategory(
        code="contact",
        name="Contactgegevens",
        data="Adres, briefadres, postcode, woonplaats, telefoonnummer, e-mailadres, voorkeurskanaal, aanhef; "
        "contactpersonen (bewindvoerder, mentor, curator, gemachtigde) met hun contactgegevens",
        purpose="Communiceren met de cliënt en wie namens hem optreedt; besluiten verzenden",
        ground=AVG_6_E,
        sources=(PW_7, "Algemene wet bestuursrecht art. 3:41 (bekendmaking van besluiten aan de belanghebbende)"),
        # the client record (h/record): the row's contact is the initial data, the events what changed since
        stored_in=(
            "model:casework.Client.contact",
            "event:adres_wijziging.street",
            "event:adres_wijziging.postcode",
            "event:contactgegevens.phone",
            "event:contactgegevens.email",
            "event:contactgegevens.salutation",
            "event:contactpersoon.name",
            "event:contactpersoon.role",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=("view_clients", "handle_privacy_requests"),
    ),
    DataCategory(
        code="achtergrond",
        name="Opleiding, taal en herkomst",
        data="Opleidingsniveau, hoofdtaal, herkomstgroepering (CBS-indeling)",
        purpose="Passende ondersteuning (taal, scholing); monitoren van gelijke behandeling",
        ground=AVG_6_E,
        sources=(
            "Participatiewet art. 7 lid 1 sub b, art. 18b (taaleis) (te controleren: art. 18b na de Wet inburgering "
            "2021)",
            "Algemene wet gelijke behandeling (monitoring van gelijke behandeling) (aanname: grondslag voor "
            "de herkomstgroepering; toets in de DPIA)",
        ),
        special="Herkomst kan ras of etnische afkomst onthullen (AVG art. 9 lid 1): alleen in de CBS-indeling, alleen "
        "gepseudonimiseerd geanalyseerd (UAVG art. 25, aanname)",
        stored_in=(
            "model:casework.Client.education",
            "model:casework.Client.language",
            "model:casework.Client.origin",
            # the client record (h/record)
            "event:contactgegevens.language",
            "event:werkprofiel.education",
            "event:werkprofiel.work",
            "event:werkprofiel.skills",
            "event:werkprofiel.driving_licences",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=(
            "view_clients",
            "view_caseworker_results (alleen gepseudonimiseerd geaggregeerd)",
            "handle_privacy_requests",
        ),
    ),
    DataCategory(
        code="re_integratie",
        name="Route, traject en plan van aanpak",
        data="Classificatie, plan van aanpak, trajecten en rapportages van aanbieders, driegesprekken, ontheffingen",
        purpose="Ondersteuning bij arbeidsinschakeling; verantwoording over trajecten en aanbieders",
        ground=AVG_6_C,
        sources=(
            "Participatiewet art. 7 lid 1 sub b, art. 10 (voorzieningen), art. 44a (plan van aanpak), "
            "art. 9 (arbeidsverplichtingen)",
            SUWI,
        ),
        stored_in=(
            "event:classificatie.level",
            "event:plan_van_aanpak.goal",
            "event:traject_start.provider",
            "event:rapportage.summary",
            "event:ontheffing_start.scope",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=(
            "view_clients",
            "view_referred_clients (alleen verwezen cliënten van de eigen aanbieder)",
            "handle_privacy_requests",
        ),
    ),
    DataCategory(
        code="motiveringen",
        name="Motiveringen en notities van de klantmanager",
        data="Motivering en redencode van besluiten (vooral bij afwijking van het beleidsadvies), notities bij "
        "signalen, samenvattingen",
        purpose="Besluiten motiveren (Awb art. 3:46) en verantwoorden; toetsing van afwijkingen (vier ogen)",
        ground=AVG_6_C,
        sources=("Algemene wet bestuursrecht art. 3:46 (deugdelijke motivering) en art. 3:2 (zorgvuldigheid)", PW_7),
        stored_in=(
            "model:casework.Event.decision",
            "model:casework.SignalAcknowledgement.note",
            "model:casework.PendingDecision.review_note",
        ),
        retention=ARCHIEF + " — als het dossier (aanname)",
        visible_to=(
            "view_clients",
            "approve_deviations",
            "view_caseworker_results (gecodeerd, zonder tekst)",
            "handle_privacy_requests",
        ),
        notes=(
            "Vrije tekst kan onbedoeld gezondheids- of andere bijzondere gegevens bevatten; de schermen vragen "
            "om geen diagnoses te noteren.",
        ),
    ),
    DataCategory(
        code="auditlog",
        name="Toegangslog (auditgegevens)",
        data="Wie (gebruikersnaam, rol), wanneer, welke handeling, welk object, resultaat, herkomst (IP-adres)",
        purpose="Verantwoording en beveiliging: wie heeft welke persoonsgegevens ingezien of gewijzigd; onderzoek "
        "naar onrechtmatige toegang; inzage voor de betrokkene",
        ground=AVG_6_C,
        sources=(
            BIO_LOG,
            "AVG art. 15 lid 1 sub c (ontvangers) — de betrokkene ziet rol, organisatie, moment en handeling",
        ),
        stored_in=(
            "model:audit.AuditRecord.actor",
            "model:audit.AuditRecord.object_id",
            "model:audit.AuditRecord.origin",
        ),
        retention="BIO 8.15: bewaartermijn van logbestanden vastgesteld door de organisatie (aanname: zo lang als "
        "het dossier waarop ze betrekking hebben, minimaal 1 jaar)",
        visible_to=("view_audit", "handle_privacy_requests"),
        notes=(
            "Auditgegevens bevatten ook persoonsgegevens van medewerkers (gebruikersnaam, IP-adres); die staan "
            "niet in een inzage aan de cliënt (HvJ EU 22 juni 2023, C-579/21, Pankki S; UAVG art. 41 lid 1 "
            "sub i).",
        ),
    ),
    DataCategory(
        code="analyse",
        name="Analyse en monitoring (gepseudonimiseerd)",
        data="Gepseudonimiseerde kopie van het dossierlog: kenmerken van cliënten zonder naam of BSN, gebeurtenissen, "
        "klantmanagers als pseudoniem; cijfers per gemeente, team en periode",
        purpose="Sturing en verantwoording (KPI's, budget), CBS-statistiek, toets op gelijke behandeling, beleidslab",
        ground=AVG_6_E,
        sources=(
            AVG_89,
            "Wet op het Centraal bureau voor de statistiek art. 33 (levering aan het CBS) en "
            "Participatiewet art. 78 (te controleren: gegevensverstrekking voor statistiek)",
            "AVG art. 5 lid 1 sub b (verdere verwerking voor statistische doeleinden is verenigbaar)",
        ),
        stored_in=("model:casework.Event.payload", "model:casework.Client.birth_date"),
        retention="Afgeleid van het dossierlog; na vernietiging van een dossier blijven alleen geaggregeerde "
        "gepseudonimiseerde cijfers (aanname: uitgewerkt in de archiefregels)",
        visible_to=("view_aggregates", "view_caseworker_results"),
        notes=(
            "De analysetabellen zijn een kopie: een correctie van cliëntgegevens (rectificatie) wordt daarin pas "
            "zichtbaar na een herberekening (regie.analytics.store).",
        ),
    ),
    DataCategory(
        code="privacyverzoeken",
        name="Privacyverzoeken",
        data="Inzage- en rectificatieverzoeken: verzoeker, ontvangstdatum, identiteitscontrole, termijn, besluit, "
        "voor/na van een correctie",
        purpose="De rechten van de betrokkene uitvoeren en aantonen dat dat is gebeurd",
        ground=AVG_6_C,
        sources=(
            "AVG art. 12 lid 3 (termijn), art. 15 (inzage), art. 16 (rectificatie), art. 5 lid 2 "
            "(verantwoordingsplicht)",
        ),
        stored_in=(
            "model:privacy.AccessRequest.received_on",
            "model:privacy.RectificationRequest.before",
            "model:privacy.RectificationRequest.after",
        ),
        retention="Aanname: 5 jaar na afhandeling (gebruikelijk in gemeentelijke privacyreglementen; de "
        "Selectielijst noemt geen aparte termijn — te controleren)",
        visible_to=("handle_privacy_requests",),
    ),
)


def by_code() -> dict[str, DataCategory]:
    return {c.code: c for c in CATEGORIES}


def as_markdown() -> str:
    """The register as Markdown (``regie privacy grounds``): one section per data category."""
    lines = [
        "# Register van verwerkingen per gegevenscategorie",
        "",
        "Regie — grondslag, doel, bewaartermijn en wie het mag zien (AVG art. 30 lid 1). Vermeldingen met "
        "*aanname* of *te controleren* moeten door de FG of juridische zaken van de gemeente worden bevestigd.",
        "",
    ]
    for c in CATEGORIES:
        lines += [
            f"## {c.name} (`{c.code}`)",
            "",
            f"- **Gegevens**: {c.data}",
            f"- **Doel**: {c.purpose}",
            f"- **Grondslag**: {c.ground}",
        ]
        lines += [f"- **Bron**: {s}" for s in c.sources]
        if c.special:
            lines.append(f"- **Bijzondere regel**: {c.special}")
        lines.append(f"- **Bewaartermijn**: {c.retention}")
        lines.append(f"- **Wie ziet het (capability)**: {', '.join(c.visible_to)}")
        lines.append(f"- **Opgeslagen in Regie**: {', '.join(f'`{s}`' for s in c.stored_in)}")
        lines += [f"- *Let op*: {n}" for n in c.notes]
        lines.append("")
    return "\n".join(lines)
