"""The national amounts as a Markdown table (docs/policy-reference.md, "National amounts"), generated from the norm
tables (``policies/national/norms/``) so the document cannot drift from the data; and the differences between two
dated policies (``regie policy diff``): amounts and national rules, each with its source. Plain Python (h/law)."""

from __future__ import annotations

import datetime as dt

from .schema import Norms, Policy

BEGIN, END = "<!-- national-amounts:begin (generated: regie policy norms) -->", "<!-- national-amounts:end -->"

LABELS = {
    "alleenstaande": "alleenstaande 21+ (Pw art. 21 sub a)",
    "alleenstaande_ouder": "alleenstaande ouder 21+",
    "gehuwden": "gehuwden 21+ (art. 21 sub b)",
    "municipal_supplement_max": "max. gemeentelijke toeslag (WWB art. 25)",
    "jong_alleenstaande": "alleenstaande 18-20 (art. 20)",
    "jong_alleenstaande_ouder": "alleenstaande ouder 18-20",
    "jong_gehuwden_beiden_jong": "gehuwden beiden 18-20",
    "jong_gehuwden_beiden_jong_kinderen": "gehuwden beiden 18-20, kinderen",
    "jong_gehuwden_een_jong": "gehuwden een 18-20",
    "jong_gehuwden_een_jong_kinderen": "gehuwden een 18-20, kinderen",
    "aow_alleenstaande": "alleenstaande AOW-leeftijd (art. 22)",
    "aow_alleenstaande_ouder": "alleenstaande ouder AOW-leeftijd",
    "aow_gehuwden": "gehuwden AOW-leeftijd",
    "asset_limit_single": "vermogensgrens alleenstaande (art. 34 lid 3)",
    "asset_limit_family": "vermogensgrens gezin / alleenstaande ouder",
    "income_exemption": "inkomstenvrijlating (art. 31 lid 2 sub n)",
}


def amounts(t: Norms) -> dict[str, str]:
    """Every amount of a table as display text (euros per month incl. vakantietoeslag; asset limits in euros)."""
    out = {}
    for name in LABELS:
        if name == "income_exemption":
            ie = t.income_exemption
            if ie is not None:
                out[name] = f"{ie.percentage:g} %, max {ie.monthly_max:.2f}/mnd, {ie.months} mnd"
            continue
        value = getattr(t, name)
        if value is not None:
            out[name] = f"{value:.2f}"
    return out


def norms_markdown(tables: list[Norms]) -> str:
    lines = [BEGIN, ""]
    for t in sorted(tables, key=lambda t: t.valid_from):
        mark = "verified against the source" if t.verified else "**assumption**: " + t.assumption
        lines += [
            f"### {t.valid_from:%d-%m-%Y} ({t.law})",
            "",
            f"Source: [{t.source.title}]({t.source.url})"
            + (f", published {t.source.published:%d-%m-%Y}" if t.source.published else "")
            + f". {mark}",
            "",
            "| amount | EUR | status |",
            "| --- | --- | --- |",
        ]
        shown = amounts(t)
        for name in ("asset_limit_single", "asset_limit_family", "income_exemption"):
            if name not in shown:
                shown[name] = "-"
        for name, text in shown.items():
            if text == "-":
                lines.append(f"| {LABELS[name]} | - | **not sourced here**: no amount; check the SZW normenbrief |")
                continue
            status = f"derived/assumption: {t.derived[name]}" if name in t.derived else "as published"
            if not t.verified and name not in t.derived and name in ("alleenstaande", "gehuwden"):
                status = "assumption (see above)"
            lines.append(f"| {LABELS[name]} | {text} | {status} |")
        lines += [
            f"| vakantietoeslag in the norm (art. 19 lid 3) | {t.holiday_allowance_share * 100:g} % | as published |",
            "| kostendelersnorm (art. 22a lid 1) | "
            + (
                f"({t.cost_sharer.base} + A x {t.cost_sharer.per_person}) / (A x {t.cost_sharer.denominator}) "
                "x gehuwdennorm | law"
                if t.cost_sharer
                else "none before 2015 | law"
            )
            + " |",
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def _flat(d, prefix=""):
    out = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out |= _flat(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(d, list) and d and all(isinstance(x, dict) and "id" in x for x in d):
        for x in d:
            out |= _flat({k: v for k, v in x.items() if k != "id"}, f"{prefix}[{x['id']}]")
    elif isinstance(d, list) and d and all(isinstance(x, dict) and "key" in x for x in d):
        for x in d:
            out |= _flat({k: v for k, v in x.items() if k != "key"}, f"{prefix}[{x['key']}]")
    else:
        out[prefix] = d
    return out


def policy_changes(a: Policy, a_on: dt.date, b: Policy, b_on: dt.date) -> dict:
    """What changed between two dated policies: the norm amounts in force (with each table's source) and every
    national or municipal rule value (national layer, sanctions, exemptions), from → to."""
    na, nb = a.norms_on(a_on), b.norms_on(b_on)
    out: dict = {"norms": {"from": None, "to": None, "amounts": {}}, "rules": {}}
    for key, t in (("from", na), ("to", nb)):
        if t is not None:
            out["norms"][key] = {
                "valid_from": t.valid_from.isoformat(),
                "source": f"{t.source.title} ({t.source.url})",
                "assumption": t.assumption,
            }
    am, bm = (amounts(t) if t else {} for t in (na, nb))
    for name in LABELS:
        if am.get(name) != bm.get(name):
            out["norms"]["amounts"][name] = {"label": LABELS[name], "from": am.get(name), "to": bm.get(name)}

    def rules(p: Policy) -> dict:
        data = p.model_dump(
            mode="json",
            include={"national", "sanctions", "exemptions", "balans"},
            exclude={"national": {"norm_tables"}},
        )
        return _flat(data)

    ra, rb = rules(a), rules(b)
    for k in sorted(set(ra) | set(rb)):
        if ra.get(k) != rb.get(k):
            out["rules"][k] = {"from": ra.get(k), "to": rb.get(k)}
    return out
