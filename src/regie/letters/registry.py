"""The letter types Regie sends: which event each one answers, whether it is a beschikking, its default legal basis.

One registry for the renderer, the editor, the case page and the privacy file. ``remedy`` says which clause the
letter always gets (the functioneel beheerder cannot leave it out of a template): ``"bezwaar"`` for a primary
decision (Awb art. 6:4, 6:7, 7:1), ``"beroep"`` for a beslissing op bezwaar (Awb art. 8:1, 6:7), ``None`` for a
letter that is no besluit (a voornemen, an invitation, an acknowledgement, a plan). The clauses themselves are text
blocks (``BLOCKS``) with their own editable template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LetterType:
    id: str
    title: str  # the Dutch subject line ("Onderwerp") unless the template sets its own
    event_types: tuple[str, ...]
    remedy: str | None  # "bezwaar", "beroep" or None (no besluit, no clause)
    legal_basis: str  # default when the decision block names none; the article(s) the decision rests on
    description: str  # for the editor (translated): when this letter is sent

    @property
    def beschikking(self) -> bool:
        return self.remedy is not None


LETTER_TYPES: dict[str, LetterType] = {
    lt.id: lt
    for lt in (
        LetterType(
            "toekenning",
            "Besluit op uw aanvraag om bijstand",
            ("toekenning",),
            "bezwaar",
            "Participatiewet artikel 11 en 43",
            _("U kent bijstand toe."),
        ),
        LetterType(
            "afwijzing",
            "Besluit op uw aanvraag om bijstand",
            ("afwijzing",),
            "bezwaar",
            "Participatiewet artikel 11 en 43",
            _("U wijst een aanvraag om bijstand af."),
        ),
        LetterType(
            "ontheffing_start",
            "Besluit over ontheffing van uw verplichtingen",
            ("ontheffing_start",),
            "bezwaar",
            "Participatiewet artikel 9 lid 2 en artikel 9a",
            _("U geeft ontheffing van de arbeidsverplichtingen."),
        ),
        LetterType(
            "waarschuwing",
            "Waarschuwing: u bent een afspraak niet nagekomen",
            ("waarschuwing",),
            # assumption: a warning instead of a maatregel announces consequences and changes no right, so it is
            # not a besluit (Awb art. 1:3); the letter still says how to disagree, without a bezwaar clause.
            None,
            "Participatiewet artikel 18 lid 2 en de afstemmingsverordening",
            _("U geeft een schriftelijke waarschuwing in plaats van een maatregel."),
        ),
        LetterType(
            "maatregel",
            "Besluit: wij verlagen uw bijstand",
            ("maatregel",),
            "bezwaar",
            "Participatiewet artikel 18 lid 2 en de afstemmingsverordening",
            _("U legt een maatregel op (verlaging van de bijstand)."),
        ),
        LetterType(
            "plan_van_aanpak",
            "Uw plan van aanpak",
            ("plan_van_aanpak",),
            None,
            "Participatiewet artikel 44a",
            _("U stuurt de cliënt het plan van aanpak."),
        ),
        LetterType(
            "voornemen",
            "Wij zijn van plan een besluit te nemen",
            ("voornemen",),
            None,
            "Algemene wet bestuursrecht, artikel 4:8",
            _("U laat weten welk besluit u wilt nemen; de cliënt mag eerst zijn mening geven (zienswijze)."),
        ),
        LetterType(
            "uitnodiging_hoorzitting",
            "Uitnodiging voor een gesprek (hoorzitting)",
            ("horen", "bezwaar_horen"),
            None,
            "Algemene wet bestuursrecht, artikel 4:8 en 7:2",
            _("U nodigt de cliënt uit om te worden gehoord, voor een besluit of over een bezwaar."),
        ),
        LetterType(
            "ontvangstbevestiging_bezwaar",
            "Wij hebben uw bezwaar ontvangen",
            ("bezwaar",),
            None,
            "Algemene wet bestuursrecht, artikel 6:14 en 7:10",
            _("U bevestigt dat het bezwaarschrift is ontvangen en zegt wanneer u beslist."),
        ),
        LetterType(
            "beslissing_op_bezwaar",
            "Beslissing op uw bezwaar",
            ("beslissing_op_bezwaar",),
            "beroep",
            "de Algemene wet bestuursrecht, artikel 7:11",
            _("U beslist op het bezwaar."),
        ),
        LetterType(
            "opschorting",
            "Besluit: wij stoppen uw bijstand tijdelijk",
            ("opschorting",),
            "bezwaar",
            "Participatiewet artikel 54 lid 1",
            _("U schort het recht op bijstand op en geeft een hersteltermijn."),
        ),
        LetterType(
            "intrekking",
            "Besluit: intrekking van uw bijstand",
            ("intrekking",),
            "bezwaar",
            "Participatiewet artikel 54 lid 3",
            _("U trekt het besluit tot toekenning in."),
        ),
        LetterType(
            "beeindiging",
            "Besluit: uw bijstand stopt",
            ("beeindiging",),
            "bezwaar",
            # assumption: an end for the future is an intrekking per a date (Pw art. 54 lid 3); check per ground
            "Participatiewet artikel 54 lid 3",
            _("U beëindigt de bijstand."),
        ),
        LetterType(
            "terugvordering",
            "Besluit: u moet bijstand terugbetalen",
            ("terugvordering",),
            "bezwaar",
            "Participatiewet artikel 58",
            _("U vordert te veel betaalde bijstand terug."),
        ),
        LetterType(
            "boete",
            "Besluit: u krijgt een boete",
            ("boete",),
            "bezwaar",
            "Participatiewet artikel 18a",
            _("U legt een bestuurlijke boete op omdat de inlichtingenplicht niet is nagekomen."),
        ),
    )
}

# Text blocks every letter with a remedy gets at its end; editable like a letter, never left out.
BLOCKS: dict[str, str] = {
    "bezwaar": "Tekstblok: bezwaar maken (in elk besluit)",
    "beroep": "Tekstblok: beroep instellen (in elke beslissing op bezwaar)",
}

# Every template the editor offers: the letter types and the blocks (key -> the Dutch subject or block title).
TEMPLATE_NAMES: dict[str, str] = {**{k: v.title for k, v in LETTER_TYPES.items()}, **BLOCKS}

# The editor's name of each template, in the user's language. The subject line (``LetterType.title``) is the letter's
# own Dutch text (letters go to clients in Dutch) and stays as it is; a functioneel beheerder working in English reads
# which letter it is from this name, and sees the Dutch subject beside it.
EDITOR_NAMES: dict[str, str] = {
    "toekenning": _("Toekenning van bijstand"),
    "afwijzing": _("Afwijzing van een aanvraag om bijstand"),
    "ontheffing_start": _("Ontheffing van verplichtingen"),
    "waarschuwing": _("Waarschuwing"),
    "maatregel": _("Maatregel (verlaging van de bijstand)"),
    "plan_van_aanpak": _("Plan van aanpak"),
    "voornemen": _("Voornemen tot een besluit"),
    "uitnodiging_hoorzitting": _("Uitnodiging om te worden gehoord"),
    "ontvangstbevestiging_bezwaar": _("Ontvangstbevestiging van een bezwaar"),
    "beslissing_op_bezwaar": _("Beslissing op bezwaar"),
    "opschorting": _("Opschorting van de bijstand"),
    "intrekking": _("Intrekking van de bijstand"),
    "beeindiging": _("Beëindiging van de bijstand"),
    "terugvordering": _("Terugvordering van bijstand"),
    "boete": _("Bestuurlijke boete"),
    "bezwaar": _("Tekstblok: bezwaar maken (in elk besluit)"),
    "beroep": _("Tekstblok: beroep instellen (in elke beslissing op bezwaar)"),
}
assert set(EDITOR_NAMES) == set(TEMPLATE_NAMES), "every template needs an editor name"

_BY_EVENT: dict[str, str] = {et: lt.id for lt in LETTER_TYPES.values() for et in lt.event_types}


def letter_type_for(event_type: str, payload: dict | None = None) -> LetterType | None:
    """The letter an event of ``event_type`` gets, or None. A hearing event gets the invitation only when it
    records an invitation (not when the hearing was held or waived)."""
    lt_id = _BY_EVENT.get(event_type)
    if lt_id is None:
        return None
    if lt_id == "uitnodiging_hoorzitting" and payload is not None and not _is_invitation(payload):
        return None
    return LETTER_TYPES[lt_id]


def _is_invitation(payload: dict) -> bool:
    for key in ("stage", "status", "kind", "outcome"):
        if key in payload:
            return payload[key] in ("invited", "uitgenodigd", "uitnodiging")
    return True


LETTER_EVENT_TYPES: frozenset[str] = frozenset(_BY_EVENT)
# The title of the letter each event type gets (the privacy file lists them).
EVENT_LETTER_TITLES: dict[str, str] = {et: LETTER_TYPES[lt].title for et, lt in _BY_EVENT.items()}
