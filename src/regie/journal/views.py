"""The case journal (notes and contact moments, with the new-note form and search) and the search across the
caseworker's own notes. Every note shown passes casework.confidential (text or redacted; each read audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from regie.accounts.access import require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.casework import confidential
from regie.casework.decisions import DecisionRefused
from regie.casework.services import ConflictError
from regie.casework.views.common import case_or_404
from regie.core.events import EventError
from regie.core.policy import PolicyUnavailable

from . import selectors, services

CHANNELS = [
    ("", _l("geen contactmoment (alleen een notitie)")),
    ("telefoon", _l("telefoon")),
    ("email", _l("e-mail")),
    ("balie", _l("balie")),
    ("huisbezoek", _l("huisbezoek")),
    ("video", _l("video")),
    ("gesprek", _l("gesprek op kantoor")),
]
CATEGORIES = [("medisch", _l("medisch")), ("veiligheid", _l("veiligheid")), ("overig", _l("overig"))]


def _shown(request, events, q: str) -> list:
    """Notes as the user may see them; a search never matches a note whose text the user may not read."""
    out = []
    for e in events:
        cw = getattr(getattr(e.case, "state", None), "caseworker_id", None)
        if q and not confidential.may_read(request.user, e, cw):
            continue
        out.extend(confidential.filter_events(request, [e], cw, municipality_id=e.municipality_id))
    return out


@login_required
def case_journal(request, case_id: int):
    require_capability(request, "view_clients", "case", case_id)
    case = case_or_404(request, case_id)
    state = getattr(case, "state", None)
    errors: dict[str, str] = {}
    q = request.GET.get("q", "").strip()
    values: dict = {
        "appointment_id": request.GET.get("afspraak", ""),
        "event_id": request.GET.get("stap", ""),
        "channel": request.GET.get("kanaal", ""),
    }
    if request.method == "POST":
        require_capability(request, "record_events", "case", case_id)
        values = request.POST.dict()
        try:
            services.add_note(
                case,
                request.user,
                text=values.get("text", "").strip(),
                channel=values.get("channel", ""),
                appointment_id=values.get("appointment_id", ""),
                event_id=values.get("event_id", ""),
                confidential=values.get("confidential") in ("on", "true", "1"),
                confidentiality=values.get("confidentiality", ""),
            )
        except EventError as exc:
            for name, message in exc.errors:
                errors[name.removeprefix("payload.")] = message
        except (DecisionRefused, PolicyUnavailable) as exc:
            errors["form"] = exc.message
        except ConflictError as exc:
            errors["form"] = str(exc)
        else:
            log_request(
                request, "create", "case", case.external_id, municipality_id=case.municipality_id, detail="notitie"
            )
            messages.success(request, _("Notitie vastgelegd"))
            return redirect("journal:case", case.pk)
    notes = _shown(request, selectors.notes_of_case(request.user, case, q), q)
    log_request(
        request,
        "search" if q else "read",
        "case",
        case.external_id,
        municipality_id=case.municipality_id,
        detail=f"journal notes={len(notes)} query={'yes' if q else 'no'}",
    )
    return render(
        request,
        "journal/case.html",
        {
            "case": case,
            "client": case.client,
            "state": state,
            "notes": notes,
            "q": q,
            "values": values,
            "errors": errors,
            "channels": CHANNELS,
            "categories": CATEGORIES,
            "appointments": selectors.appointments_of_case(case),
            "can_record": can(request.user, "record_events"),
        },
    )


@login_required
def search(request):
    """Search the user's own notes across their cases (accent- and case-insensitive)."""
    require_capability(request, "record_events", "journal_search")
    q = request.GET.get("q", "").strip()
    notes = _shown(request, selectors.my_notes(request.user, q), q) if q else []
    log_request(
        request,
        "search",
        "journal",
        request.user.username,
        municipality_id=request.user.municipality_id,
        detail=f"results={len(notes)} query={'yes' if q else 'no'}",
    )
    return render(request, "journal/search.html", {"q": q, "notes": notes})
