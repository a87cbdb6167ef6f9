"""Bridge from a case to the policy engine (regie.core.policy): facts in, recommendation and explanation out.

Kept in one module so a reader finds in one hop where the casework asks the policy. When the engine cannot decide
(a fact is missing) the step form says so and shows no pre-filled values; it never invents a default.

Fail closed: when the municipality has no policy for the date (or the policy files cannot be loaded) every function
here raises ``PolicyUnavailable`` (a LookupError with a Dutch ``message`` for the user and a technical ``detail``).
There is no permissive fallback: without its policy Regie cannot tell a rules-steered municipality from a
performance-steered one, nor who may decide what, so no decision is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from regie.core import policy as engine
from regie.core.policy import PolicyUnavailable
from regie.core.policy.facts import record_facts
from regie.platform import labels as registry

from .models import Case, Event

__all__ = ["Advice", "PolicyUnavailable", "advice_for", "case_facts", "may_decide", "scheme_for", "steering_mode"]


@dataclass
class Advice:
    """What the form shows above a step: values to pre-fill and why.

    ``values`` are what a decision is compared with (a difference is a deviation); ``suggested`` are inputs the
    form pre-fills without comparing (the repeat step from the history, the latest end of an exemption).
    ``missing`` holds the engine's structured cannot-decide reasons; ``cannot_decide`` renders them in the user's
    language (at the moment it is read, so the page's language applies)."""

    values: dict = field(default_factory=dict)
    explanation: list[dict] = field(default_factory=list)  # {rule_id, source, text, inputs, say}
    policy_version: str | None = None
    legal_basis: str | None = None
    suggested: dict = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)  # {"field": fact or form field, ...}

    def as_recommendation(self) -> dict | None:
        return dict(self.values) if self.values else None

    @property
    def cannot_decide(self) -> list[str]:
        return [cannot_decide_text(m) for m in self.missing]

    @property
    def shown_values(self) -> list[tuple[str, str]]:
        """(Dutch field label, value label) for the advice panel."""
        return [(field_label(k), value_label(k, v)) for k, v in self.values.items()]

    @property
    def shown_explanation(self) -> list[dict]:
        return [
            {
                "text": explanation_text(e),
                "rule_id": e.get("rule_id"),
                "source": e.get("source"),
                "assumption": e.get("assumption", False),
            }
            for e in self.explanation
        ]


# The facts the policy rules read (core.policy.schema.FACTS) and the advice's own inputs, as the caseworker knows
# them: the Dutch name and where Regie gets it.
FACT_LABELS = {
    "age": _lazy("geboortedatum van de cliënt (cliëntgegevens)"),
    "expected_months_to_work": _lazy("verwachte maanden tot werk (leg de intake vast)"),
    "health_limitation": _lazy("gezondheidsbeperking (leg de intake vast)"),
    "medical_claim": _lazy("medische claim (leg de intake vast)"),
    "requested_trajectory": _lazy("of de cliënt zelf om een traject vraagt"),
    "youngest_child_age": _lazy("geboortedatum van het jongste kind (huishouden)"),
    "n_children": _lazy("kinderen in het huishouden"),
    "has_partner": _lazy("partner (huishouden)"),
    "childcare_arranged": _lazy("kinderopvang geregeld"),
    "care_duties": _lazy("zorgtaken (mantelzorg)"),
    "days_on_benefit": _lazy("ingangsdatum van de uitkering (leg de toekenning vast)"),
    "level_rank": _lazy("niveau / trede (leg eerst de classificatie vast)"),
    "level": _lazy("niveau / trede (leg eerst de classificatie vast)"),
    "obligation_type": _lazy("soort verplichting"),
    "category": _lazy("categorie van de gedraging"),
    "norm_type": _lazy("norm van de uitkering (leg de toekenning vast)"),
    "medically_unfit": _lazy("medisch advies (vraag medisch advies aan en leg het advies vast)"),
    "medically_partly_fit": _lazy("medisch advies (vraag medisch advies aan en leg het advies vast)"),
}


def field_label(name: str) -> str:
    """The field's label from the registry (regie.platform.labels), or the fact's description."""
    if name in registry.FIELD_LABELS or name not in FACT_LABELS:
        return registry.field_label(name)
    return str(FACT_LABELS[name])


def value_label(name: str, value) -> str:
    """A value of the advice as the user reads it (option label, "ja"/"nee", euros, localised numbers)."""
    if name == "percentage" and isinstance(value, (int, float)):
        return registry.number(value, 0 if float(value).is_integer() else 2)
    return registry.value_label(value, name)


def _euro(value) -> str:
    return registry.value_label(value, "amount") if value is not None else "—"


def cannot_decide_text(m: dict) -> str:
    """A Dutch (or, in the English UI, English) sentence for one structured cannot-decide reason."""
    name = m.get("field", "")
    if name == "norm_amount":
        return _("Kan bedrag niet berekenen: normbedrag ontbreekt voor deze datum in het landelijk beleid")
    if name == "cost_sharer_norm":
        return _("Kan bedrag niet berekenen: de kostendelersnorm ontbreekt in het landelijk beleid voor deze datum")
    if name == "sanction_rule":
        category = m.get("category")
        return _("Kan niet adviseren: de afstemmingsverordening heeft geen regel voor %(type)s%(cat)s") % {
            "type": value_label("obligation_type", m.get("obligation_type")),
            "cat": (_(", categorie %(n)s") % {"n": category}) if category else "",
        }
    return _("Kan niet adviseren: %(field)s") % {"field": FACT_LABELS.get(name) or field_label(name)}


def explanation_text(e: dict) -> str:
    """The explanation entry in the user's language, from its message key; the engine's text otherwise."""
    say = e.get("say") or {}
    key = say.get("key")
    if key == "classification":
        return _("%(level)s (%(scheme)s), route %(route)s") % {
            "level": value_label("level", say.get("level")),
            "scheme": value_label("scheme", say.get("scheme")),
            "route": value_label("route", say.get("route")),
        }
    if key == "trajectory":
        if say.get("eligible"):
            return _("Traject aangewezen, standaard: %(kind)s") % {"kind": value_label("kind", say.get("kind"))}
        return _("Geen traject volgens het beleid")
    if key == "exemption":
        return _(
            "Ontheffingsgrond %(ground)s (%(scope)s), ten hoogste %(max)s maanden, herbeoordeling na %(review)s maanden"
        ) % {
            "ground": value_label("ground", say.get("ground")),
            "scope": value_label("scope", say.get("scope")),
            "max": say.get("max_months"),
            "review": say.get("review_months"),
        }
    if key == "no_exemption":
        return _("Geen van de ontheffingsgronden van het beleid is van toepassing")
    if key == "sanction":
        # singular and plural as two msgids (Dutch and English both have one plural form; the translation
        # pairs file format, scripts/add_translations.py, has no msgid_plural)
        one = int(say.get("months") or 0) == 1
        return (
            _("Verlaging %(pct)s%% gedurende %(months)s maand (recidive: stap %(step)s)")
            if one
            else _("Verlaging %(pct)s%% gedurende %(months)s maanden (recidive: stap %(step)s)")
        ) % {
            "pct": value_label("percentage", float(say.get("percentage"))),
            "months": say.get("months"),
            "step": say.get("repeat_step"),
        }
    if key == "sanction_amount":
        text = _("Bedrag per maand: %(pct)s%% van de norm %(norm_type)s %(year)s (%(norm)s)") % {
            "pct": value_label("percentage", float(say.get("percentage"))),
            "norm_type": value_label("norm_type", say.get("norm_type")),
            "year": say.get("year"),
            "norm": _euro(say.get("norm")),
        }
        if say.get("cost_sharers"):
            text += " " + (
                _("(kostendelersnorm, %(n)s kostendeler)")
                if say["cost_sharers"] == 1
                else _("(kostendelersnorm, %(n)s kostendelers)")
            ) % {"n": say["cost_sharers"]}
        return text + " = " + _euro(say.get("amount"))
    if key == "medical_advice_first":
        return _("Medische claim: vraag eerst medisch advies aan; de intake is opgeschort tot het advies er is")
    if key == "warning_first":
        return _("Eerste overtreding zonder eerdere waarschuwing: volgens het beleid eerst een waarschuwing")
    if key == "no_sanction_rule":
        return _("Geen regel in de afstemmingsverordening voor deze verplichting en categorie")
    if key == "rule_unevaluable":
        return _("Deze regel kan niet worden toegepast: er ontbreekt een gegeven")
    if key == "benefit_norm":
        return _("Norm %(norm)s volgens het huishouden; kostendelers: %(n)s (Pw art. 22a)") % {
            "norm": value_label("norm_type", say.get("norm_type")),
            "n": say.get("cost_sharers"),
        }
    if key == "information_obligation":  # h/law: Pw art. 17 is no measure
        return _(
            "Geen verlaging: bij schending van de inlichtingenplicht volgen herziening en terugvordering "
            "(Pw art. 54 lid 3, art. 58) en een boete naar verwijtbaarheid (Pw art. 18a)"
        )
    if key == "plan_review":
        return _("Het plan ten minste elke %(months)s maanden evalueren") % say
    if key == "benefit_line":  # a line of the benefit's calculation (regie.core.benefit.decide)
        amount = say.get("amount")
        return f"{registry.benefit_text(say.get('label'))}: {_euro(Decimal(amount) if amount else None)}"
    return e.get("text") or e.get("rule_id") or ""


def case_facts(case: Case, on: dt.date) -> dict:
    """The facts the policy engine reads, from the client record and the case's projected state
    (regie.core.policy.facts.record_facts; the last maatregel's repeat step is the one read of the log)."""
    client = case.client
    state = getattr(case, "state", None)
    last_sanction = (
        Event.objects.filter(case=case, type="maatregel", effective_date__lte=on)
        .order_by("-effective_date", "-id")
        .values_list("payload", flat=True)
        .first()
    )
    return record_facts(
        {
            "birth_date": client.birth_date,
            "sex": client.sex,
            "education": client.education,
            "household": client.household,
        },
        state.snapshot if state else {},
        on,
        (last_sanction or {}).get("repeat_step"),
    )


def advice_for(case: Case, event_type: str, on: dt.date, extra: dict | None = None) -> Advice | None:
    """The policy's advice for recording ``event_type`` on ``case`` at ``on``, from the case's facts and the values
    entered in the step (``extra``: the form's values or the validated payload; the live advice panel and the
    decision gate both call this, so what is shown is what is stored). None when the policy gives no advice for
    this kind of step. Raises PolicyUnavailable when there is no policy."""
    facts = {**case_facts(case, on), **{k: v for k, v in (extra or {}).items() if v not in (None, "")}}
    result = engine.advise_step(case.municipality.code, event_type, facts, on)
    if result is None:
        return None
    advice = Advice(
        values=result.get("values") or {},
        explanation=result.get("explanation") or [],
        policy_version=result.get("policy_version"),
        legal_basis=result.get("legal_basis"),
        suggested=result.get("suggested") or {},
        missing=result.get("missing") or [],
    )
    if event_type == "toekenning":  # benefit: the month's calculation for the household entered (or advised)
        from .benefit_gate import advice_lines

        lines, missing = advice_lines(case, on, {**advice.values, **(extra or {})})
        advice.explanation = [*advice.explanation, *lines]
        advice.missing = [*advice.missing, *missing]
    return advice


def steering_mode(case: Case, on: dt.date) -> str:
    """'rules' (deviations need a teammanager's approval) or 'performance' (a written motivation suffices).

    Raises PolicyUnavailable when there is no policy: there is no default mode."""
    return engine.steering_mode(case.municipality.code, on)


def may_decide(user, event_type: str, case: Case, on: dt.date) -> bool:
    """Whether the user's role may take this decision (integral vs split casework, seed 001:737-743).

    Raises PolicyUnavailable when there is no policy: nobody may decide without the decision rights."""
    return engine.may_decide(case.municipality.code, user.role, event_type, on)


def scheme_for(case: Case, on: dt.date):
    """The classification scheme of the municipality's policy in force; PolicyUnavailable without a policy."""
    return engine.policy_for(case.municipality.code, on).scheme
