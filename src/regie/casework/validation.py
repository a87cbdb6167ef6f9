"""Checks of an event in the context of its case, the same for every writer (web form, REST API, import).

The payload schema and date plausibility are the core's (:func:`regie.core.events.validate_event`). Here: what
only the case's history or the municipality can tell --

- no event precedes the case's melding;
- an end does not precede its start (traject_einde / rapportage / driegesprek vs traject_start, ontheffing_einde
  vs ontheffing_start, nazorg_einde vs uitstroom), and ends name a trajectory or exemption the case has;
- the provider of a traject_start is one of the municipality's providers (by code);
- an uitstroom says what becomes of every trajectory still open (``trajectory_results``);
- an aanvraag dated before the end of the search period records why (``search_period_exception``, Pw art. 41
  lid 4; domain brief section 3, line 34);
- the search period itself comes from the national layer in force on the melding date.

:class:`CaseHistory` holds the rules in plain Python so the importer (events in any order in the file) and
``services.append_event`` (one new event against the stored log) apply the same ones. Messages are Dutch
(:class:`regie.core.events.Message`); :func:`localise` translates them in the user's language.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.dispatch import Signal
from django.utils.translation import gettext

from regie.core.dates import nl_date
from regie.core.events import EventError, Message, label

NEW = "new"  # the ref of the event being appended (services.append_event)


def _d(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


# --- The search period from the national layer -----------------------------------------------------------------


@lru_cache(maxsize=4)
def _national_layers(root: str) -> tuple:
    from regie.core.policy.loader import PolicyError, PolicyUnavailable, load_national

    try:
        return tuple(
            sorted((load_national(f) for f in sorted((Path(root) / "national").glob("*.yaml"))), key=lambda t: t[0])
        )
    except PolicyError as exc:
        raise PolicyUnavailable(
            "Het landelijke beleid kan niet worden geladen. Neem contact op met de functioneel beheerder.",
            str(exc),
            problems=exc.problems,
        ) from exc


def search_period_rule(on: dt.date):
    """The national layer's search period rule in force on ``on`` (``max_age``, ``weeks``, ``source``).

    The search period is national law, so a municipality without its own policy file still gets it. No national
    layer in force is an error (PolicyUnavailable), never a melding without a search period."""
    from regie.core.policy.loader import policy_dir

    return _rule_in(str(policy_dir().resolve()), on)


def search_period_rules():
    """:func:`search_period_rule` for many dates: the policy directory resolved once and the rule looked up
    once per date (an import asks for thousands of melding dates)."""
    from regie.core.policy.loader import policy_dir

    root = str(policy_dir().resolve())
    return lru_cache(maxsize=None)(lambda on: _rule_in(root, on))


def _rule_in(root: str, on: dt.date):
    from regie.core.policy.loader import PolicyUnavailable

    layers = _national_layers(root)
    in_force = bisect_right(_layer_starts(root), on)  # the layers are sorted by their start: those since <= on
    if not in_force:
        raise PolicyUnavailable(
            f"Er is geen landelijk beleid dat geldt op {nl_date(on)}: Regie kan de zoekperiode niet "
            "bepalen. Neem contact op met de functioneel beheerder.",
            f"no national layer in force on {on.isoformat()} in {root}/national",
            on=on,
        )
    return layers[in_force - 1][1].search_period


@lru_cache(maxsize=4)
def _layer_starts(root: str) -> tuple:
    return tuple(since for since, _layer in _national_layers(root))


def search_period_end(birth_date: dt.date | None, melding_date: dt.date, rule=None) -> dt.date | None:
    """The end of the search period for a melding on ``melding_date``: ``weeks`` after it for a client under
    ``max_age`` (Pw art. 41 lid 4), else None. Raises PolicyUnavailable without a national layer.

    ``rule``: :func:`search_period_rule` or a cached copy of it (the importer looks the rule up once per date)."""
    if birth_date is None:
        return None
    sp = (rule or search_period_rule)(melding_date)
    if not sp.applies_on(melding_date):  # the law had no search period yet
        return None
    age = (
        melding_date.year
        - birth_date.year
        - ((melding_date.month, melding_date.day) < (birth_date.month, birth_date.day))
    )
    return melding_date + dt.timedelta(weeks=sp.weeks) if age < sp.max_age else None


# --- The rules over a case's history --------------------------------------------------------------------------


@dataclass
class _Span:
    start: dt.date | None = None
    start_ref: object = None
    ends: list[tuple[dt.date, object]] = field(default_factory=list)
    reports: list[tuple[dt.date, object, str]] = field(default_factory=list)


@dataclass
class CaseHistory:
    """What the rules need of one case: dates of meldingen, starts and ends, outflows, applications."""

    meldingen: list[tuple[dt.date, object, str | None, str | None]] = field(default_factory=list)
    earliest: tuple[dt.date, object] | None = None  # the earliest event that is not a melding or herinstroom
    trajectories: dict[str, _Span] = field(default_factory=dict)
    exemptions: dict[str, _Span] = field(default_factory=dict)
    outflows: list[tuple[dt.date, object, frozenset]] = field(default_factory=list)
    aftercare_ends: list[tuple[dt.date, object]] = field(default_factory=list)
    applications: list[tuple[dt.date, object, str | None]] = field(default_factory=list)
    duplicates: list[tuple[object, str, str]] = field(default_factory=list)
    route: list[tuple[str, dt.date, object, dict]] = field(default_factory=list)  # route steps, in order added
    # agenda: appointment id -> (planned: ref or None, outcomes: [(date, ref)])
    appointments: dict[str, tuple[list, list]] = field(default_factory=dict)

    def add(self, event_type: str, effective: dt.date, payload: dict, ref: object) -> None:
        if event_type in ("melding", "herinstroom"):
            if event_type == "melding":
                self.meldingen.append(
                    (effective, ref, payload.get("search_period_end"), payload.get("search_period_exception"))
                )
            return
        if self.earliest is None or effective < self.earliest[0]:
            self.earliest = (effective, ref)
        if event_type in ("afspraak", "afspraak_uitkomst"):  # agenda
            plans, outcomes = self.appointments.setdefault(payload["appointment_id"], ([], []))
            (plans if event_type == "afspraak" else outcomes).append((effective, ref))
            return
        if event_type == "traject_start":
            span = self.trajectories.setdefault(payload["trajectory_id"], _Span())
            if span.start is not None:
                self.duplicates.append((ref, "payload.trajectory_id", payload["trajectory_id"]))
            else:
                span.start, span.start_ref = effective, ref
        elif event_type == "traject_einde":
            self.trajectories.setdefault(payload["trajectory_id"], _Span()).ends.append((effective, ref))
        elif event_type in ("rapportage", "driegesprek") and payload.get("trajectory_id"):
            self.trajectories.setdefault(payload["trajectory_id"], _Span()).reports.append((effective, ref, event_type))
        elif event_type == "ontheffing_start":
            span = self.exemptions.setdefault(payload["exemption_id"], _Span())
            if span.start is not None:
                self.duplicates.append((ref, "payload.exemption_id", payload["exemption_id"]))
            else:
                span.start, span.start_ref = effective, ref
        elif event_type == "ontheffing_einde":
            self.exemptions.setdefault(payload["exemption_id"], _Span()).ends.append((effective, ref))
        elif event_type == "uitstroom":
            self.outflows.append((effective, ref, frozenset(payload.get("trajectory_results") or {})))
        elif event_type == "nazorg_einde":
            self.aftercare_ends.append((effective, ref))
        elif event_type == "aanvraag":
            self.applications.append((effective, ref, payload.get("search_period_exception")))
        if event_type in ROUTE_ORDERED:
            self.route.append((event_type, effective, ref, payload))

    def problems(self) -> list[tuple[object, str, Message]]:
        """Every rule broken, as (ref of the event at fault, field, Dutch message)."""
        out: list[tuple[object, str, Message]] = []
        for ref, fieldname, value in self.duplicates:
            out.append(
                (
                    ref,
                    fieldname,
                    Message("%(field)s %(id)s bestaat al in dit dossier", field=label(fieldname), id=value),
                )
            )
        # agenda: an appointment id once per case; an outcome names a planned appointment, and only one outcome
        for ident, (plans, outcomes) in self.appointments.items():
            for _when, ref in plans[1:]:
                out.append(
                    (ref, "payload.appointment_id", Message("Afspraak %(id)s bestaat al in dit dossier", id=ident))
                )
            for _when, ref in outcomes if not plans else outcomes[1:]:
                out.append(
                    (
                        ref,
                        "payload.appointment_id",
                        Message("Afspraak %(id)s: dit dossier heeft geen afspraak met dit nummer", id=ident)
                        if not plans
                        else Message("Afspraak %(id)s heeft al een uitkomst", id=ident),
                    )
                )
        first_melding = min(self.meldingen, key=lambda m: m[0]) if self.meldingen else None
        if first_melding and self.earliest and self.earliest[0] < first_melding[0]:
            out.append(
                (
                    self.earliest[1],
                    "effective_date",
                    Message(
                        "Ingangsdatum (%(date)s) ligt vóór de melding van dit dossier (%(melding)s)",
                        date=nl_date(self.earliest[0]),
                        melding=nl_date(first_melding[0]),
                    ),
                )
            )
        for what, spans, start_type in (
            ("trajectory_id", self.trajectories, "traject_start"),
            ("exemption_id", self.exemptions, "ontheffing_start"),
        ):
            for ident, span in spans.items():
                first_end = min(span.ends, key=lambda e: e[0])[0] if span.ends else None
                for _end, ref in sorted(span.ends, key=lambda e: e[0])[1:]:
                    out.append(
                        (
                            ref,
                            f"payload.{what}",
                            Message(
                                "%(field)s %(id)s is al beëindigd (%(date)s)",
                                field=label(what),
                                id=ident,
                                date=nl_date(first_end),
                            ),
                        )
                    )
                # ends and reports of the span: its start must exist and come first
                for when, ref in [*span.ends, *((date, ref) for date, ref, _kind in span.reports)]:
                    if span.start is None:
                        out.append(
                            (
                                ref,
                                f"payload.{what}",
                                Message(
                                    "%(field)s %(id)s: dit dossier heeft geen %(start)s met dit nummer",
                                    field=label(what),
                                    id=ident,
                                    start=Message(_START_LABELS[start_type]),
                                ),
                            )
                        )
                    elif when < span.start:
                        out.append(
                            (
                                ref,
                                "effective_date",
                                Message(
                                    "Ingangsdatum (%(date)s) ligt vóór de start van %(id)s (%(start)s)",
                                    date=nl_date(when),
                                    id=ident,
                                    start=nl_date(span.start),
                                ),
                            )
                        )
        for date, ref in self.aftercare_ends:
            before = [u for u in self.outflows if u[0] <= date]
            if not before:
                latest = max((u[0] for u in self.outflows), default=None)
                out.append(
                    (
                        ref,
                        "effective_date",
                        Message(
                            "Ingangsdatum (%(date)s): nazorg eindigt na een uitstroom, en %(why)s",
                            date=nl_date(date),
                            why=Message("dit dossier heeft geen uitstroom")
                            if latest is None
                            else Message("de uitstroom is op %(outflow)s", outflow=nl_date(latest)),
                        ),
                    )
                )
        for date, ref, named in self.outflows:
            still_open = sorted(
                t
                for t, span in self.trajectories.items()
                if span.start is not None and span.start <= date and not any(end <= date for end, _ in span.ends)
            )
            missing = [t for t in still_open if t not in named]
            if missing:
                out.append(
                    (
                        ref,
                        "payload.trajectory_results",
                        Message(
                            "Resultaat lopende trajecten: geef voor elk lopend traject het resultaat (%(ids)s)",
                            ids=", ".join(missing),
                        ),
                    )
                )
            unknown = sorted(named - set(still_open))
            if unknown:
                out.append(
                    (
                        ref,
                        "payload.trajectory_results",
                        Message(
                            "Resultaat lopende trajecten: %(ids)s is geen lopend traject van dit dossier",
                            ids=", ".join(unknown),
                        ),
                    )
                )
        for date, ref, exception in self.applications:
            meldingen = [m for m in self.meldingen if m[0] <= date]
            if not meldingen or exception:
                continue
            melding_date, _, end, melding_exception = max(meldingen, key=lambda m: m[0])
            end = _d(end)
            if end is not None and date < end and not melding_exception:
                out.append(
                    (
                        ref,
                        "payload.search_period_exception",
                        Message(
                            "Uitzondering zoekperiode: de aanvraag (%(date)s) ligt vóór het einde van de zoekperiode "
                            "(%(end)s, Pw art. 41 lid 4); kies waarom de aanvraag nu al wordt behandeld",
                            date=nl_date(date),
                            end=nl_date(end),
                        ),
                    )
                )
        out += route_problems(self.route)
        return out


# --- route: the order of suspensions, withdrawals and medical advice (Pw art. 54; seed 000:694-696) -------------
ROUTE_ORDERED = frozenset(
    {"opschorting", "opschorting_einde", "intrekking", "medisch_advies_aanvraag", "medisch_advies"}
)


def route_problems(steps: list[tuple[str, dt.date, object, dict]]) -> list[tuple[object, str, Message]]:
    """An opschorting_einde needs an opschorting still running; a second opschorting waits for the first to end; an
    intrekking because the suspension was not repaired (Pw art. 54 lid 4) needs one running and takes effect from
    its first day; a medisch_advies answers a medisch_advies_aanvraag."""
    out: list[tuple[object, str, Message]] = []
    suspended: dt.date | None = None
    requested = False
    for event_type, when, ref, payload in sorted(steps, key=lambda s: s[1]):
        if event_type == "opschorting":
            if suspended is not None:
                out.append(
                    (
                        ref,
                        "effective_date",
                        Message("Het recht is al opgeschort sinds %(date)s", date=nl_date(suspended)),
                    )
                )
            else:
                suspended = when
        elif event_type == "opschorting_einde":
            if suspended is None:
                out.append((ref, "effective_date", Message("Dit dossier heeft geen lopende opschorting")))
            suspended = None
        elif event_type == "intrekking":
            if payload.get("reason") == "verzuim_niet_hersteld":
                if suspended is None:
                    out.append(
                        (
                            ref,
                            "payload.reason",
                            Message(
                                "Reden: intrekken omdat het verzuim niet is hersteld kan alleen na een lopende "
                                "opschorting (Pw art. 54 lid 4)"
                            ),
                        )
                    )
                elif (given := _d(payload.get("from_date"))) is not None and given != suspended:
                    out.append(
                        (
                            ref,
                            "payload.from_date",
                            Message(
                                "Met ingang van: de intrekking na een niet herstelde opschorting gaat in op de eerste "
                                "dag van de opschorting (%(date)s, Pw art. 54 lid 4)",
                                date=nl_date(suspended),
                            ),
                        )
                    )
            suspended = None
        elif event_type == "medisch_advies_aanvraag":
            requested = True
        elif event_type == "medisch_advies":
            if not requested:
                out.append((ref, "effective_date", Message("Leg eerst de aanvraag van het medisch advies vast")))
            requested = False
    return out


def open_suspension(case, on: dt.date) -> dt.date | None:
    """The first day of the opschorting running on ``on`` (from the stored log), or None."""
    from .models import Event

    suspended = None
    rows = (
        Event.objects.filter(
            case=case, type__in=("opschorting", "opschorting_einde", "intrekking"), effective_date__lte=on
        )
        .order_by("effective_date", "id")
        .values_list("type", "effective_date")
    )
    for etype, when in rows:
        suspended = (
            when if etype == "opschorting" and suspended is None else (suspended if etype == "opschorting" else None)
        )
    return suspended


_START_LABELS = {"traject_start": "traject", "ontheffing_start": "ontheffing"}


# --- Adapters: the stored log, the municipality, the user's language ------------------------------------------


def history_of(case) -> CaseHistory:
    """The history of a stored case (its events in order)."""
    from .models import Event

    history = CaseHistory()
    rows = (
        Event.objects.filter(case=case)
        .order_by("effective_date", "id")
        .values_list("id", "type", "effective_date", "payload")
    )
    for pk, etype, eff, payload in rows:
        history.add(etype, eff, payload or {}, pk)
    return history


def provider_codes(municipality_id: int) -> set[str]:
    from regie.accounts.models import Provider

    return set(Provider.objects.filter(municipality_id=municipality_id).values_list("code", flat=True))


def contract_problem(municipality_id: int, payload: dict, on: dt.date) -> Message | None:
    """A referral to a provider whose registered contract does not run on the start date (provider register)."""
    from regie.accounts.models import Provider

    code = payload.get("provider")
    provider = Provider.objects.filter(municipality_id=municipality_id, code=code).first() if code else None
    if provider is None or provider.contracted_on(on):
        return None
    return Message(
        "Aanbieder %(code)s heeft op %(date)s geen lopend contract met de gemeente: kies een gecontracteerde aanbieder",
        code=code,
        date=nl_date(on),
    )


def provider_problem(code: str | None, known: set[str]) -> Message | None:
    if code and code not in known:
        return Message(
            "Aanbieder %(code)s is geen aanbieder van deze gemeente: kies een van de gecontracteerde aanbieders",
            code=code,
        )
    return None


def check_in_case(case, event_type: str, effective_date: dt.date, payload: dict) -> list[tuple[str, Message]]:
    """What is wrong with appending this (schema-valid) event to ``case``: (field, Dutch message) pairs."""
    errors: list[tuple[str, Message]] = []
    if event_type == "traject_start" and (
        problem := provider_problem(payload.get("provider"), provider_codes(case.municipality_id))
    ):
        errors.append(("payload.provider", problem))
    elif event_type == "traject_start" and (problem := contract_problem(case.municipality_id, payload, effective_date)):
        errors.append(("payload.provider", problem))
    # --- documents --- a document event names a file already in the documents storage (regie.documents stores the
    # file first, then records the event); a step form or API call without a file is refused.
    if event_type == "document" and not _document_stored(payload.get("storage_key") or ""):
        errors.append(
            (
                "payload.storage_key",
                Message("Het bestand van dit document is niet opgeslagen: voeg een document toe via Documenten"),
            )
        )
    if event_type == "afspraak":  # agenda: the provider of a driegesprek is contracted; the caseworker works here
        if problem := provider_problem(payload.get("provider"), provider_codes(case.municipality_id)):
            errors.append(("payload.provider", problem))
        from regie.accounts.models import User

        if not User.objects.filter(username=payload["caseworker"], municipality_id=case.municipality_id).exists():
            errors.append(
                (
                    "payload.caseworker",
                    Message("Klantmanager %(name)s werkt niet bij deze gemeente", name=payload["caseworker"]),
                )
            )
    errors += reference_problems(case.municipality_id, event_type, payload)  # employers2: employer, vacancy
    history = history_of(case)
    history.add(event_type, effective_date, payload, NEW)
    errors += [(f, m) for ref, f, m in history.problems() if ref == NEW]
    from .legal import legal_problems  # legal: voornemen, bezwaar, beroep refer to the case's own events

    errors += legal_problems(case, event_type, effective_date, payload)
    return errors


# --- employers2: references to the objects of apps above casework (an employer, a vacancy) ----------------------
# An app above casework connects a receiver (``sender=None, municipality_id, event_type, payload, memo``) that
# returns (field, Message) pairs for the ids it owns; ``memo`` is a dict the importer keeps for the whole file (a
# receiver may cache there), None for one event. Every writer goes through here: the gate and append_event
# (check_in_case) and the importer (interchange.importer), so a foreign or unknown id is refused on every path.
reference_check = Signal()
# The event types a reference_check receiver answers for (each receiver's app adds its own in AppConfig.ready).
REFERENCING_TYPES: set[str] = set()


def reference_problems(
    municipality_id: int | None, event_type: str, payload: dict, memo: dict | None = None
) -> list[tuple[str, Message]]:
    if event_type not in REFERENCING_TYPES:  # most events name no other record: no signal per event (imports)
        return []
    out: list[tuple[str, Message]] = []
    for _receiver, problems in reference_check.send(
        sender=None, municipality_id=municipality_id, event_type=event_type, payload=payload, memo=memo
    ):
        out += problems or []
    return out


def _document_stored(key: str) -> bool:
    from django.core.files.storage import storages

    return bool(key) and storages["documents"].exists(key)


def translate(message) -> str:
    """A message in the active language (a :class:`Message` through gettext; other text as it is)."""
    if isinstance(message, Message):
        params = {k: translate(v) for k, v in message.params.items()}
        return gettext(message.template) % params if params else gettext(message.template)
    return str(message)


def localise(exc: EventError) -> EventError:
    """The same errors with their messages in the active language (Dutch first; English in the English UI). A
    message naming its field names it by the label registry (regie.platform.labels: the step forms' labels too,
    which the core's table lacks)."""
    from regie.core.events import or_list
    from regie.platform.labels import field_label, option_label

    def named(f, m):
        if not isinstance(m, Message):
            return m
        params = m.params
        if params.get("options") and f:  # a choice among options: named by their labels, not their keys
            key = next((p for p in reversed(f.split(".")) if not p.isdigit()), f)
            words = or_list(
                params["options"], lambda o: option_label(key, o, params.get("event_type") or None), gettext("of")
            )
            params = {**params, "expected": words}
        # only where the core named the field by its raw key (it lacks the step forms' labels): a message that
        # already names a nested field by its label ("Huisnummer" under "payload") keeps it
        raw = params.get("field")
        if f and isinstance(raw, str) and raw in (f, f.rsplit(".", 1)[-1]):
            params = {**params, "field": field_label(raw)}
        return Message(m.template, **params) if params is not m.params else m

    return EventError([(f, translate(named(f, m))) for f, m in exc.errors])
