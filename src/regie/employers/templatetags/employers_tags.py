"""The case page's work section (an inclusion tag: the case page needs only its include line) and small filters."""

from __future__ import annotations

from django import template

from regie.accounts.tenancy import can
from regie.core.events import PLACEMENT_KINDS
from regie.core.policy import PolicyUnavailable
from regie.platform.labels import option_label

from .. import selectors

register = template.Library()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("employers/_section.html", takes_context=True)
def employers_case_section(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    ds = selectors.demand_side(case)
    try:
        aftercare = selectors.aftercare_for(case)
        policy_error = None
    except PolicyUnavailable as exc:
        aftercare, policy_error = [], exc.message
    return {
        "case": case,
        "placements": ds.placements,
        "referrals": [r for r in ds.referrals if r.outcome is None],
        "consents": [c for c in ds.consents if c.granted],
        "aftercare": aftercare[:3],
        "policy_error": policy_error,
        "kind_labels": placement_kind_labels(),
        "can_view": bool(user and can(user, "view_clients")),
    }


@register.inclusion_tag("employers/_equity.html")
def employers_equity_section(muni):
    """Who is shown on candidate lists and who is proposed, by group (seed 000:540-560: "creaming")."""
    ids = {muni.pk}
    return {
        "groups": [
            ("sex", selectors.proposal_rates(ids, by="sex")),
            ("age", selectors.proposal_rates(ids, by="age")),
            ("education", selectors.proposal_rates(ids, by="education")),
        ]
    }


@register.inclusion_tag("employers/_run_subsidy.html")
def employers_run_section(run):
    """employers2: the payment run page's employer section (the loonkostensubsidie lines of the run)."""
    from ..models import SubsidyLine

    lines = list(SubsidyLine.objects.filter(run=run).select_related("employer", "case"))
    paid = [ln for ln in lines if not ln.skipped]
    return {
        "run": run,
        "lines": paid,
        "skipped": [ln for ln in lines if ln.skipped],
        "total_cents": sum(ln.amount_cents for ln in paid),
    }


def placement_kind_labels() -> dict[str, str]:
    """The placement kinds by their labels in the reader's language (the core keeps the Dutch ones)."""
    return {k: option_label("kind", k, "plaatsing") for k in PLACEMENT_KINDS}
