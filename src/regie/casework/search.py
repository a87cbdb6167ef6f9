"""Finding clients the way Dutch users search, the same on SQLite and PostgreSQL.

The client row carries pre-folded search keys (:mod:`regie.core.names`): ``name_key`` (surname without
voorvoegsel, accent-folded, lower case: "van der Linden" -> "linden"), ``family_key`` (the whole surname folded:
"van der linden"), ``given_key`` and ``postcode_key`` ("1234ab", from the client record: the current woonadres,
else the briefadres). The keys are written by ``Client.save`` (registration, rectification) and by the importer
(bulk), and :func:`reindex` recomputes them; ``postcode_key`` follows the record's address events
(:func:`refresh_postcode`). The query is folded the same way in Python, so the database only compares plain text
with a range on an indexed column -- no collation, ``unaccent`` or ``ILIKE`` involved.

What a query may be (:func:`search_clients`):
- a name, or its start: "linden", "van der linden", "Öztürk"/"ozturk", "sanne van der linden", "linden sanne",
  "linden, sanne";
- a BSN (nine digits, full only, and only a valid one by the elfproef: no prefix search, which would let a user
  enumerate BSNs);
- a date of birth ``dd-mm-jjjj`` (also d-m-jjjj and with / or .);
- a case number (the dossier's external id, exact);
- a postcode (1234 AB, 1234ab).
Results sort as Dutch registers do: surname without voorvoegsel, then given name (:func:`dutch_order`).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet

from regie.core.bsn import is_valid_bsn
from regie.core.clientrecord import fold_record
from regie.core.events import RECORD_TYPES
from regie.core.names import fold, search_terms, surname_key

POSTCODE_QUERY = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
DATE_QUERY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
CASE_NUMBER = re.compile(r"^[A-Za-z]+-[0-9A-Za-z-]+$")

# Fields by which the worklist and client lists sort (Dutch register order).
DUTCH_ORDER = ("name_key", "given_key", "family_key")


def name_keys(given_name: str, family_name: str) -> dict[str, str]:
    """The name search keys of a client row."""
    return {"name_key": surname_key(family_name), "family_key": fold(family_name), "given_key": fold(given_name)}


def postcode_key(postcode: str | None) -> str:
    """ "1234 AB" -> "1234ab"; "" when the text is not a Dutch postcode."""
    m = POSTCODE_QUERY.match((postcode or "").strip())
    return f"{m.group(1)}{m.group(2).lower()}" if m else ""


def _starts(field: str, text: str) -> Q:
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff"})


def name_match(query: str, prefix: str = "") -> Q:
    """The Q object on the client's keys (``prefix`` e.g. ``"case__client__"``) for a typed name."""
    words = [w for w in re.split(r"[\s,]+", fold(query)) if w]
    if not words:
        return Q(pk__in=[])

    def surname(text: str) -> Q:
        folded, bare = search_terms(text)
        q = _starts(f"{prefix}family_key", folded)
        if bare:
            q |= _starts(f"{prefix}name_key", bare)
        return q

    def given(text: str) -> Q:
        return _starts(f"{prefix}given_key", text)

    whole = " ".join(words)
    match = surname(whole) | given(whole)
    for k in range(1, len(words)):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        match |= (surname(head) & given(tail)) | (given(head) & surname(tail))
    return match


def _birth_date(query: str) -> dt.date | None:
    m = DATE_QUERY.match(query)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def query_kind(query: str) -> str:
    """What the user typed: ``bsn``, ``invalid_bsn``, ``birth_date``, ``postcode``, ``case`` or ``name``."""
    q = query.strip()
    digits = q.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) == 9:
        return "bsn" if is_valid_bsn(digits) else "invalid_bsn"
    if DATE_QUERY.match(q):
        return "birth_date"
    if POSTCODE_QUERY.match(q):
        return "postcode"
    if CASE_NUMBER.match(q) and any(ch.isdigit() for ch in q):
        return "case"
    return "name"


def client_filter(query: str, prefix: str = "") -> Q:
    """The filter on clients (``prefix`` ``""`` for a Client queryset, ``"case__client__"`` from CaseState) for
    one search text. An invalid BSN or date matches nothing (rather than everything)."""
    q = query.strip()
    kind = query_kind(q)
    if kind == "bsn":
        return Q(**{f"{prefix}bsn": q.replace(" ", "").replace(".", "")})
    if kind == "invalid_bsn":
        return Q(pk__in=[])
    if kind == "birth_date":
        born = _birth_date(q)
        return Q(**{f"{prefix}birth_date": born}) if born else Q(pk__in=[])
    if kind == "postcode":
        return Q(**{f"{prefix}postcode_key": postcode_key(q)})
    if kind == "case":
        cases = f"{prefix}cases__external_id" if prefix == "" else "case__external_id"
        # A case number that is also a name start ("K-12" is not a name; still allow the name search) -- exact.
        return Q(**{cases: q}) | Q(**{cases: q.upper()})
    return name_match(q, prefix)


def search_clients(qs: QuerySet, query: str) -> QuerySet:
    """``qs`` (clients) narrowed to the search text, in Dutch register order."""
    if query.strip():
        qs = qs.filter(client_filter(query)).distinct()
    return qs.order_by(*DUTCH_ORDER, "id")


def client_postcode(client) -> str:
    """The postcode key of the client's current address per the client record (woonadres, else briefadres)."""
    from .models import Event

    events = list(
        Event.objects.filter(case__client=client, type__in=("adres_wijziging",))
        .order_by("effective_date", "id")
        .values("type", "effective_date", "payload")
    )
    record = fold_record({"contact": client.contact}, events)
    address = record.woonadres or record.briefadres
    return postcode_key(address.postcode if address else "")


def refresh_postcode(client) -> str:
    """Bring ``client.postcode_key`` in line with the record (after an address event); returns the key."""
    from .models import Client

    key = client_postcode(client)
    if key != client.postcode_key:
        Client.objects.filter(pk=client.pk).update(postcode_key=key)
        client.postcode_key = key
    return key


def reindex(municipality_id: int | None = None, client_ids=None) -> int:
    """Recompute every search key of the municipality's clients (or of ``client_ids``). Returns the number of
    clients whose keys changed."""
    from .models import Client, Event

    qs = Client.objects.all()
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    if client_ids is not None:
        qs = qs.filter(pk__in=list(client_ids))
    with_address = set(
        Event.objects.filter(case__client__in=qs, type__in=RECORD_TYPES & {"adres_wijziging"})
        .values_list("case__client_id", flat=True)
        .distinct()
    )
    changed = []
    for client in qs.only("id", "given_name", "family_name", "contact", *DUTCH_ORDER, "postcode_key").iterator(
        chunk_size=2000
    ):
        keys = name_keys(client.given_name, client.family_name)
        keys["postcode_key"] = (
            client_postcode(client)
            if client.pk in with_address
            else postcode_key((client.contact or {}).get("postcode"))
        )
        if any(getattr(client, k) != v for k, v in keys.items()):
            for k, v in keys.items():
                setattr(client, k, v)
            changed.append(client)
    Client.objects.bulk_update(changed, [*DUTCH_ORDER, "postcode_key"], batch_size=1000)
    return len(changed)
