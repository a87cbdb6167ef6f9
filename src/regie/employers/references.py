"""employers2: the employer and vacancy an event names must exist and be visible to the case's municipality (its
werkgeversservicepunt, :class:`~regie.employers.models.Region`), on every path: the gate and ``append_event``
(``casework.validation.check_in_case``) and the import, through ``casework.validation.reference_check``. An
unknown id and an id of another region get the same answer (no hint that it exists elsewhere)."""

from __future__ import annotations

from regie.core.events import Message

from .models import Employer, Vacancy

# Event types that name an employer (``employer_id``) or a vacancy (``vacancy_id``).
REFERENCING = frozenset({"toestemming_delen", "match_voorgesteld", "plaatsing", "subsidiebetaling"})


def _visible(municipality_id: int | None, memo: dict | None) -> tuple[set[int], dict[int, int]] | None:
    """With a memo (an import): every employer id and vacancy id -> employer id of the municipality's regions,
    loaded once per file. Without: None (the caller asks per id)."""
    if memo is None:
        return None
    key = ("employers2.visible", municipality_id)
    if key not in memo:
        if municipality_id is None:
            memo[key] = (set(), {})
        else:
            employers = set(
                Employer.objects.filter(region__municipalities=municipality_id).values_list("pk", flat=True)
            )
            vacancies = dict(Vacancy.objects.filter(employer_id__in=employers).values_list("pk", "employer_id"))
            memo[key] = (employers, vacancies)
    return memo[key]


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def problems(sender, municipality_id, event_type, payload, memo=None, **kwargs) -> list[tuple[str, Message]]:
    if event_type not in REFERENCING:
        return []
    employer_id, vacancy_id = _as_int(payload.get("employer_id")), _as_int(payload.get("vacancy_id"))
    visible = _visible(municipality_id, memo)
    out: list[tuple[str, Message]] = []
    if employer_id is not None:
        if visible is not None:
            known = employer_id in visible[0]
        else:
            known = municipality_id is not None and (
                Employer.objects.filter(pk=employer_id, region__municipalities=municipality_id).exists()
            )
        if not known:
            out.append(
                (
                    "payload.employer_id",
                    Message(
                        "Werkgever: %(id)s is geen werkgever van het werkgeversservicepunt van deze gemeente",
                        id=str(employer_id),
                    ),
                )
            )
    if vacancy_id is not None:
        if visible is not None:
            owner = visible[1].get(vacancy_id)
        else:
            owner = (
                Vacancy.objects.filter(pk=vacancy_id, employer__region__municipalities=municipality_id)
                .values_list("employer_id", flat=True)
                .first()
                if municipality_id is not None
                else None
            )
        if owner is None:
            out.append(
                (
                    "payload.vacancy_id",
                    Message(
                        "Vacature: %(id)s is geen vacature van het werkgeversservicepunt van deze gemeente",
                        id=str(vacancy_id),
                    ),
                )
            )
        elif employer_id is not None and owner != employer_id:
            out.append(
                (
                    "payload.vacancy_id",
                    Message("Vacature: %(id)s is een vacature van een andere werkgever", id=str(vacancy_id)),
                )
            )
    return out
