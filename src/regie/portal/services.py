"""Writers of the portal: who logged in (the BSN linked to the client and to authorisations), and the audit lines.

Every audit line of the portal names the client's file and who acted: ``client:<id>`` (role ``client``) or
``vertegenwoordiger:M<machtiging>:client:<id>`` (role ``vertegenwoordiger``). No BSN is ever logged.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from regie.accounts.models import Municipality
from regie.audit.services import log, origin_of
from regie.casework.models import Client
from regie.core.bsn import is_valid_bsn

from .models import ROLES, Machtiging
from .session import Identity

ANONYMOUS = "portal:anonymous"


def identify(municipality: Municipality, bsn: str, level: str, on: dt.date | None = None) -> Identity | None:
    """The identity of a person with this BSN at this municipality: their own client file (if any) and the files
    they are authorised for today; None when there is neither (or the BSN fails the elfproef)."""
    if not is_valid_bsn(bsn):
        return None
    on = on or timezone.localdate()
    own = Client.objects.filter(municipality=municipality, bsn=bsn).values_list("pk", flat=True).first()
    allowed: dict[int, int | None] = {own: None} if own else {}
    for m in Machtiging.objects.filter(municipality=municipality, representative_bsn=bsn).order_by("pk"):
        if m.in_force(on) and m.client_id not in allowed:
            allowed[m.client_id] = m.pk
    if not allowed:
        return None
    return Identity(
        municipality_id=municipality.pk,
        municipality_code=municipality.code,
        kind="client" if own else "vertegenwoordiger",
        own_client_id=own,
        allowed=allowed,
        acting_for=own or next(iter(allowed)),
        level=level,
    )


def still_authorised(identity: Identity, on: dt.date | None = None) -> bool:
    """Whether the machtiging the identity acts under is still in force (a revoked one ends access at once)."""
    if identity.machtiging_id is None:
        return True
    m = Machtiging.objects.filter(pk=identity.machtiging_id, client_id=identity.acting_for).first()
    return bool(m and m.in_force(on or timezone.localdate()))


def grant(
    client: Client,
    *,
    representative_bsn: str,
    representative_name: str,
    role: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    contact_id: str = "",
    by=None,
) -> Machtiging:
    """Record an authorisation (from the court order or the client's signed form); audited."""
    if not is_valid_bsn(representative_bsn):
        raise ValueError("representative_bsn fails the elfproef")
    m = Machtiging.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        representative_bsn=representative_bsn,
        representative_name=representative_name,
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
        contact_id=contact_id,
        created_by=by,
    )
    log(
        actor=by or "cli:portal",
        action="create",
        object_type="machtiging",
        object_id=m.pk,
        origin="regie",
        municipality_id=client.municipality_id,
        detail=f"client {client.pk} role {role}",
    )
    return m


# --- the caseworker's register of machtigingen (the case page's section, staff_views) ---

MACHTIGING_HORIZON_DAYS = 366  # assumption: a machtiging is recorded at most a year before it starts


class MachtigingError(ValueError):
    """Bad input for a machtiging: ``errors`` maps a form field to a Dutch message naming it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _parse_day(value, field: str, label: str, errors: dict) -> dt.date | None:
    from django.utils.translation import gettext as _

    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    text = str(value).strip()
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d-%m-%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    errors[field] = _("%(label)s: geen geldige datum (dd-mm-jjjj).") % {"label": label}
    return None


def record_machtiging(client: Client, by, values: dict) -> Machtiging:
    """Record a machtiging from the caseworker's form (court order: BW art. 1:431 bewind, 1:450 mentorschap,
    1:378 curatele; or the client's signed authorisation). Checks every field and names it in Dutch
    (:class:`MachtigingError`): the representative's BSN (elfproef, not the client's own), name, kind, start date
    (plausible: from 1900, at most a year ahead), end date after the start, an optional document of the client's
    own file, and no machtiging in force for the same person and period. Audited (by :func:`grant`)."""
    from django.utils.translation import gettext as _

    from regie.casework.validation import translate
    from regie.core.bsn import bsn_problem
    from regie.documents.models import Document

    errors: dict[str, str] = {}
    bsn = "".join(str(values.get("representative_bsn") or "").split())
    if not bsn:
        errors["representative_bsn"] = _("BSN van de vertegenwoordiger: vul het BSN in.")
    elif problem := bsn_problem(bsn):
        errors["representative_bsn"] = _("BSN van de vertegenwoordiger: %(problem)s.") % {"problem": translate(problem)}
    elif bsn == client.bsn:
        errors["representative_bsn"] = _("BSN van de vertegenwoordiger: dit is het BSN van de klant zelf.")
    name = " ".join(str(values.get("representative_name") or "").split())
    if not name:
        errors["representative_name"] = _("Naam van de vertegenwoordiger: vul de naam in.")
    elif len(name) > 200:
        errors["representative_name"] = _("Naam van de vertegenwoordiger: hoogstens 200 tekens.")
    role = str(values.get("role") or "")
    if role not in ROLES:
        errors["role"] = _("Soort machtiging: kies bewindvoerder, mentor, curator of gemachtigde.")
    today = timezone.localdate()
    start = _parse_day(values.get("valid_from"), "valid_from", _("Ingangsdatum"), errors)
    end = _parse_day(values.get("valid_until"), "valid_until", _("Einddatum"), errors)
    if start is None and "valid_from" not in errors:
        errors["valid_from"] = _("Ingangsdatum: vul de datum in waarop de machtiging ingaat.")
    elif start is not None and not (dt.date(1900, 1, 1) <= start <= today + dt.timedelta(MACHTIGING_HORIZON_DAYS)):
        errors["valid_from"] = _("Ingangsdatum: kies een datum na 1900 en uiterlijk een jaar na vandaag.")
    if start and end and end < start:
        errors["valid_until"] = _("Einddatum: ligt vóór de ingangsdatum.")
    document = None
    if doc_id := str(values.get("document") or "").strip():
        document = Document.objects.filter(pk=int(doc_id) if doc_id.isdigit() else 0, case__client=client).first()
        if document is None:
            errors["document"] = _("Document: kies een document uit het dossier van deze klant.")
    if not errors:
        for other in Machtiging.objects.filter(client=client, representative_bsn=bsn, ended_at__isnull=True):
            if other.valid_from <= (end or dt.date.max) and start <= (other.valid_until or dt.date.max):
                errors["representative_bsn"] = _(
                    "BSN van de vertegenwoordiger: deze persoon heeft al een machtiging voor deze klant in die periode "
                    "(vanaf %(date)s). Beëindig die eerst."
                ) % {"date": f"{other.valid_from:%d-%m-%Y}"}
    if errors:
        raise MachtigingError(errors)
    m = grant(
        client,
        representative_bsn=bsn,
        representative_name=name,
        role=role,
        valid_from=start,
        valid_until=end,
        by=by,
    )
    if document is not None:
        Machtiging.objects.filter(pk=m.pk).update(document=document)
        m.document = document
    return m


def end_machtiging(m: Machtiging, by, values: dict) -> Machtiging:
    """End a machtiging on a date (default today): it gives no access after that day (Mijn Regie checks it on
    every request, :func:`still_authorised`). Not before its start, not later than an end already set, at most a
    year ahead; ending twice is refused. Audited."""
    from django.utils.translation import gettext as _

    errors: dict[str, str] = {}
    today = timezone.localdate()
    on = _parse_day(values.get("valid_until") or today, "valid_until", _("Einddatum"), errors)
    if m.ended_at is not None:
        errors["valid_until"] = _("Deze machtiging is al beëindigd.")
    elif on is not None and on < m.valid_from:
        errors["valid_until"] = _("Einddatum: ligt vóór de ingangsdatum (%(date)s).") % {
            "date": f"{m.valid_from:%d-%m-%Y}"
        }
    elif on is not None and m.valid_until is not None and on > m.valid_until:
        errors["valid_until"] = _("Einddatum: de machtiging eindigt al op %(date)s.") % {
            "date": f"{m.valid_until:%d-%m-%Y}"
        }
    elif on is not None and on > today + dt.timedelta(MACHTIGING_HORIZON_DAYS):
        errors["valid_until"] = _("Einddatum: uiterlijk een jaar na vandaag.")
    if errors:
        raise MachtigingError(errors)
    m.valid_until, m.ended_by, m.ended_at = on, by, timezone.now()
    m.save(update_fields=["valid_until", "ended_by", "ended_at"])
    log(
        actor=by,
        action="update",
        object_type="machtiging",
        object_id=m.pk,
        origin="regie",
        municipality_id=m.municipality_id,
        detail=f"client {m.client_id} role {m.role} ended {on:%Y-%m-%d}",
    )
    return m


def audit(request, identity: Identity, action: str, object_type: str, object_id="", detail: str = "", result="success"):
    """One audit line as the client's own (or their representative's) access."""
    return log(
        actor=identity,
        action=action,
        object_type=object_type,
        object_id=object_id,
        result=result,
        origin=origin_of(request),
        municipality_id=identity.municipality_id,
        detail=(f"portal {identity.kind} level {identity.level}; " + detail)[:500],
    )


def audit_failure(request, municipality_id: int | None, reason: str) -> None:
    log(
        actor=ANONYMOUS,
        action="login_failed",
        object_type="portal",
        result="denied",
        origin=origin_of(request),
        municipality_id=municipality_id,
        detail=f"portal log-in refused: {reason}"[:500],
    )


class PortalActionError(ValueError):
    """A portal action that cannot be done; ``message`` is Dutch, for the client."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


PORTAL_ROLE = "client"


def portal_actor(municipality: Municipality):
    """The account that Mijn Regie records the client's own steps with, one per municipality: inactive, without a
    password and without a Regie role (it can never log in or open a staff page). The event's ``actor_role`` is
    ``client`` and its payload says whether the client or a representative acted (and under which machtiging)."""
    from regie.accounts.models import User

    user, created = User.objects.get_or_create(
        username=f"mijnregie.{municipality.code}",
        defaults={
            "municipality": municipality,
            "role": PORTAL_ROLE,
            "is_active": False,
            "first_name": "Mijn Regie",
            "last_name": "(klant)",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sign_plan(request, identity: Identity, client: Client, *, version: str):
    """The client signs the plan version shown to them: a ``plan_ondertekend`` event through the decision gate."""
    from django.utils.translation import gettext as _

    from regie.casework.decisions import record_step
    from regie.casework.models import CaseState

    from . import selectors

    case = selectors.current_case(client)
    state = CaseState.objects.filter(case=case).first() if case else None
    plan = selectors.plan(case, state) if case else None
    if plan is None:
        raise PortalActionError(_("Er is nog geen plan van aanpak om te ondertekenen."))
    if plan["signed"]:
        raise PortalActionError(_("U heeft dit plan van aanpak al ondertekend."))
    if str(plan["version"]) != str(version).strip():
        raise PortalActionError(_("Het plan is intussen veranderd. Lees het nieuwe plan en onderteken opnieuw."))
    if request.POST.get("akkoord") != "ja":
        raise PortalActionError(_("Zet een vinkje bij 'Ik ga akkoord met dit plan' om te ondertekenen."))
    _outcome, event = record_step(
        case,
        portal_actor(client.municipality),
        event_type="plan_ondertekend",
        effective_date=timezone.localdate(),
        payload={
            "version": plan["version"],
            "signed_by": identity.role,
            "machtiging_id": identity.machtiging_id,
            "assurance": identity.level,
        },
        expected_version=state.version,
    )
    audit(request, identity, "create", "event", event.pk, detail="plan signed")
    return event


# --- what the client can do: each through the app that owns it (benefit, worktasks, journal, documents) ---

CHANGE_HORIZON_DAYS = 366  # assumption: a change is reported at most a year ahead or a year late


def _case_or_refuse(client: Client):
    from django.utils.translation import gettext as _

    from . import selectors

    case = selectors.current_case(client)
    if case is None:
        raise PortalActionError(_("U heeft bij ons nog geen dossier. Bel de gemeente."))
    return case


def _caseworker_or_team(case):
    """Who gets the task: the client's caseworker, else the case's team; None when neither (refused, fail closed)."""
    from regie.casework.models import CaseState

    state = CaseState.objects.filter(case=case).select_related("caseworker").first()
    if state and state.caseworker and state.caseworker.is_active:
        return state.caseworker, None
    return None, case.team


def report_income(request, identity: Identity, client: Client, *, month: str, work_income: str, other_income: str):
    """The monthly income form: an inkomstenopgave (reported by the client) through the benefit app and the gate;
    it feeds the month's settlement (Pw art. 31, 32)."""
    from regie.benefit.services import record_income

    case = _case_or_refuse(client)
    payload = {"month": month.strip(), "reported_by": "client"}
    for key, value in (("work_income", work_income), ("other_income", other_income)):
        value = (value or "").strip().replace("€", "").replace(" ", "")
        if value:
            payload[key] = value.replace(".", "").replace(",", ".") if "," in value else value
    _outcome, event = record_income(
        case, portal_actor(client.municipality), effective_date=timezone.localdate(), payload=payload
    )
    audit(request, identity, "create", "event", event.pk, detail=f"inkomstenopgave {payload['month']}")
    return event


def report_change(request, identity: Identity, client: Client, *, kind: str, change_on, until, description: str):
    """A change of circumstances: a ``wijziging_gemeld`` event (in the timeline) and a work task for the caseworker,
    who judges whether it changes the benefit and records that (a new calculation goes through the gate)."""
    from django.utils.translation import gettext as _

    from regie.casework.decisions import record_step
    from regie.core.events import CHANGE_KINDS
    from regie.worktasks import services as tasks

    case = _case_or_refuse(client)
    today = timezone.localdate()
    if change_on is not None and abs((change_on - today).days) > CHANGE_HORIZON_DAYS:
        from regie.core.events import EventError

        message = _("Datum van de wijziging: kies een datum binnen een jaar van vandaag.")
        raise EventError([("payload.change_on", message)])
    payload = {"kind": kind, "change_on": change_on, "description": description, "reported_by": identity.role}
    if until is not None:
        payload["until"] = until
    _outcome, event = record_step(
        case, portal_actor(client.municipality), event_type="wijziging_gemeld", effective_date=today, payload=payload
    )
    assignee, team = _caseworker_or_team(case)
    if assignee is None and team is None:
        raise PortalActionError(_("Uw wijziging is opgeslagen, maar er is geen klantmanager. Bel de gemeente."))
    tasks.create(
        portal_actor(client.municipality),
        case=case,
        title=_("Wijziging van de klant: %(kind)s") % {"kind": _(CHANGE_KINDS[kind])},
        description=description,
        assignee=assignee,
        team=team,
        due_on=today + dt.timedelta(days=14),  # assumption: a reported change is handled within two weeks
        source="manual",
        source_ref=f"mijnregie:{event.external_id}",
    )
    audit(request, identity, "create", "event", event.pk, detail=f"wijziging {kind}")
    return event


def send_message(request, identity: Identity, client: Client, *, text: str):
    """A message to the caseworker, kept in the journal (a note of the client's file, written by Mijn Regie)."""
    from django.utils.translation import gettext as _

    from regie.journal.services import add_note

    case = _case_or_refuse(client)
    text = (text or "").strip()
    who = _("de klant") if identity.role == "client" else _("de vertegenwoordiger van de klant")
    event = add_note(
        case,
        portal_actor(client.municipality),
        text=_("Bericht van %(who)s via Mijn Regie: %(text)s") % {"who": who, "text": text} if text else "",
    )
    assignee, team = _caseworker_or_team(case)
    if assignee is not None or team is not None:
        from regie.worktasks import services as tasks

        tasks.create(
            portal_actor(client.municipality),
            case=case,
            title=_("Bericht van de klant (Mijn Regie)"),
            description=text[:500],
            assignee=assignee,
            team=team,
            source="manual",
            source_ref=f"mijnregie:{event.external_id}",
        )
    audit(request, identity, "create", "event", event.pk, detail="bericht")
    return event


CLIENT_DOCUMENT_KINDS = ("loonstrook", "bankafschrift", "identiteitsbewijs", "medische_informatie", "overig")


def upload_document(request, identity: Identity, client: Client, *, f, kind: str):
    """A document the caseworker asked for, stored through the documents app (type from the content, size limit)."""
    from django.utils.translation import gettext as _

    from regie.documents.services import DocumentError, store_upload

    case = _case_or_refuse(client)
    if kind not in CLIENT_DOCUMENT_KINDS:
        raise DocumentError([("kind", _("Soort document: kies een soort uit de lijst."))])
    if f is None:
        raise DocumentError([("file", _("Bestand: kies een bestand."))])
    document = store_upload(case, portal_actor(client.municipality), f, kind=kind)
    audit(request, identity, "create", "document", document.pk, detail=f"upload {kind}")
    return document


def objection_term_end(case, decision_event: int) -> dt.date | None:
    """The last day of the objection term against this decision (Awb art. 6:7, 6:8), from the legal state; None
    when the decision was not made known (then no term runs yet)."""
    from regie.casework.legal import legal_state

    d = legal_state(case).decisions.get(str(decision_event))
    return d.objection_term.end if d is not None and d.objection_term is not None else None


def lodge_objection(
    request, identity: Identity, client: Client, *, decision_event: int, grounds: str, late_reason: str = ""
):
    """An objection against one of the client's sent decisions: the ``bezwaar`` event itself, received today (Awb
    art. 2:17, 6:9), through the legal app (:func:`regie.legal.services.receive_objection`: the gate, the
    ontvangstbevestiging, a task for the legal reviewer). A double submit returns the first objection; a late one
    needs the client's reason (Awb art. 6:11)."""
    from django.utils.translation import gettext as _

    from regie.casework.services import ConflictError
    from regie.core.events import EventError
    from regie.legal.services import AlreadyObjected, receive_objection

    from . import selectors

    case = _case_or_refuse(client)
    if not any(row["event_id"] == decision_event for row in selectors.contestable(case)):
        raise EventError([("decision_event", _("Besluit: kies een van uw besluiten uit de lijst."))])
    today = timezone.localdate()
    end = objection_term_end(case, decision_event)
    if end is not None and today > end and not (late_reason or "").strip():
        message = _(
            "Uw bezwaar is te laat: dat kon tot en met %(end)s. Schrijf op waarom u te laat bent. De gemeente "
            "beslist of uw bezwaar toch wordt behandeld."
        ) % {"end": f"{end:%d-%m-%Y}"}
        raise EventError([("late_reason", message)])
    kwargs = {
        "decision_event": decision_event,
        "received_on": today,
        "grounds": grounds,
        "lodged_by": identity.role,
        "machtiging_id": identity.machtiging_id,
        "late_reason": late_reason if end is not None and today > end else "",
    }
    actor = portal_actor(client.municipality)
    try:
        try:
            event, created = receive_objection(case, actor, **kwargs)
        except ConflictError:  # a second submit at the same moment: the first one's objection, or a retry
            event, created = receive_objection(case, actor, **kwargs)
    except AlreadyObjected as exc:
        raise PortalActionError(
            _(
                "U heeft al bezwaar gemaakt tegen dit besluit (ontvangen op %(date)s). Wilt u iets toevoegen? "
                "Stuur dan een bericht."
            )
            % {"date": f"{exc.objection.received_on:%d-%m-%Y}"}
        ) from None
    if created:
        audit(request, identity, "create", "event", event.pk, detail="bezwaar")
    return event


def answer_appointment(request, identity: Identity, client: Client, appointment, *, action: str, reason: str = ""):
    """The client confirms an appointment (a journal note) or asks to move it (a note and a task for the caseworker,
    who plans the new time in the agenda)."""
    from django.utils.translation import gettext as _

    from regie.journal.services import add_note

    case = appointment.case
    when = f"{appointment.date:%d-%m-%Y} {appointment.start_time:%H:%M}"
    if action == "bevestigen":
        text = _("Via Mijn Regie: de klant bevestigt de afspraak van %(when)s.") % {"when": when}
    else:
        reason = (reason or "").strip()
        if not reason:
            from regie.core.events import EventError

            raise EventError([("reason", _("Waarom wilt u de afspraak verzetten: schrijf de reden op."))])
        text = _("Via Mijn Regie: de klant vraagt de afspraak van %(when)s te verzetten: %(reason)s") % {
            "when": when,
            "reason": reason,
        }
    event = add_note(case, portal_actor(client.municipality), text=text, appointment_id=appointment.appointment_id)
    if action != "bevestigen":
        from regie.worktasks import services as tasks

        assignee, team = _caseworker_or_team(case)
        if assignee is not None or team is not None:
            tasks.create(
                portal_actor(client.municipality),
                case=case,
                title=_("Klant vraagt de afspraak van %(when)s te verzetten") % {"when": when},
                description=reason[:500],
                assignee=assignee,
                team=team,
                due_on=min(appointment.date, timezone.localdate() + dt.timedelta(days=3))
                if appointment.date >= timezone.localdate()
                else None,
                source="manual",
                source_ref=f"mijnregie:{event.external_id}",
            )
    audit(request, identity, "create", "event", event.pk, detail=f"appointment {action}")
    return event


def request_access(request, identity: Identity, client: Client):
    """An inzageverzoek (AVG art. 15) through the privacy app: received today through the digital channel, the
    identity checked by the DigiD log-in (AVG art. 12 lid 6); the answer is due in one month (AVG art. 12 lid 3)."""
    from regie.audit.services import origin_of as _origin
    from regie.privacy.services import record_access_request, verify_identity

    if identity.machtiging_id is None:
        requested_by, relation = f"{client.given_name} {client.family_name}", "betrokkene"
    else:
        m = Machtiging.objects.get(pk=identity.machtiging_id)
        requested_by = m.representative_name
        relation = "gemachtigde" if m.role == "gemachtigde" else "vertegenwoordiger"
    actor = portal_actor(client.municipality)
    req = record_access_request(
        client,
        requested_by=requested_by,
        received_on=timezone.localdate(),
        relation=relation,
        channel="digitaal",
        user=actor,
        origin=_origin(request),
    )
    verify_identity(req, method=f"DigiD ({identity.level}) via Mijn Regie", user=actor, origin=_origin(request))
    audit(request, identity, "create", "access_request", req.pk, detail="inzageverzoek")
    return req


def register_legacy_objections(municipality: Municipality, *, dry_run: bool = False) -> list[dict]:
    """Objections lodged online before Mijn Regie recorded the ``bezwaar`` itself: each ``bezwaar_ingediend``
    without a ``bezwaar`` against the same decision is registered now, through the same path, with its own receipt
    date as the effective date (the event log is append-only: the old event stays as history). Its old
    registration task is closed (the new task replaces it); no ontvangstbevestiging is sent with a past date (the new
    task asks the legal reviewer to send it). A late one (Awb art. 6:9) or one the gate refuses is left for the legal
    reviewer and reported. One row per event: ``event``, ``case``, ``result`` (registered / would register / skipped)
    and ``reason``."""
    from regie.casework.decisions import DecisionRefused
    from regie.casework.legal import legal_state
    from regie.casework.models import Event
    from regie.core.events import EventError
    from regie.core.policy import PolicyUnavailable
    from regie.legal.services import AlreadyObjected, receive_objection
    from regie.worktasks import services as tasks
    from regie.worktasks.models import Task

    actor = portal_actor(municipality)
    rows = []
    legacy = Event.objects.filter(municipality=municipality, type="bezwaar_ingediend").select_related("case")
    for ev in legacy.order_by("effective_date", "pk"):
        row = {"event": ev.external_id, "case": ev.case.external_id, "result": "skipped", "reason": ""}
        rows.append(row)
        objected = {str(o.decision_event) for o in legal_state(ev.case).objections.values()}
        if str(ev.payload.get("decision_event")) in objected:
            row["reason"] = "already registered"
            continue
        if dry_run:
            row["result"] = "would register"
            continue
        try:
            new, _created = receive_objection(
                ev.case,
                actor,
                decision_event=int(ev.payload["decision_event"]),
                received_on=ev.effective_date,
                grounds=ev.payload.get("grounds", ""),
                lodged_by=ev.payload.get("reported_by") or "client",
                send_receipt=False,
            )
        except (EventError, DecisionRefused, PolicyUnavailable, AlreadyObjected) as exc:
            row["reason"] = type(exc).__name__ + (": late, needs the legal reviewer" if "late" in str(exc) else "")
            continue
        row["result"], row["reason"] = "registered", new.external_id
        for task in Task.objects.filter(case=ev.case, status="open", source_ref=f"mijnregie:{ev.external_id}"):
            tasks.complete(task, actor)
        log(
            actor="cli:portal",
            action="create",
            object_type="event",
            object_id=new.pk,
            origin="regie",
            municipality_id=municipality.pk,
            detail=f"online objection {ev.external_id} registered as bezwaar",
        )
    return rows
