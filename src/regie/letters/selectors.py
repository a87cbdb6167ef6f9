"""Reads of the letters app: the template and letterhead in use, their history, the letters of a case."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .models import Letterhead, LetterTemplate
from .registry import TEMPLATE_NAMES


@lru_cache(maxsize=64)
def default_body(name: str) -> str:
    """The template shipped with Regie for ``name`` (``defaults/<name>.txt``)."""
    if name not in TEMPLATE_NAMES:
        raise KeyError(name)
    return resources.files("regie.letters").joinpath("defaults", f"{name}.txt").read_text(encoding="utf-8")


def current_template(municipality_id: int, name: str) -> tuple[str, LetterTemplate | None]:
    """The body in use and its version row (None: the default shipped with Regie)."""
    row = LetterTemplate.objects.filter(municipality_id=municipality_id, name=name).order_by("-version").first()
    return (row.body, row) if row else (default_body(name), None)


def template_history(municipality_id: int, name: str):
    return LetterTemplate.objects.filter(municipality_id=municipality_id, name=name).select_related("created_by")


def current_letterhead(municipality_id: int) -> Letterhead | None:
    return (
        Letterhead.objects.filter(municipality_id=municipality_id)
        .select_related("municipality")
        .order_by("-version")
        .first()
    )


def letterhead_history(municipality_id: int):
    return Letterhead.objects.filter(municipality_id=municipality_id).select_related("created_by")


def overridden(municipality_id: int) -> dict[str, LetterTemplate]:
    """The newest own version per template name of a municipality."""
    out: dict[str, LetterTemplate] = {}
    for row in LetterTemplate.objects.filter(municipality_id=municipality_id).order_by("name", "-version"):
        out.setdefault(row.name, row)
    return out
