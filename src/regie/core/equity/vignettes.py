"""Vignette study analysis (seed 000:1006): do caseworkers judge the same client profile the same way?

Plain Python + numpy (no Django). Input is a list of answers, one dict per (vignette, respondent)::

    {"vignette": "V1", "respondent": "R-3fa2c1", "municipality": "0518", "scheme": "participatieladder",
     "level": "4", "level_rank": 3, "route": "reintegratie", "exemption": False, "months": 12}

Respondents are pseudonyms (the web app passes keyed-hash codes, never names). Missing answers are ``None``.

What :func:`analyse` reports:

- per vignette: the modal answer and its share, the observed pairwise agreement, the spread of the numeric answers
  (expected months to work, level rank: mean, sd, quartiles);
- agreement across caseworkers per categorical question: Fleiss' kappa (generalised to a varying number of raters
  per vignette) and Krippendorff's alpha (nominal; interval for the numeric questions). Levels are only compared
  within one classification scheme: municipalities with different schemes are analysed per scheme;
- variance components of the numeric answers: the answers are centred on their vignette's mean (the vignette is a
  fixed effect: every caseworker judges the same profiles), then split by a nested one-way ANOVA (method of
  moments, unbalanced-design coefficients) into between-municipality, between-caseworker-within-municipality and
  residual (caseworker × vignette) variance; the ICC by municipality is the municipality's share.
"""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

CATEGORICAL = ("level", "route", "exemption")
NUMERIC = ("months", "level_rank")
PALETTE = ["#01689b", "#e17000", "#39870c", "#a90061", "#8fcae7", "#ffb612", "#5a2d0c", "#76d2b6"]


# --- agreement ----------------------------------------------------------------------------------------------------


def fleiss_kappa(units: Iterable[Iterable]) -> dict:
    """Fleiss' kappa over units (vignettes), each a list of the categories raters gave (None = no answer).

    Units with fewer than two answers are left out. Generalised to a varying number of raters per unit:
    P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1)), P̄ = mean P_i, p_j = share of category j among all answers,
    P_e = sum_j p_j^2, kappa = (P̄ - P_e) / (1 - P_e). Returns kappa (None when P_e = 1), P̄, P_e and the counts.
    """
    rows = [[v for v in unit if v is not None] for unit in units]
    rows = [r for r in rows if len(r) >= 2]
    if not rows:
        return {"kappa": None, "observed": None, "expected": None, "units": 0, "answers": 0}
    totals: Counter = Counter()
    p_i = []
    for r in rows:
        c = Counter(r)
        n = len(r)
        totals.update(c)
        p_i.append((sum(x * x for x in c.values()) - n) / (n * (n - 1)))
    n_all = sum(totals.values())
    p_e = sum((x / n_all) ** 2 for x in totals.values())
    p_bar = float(np.mean(p_i))
    kappa = None if p_e >= 1.0 else (p_bar - p_e) / (1.0 - p_e)
    return {"kappa": kappa, "observed": p_bar, "expected": p_e, "units": len(rows), "answers": n_all}


def krippendorff_alpha(units: Iterable[Iterable], metric: str = "nominal") -> dict:
    """Krippendorff's alpha for units with any number of values (None = missing); metric nominal or interval.

    alpha = 1 - D_o / D_e with D_o = (1/n) sum_u sum_{i != j} delta(v_ui, v_uj) / (m_u - 1) and
    D_e = 1 / (n (n - 1)) sum over all ordered pairs of pairable values of delta, n = number of pairable values.
    """
    rows = [[v for v in unit if v is not None] for unit in units]
    rows = [r for r in rows if len(r) >= 2]
    values = [v for r in rows for v in r]
    n = len(values)
    if n < 2:
        return {"alpha": None, "n": n}
    if metric == "interval":

        def pair_sum(vs):
            a = np.asarray(vs, dtype=float)
            return 2.0 * (len(a) * float((a * a).sum()) - float(a.sum()) ** 2)
    elif metric == "nominal":

        def pair_sum(vs):
            c = Counter(vs)
            m = len(vs)
            return float(m * m - sum(x * x for x in c.values()))
    else:
        raise ValueError(metric)
    d_o = sum(pair_sum(r) / (len(r) - 1) for r in rows) / n
    d_e = pair_sum(values) / (n * (n - 1))
    return {"alpha": None if d_e == 0 else 1.0 - d_o / d_e, "n": n}


# --- variance components ------------------------------------------------------------------------------------------


def variance_components(rows: list[tuple[str, str, str, float | None]]) -> dict:
    """Between-municipality, between-caseworker (within municipality) and residual variance of one numeric answer.

    ``rows`` are (vignette, respondent, municipality, value). Values are centred on their vignette's mean, then a
    nested ANOVA with method-of-moments estimates (Sokal & Rohlf's coefficients for unequal group sizes):

    MS_E = SS within respondents / (N - R - (V - 1))         E = s_e^2
    MS_R = SS respondents within municipality / (R - M)      E = s_e^2 + n0 s_r^2
    MS_M = SS between municipalities / (M - 1)               E = s_e^2 + n0' s_r^2 + n0'' s_m^2

    Negative estimates are set to 0 (reported in ``truncated``). ICC by municipality = s_m^2 / total.
    """
    rows = [r for r in rows if r[3] is not None]
    out: dict[str, Any] = {
        "n": len(rows),
        "vignettes": 0,
        "respondents": 0,
        "municipalities": 0,
        "var_municipality": None,
        "var_respondent": None,
        "var_residual": None,
        "icc_municipality": None,
        "share_respondent": None,
        "truncated": [],
        "warning": "",
    }
    if len(rows) < 3:
        out["warning"] = "too few answers"
        return out
    y = np.asarray([r[3] for r in rows], dtype=float)
    vig = [r[0] for r in rows]
    resp = [r[1] for r in rows]
    mun = [r[2] for r in rows]
    by_v: dict[str, list[int]] = defaultdict(list)
    for k, v in enumerate(vig):
        by_v[v].append(k)
    r = y.copy()
    for idx in by_v.values():
        r[idx] -= y[idx].mean()
    resp_of_mun: dict[str, set] = defaultdict(set)
    for i, m in zip(resp, mun):
        resp_of_mun[m].add(i)
    idx_r: dict[str, list[int]] = defaultdict(list)
    idx_m: dict[str, list[int]] = defaultdict(list)
    for k in range(len(rows)):
        idx_r[resp[k]].append(k)
        idx_m[mun[k]].append(k)
    N, V, R, M = len(rows), len(by_v), len(idx_r), len(idx_m)
    out.update(vignettes=V, respondents=R, municipalities=M)
    grand = r.mean()
    mean_r = {i: r[ix].mean() for i, ix in idx_r.items()}
    mean_m = {m: r[ix].mean() for m, ix in idx_m.items()}
    n_r = {i: len(ix) for i, ix in idx_r.items()}
    n_m = {m: len(ix) for m, ix in idx_m.items()}
    mun_of = {i: m for i, m in zip(resp, mun)}
    ss_e = float(sum(((r[ix] - mean_r[i]) ** 2).sum() for i, ix in idx_r.items()))
    ss_r = float(sum(n_r[i] * (mean_r[i] - mean_m[mun_of[i]]) ** 2 for i in idx_r))
    ss_m = float(sum(n_m[m] * (mean_m[m] - grand) ** 2 for m in idx_m))
    df_e = N - R - (V - 1)
    if df_e <= 0 or R < 2:
        out["warning"] = "too few answers per caseworker"
        return out
    ms_e = ss_e / df_e
    s_e = ms_e
    s_r = 0.0
    sum_in = sum(sum(n_r[i] ** 2 for i in resp_of_mun[m]) / n_m[m] for m in idx_m)
    if R > M:
        ms_r = ss_r / (R - M)
        n0 = (N - sum_in) / (R - M)
        s_r = (ms_r - ms_e) / n0
    else:
        out["warning"] = "one caseworker per municipality: caseworker and municipality cannot be separated"
    s_m = None
    if M >= 2:
        ms_m = ss_m / (M - 1)
        n0p = (sum_in - sum(n**2 for n in n_r.values()) / N) / (M - 1)
        n0pp = (N - sum(n**2 for n in n_m.values()) / N) / (M - 1)
        s_m = (ms_m - ms_e - n0p * s_r) / n0pp
    for name, val in (("var_respondent", s_r), ("var_municipality", s_m)):
        if val is not None and val < 0:
            out["truncated"].append(name)
    s_r = max(s_r, 0.0)
    s_m = max(s_m, 0.0) if s_m is not None else None
    total = s_e + s_r + (s_m or 0.0)
    out.update(
        var_residual=s_e,
        var_respondent=s_r,
        var_municipality=s_m,
        icc_municipality=(s_m / total if s_m is not None and total > 0 else None),
        share_respondent=(s_r / total if total > 0 else None),
    )
    if M < 5 and M >= 2 and not out["warning"]:
        out["warning"] = f"only {M} municipalities: the between-municipality variance is very imprecise"
    return out


# --- per vignette ---------------------------------------------------------------------------------------------------


def _mode(values: list) -> tuple:
    vals = [v for v in values if v is not None and v != ""]
    if not vals:
        return None, None
    c = Counter(vals)
    top = max(c.values())
    winner = sorted((str(k) for k, n in c.items() if n == top))[0]
    return winner, top / len(vals)


def _pairwise(values: list) -> float | None:
    vals = [v for v in values if v is not None and v != ""]
    n = len(vals)
    if n < 2:
        return None
    c = Counter(vals)
    return (sum(x * x for x in c.values()) - n) / (n * (n - 1))


def _spread(values: list) -> dict:
    vals = np.asarray([float(v) for v in values if v is not None], dtype=float)
    if len(vals) == 0:
        return {"mean": None, "sd": None, "min": None, "q1": None, "median": None, "q3": None, "max": None}
    q1, med, q3 = np.percentile(vals, [25, 50, 75])
    return {
        "mean": float(vals.mean()),
        "sd": float(vals.std(ddof=1)) if len(vals) > 1 else None,
        "min": float(vals.min()),
        "q1": float(q1),
        "median": float(med),
        "q3": float(q3),
        "max": float(vals.max()),
    }


def analyse(answers: list[dict], vignettes: list[str] | None = None) -> dict:
    """The whole analysis as plain data (JSON-serialisable); see the module docstring."""
    order = list(vignettes or sorted({a["vignette"] for a in answers}, key=_natural))
    by_v: dict[str, list[dict]] = {v: [] for v in order}
    for a in answers:
        by_v.setdefault(a["vignette"], []).append(a)
    schemes = sorted({a.get("scheme") or "" for a in answers if a.get("level")})
    per_vignette = []
    for v in by_v:
        rows = by_v[v]
        lvl_mode, lvl_share = _mode([a.get("level") for a in rows])
        route_mode, route_share = _mode([a.get("route") for a in rows])
        ex = [a["exemption"] for a in rows if a.get("exemption") is not None]
        months = _spread([a.get("months") for a in rows])
        rank = _spread([a.get("level_rank") for a in rows])
        per_vignette.append(
            {
                "vignette": v,
                "answers": len(rows),
                "level_mode": lvl_mode,
                "level_mode_share": lvl_share,
                "level_agreement": _pairwise(
                    [(a.get("scheme"), a.get("level")) if a.get("level") else None for a in rows]
                ),
                "route_mode": route_mode,
                "route_mode_share": route_share,
                "route_agreement": _pairwise([a.get("route") for a in rows]),
                "exemption_yes_share": (sum(ex) / len(ex)) if ex else None,
                **{f"months_{k}": val for k, val in months.items()},
                "level_rank_sd": rank["sd"],
            }
        )
    agreement = []
    for q in CATEGORICAL:
        groups = (
            [(s, [a for a in answers if (a.get("scheme") or "") == s]) for s in schemes]
            if q == "level"
            else [("", answers)]
        )
        for scheme, subset in groups:
            units = defaultdict(list)
            for a in subset:
                units[a["vignette"]].append(a.get(q) if a.get(q) != "" else None)
            fk = fleiss_kappa(units.values())
            ka = krippendorff_alpha(units.values(), "nominal")
            if fk["answers"] == 0:
                continue
            agreement.append(
                {
                    "question": q,
                    "scheme": scheme or None,
                    "vignettes": fk["units"],
                    "answers": fk["answers"],
                    "observed": fk["observed"],
                    "expected": fk["expected"],
                    "fleiss_kappa": fk["kappa"],
                    "krippendorff_alpha": ka["alpha"],
                }
            )
    for q in NUMERIC:
        units = defaultdict(list)
        for a in answers:
            units[a["vignette"]].append(a.get(q))
        ka = krippendorff_alpha(units.values(), "interval")
        if ka["n"] >= 2:
            agreement.append(
                {
                    "question": q,
                    "scheme": None,
                    "vignettes": sum(1 for u in units.values() if sum(x is not None for x in u) >= 2),
                    "answers": ka["n"],
                    "observed": None,
                    "expected": None,
                    "fleiss_kappa": None,
                    "krippendorff_alpha": ka["alpha"],
                }
            )
    variance = []
    for q in NUMERIC:
        vc = variance_components([(a["vignette"], a["respondent"], a["municipality"], a.get(q)) for a in answers])
        if vc["n"] == 0:
            continue
        if q == "level_rank" and len(schemes) > 1:
            vc["warning"] = ("level ranks of different schemes are not one scale; " + vc["warning"]).strip("; ")
        variance.append({"answer": q, **{k: (", ".join(v) if isinstance(v, list) else v) for k, v in vc.items()}})
    by_mun = []
    for m in sorted({a["municipality"] for a in answers}):
        rows = [a for a in answers if a["municipality"] == m]
        ex = [a["exemption"] for a in rows if a.get("exemption") is not None]
        mo = [a["months"] for a in rows if a.get("months") is not None]
        rk = [a["level_rank"] for a in rows if a.get("level_rank") is not None]
        by_mun.append(
            {
                "municipality": m,
                "respondents": len({a["respondent"] for a in rows}),
                "answers": len(rows),
                "months_mean": float(np.mean(mo)) if mo else None,
                "level_rank_mean": float(np.mean(rk)) if rk else None,
                "exemption_yes_share": (sum(ex) / len(ex)) if ex else None,
            }
        )
    respondents = sorted({(a["respondent"], a["municipality"]) for a in answers})
    return {
        "answers": len(answers),
        "respondents": len(respondents),
        "vignettes": len(by_v),
        "municipalities": len({a["municipality"] for a in answers}),
        "schemes": [s for s in schemes if s],
        "per_vignette": per_vignette,
        "agreement": agreement,
        "variance": variance,
        "by_municipality": by_mun,
        "answer_rows": [
            {
                k: a.get(k)
                for k in (
                    "vignette",
                    "respondent",
                    "municipality",
                    "scheme",
                    "level",
                    "level_rank",
                    "route",
                    "exemption",
                    "months",
                )
            }
            for a in answers
        ],
    }


def _natural(code: str):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else math.inf, code)


# --- plots (SVG strings) --------------------------------------------------------------------------------------------


def _esc(s) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


CHART_LABELS = {
    "level": "level",
    "route": "route",
    "municipality": "municipality",
    "caseworker": "caseworker",
    "residual": "residual",
    "median": "median",
    "months": "months",
    "level_rank": "level_rank",
}


def _labels(labels: dict | None) -> dict:
    """Chart words, in English unless the caller (the web app, in the user's language) passes its own."""
    return {**CHART_LABELS, **(labels or {})}


def agreement_svg(result: dict, title: str = "Modal share per vignette", labels: dict | None = None) -> str:
    """Horizontal bars: the share of caseworkers who gave the most common level and route, per vignette."""
    L = _labels(labels)
    rows = result["per_vignette"]
    h = 22 * max(len(rows), 1) + 56
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart agreement" role="img" aria-label="{_esc(title)}" '
        f'viewBox="0 0 420 {h}" width="100%"><title>{_esc(title)}</title>'
    ]
    for x in (0, 25, 50, 75, 100):
        px = 60 + 3.4 * x
        parts.append(
            f'<line x1="{px}" y1="10" x2="{px}" y2="{h - 41}" stroke="#ccc"/>'
            f'<text x="{px}" y="{h - 28}" font-size="10" text-anchor="middle">{x}%</text>'
        )
    for k, r in enumerate(rows):
        y = 12 + 22 * k
        parts.append(f'<text x="55" y="{y + 12}" font-size="11" text-anchor="end">{_esc(r["vignette"])}</text>')
        for j, (key, colour) in enumerate((("level_mode_share", PALETTE[0]), ("route_mode_share", PALETTE[1]))):
            share = r.get(key)
            if share is None:
                continue
            parts.append(
                f'<rect x="60" y="{y + 9 * j}" width="{3.4 * 100 * share:.1f}" height="8" fill="{colour}">'
                f"<title>{_esc(r['vignette'])} {_esc(L[key.split('_')[0]])}: {100 * share:.0f}%</title></rect>"
            )
    parts.append(
        f'<rect x="60" y="{h - 14}" width="8" height="8" fill="{PALETTE[0]}"/>'
        f'<text x="72" y="{h - 6}" font-size="10">{_esc(L["level"])}</text>'
        f'<rect x="120" y="{h - 14}" width="8" height="8" fill="{PALETTE[1]}"/>'
        f'<text x="132" y="{h - 6}" font-size="10">{_esc(L["route"])}</text></svg>'
    )
    return "".join(parts)


def spread_svg(
    result: dict,
    answer: str = "months",
    title: str = "Expected months to work per vignette",
    labels: dict | None = None,
) -> str:
    """A dot per answer on one row per vignette, coloured by municipality; the vertical tick is the median."""
    L = _labels(labels)
    rows = result["per_vignette"]
    values = [a[answer] for a in result["answer_rows"] if a.get(answer) is not None]
    top = max(values + [1])
    muns = sorted({a["municipality"] for a in result["answer_rows"]})
    colour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(muns)}
    h = 24 * max(len(rows), 1) + 50 + 14 * len(muns)
    scale = 330 / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart spread" role="img" aria-label="{_esc(title)}" '
        f'viewBox="0 0 420 {h}" width="100%"><title>{_esc(title)}</title>'
    ]
    axis_y = 24 * len(rows) + 14
    for t in np.linspace(0, top, 5):
        px = 60 + scale * t
        parts.append(
            f'<line x1="{px:.1f}" y1="6" x2="{px:.1f}" y2="{axis_y}" stroke="#ddd"/>'
            f'<text x="{px:.1f}" y="{axis_y + 12}" font-size="10" text-anchor="middle">{t:.0f}</text>'
        )
    row_of = {r["vignette"]: k for k, r in enumerate(rows)}
    seen: Counter = Counter()
    for a in result["answer_rows"]:
        if a.get(answer) is None or a["vignette"] not in row_of:
            continue
        k = row_of[a["vignette"]]
        nth = seen[(k, a[answer])] % 5
        jitter = (nth + 1) // 2 * 3 * (1 if nth % 2 else -1)  # 0, +3, -3, +6, -6
        seen[(k, a[answer])] += 1
        cx, cy = 60 + scale * a[answer], 18 + 24 * k + jitter
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy}" r="3.5" fill="{colour[a["municipality"]]}" fill-opacity="0.8">'
            f"<title>{_esc(a['vignette'])} {_esc(a['respondent'])} ({_esc(a['municipality'])}): "
            f"{_esc(a[answer])}</title></circle>"
        )
    for r in rows:
        k = row_of[r["vignette"]]
        parts.append(f'<text x="55" y="{22 + 24 * k}" font-size="11" text-anchor="end">{_esc(r["vignette"])}</text>')
        med = r.get(f"{answer}_median") if answer == "months" else None
        if med is not None:
            px = 60 + scale * med
            parts.append(
                f'<line x1="{px:.1f}" y1="{8 + 24 * k}" x2="{px:.1f}" y2="{28 + 24 * k}" stroke="#000" '
                f'stroke-width="2"><title>{_esc(L["median"])} {med:g}</title></line>'
            )
    for i, m in enumerate(muns):
        y = axis_y + 26 + 14 * i
        parts.append(
            f'<circle cx="66" cy="{y - 4}" r="4" fill="{colour[m]}"/>'
            f'<text x="75" y="{y}" font-size="10">{_esc(m)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def variance_svg(result: dict, title: str = "Variance components", labels: dict | None = None) -> str:
    """One stacked bar per numeric answer: shares of municipality, caseworker and residual variance."""
    L = _labels(labels)
    rows = [v for v in result["variance"] if v.get("var_residual") is not None]
    h = 30 * max(len(rows), 1) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart variance" role="img" aria-label="{_esc(title)}" '
        f'viewBox="0 0 420 {h}" width="100%"><title>{_esc(title)}</title>'
    ]
    names = (
        ("var_municipality", L["municipality"], PALETTE[0]),
        ("var_respondent", L["caseworker"], PALETTE[1]),
        ("var_residual", L["residual"], "#bbb"),
    )
    for k, v in enumerate(rows):
        total = sum(v.get(n) or 0.0 for n, _l, _c in names) or 1.0
        x = 80.0
        y = 10 + 30 * k
        parts.append(
            f'<text x="75" y="{y + 14}" font-size="11" text-anchor="end">{_esc(L.get(v["answer"], v["answer"]))}</text>'
        )
        for n, label, c in names:
            w = 320 * (v.get(n) or 0.0) / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" fill="{c}">'
                f"<title>{_esc(label)}: {100 * (v.get(n) or 0.0) / total:.0f}%</title></rect>"
            )
            x += w
    for i, (_n, label, c) in enumerate(names):
        parts.append(
            f'<rect x="{80 + 110 * i}" y="{h - 22}" width="8" height="8" fill="{c}"/>'
            f'<text x="{92 + 110 * i}" y="{h - 14}" font-size="10">{_esc(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- export ---------------------------------------------------------------------------------------------------------

TABLES = ("per_vignette", "agreement", "variance", "by_municipality", "answer_rows")


def tables(result: dict) -> dict[str, list[dict]]:
    return {name: result[name] for name in TABLES}


def _round(v):
    return round(v, 4) if isinstance(v, float) else v


def export_sheets(result: dict, title: str = "Vignette study") -> dict[str, list[dict]]:
    """The analysis as tables for the shared CSV/Excel writer: a summary sheet (the study's title and counts), then
    one sheet per table, floats rounded to 4 decimals."""
    summary = [{"field": "title", "value": title}]
    summary += [{"field": k, "value": result[k]} for k in ("answers", "respondents", "vignettes", "municipalities")]
    return {
        "summary": summary,
        **{name: [{k: _round(v) for k, v in r.items()} for r in rows] for name, rows in tables(result).items()},
    }


def to_pdf(result: dict, title: str = "Vignette study", *, label=None, value=None, counts: str | None = None) -> bytes:
    """A short PDF report: counts, agreement, variance components and the per-vignette table. The adapter gives
    the words in the user's language: ``label`` (a table or column key -> its name), ``value`` ((column, value) ->
    the value as shown) and ``counts`` (the sentence with the counts); without them the keys are written."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=title)
    story = [
        Paragraph(_esc(title), styles["Title"]),
        Paragraph(
            _esc(
                counts
                or f"{result['answers']} answers, {result['respondents']} caseworkers, {result['vignettes']} "
                f"vignettes, {result['municipalities']} municipalities"
            ),
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]

    name_of = label or (lambda k: k)

    def fmt(column, v):
        if v is None:
            return "-"
        if value is not None and isinstance(v, str):
            return str(value(column, v))
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    for name, cols in (
        ("agreement", ["question", "scheme", "vignettes", "answers", "observed", "fleiss_kappa", "krippendorff_alpha"]),
        (
            "variance",
            [
                "answer",
                "n",
                "respondents",
                "municipalities",
                "var_municipality",
                "var_respondent",
                "var_residual",
                "icc_municipality",
                "warning",
            ],
        ),
        (
            "per_vignette",
            [
                "vignette",
                "answers",
                "level_mode",
                "level_mode_share",
                "route_mode",
                "route_mode_share",
                "exemption_yes_share",
                "months_median",
                "months_q1",
                "months_q3",
                "months_sd",
            ],
        ),
    ):
        story.append(Paragraph(_esc(str(name_of(name))), styles["Heading2"]))
        data = [[str(name_of(c)) for c in cols]] + [[fmt(c, r.get(c)) for c in cols] for r in result[name]]
        t = Table(data, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ]
            )
        )
        story += [t, Spacer(1, 12)]
    doc.build(story)
    return out.getvalue()
