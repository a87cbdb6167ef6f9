"""Demo notes of the journal (``regie demo``): a few contact moments and one confidential note per caseworker."""

from __future__ import annotations

NOTES = (
    ("Cliënt belde: kan donderdag niet vanwege een sollicitatiegesprek. Afspraak verzet.", "telefoon", False, ""),
    ("Aan de balie formulier inkomsten ingeleverd; kopie in het dossier.", "balie", False, ""),
    ("Cliënt meldt rugklachten; medisch advies aanvragen overwogen.", "gesprek", True, "medisch"),
    ("Jobcoach meldt goede voortgang op de werkervaringsplek.", "email", False, ""),
)


def add_demo_notes(municipality, caseworkers: int = 3) -> int:
    """Add notes on cases of the first ``caseworkers`` caseworkers with a caseload (their 10th case onwards, so
    the agenda's demo cases keep their own story); returns the number of notes written."""
    from regie.casework.models import CaseState
    from regie.core.records import CASEWORKER_ROLES

    from .services import add_note

    users = []
    for st in (
        CaseState.objects.filter(municipality=municipality, status="lopend", caseworker__role__in=CASEWORKER_ROLES)
        .select_related("caseworker")
        .order_by("caseworker_id")
    ):
        if st.caseworker not in users:
            users.append(st.caseworker)
        if len(users) >= caseworkers:
            break
    written = 0
    for user in users:
        states = list(CaseState.objects.filter(caseworker=user, status="lopend").select_related("case")[:12])
        for st, (text, channel, confidential, confidentiality) in zip(states[9:], NOTES):
            add_note(
                st.case, user, text=text, channel=channel, confidential=confidential, confidentiality=confidentiality
            )
            written += 1
    return written
