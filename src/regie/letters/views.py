"""Pages of the letters app.

- ``letter``: the letter of a decision event (PDF), for whoever may see the client (``view_clients``); the URL of
  the former casework view is kept. A refusal (no address, no letterhead) is a Dutch message on the client page.
- The editor (``manage_letters``, the functioneel beheerder): the templates and the letterhead of a municipality
  the user belongs to (another municipality answers 404), each change a new version, a live preview for a
  fictitious client, or for a chosen case of the same municipality (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.accounts.models import Municipality
from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.models import Case, Event
from regie.casework.services import ConflictError
from regie.core.events import EventError
from regie.core.policy import PolicyUnavailable
from regie.documents.services import store_generated

from . import formatting as fmt
from . import selectors, services
from .models import LetterTemplate
from .recipient import LetterRefused
from .registry import BLOCKS, EDITOR_NAMES, LETTER_EVENT_TYPES, LETTER_TYPES, TEMPLATE_NAMES, letter_type_for
from .templating import TemplateProblem, render_text, structure

CAP = "manage_letters"


# --- the letter of a case event ------------------------------------------------------------------------------


@login_required
def letter(request, case_id: int, event_id: int):
    """The letter of a decision event, as PDF (audited as an export of the case)."""
    require_capability(request, "view_clients", "case", case_id)
    case = (
        Case.objects.filter(pk=case_id, municipality_id__in=municipality_ids(request.user))
        .select_related("client", "municipality")
        .first()
    )
    if case is None:
        raise not_found(request, "case", case_id)
    event = (
        Event.objects.filter(pk=event_id, case=case, type__in=list(LETTER_EVENT_TYPES))
        .select_related("case__client")
        .first()
    )
    if event is None or letter_type_for(event.type, event.payload) is None:
        raise Http404
    try:
        made = services.compose(event)
    except LetterRefused as exc:
        messages.error(request, exc.message)
        return redirect("client_detail", case.client_id)
    log_request(
        request,
        "export",
        "case",
        case.external_id,
        municipality_id=case.municipality_id,
        detail=f"letter {event.type} {event.external_id}",
    )
    filename = _filename(made, event)
    if services.letter_sent_on(event) is not None:  # documents: a sent letter is in the file (once, see letter_send)
        store_generated(
            case, kind="brief_gemeente", filename=filename, content=made.pdf, user=request.user, title=made.subject
        )
    response = HttpResponse(made.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Who may record that a letter was sent: the caseworker, and for the letters of the objection procedure also the
# legal reviewer who handles it (the same capabilities as the steps themselves, regie.legal.access).
SEND_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "horen": ("record_events", "handle_objections"),
    "bezwaar": ("handle_objections", "record_events"),
    "bezwaar_horen": ("handle_objections", "record_events"),
    "beslissing_op_bezwaar": ("handle_objections", "record_events"),
}


def send_capability(user, event_type: str) -> str:
    """The capability to check before a letter of ``event_type`` is marked sent: one the user has, else the first
    needed (so a denial names it)."""
    needed = SEND_CAPABILITIES.get(event_type, ("record_events",))
    return next((c for c in needed if can(user, c)), needed[0])


@login_required
@require_POST
def letter_send(request, case_id: int, event_id: int):
    """Record that the letter was sent today: a bekendmaking for a besluit, a contact by letter otherwise (through
    the decision gate). The letter keeps that date and its terms from then on."""
    event_type = (
        Event.objects.filter(pk=event_id, case_id=case_id, municipality_id__in=municipality_ids(request.user))
        .values_list("type", flat=True)
        .first()
        or ""
    )
    require_capability(request, send_capability(request.user, event_type), "case", case_id)
    case = (
        Case.objects.filter(pk=case_id, municipality_id__in=municipality_ids(request.user))
        .select_related("client", "municipality")
        .first()
    )
    if case is None:
        raise not_found(request, "case", case_id)
    event = (
        Event.objects.filter(pk=event_id, case=case, type__in=list(LETTER_EVENT_TYPES))
        .select_related("case__client", "case__municipality")
        .first()
    )
    if event is None or letter_type_for(event.type, event.payload) is None:
        raise Http404
    try:
        letter, _recorded = services.send(event, request.user)
    except LetterRefused as exc:
        messages.error(request, exc.message)
    except (DecisionRefused, EventError, ConflictError, PolicyUnavailable) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        log_request(
            request,
            "update",
            "case",
            case.external_id,
            municipality_id=case.municipality_id,
            detail=f"letter sent {event.type} {event.external_id}",
        )
        # documents: the letter as sent is kept in the client's file (regie.documents.services.store_generated)
        store_generated(
            case,
            kind="brief_gemeente",
            filename=_filename(letter, event),
            content=letter.pdf,
            user=request.user,
            title=letter.subject,
        )
        messages.success(
            request,
            _("Verstuurd op %(date)s: %(subject)s.") % {"date": fmt.date(letter.sent_on), "subject": letter.subject},
        )
    return redirect("client_detail", case.client_id)


def _filename(letter, event) -> str:
    return f"brief-{letter.letter_type.id}-{event.external_id}.pdf"


# --- the editor ----------------------------------------------------------------------------------------------


def _municipality_or_404(request, municipality_id: int) -> Municipality:
    if municipality_id not in municipality_ids(request.user):
        raise not_found(request, "municipality", municipality_id)
    return Municipality.objects.get(pk=municipality_id)


@login_required
def home(request):
    require_capability(request, CAP, "letter_template")
    ids = sorted(municipality_ids(request.user))
    if len(ids) == 1:
        return redirect("letters:index", ids[0])
    return render(request, "letters/home.html", {"municipalities": Municipality.objects.filter(pk__in=ids)})


@login_required
def index(request, municipality_id: int):
    require_capability(request, CAP, "letter_template")
    muni = _municipality_or_404(request, municipality_id)
    own = selectors.overridden(muni.pk)
    rows = [
        {
            "name": name,
            "editor_name": EDITOR_NAMES[name],
            "title": title,
            "letter_type": LETTER_TYPES.get(name),
            "own": own.get(name),
        }
        for name, title in TEMPLATE_NAMES.items()
    ]
    return render(
        request,
        "letters/index.html",
        {"municipality": muni, "rows": rows, "letterhead": selectors.current_letterhead(muni.pk)},
    )


def _variables(muni, name: str) -> list[tuple[str, str]]:
    """The variables of ``name`` with their sample value, flattened for the editor's list."""
    sample = services.sample_context(muni, name)
    out = []

    def shown(v):
        if isinstance(v, bool):  # a condition's flag ({% if online %}): yes/no, not Python's True/False
            return _("ja") if v else _("nee")
        if isinstance(v, list):
            return "; ".join(
                " ".join(str(x) for x in item.values()) if isinstance(item, dict) else str(item) for item in v
            )
        return v

    for key, value in sample.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                out.append((f"{key}.{sub}", shown(v)))
        else:
            out.append((key, shown(value)))
    return out


def _preview_event(request, muni, name: str, dossier: str):
    """The newest event of a case of this municipality that has this letter (or None); a case of another
    municipality, or none, is an error message. Reading it is audited."""
    case = Case.objects.filter(municipality=muni, external_id=dossier).select_related("client").first()
    if case is None:
        raise LetterRefused(f"Dossier {dossier}: niet gevonden in deze gemeente.")
    types = (
        [t for lt in LETTER_TYPES.values() if lt.remedy == name for t in lt.event_types]
        if name in BLOCKS
        else list(LETTER_TYPES[name].event_types)
    )
    event = (
        Event.objects.filter(case=case, type__in=types)
        .select_related("case__client")
        .order_by("-effective_date", "-id")
        .first()
    )
    if event is None:
        raise LetterRefused(f"Dossier {dossier}: er is geen stap waarvoor deze brief wordt gestuurd.")
    log_request(
        request,
        "read",
        "case",
        case.external_id,
        municipality_id=muni.pk,
        detail=f"letter preview {name} {event.external_id}",
    )
    return event


@login_required
def edit(request, municipality_id: int, name: str):
    require_capability(request, CAP, "letter_template", name)
    muni = _municipality_or_404(request, municipality_id)
    if name not in TEMPLATE_NAMES:
        raise Http404
    body, row = selectors.current_template(muni.pk, name)
    version = row.version if row else 0
    error = None
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            expected = int(request.POST.get("expected_version", "x"))
        except ValueError:
            expected = -1
        try:
            saved = services.save_template(
                muni, name, body, request.user, expected_version=expected, note=request.POST.get("note", "")
            )
        except TemplateProblem as exc:
            error = exc.message
        except services.ConflictError:
            error = _(
                "Iemand anders heeft deze brief intussen opgeslagen. Kopieer uw tekst, laad de pagina opnieuw en "
                "breng uw wijziging opnieuw aan."
            )
        else:
            log_request(
                request, "update", "letter_template", name, municipality_id=muni.pk, detail=f"version {saved.version}"
            )
            messages.success(request, _("Opgeslagen als versie %(n)s.") % {"n": saved.version})
            return redirect("letters:edit", muni.pk, name)
        version = expected
    return render(
        request,
        "letters/edit.html",
        {
            "municipality": muni,
            "name": name,
            "title": EDITOR_NAMES[name],
            "letter_type": LETTER_TYPES.get(name),
            "body": body,
            "version": version,
            "error": error,
            "variables": _variables(muni, name),
            "history": selectors.template_history(muni.pk, name)[:50],
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def preview(request, municipality_id: int, name: str, fmt: str):
    """The preview of the typed (unsaved) template: ``html`` (the live panel) or ``pdf``."""
    require_capability(request, CAP, "letter_template", name)
    muni = _municipality_or_404(request, municipality_id)
    if name not in TEMPLATE_NAMES or fmt not in ("html", "pdf"):
        raise Http404
    body = request.POST.get("body", "")
    dossier = request.POST.get("dossier", "").strip()
    try:
        event = _preview_event(request, muni, name, dossier) if dossier else None
        if fmt == "pdf":
            pdf = services.preview(muni, name, body, event=event)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="voorbeeld-{name}.pdf"'
            return response
        subject, blocks = _preview_blocks(muni, name, body, event)
    except (TemplateProblem, LetterRefused) as exc:
        return render(request, "letters/_preview.html", {"error": exc.message}, status=200 if fmt == "html" else 400)
    return render(request, "letters/_preview.html", {"subject": subject, "blocks": blocks, "dossier": dossier})


def _preview_blocks(muni, name, body, event):
    from .templating import check

    check(body, services.sample_context(muni, name))
    if event is None:
        context = services.sample_context(muni, name)
    else:
        context = services.event_context(event)
    subject, blocks = structure(render_text(body, context))
    lt = LETTER_TYPES.get(name)
    return subject or (lt.title if lt else TEMPLATE_NAMES[name]), blocks


@login_required
def version(request, municipality_id: int, name: str, version: int):
    """One saved version (read-only), with the option to put it back as the newest version."""
    require_capability(request, CAP, "letter_template", name)
    muni = _municipality_or_404(request, municipality_id)
    row = LetterTemplate.objects.filter(municipality=muni, name=name, version=version).first()
    if row is None:
        raise Http404
    body, current = selectors.current_template(muni.pk, name)
    return render(
        request,
        "letters/version.html",
        {
            "municipality": muni,
            "name": name,
            "title": EDITOR_NAMES.get(name, name),
            "row": row,
            "current_version": current.version if current else 0,
        },
    )


@login_required
def letterhead(request, municipality_id: int):
    require_capability(request, CAP, "letterhead")
    muni = _municipality_or_404(request, municipality_id)
    current = selectors.current_letterhead(muni.pk)
    values = {k: getattr(current, k) for k in services.LETTERHEAD_FIELDS} if current else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in services.LETTERHEAD_FIELDS}
        upload = request.FILES.get("logo")
        try:
            expected = int(request.POST.get("expected_version", "x"))
        except ValueError:
            expected = -1
        try:
            saved = services.save_letterhead(
                muni,
                values,
                request.user,
                expected_version=expected,
                logo=upload.read() if upload else None,
                keep_logo=not request.POST.get("remove_logo"),
            )
        except services.LetterheadInvalid as exc:
            errors = exc.errors
        except services.ConflictError:
            errors = {"form": _("Iemand anders heeft het briefhoofd intussen opgeslagen. Laad de pagina opnieuw.")}
        else:
            log_request(
                request, "update", "letterhead", muni.code, municipality_id=muni.pk, detail=f"version {saved.version}"
            )
            messages.success(request, _("Briefhoofd opgeslagen als versie %(n)s.") % {"n": saved.version})
            return redirect("letters:letterhead", muni.pk)
    return render(
        request,
        "letters/letterhead.html",
        {
            "municipality": muni,
            "current": current,
            "fields": [
                (k, label, values.get(k, ""), errors.get(k), k in ("address", "objection_address", "signature"))
                for k, label in services.LETTERHEAD_FIELDS.items()
            ],
            "errors": errors,
            "history": selectors.letterhead_history(muni.pk)[:50],
        },
        status=400 if errors else 200,
    )
