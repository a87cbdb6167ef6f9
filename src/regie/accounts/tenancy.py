"""Tenancy and role rules: which municipalities and which kinds of data a user may see.

Every selector that reads tenant data starts from :func:`municipality_ids`. A user of municipality A never
reaches an object of municipality B: not through a page, the API, or an export.
"""

from __future__ import annotations

from regie.core.records import CASEWORKER_ROLES

# Capabilities per role. Personal data of clients is for casework roles; aggregate figures for policy roles.
CAPABILITIES: dict[str, frozenset[str]] = {
    "integrale_klantmanager": frozenset({"view_clients", "record_events", "reveal_bsn", "answer_vignettes"}),
    "inkomensconsulent": frozenset({"view_clients", "record_events", "reveal_bsn", "answer_vignettes"}),
    "reintegratieconsulent": frozenset({"view_clients", "record_events", "reveal_bsn", "answer_vignettes"}),
    "teammanager": frozenset(
        {
            "view_clients",
            "approve_deviations",
            "view_caseworker_results",
            "view_aggregates",
            "reveal_bsn",
            "answer_vignettes",
            "handle_privacy_requests",
        }
    ),
    "beleidsmedewerker": frozenset({"view_aggregates", "view_caseworker_results", "compose_vignettes"}),
    "provider_coach": frozenset({"view_referred_clients"}),
    "auditor": frozenset({"view_audit"}),
    # handle_privacy_requests: inzage (AVG art. 15) and rectification (art. 16) requests, the complete file of a person
    "functioneel_beheerder": frozenset(
        # manage_providers: the provider register (contracts, modules, capacity, contact; h/record)
        {"manage_users", "import_export", "view_audit", "manage_budget", "handle_privacy_requests", "manage_providers"}
        # --- letters: the templates and the letterhead of the municipality's letters ---
        | {"manage_letters"}
    ),
    # approve_destruction: the monthly destruction list (retention), and the holds that keep a case from it
    "archivaris": frozenset({"approve_destruction"}),
    # handle_objections: the objection and appeal worklist, hearings, the beslissing op bezwaar (Awb 7:1-7:26)
    "juridisch_medewerker": frozenset({"view_clients", "handle_objections", "reveal_bsn"}),
    # manage_employers: employers, vacancies, placements; clients only through matching with their consent
    "accountmanager": frozenset({"manage_employers"}),
}
# benefit: payment runs -- prepared by income staff and teammanagers, released by a teammanager (four eyes: never
# the one who prepared it, regie.benefit.services.may_release)
for _role in ("inkomensconsulent", "integrale_klantmanager", "teammanager"):
    CAPABILITIES[_role] = CAPABILITIES[_role] | {"manage_payments"}
CAPABILITIES["teammanager"] = CAPABILITIES["teammanager"] | {"release_payments"}
# --- day2: the BRP connection (endpoint, key reference, purposes) on a page, regie.clientrecord.views_config ---
CAPABILITIES["functioneel_beheerder"] = CAPABILITIES["functioneel_beheerder"] | {"manage_brp"}


def municipality_ids(user) -> frozenset[int]:
    """Ids of the municipalities whose data ``user`` may see (empty for anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.shared_service_id:
        return frozenset(user.shared_service.municipalities.values_list("id", flat=True))
    if user.municipality_id:
        return frozenset({user.municipality_id})
    return frozenset()


def can(user, capability: str) -> bool:
    return bool(user and user.is_authenticated and capability in CAPABILITIES.get(user.role, frozenset()))


def is_caseworker(user) -> bool:
    return getattr(user, "role", None) in CASEWORKER_ROLES
