"""Dutch words for every vocabulary value a letter may show: one map, so that no internal key reaches a client.

The labels of the step forms (``regie.casework.steps.CHOICE_LABELS``) are reused where they exist; ``LETTER_LABELS``
adds the vocabularies the forms do not label and overrides a form label where the letter needs plainer words
(the form may name an article for the caseworker; a letter says what it means for the client, B1).
"""

from __future__ import annotations

import re

from regie.casework.steps import CHOICE_LABELS

LETTER_LABELS: dict[str, dict[str, str]] = {
    "reason": {
        # afwijzing
        "vermogen": "uw vermogen is hoger dan de grens voor bijstand",
        "inkomen": "uw inkomen is hoger dan de bijstandsnorm",
        "woonplaats": "u woont niet in onze gemeente",
        "geen_medewerking": "u heeft niet de informatie gegeven die wij nodig hadden",
        "zoekperiode": "u heeft in de zoekperiode niet genoeg gedaan om werk te vinden",
        "overig": "een andere reden, die wij hieronder uitleggen",
    },
    "obligation_type": {
        "arbeidsverplichting": "de plicht om werk te zoeken en werk te aanvaarden",
        "reintegratie": "de plicht om mee te doen aan uw re-integratie",
        "inlichtingen": "de plicht om ons alle informatie te geven die van belang is voor uw bijstand",
        "administratief": "een administratieve afspraak",
        "tegenprestatie": "de tegenprestatie",
        "gedrag": "de plicht om u behoorlijk te gedragen tegenover de medewerkers van de gemeente",
    },
    "ground": {
        "kind_onder_5": "u bent alleenstaande ouder en zorgt voor een kind jonger dan 5 jaar",
        "geen_kinderopvang": "er is geen kinderopvang geregeld",
        "medisch": "medische redenen",
        "mantelzorg": "u zorgt voor iemand (mantelzorg)",
        "sociaal": "uw persoonlijke situatie",
        "overig": "een andere reden",
    },
    "norm_type": {
        "alleenstaande": "alleenstaande",
        "alleenstaande_ouder": "alleenstaande ouder",
        "gehuwden": "gehuwden of samenwonenden",
    },
    "benefit_type": {
        "PW": "bijstand (Participatiewet)",
        "IOAW": "een IOAW-uitkering",
        "IOAZ": "een IOAZ-uitkering",
        "BBZ": "een uitkering voor zelfstandigen (Bbz)",
    },
    "scope": {"volledig": "volledig", "gedeeltelijk": "gedeeltelijk"},
    # vocabularies whose words depend on the event type: "<event type>.<field>"
    "opschorting.reason": {
        "inlichtingen": "u heeft ons niet alle informatie gegeven die wij nodig hebben",
        "medewerking": "u heeft niet meegewerkt aan het onderzoek naar uw recht op bijstand",
        "identiteit": "u heeft niet laten zien wie u bent (legitimatie)",
        "overig": "een andere reden, die wij hieronder uitleggen",
    },
    "intrekking.reason": {
        "verzuim_niet_hersteld": "u heeft de informatie niet op tijd gegeven, ook niet na onze herinnering",
        "onjuiste_inlichtingen": "u heeft ons onjuiste of onvolledige informatie gegeven",
        "geen_recht": "u heeft geen recht op bijstand",
    },
    "terugvordering.reason": {
        "inlichtingenplicht": "u heeft ons niet alle informatie gegeven die van belang is voor uw bijstand",
        "onverschuldigd": "u heeft meer bijstand gekregen dan waar u recht op had",
        "overig": "een andere reden, die wij hieronder uitleggen",
    },
    "boete.blame": {
        "opzet": "u heeft dit met opzet gedaan",
        "grove_schuld": "u bent zeer onzorgvuldig geweest (grove schuld)",
        "geen_opzet_of_grove_schuld": "u heeft het niet met opzet gedaan, maar het is u wel te verwijten",
        "verminderde_verwijtbaarheid": "het is u minder te verwijten door uw omstandigheden",
    },
    # what a decision is, in words (voornemen.decision_type, the contested decision of an objection)
    "decision_type": {
        "toekenning": "het besluit over uw aanvraag om bijstand",
        "afwijzing": "het besluit om uw aanvraag om bijstand af te wijzen",
        "ontheffing_start": "het besluit over ontheffing van uw verplichtingen",
        "maatregel": "een verlaging van uw bijstand (maatregel)",
        "opschorting": "het tijdelijk stoppen van uw bijstand (opschorting)",
        "intrekking": "het intrekken van uw bijstand",
        "beeindiging": "het stoppen van uw bijstand",
        "terugvordering": "het terugvorderen van bijstand",
        "boete": "een boete",
        "plan_van_aanpak": "uw plan van aanpak",
        "classificatie": "de indeling van uw route naar werk",
        "traject_start": "het besluit over uw traject",
        "uitstroom": "het besluit over het einde van uw bijstand",
        "waarschuwing": "de waarschuwing",
    },
    "bezwaar_horen.by": {
        "bezwaarcommissie": "de bezwaarcommissie",
        "ambtenaar": "een medewerker van de gemeente die niet bij het besluit betrokken was",
    },
    "horen.form": {"mondeling": "in een gesprek", "schriftelijk": "schriftelijk"},
    "beslissing_op_bezwaar.outcome": {
        "gegrond": "Uw bezwaar is gegrond. Dat betekent dat u gelijk krijgt.",
        "deels_gegrond": "Uw bezwaar is deels gegrond. Dat betekent dat u voor een deel gelijk krijgt.",
        "ongegrond": "Uw bezwaar is ongegrond. Dat betekent dat u geen gelijk krijgt. Het besluit blijft zo.",
        "niet_ontvankelijk": "Wij kunnen uw bezwaar niet inhoudelijk behandelen (niet-ontvankelijk).",
        "ingetrokken": "U heeft uw bezwaar ingetrokken. Wij behandelen het daarom niet verder.",
    },
    "beeindiging.reason": {
        "werk_regulier": "u heeft werk gevonden",
        "werk_gesubsidieerd": "u heeft werk gevonden met loonkostensubsidie of een andere regeling",
        "eigen_bedrijf": "u bent een eigen bedrijf begonnen",
        "inkomen_partner": "uw partner heeft genoeg inkomen",
        "andere_uitkering": "u krijgt een andere uitkering",
        "pensioen": "u krijgt AOW of pensioen",
        "studie": "u bent gaan studeren",
        "verhuizing": "u bent verhuisd naar een andere gemeente",
        "detentie": "u zit in detentie",
        "overlijden": "de cliënt is overleden",
        "geen_recht": "u heeft geen recht meer op bijstand",
        "overig": "een andere reden, die wij hieronder uitleggen",
    },
}

_SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def label(field: str, value, event_type: str = "") -> str:
    """The Dutch words for ``value`` of vocabulary ``field`` (of ``event_type``, where the words depend on it); a
    value nobody labelled yet is shown as words (underscores become spaces), never as the key itself."""
    if value is None:
        return ""
    tables = (
        LETTER_LABELS.get(f"{event_type}.{field}", {}),
        LETTER_LABELS.get(field, {}),
        CHOICE_LABELS.get(field, {}),
    )
    for table in tables:
        if value in table:
            return str(table[value])
        if str(value) in table:
            return str(table[str(value)])
    return humanise(str(value))


def humanise(text: str) -> str:
    """``werk_regulier`` -> ``werk regulier``: the last line of defence against a key in a letter."""
    return _SNAKE.sub(lambda m: m.group(0).replace("_", " "), text)


def has_key(text: str) -> bool:
    """Whether ``text`` contains a snake_case word (an internal key)."""
    return bool(_SNAKE.search(text))
