"""Reads of the equity app, each starting from the user's municipalities (accounts.tenancy.municipality_ids)."""

from __future__ import annotations

from django.db.models import Count, Q

from regie.accounts.models import Municipality
from regie.accounts.tenancy import can, municipality_ids

from .models import VignetteStudy


def owned_studies(user):
    """Studies of the user's municipalities (composers, analysts)."""
    return VignetteStudy.objects.filter(municipality_id__in=municipality_ids(user))


def visible_studies(user):
    """Studies the user's municipalities own or take part in."""
    mids = municipality_ids(user)
    return (
        VignetteStudy.objects.filter(Q(municipality_id__in=mids) | Q(participants__in=mids))
        .distinct()
        .annotate(n_vignettes=Count("vignettes", distinct=True))
    )


def respondent_municipality(user, study) -> Municipality | None:
    """The municipality a respondent answers for: their own if it participates, else one of their shared
    service's participating municipalities; None when the user's municipalities do not take part."""
    parts = set(study.participants.values_list("id", flat=True))
    if user.municipality_id:
        return user.municipality if user.municipality_id in parts else None
    mids = sorted(municipality_ids(user) & parts)
    return Municipality.objects.get(pk=mids[0]) if mids else None


def study_for_compose(user, study_id: int) -> VignetteStudy | None:
    if not can(user, "compose_vignettes"):
        return None
    return owned_studies(user).filter(pk=study_id).first()


def study_for_answer(user, study_id: int) -> VignetteStudy | None:
    if not can(user, "answer_vignettes"):
        return None
    study = VignetteStudy.objects.filter(pk=study_id).first()
    if study is None or respondent_municipality(user, study) is None:
        return None
    return study


def study_for_analysis(user, study_id: int) -> VignetteStudy | None:
    """Owner municipality or a participating one; results only for teammanagers and policy officers."""
    if not can(user, "view_caseworker_results"):
        return None
    return visible_studies(user).filter(pk=study_id).first()


def coder_municipalities(user):
    return Municipality.objects.filter(pk__in=municipality_ids(user)).order_by("name")
