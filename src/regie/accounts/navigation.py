"""Template context: the navigation a user's role gives access to.

The entries name pages by URL name only, so the shell imports no app; a name that does not resolve raises
(``NoReverseMatch``) instead of silently dropping the entry.
"""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from regie.accounts.tenancy import CAPABILITIES, can

NAV = [
    # agenda: the caseworker's start page comes first, so it is their landing page after log-in (accounts.views.home)
    ("agenda:start", _("Vandaag"), "record_events"),
    ("worklist", _("Cliënten"), "view_clients"),
    ("agenda:day", _("Agenda"), "record_events"),
    ("client_new", _("Nieuwe melding"), "record_events"),
    ("approvals", _("Akkoord gevraagd"), "approve_deviations"),
    ("policy_signals", _("Signalen naar beleid"), "view_aggregates"),
    ("monitoring:dashboard", _("Monitoring"), "view_aggregates"),
    ("lab:index", _("Beleidslab"), "view_aggregates"),
    ("monitoring:budget_edit", _("Budgetten"), "manage_budget"),
    ("equity:report", _("Gelijke behandeling"), "view_caseworker_results"),
    # no role has both capabilities, so the vignette study appears once
    ("equity:studies", _("Vignetonderzoek"), "answer_vignettes"),
    ("equity:studies", _("Vignetonderzoek"), "compose_vignettes"),
    ("provider:clients", _("Verwezen cliënten"), "view_referred_clients"),
    ("audit_log", _("Auditlog"), "view_audit"),
    ("privacy:index", _("Privacyverzoeken"), "handle_privacy_requests"),
    ("retention:index", _("Vernietiging"), "approve_destruction"),
    ("legal:worklist", _("Bezwaar en beroep"), "handle_objections"),  # legal
    ("benefit:runs", _("Betaalruns"), "manage_payments"),  # benefit
    ("mfa_policy", _("Tweede stap"), "manage_users"),
    ("provider_register", _("Aanbieders"), "manage_providers"),  # provider register (h/record)
    ("brp_config", _("BRP-koppeling"), "manage_brp"),  # day2: the BRP connection
    # --- letters ---
    ("letters:home", _("Brieven"), "manage_letters"),
    # one page: own tokens for the roles the API serves; the functioneel beheerder also manages all (no role has both)
    ("api_tokens", _("API-sleutels"), "view_clients"),
    ("api_tokens", _("API-sleutels"), "manage_users"),
    # work tasks: caseworkers and teammanagers (no role has both capabilities); the team view for teammanagers
    ("worktasks:mine", _("Mijn taken"), "record_events"),
    ("worktasks:mine", _("Mijn taken"), "approve_deviations"),
    ("worktasks:team", _("Taken van het team"), "approve_deviations"),
    # --- employers: employers and vacancies (accountmanagers), the sociale kaart, the demand-side figures ---
    ("employers:index", _("Werkgevers"), "manage_employers"),
    ("employers:monitoring", _("Werk en plaatsingen"), "manage_employers"),
    ("employers:monitoring", _("Werk en plaatsingen"), "view_aggregates"),
    ("employers:social_map", _("Sociale kaart"), "record_events"),
    ("employers:social_map", _("Sociale kaart"), "manage_providers"),
]


# pages4: the entries depend only on the role's capabilities (all that ``can`` reads) and the URL prefix; they are
# built once per (role, prefix, URL configuration) and process. The labels stay lazy: each page shows them in its
# language.
_built: dict[tuple, tuple[dict, ...]] = {}


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or getattr(request, "regie_mfa_pending", False):
        return {"nav_items": []}  # nothing to offer before the second log-in step
    # the entries themselves are in the key too: a changed list (a test's, a plugin's) is built and checked anew
    key = (user.role, CAPABILITIES.get(user.role), get_script_prefix(), get_urlconf(), id(NAV), len(NAV))
    items = _built.get(key)
    if items is None:
        items = _built[key] = tuple(
            {"url": reverse(name), "label": label}  # a missing page is an error, not a hidden entry
            for name, label, cap in NAV
            if can(user, cap)
        )
    return {"nav_items": items}
