"""Query parameters of the list endpoints: one validation each (400 naming the parameter, Dutch message) and the
same definitions in the OpenAPI schema, so that the schema's fuzzing reaches them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from regie.casework.models import PendingDecision
from regie.core.projection import STATUSES as CASE_STATUSES

Q_MAX = 100  # assumption: longer than any name or BSN anyone searches for
ID_MAX = 2**63 - 1  # the database's bigint
TRUE, FALSE = ("true", "1"), ("false", "0")
PENDING_STATUSES = tuple(s for s, _ in PendingDecision.STATUSES) + ("all",)


def _bad(name: str, message: str):
    return ValidationError({name: [message]})


def _text(name: str, raw: str) -> str:
    value = raw.strip()
    if len(value) > Q_MAX:
        raise _bad(name, _("Gebruik hoogstens %(n)s tekens.") % {"n": Q_MAX})
    if any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise _bad(name, _("Gebruik geen stuurtekens."))
    return value


def _id(name: str, raw: str) -> int:
    value = raw.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= ID_MAX:
        raise _bad(name, _("Geef het id als positief geheel getal."))
    return int(value)


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip()
    if value not in choices:
        raise _bad(name, _("Kies uit: %(choices)s.") % {"choices": ", ".join(choices)})
    return value


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise _bad(name, _("Geef true of false."))


KINDS = {
    "q": lambda name, raw: _text(name, raw),
    "client": _id,
    "case_status": lambda name, raw: _choice(name, raw, CASE_STATUSES),
    "pending_status": lambda name, raw: _choice(name, raw, PENDING_STATUSES),
    "mine": _flag,
}


def query(request, name: str, *, kind: str | None = None):
    """The validated value of query parameter ``name`` (None when absent or empty); a bad value raises a 400
    naming it."""
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return None
    return KINDS[kind or name](name, raw)


class Pagination(PageNumberPagination):
    """``?page=`` must be a positive integer (400 naming ``page``); a page past the last is 404."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            value = raw.strip()
            if value != "last" and (not value.isascii() or not value.isdigit() or not 1 <= int(value) <= ID_MAX):
                raise _bad(self.page_query_param, _("Geef het paginanummer als positief geheel getal."))
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(_("Deze pagina bestaat niet.")) from None


PAGE = OpenApiParameter(
    "page",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="Page number (50 per page); not a positive integer is 400, past the last 404.",
)
Q = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description=f"Search by name or full BSN (at most {Q_MAX} characters, no control characters).",
)
CLIENT = OpenApiParameter(
    "client",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="Only the cases of this client (its id).",
)
CASE_STATUS = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=list(CASE_STATUSES),
    description="Only cases with this status.",
)
MINE = OpenApiParameter(
    "mine",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description="true (or 1): only the cases you are the caseworker of.",
)
PENDING_STATUS = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=list(PENDING_STATUSES),
    default="pending",
    description="Which decisions: waiting (default), approved, rejected or all.",
)

CLIENT_LIST_PARAMETERS = [Q, PAGE]
CASE_LIST_PARAMETERS = [CLIENT, CASE_STATUS, MINE, PAGE]
PENDING_LIST_PARAMETERS = [PENDING_STATUS, PAGE]
EVENT_LIST_PARAMETERS = [PAGE]
