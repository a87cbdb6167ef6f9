"""Algoritmeregister entries and a DPIA starting document, generated from the policy files.

The entries follow the fields of the *Algoritmeregister Publicatiestandaard* (MinBZK / Logius, version 1.0.9 of
2024-07-09, repository MinBZK/Algoritmeregister-Publicatiestandaard, chapter 2 "Informatievelden"; published at
regels.overheid.nl/publicaties/algoritmeregister-publicatiestandaard). Every field of the standard is a key of
:data:`FIELDS` with its section, input type and whether the standard marks it as required ("Verplicht"). The fields
up to "Doel en impact" were read in the standard's text; the stored copy ended there, so the later fields'
names and input types are taken from the published register's form and marked ``verified=False`` (assumption).

Two kinds of entry: one per policy version (the policy engine's advice on classification, route, trajectory,
exemption and sanction) and one for the equal-treatment monitor. Plain Python: no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from .schema import Policy, Sourced

STANDARD = {
    "name": "Algoritmeregister Publicatiestandaard",
    "version": "1.0.9",
    "date": "2024-07-09",
    "source": "github.com/MinBZK/Algoritmeregister-Publicatiestandaard ch02.md (Informatievelden)",
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    section: str
    kind: str  # "text" | "choice" | "month" | "url_or_mail" | "url" | "list"
    required: bool
    max_len: int | None = None
    choices: tuple[str, ...] = ()
    verified: bool = True


FIELDS: tuple[Field, ...] = (
    Field("naam", "Naam", "Algemene informatie", "text", True, 100),
    Field("korte_omschrijving", "Korte omschrijving", "Algemene informatie", "text", True, 350),
    Field("organisatie", "Organisatie", "Algemene informatie", "text", True, 100),
    Field("thema", "Thema", "Algemene informatie", "list", False),
    Field(
        "status",
        "Status",
        "Algemene informatie",
        "choice",
        True,
        choices=("In gebruik", "In ontwikkeling", "Buiten gebruik"),
    ),
    Field("begindatum", "Begindatum", "Algemene informatie", "month", False),
    Field("einddatum", "Einddatum", "Algemene informatie", "month", False),
    Field("contactgegevens", "Contactgegevens", "Algemene informatie", "url_or_mail", True),
    Field("link_publiekspagina", "Link naar publiekspagina", "Algemene informatie", "url", False),
    Field(
        "publicatiecategorie",
        "Publicatiecategorie",
        "Algemene informatie",
        "choice",
        True,
        choices=("Hoog-risico AI-systemen", "Impactvolle algoritmes", "Overige algoritmes"),
    ),
    Field("link_bronregistratie", "Link naar bronregistratie", "Algemene informatie", "url", False),
    Field("doel_en_impact", "Doel en impact", "Verantwoord gebruik", "text", False, 2500),
    # assumption: names and types below from the published register's form (the stored standard text ended above)
    Field("afwegingen", "Afwegingen", "Verantwoord gebruik", "text", False, 2500, verified=False),
    Field(
        "menselijke_tussenkomst", "Menselijke tussenkomst", "Verantwoord gebruik", "text", False, 2500, verified=False
    ),
    Field("risicobeheer", "Risicobeheer", "Verantwoord gebruik", "text", False, 2500, verified=False),
    Field("wettelijke_basis", "Wettelijke basis", "Verantwoord gebruik", "text", False, 2500, verified=False),
    Field("link_wettelijke_basis", "Link naar wettelijke basis", "Verantwoord gebruik", "list", False, verified=False),
    Field("impacttoetsen", "Impacttoetsen", "Verantwoord gebruik", "list", False, verified=False),
    Field(
        "link_verwerkingsregister", "Link naar verwerkingsregister", "Verantwoord gebruik", "url", False, verified=False
    ),
    Field("gegevens", "Gegevens", "Werking", "text", False, 5000, verified=False),
    Field("link_datasets", "Links naar gegevensbronnen", "Werking", "list", False, verified=False),
    Field("technische_werking", "Technische werking", "Werking", "text", False, 5000, verified=False),
    Field("leverancier", "Leverancier", "Werking", "text", False, 100, verified=False),
    Field("link_broncode", "Link naar broncode", "Werking", "url", False, verified=False),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REPOSITORY = "https://github.com/regie-gemeenten/regie"  # assumption: the project's public repository address
CONTACT = "privacy@gemeente.example"  # assumption: placeholder, the municipality fills in its own address


# --- rules and their sources ----------------------------------------------------------------------------------


def sources(policy: Policy) -> list[dict]:
    """Every sourced element of a policy version: its path in the file, rule id (if any), source and whether it
    is an assumption. Walks the whole model, so a new sourced section appears without a change here."""
    out: list[dict] = []

    def walk(node, path: str) -> None:
        if isinstance(node, Sourced):
            out.append(
                {
                    "path": path,
                    "id": getattr(node, "id", None) or "",
                    "source": node.source,
                    "assumption": node.assumption,
                    "assumption_reason": node.assumption_reason or "",
                }
            )
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")

    walk(policy, "")
    return out


def _human_intervention(policy: Policy) -> str:
    text = (
        "Regie adviseert; de klantmanager besluit. Elk advies toont de regel en de bron waarop het berust. "
        "Wie van het advies afwijkt, moet dat motiveren (motiveringsplicht, Awb art. 3:46); de afwijking en de "
        "motivering staan in het dossier en in de gelijkebehandelingsmonitor."
    )
    if policy.steering.mode == "rules":
        text += (
            " Deze gemeente stuurt op regels: een afwijking van het advies wordt pas vastgelegd na akkoord van "
            "een tweede persoon, de teammanager (vier ogen)."
        )
    else:
        text += " Deze gemeente stuurt op resultaat: een afwijking met motivering vraagt geen tweede akkoord."
    rights = policy.decision_rights
    text += f" Besluitrechten: model '{rights.model}' ({rights.source})."
    return text


def policy_entry(policy: Policy, organisation: str | None = None, *, status: str = "In gebruik") -> dict:
    """The Algoritmeregister entry for one policy version."""
    srcs = sources(policy)
    rule_ids = [s["id"] for s in srcs if s["id"]]
    laws = sorted({s["source"] for s in srcs})
    org = organisation or policy.name
    assumptions = [s for s in srcs if s["assumption"]]
    entry = {
        "naam": f"Beleidsadvies Participatiewet {policy.name}"[:100],
        "korte_omschrijving": (
            "Regie geeft de klantmanager advies over de trede op de participatieladder, de route, trajecten, "
            "ontheffingen en maatregelen, volgens het vastgelegde beleid van de gemeente. De klantmanager "
            "besluit."
        )[:350],
        "organisatie": org[:100],
        "thema": ["Sociale zekerheid", "Werk"],
        "status": status,
        "begindatum": policy.valid_from.strftime("%Y-%m"),
        "einddatum": "",
        "contactgegevens": CONTACT,
        "link_publiekspagina": "",
        "publicatiecategorie": "Impactvolle algoritmes",
        "link_bronregistratie": "",
        "doel_en_impact": (
            "Doel: gelijke gevallen gelijk behandelen en het beleid van de gemeente zichtbaar toepassen in de "
            "begeleiding naar werk (Participatiewet). Impact: het advies beïnvloedt besluiten over ontheffingen "
            "van de arbeidsverplichting, trajecten en maatregelen (verlaging van de bijstand) voor "
            "bijstandsgerechtigden."
        ),
        "afwegingen": (
            "Regels in plaats van een voorspellend model: elke uitkomst is terug te voeren op een regel met "
            "een bron (wet, verordening of beleidsregel). Er is geen zelflerend of statistisch model in het "
            f"advies. {len(assumptions)} onderdelen van dit beleid zijn aannames en staan als zodanig gemarkeerd."
        ),
        "menselijke_tussenkomst": _human_intervention(policy),
        "risicobeheer": (
            "Ongelijke behandeling: de gelijkebehandelingsmonitor laat zien hoeveel van een uitkomst afhangt van "
            "de klantmanager. Toegang per gemeente en per rol; elke inzage en elk besluit in het auditlog. "
            "Ontbreekt het beleid, dan geeft Regie geen advies (geen terugvaloptie)."
        ),
        "wettelijke_basis": (
            "Participatiewet (Pw art. 7, 9, 9a, 18, 18a) en de verordeningen en beleidsregels van "
            f"de gemeente; bronnen per regel: {'; '.join(laws)}"
        )[:2500],
        "link_wettelijke_basis": ["https://wetten.overheid.nl/BWBR0015703"],
        "impacttoetsen": ["DPIA (startdocument: regie policy dpia)"],
        "link_verwerkingsregister": "",
        "gegevens": (
            "Gegevens uit het dossier: leeftijd, huishouden (kinderen en hun leeftijd), trede en "
            "route, trajecten, ontheffingen, eerdere schendingen van verplichtingen, medische "
            "beperkingen als die zijn vastgelegd."
        ),
        "link_datasets": [],
        "technische_werking": (
            f"Regelset '{policy.id}', versie {policy.version_id}, geldig vanaf {policy.valid_from.isoformat()}. "
            f"De eerste passende regel beslist. Regels: {', '.join(rule_ids)}."
        )[:5000],
        "leverancier": "Regie (open source, EUPL-1.2)",
        "link_broncode": REPOSITORY,
        # Regie's own additions: the policy version and every rule with its source (not fields of the standard)
        "x_regie": {
            "kind": "policy",
            "policy_id": policy.id,
            "version": policy.version_id,
            "municipality_code": policy.municipality_code,
            "steering": policy.steering.mode,
            "standard": STANDARD,
            "rules": srcs,
        },
    }
    return entry


def equity_entry(organisation: str, *, municipality_code: str | None = None) -> dict:
    """The Algoritmeregister entry for the equal-treatment monitor."""
    return {
        "naam": "Monitor gelijke behandeling klantmanagers"[:100],
        "korte_omschrijving": (
            "Regie berekent hoeveel van besluiten over trede, trajecten, ontheffingen en maatregelen afhangt van "
            "de klantmanager, en toont afwijkingen van het beleidsadvies. Teammanagers en beleidsmedewerkers "
            "gebruiken dit om werkwijzen te bespreken; er volgt geen besluit over een cliënt uit."
        ),
        "organisatie": organisation[:100],
        "thema": ["Sociale zekerheid", "Werk"],
        "status": "In gebruik",
        "begindatum": "",
        "einddatum": "",
        "contactgegevens": CONTACT,
        "link_publiekspagina": "",
        "publicatiecategorie": "Overige algoritmes",  # assumption: no decision about a citizen follows from it
        "link_bronregistratie": "",
        "doel_en_impact": (
            "Doel: willekeur tussen klantmanagers zichtbaar maken (gelijkheidsbeginsel, Awb art. 3:4 en Grondwet "
            "art. 1). Impact: indirect; het leidt tot gesprekken over werkwijze en beleid, niet tot besluiten over "
            "personen."
        ),
        "afwegingen": "Statistische maten met betrouwbaarheidsintervallen; kleine aantallen worden niet getoond.",
        "menselijke_tussenkomst": (
            "Uitkomsten worden door teammanagers en beleidsmedewerkers geduid; er is geen automatische "
            "handeling. Klantmanagers zijn voor beleidsmedewerkers gepseudonimiseerd."
        ),
        "risicobeheer": (
            "Pseudoniemen voor klantmanagers buiten het eigen team; alleen rollen met "
            "view_caseworker_results; elke inzage en export in het auditlog."
        ),
        "wettelijke_basis": "Awb art. 3:4; Grondwet art. 1; Participatiewet (uitvoering door het college).",
        "link_wettelijke_basis": ["https://wetten.overheid.nl/BWBR0005537"],
        "impacttoetsen": ["DPIA (startdocument: regie policy dpia)"],
        "link_verwerkingsregister": "",
        "gegevens": "Besluiten uit het dossier (event log) met de klantmanager en het team; geen BSN.",
        "link_datasets": [],
        "technische_werking": (
            "Intraclass-correlatie per besluit (variantiecomponenten), vergelijkbare paren van "
            "cliënten, afwijkingen van het advies per klantmanager en team; vignettenstudies."
        ),
        "leverancier": "Regie (open source, EUPL-1.2)",
        "link_broncode": REPOSITORY,
        "x_regie": {"kind": "equity_monitor", "municipality_code": municipality_code, "standard": STANDARD},
    }


def register(versions: list[Policy], organisation: str | None = None) -> list[dict]:
    """The entries of one municipality: one per policy version (the latest "In gebruik", earlier ones
    "Buiten gebruik" with the month the next one started), then the equity monitor."""
    entries = []
    for i, p in enumerate(versions):
        nxt = versions[i + 1] if i + 1 < len(versions) else None
        e = policy_entry(p, organisation, status="Buiten gebruik" if nxt else "In gebruik")
        if nxt:
            e["einddatum"] = nxt.valid_from.strftime("%Y-%m")
        entries.append(e)
    org = organisation or (versions[-1].name if versions else "")
    entries.append(equity_entry(org, municipality_code=versions[-1].municipality_code if versions else None))
    return entries


def problems(entry: dict) -> list[str]:
    """What makes ``entry`` not conform to :data:`FIELDS` (empty list: conforms)."""
    out = []
    for f in FIELDS:
        if f.key not in entry:
            out.append(f"{f.key}: missing")
            continue
        v = entry[f.key]
        if f.required and not v:
            out.append(f"{f.key}: required by the standard")
        if f.kind == "list" and not isinstance(v, list):
            out.append(f"{f.key}: must be a list")
        if f.kind != "list" and not isinstance(v, str):
            out.append(f"{f.key}: must be text")
        if f.max_len and isinstance(v, str) and len(v) > f.max_len:
            out.append(f"{f.key}: longer than {f.max_len}")
        if f.choices and v not in f.choices:
            out.append(f"{f.key}: {v!r} is not one of {f.choices}")
        if f.kind == "month" and v:
            try:
                dt.datetime.strptime(v, "%Y-%m")
            except ValueError:
                out.append(f"{f.key}: not yyyy-mm")
    extra = set(entry) - set(FIELD_KEYS) - {"x_regie"}
    out += [f"{k}: not a field of the standard" for k in sorted(extra)]
    return out


def to_markdown(entries: list[dict]) -> str:
    lines = [
        f"# Algoritmeregister — {entries[-1]['organisatie'] if entries else ''}",
        "",
        f"Volgens de {STANDARD['name']} {STANDARD['version']} ({STANDARD['date']}).",
        "",
    ]
    for e in entries:
        lines += [f"## {e['naam']} ({e['status']})"]
        section = None
        for f in FIELDS:
            if f.section != section:
                section = f.section
                lines += ["", f"### {section}", ""]
            v = e.get(f.key)
            v = ", ".join(v) if isinstance(v, list) else v
            lines.append(f"- **{f.label}**: {v or 'Veld niet ingevuld'}")
        rules = e.get("x_regie", {}).get("rules") or []
        if rules:
            lines += ["", "### Regels en bronnen", "", "| Onderdeel | Regel | Bron | Aanname |", "|---|---|---|---|"]
            for r in rules:
                src = r["source"].replace("|", "/")
                lines.append(f"| `{r['path']}` | {r['id'] or '—'} | {src} | {'ja' if r['assumption'] else ''} |")
        lines.append("")
    return "\n".join(lines)


# --- DPIA starting document -----------------------------------------------------------------------------------

DATA_CATEGORIES = (
    (
        "Identificatie",
        "BSN, naam, geboortedatum, geslacht, klantnummer",
        "Client (casework.models)",
        "BSN alleen zichtbaar na 'reveal_bsn' (gelogd)",
    ),
    ("Contact", "adres, telefoon, e-mail, contactmomenten en afspraken", "Client, contact-events, afspraken", ""),
    (
        "Huishouden",
        "samenstelling, kinderen en hun leeftijd, kostendelers",
        "Client.household, aanvraag/toekenning",
        "",
    ),
    (
        "Financieel",
        "uitkering, bedragen, maatregelen (verlagingen), schulden",
        "toekenning, maatregel, documenten",
        "schulden: assumption — vastgelegd in notities/documenten, geen eigen veld",
    ),
    (
        "Gezondheid (bijzonder, AVG art. 9)",
        "medische beperkingen, ontheffingen om medische redenen, uitval medisch",
        "ontheffing_start (grond 'medisch'), traject_einde 'uitval_medisch', notities",
        "",
    ),
    ("Re-integratie", "trede, route, plan van aanpak, trajecten, aanbieders, rapportages", "events", ""),
    ("Besluiten en motivering", "advies, afwijking, motivering, akkoord (vier ogen)", "Event.decision", ""),
    ("Gebruik door medewerkers", "wie wat inzag of wijzigde, vanaf welk adres", "audit.AuditRecord", ""),
)


def dpia_markdown(policy: Policy, capabilities: dict[str, frozenset[str]], organisation: str | None = None) -> str:
    """A DPIA starting document (Markdown) for one municipality, from what Regie knows; ``capabilities`` is the
    role → capabilities table of the access layer (passed in: the core imports no Django), by their names as the
    document shows them (the adapter labels the keys)."""
    org = organisation or policy.name
    L = [
        f"# DPIA-startdocument Regie — {org}",
        "",
        f"Gegenereerd op {dt.date.today().isoformat()} uit beleid {policy.version_id}. Een startpunt voor de "
        "functionaris gegevensbescherming: wat hieronder *aanname* heet, moet de gemeente bevestigen of "
        "aanvullen.",
        "",
        "## 1. Verwerking en doel",
        "",
        "Begeleiding naar werk en vaststelling van rechten en plichten in de bijstand (Participatiewet): "
        "melding, intake, trede, plan van aanpak, trajecten, ontheffingen, maatregelen, uitstroom en nazorg; "
        "monitoring, gelijke behandeling en beleidsexperimenten op geaggregeerde gegevens.",
        "",
        "Grondslag: AVG art. 6 lid 1 sub e (publieke taak) met Pw art. 7 en hoofdstuk 6 (Pw art. 62-67); "
        "bijzondere persoonsgegevens (gezondheid): AVG art. 9 lid 2 sub b/g met UAVG art. 30 — *aanname*, "
        "te bevestigen door de FG.",
        "",
        "## 2. Categorieën persoonsgegevens",
        "",
        "| Categorie | Gegevens | Waar in Regie | Opmerking |",
        "|---|---|---|---|",
    ]
    L += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in DATA_CATEGORIES]
    L += [
        "",
        "Betrokkenen: bijstandsgerechtigden en aanvragers, hun gezinsleden (kinderen), medewerkers van de "
        "gemeente en van aanbieders.",
        "",
        "## 3. Rollen en bevoegdheden",
        "",
        "| Rol | Bevoegdheden |",
        "|---|---|",
    ]
    L += [f"| {role} | {', '.join(sorted(caps))} |" for role, caps in capabilities.items()]
    L += [
        "",
        "Elke medewerker ziet alleen de gegevens van de eigen gemeente (of van de gemeenten van de eigen "
        "shared service); jobcoaches van aanbieders alleen de naar hen verwezen cliënten.",
        "",
        "## 4. Bewaartermijnen",
        "",
        "Zie het bewaarbeleid (retention policy: Archiefwet en de Selectielijst gemeenten). Tot dat in Regie is "
        "ingericht: *aanname* — dossiers blijven bewaard; vernietiging gebeurt buiten Regie.",
        "",
        "## 5. Verwerkers en ontvangers",
        "",
        "- Hosting en beheer van Regie: *aanname* — de gemeente zelf of een hostingpartij met verwerkersovereenkomst.",
        "- Re-integratieaanbieders (hun jobcoaches): zien verwezen cliënten; verwerkersovereenkomst *aanname*.",
        "- CBS: BUS- en SRG-records met pseudonieme kenmerken (wettelijke verstrekking, Wet op het CBS).",
        "- Identity provider (single sign-on), indien gebruikt: *aanname*.",
        "",
        "## 6. Algoritmen",
        "",
        "Het beleidsadvies en de gelijkebehandelingsmonitor staan in het Algoritmeregister (`regie policy "
        "register`). Menselijke tussenkomst: " + _human_intervention(policy),
        "",
        "## 7. Risico's die Regie al beperkt",
        "",
        "- Toegang: scheiding per gemeente (tenancy), rollen met minimale bevoegdheden; tests proberen "
        "systematisch gegevens van een andere gemeente op te vragen.",
        "- Verantwoording: elk lezen, wijzigen en exporteren van persoonsgegevens in het auditlog (BIO 8.15); "
        "de auditor kan het exporteren.",
        "- Exports: één schrijver voor CSV en Excel die formule-injectie onschadelijk maakt; elke export gelogd.",
        "- Analyse en beleidslab: gepseudonimiseerd en geaggregeerd; klantmanagers gepseudonimiseerd voor "
        "beleidsmedewerkers; BSN alleen na expliciet tonen.",
        "- Besluiten: advies met regel en bron; afwijken vraagt motivering"
        + (" en akkoord van een tweede persoon (vier ogen)." if policy.steering.mode == "rules" else "."),
        "- Ontbrekend beleid: geen advies en geen besluit (geen stilzwijgende standaard).",
        "",
        "## 8. Nog te beoordelen (door de gemeente)",
        "",
        "- Noodzaak en proportionaliteit per gegevenscategorie; bewaartermijnen; rechten van betrokkenen "
        "(inzage, rectificatie); doorgifte; restrisico's en maatregelen.",
        "",
    ]
    return "\n".join(L)
