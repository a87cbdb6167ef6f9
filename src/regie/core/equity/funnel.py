"""Funnel plots for indirectly standardised caseworker outcomes (Spiegelhalter 2005, Stat Med 24:1185-1202).

Each caseworker's outcome is compared with what the covariates-only model expects for their own clients:

- binary and continuous decisions: y = target + (O - E) / n (a risk-adjusted mean), against n; limits
  target +/- z * sqrt(v / n), where v is the average per-unit variance under the null (binary: mean of
  p(1 - p) over all units; continuous: the residual variance of the covariates-only regression);
- durations (piecewise-exponential model): y = O / E (observed over expected trajectory starts), against E;
  limits on the square-root scale, (sqrt(E) +/- z / 2)^2 / E, which behaves better than 1 +/- z / sqrt(E) when E is
  small.

z = 1.96 (95%) and 3.09 (99.8%). A caseworker is flagged only outside the 99.8% limits and only with at least
``min_caseload`` units, so small caseloads are not over-read.
"""

from __future__ import annotations

import io
import math

import numpy as np

Z95, Z998 = 1.959963984540054, 3.090232306167813


def limits(kind: str, x: float, target: float, v: float) -> dict:
    if x <= 0:
        return {"lo95": None, "hi95": None, "lo998": None, "hi998": None}
    if kind == "duration":
        r = math.sqrt(x)

        def lim(z, sign):
            return max(r + sign * z / 2, 0.0) ** 2 / x
    else:
        se = math.sqrt(v / x)

        def lim(z, sign):
            return target + sign * z * se

    return {"lo95": lim(Z95, -1), "hi95": lim(Z95, 1), "lo998": lim(Z998, -1), "hi998": lim(Z998, 1)}


# The chart's own text (Dutch: the web app's primary language); an adapter passes ``labels`` to draw it in another.
FUNNEL_LABELS = {
    "limit_95": "95%-grens",
    "limit_998": "99,8%-grens",
    "x_duration": "verwacht aantal trajectstarts (V)",
    "x_count": "aantal beslissingen (n)",
    "y_duration": "waargenomen / verwacht (W/V)",
    "y_continuous": "gecorrigeerd gemiddelde",
    "y_binary": "gecorrigeerd aandeel",
}


def funnel_svg(decision_result: dict, *, title: str | None = None, labels: dict | None = None) -> str:
    """An SVG funnel plot of one ``equity_report(...)["decisions"][name]`` entry (shared by web and CLI).
    ``labels`` overrides :data:`FUNNEL_LABELS` (the reader's language)."""
    L = {**FUNNEL_LABELS, **(labels or {})}
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    res = decision_result
    kind = res["kind"]
    effects = res.get("caseworker_effects") or []
    fig = Figure(figsize=(7.0, 4.6), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    target = res.get("funnel_target")
    v = res.get("funnel_v") or 0.0
    xs = np.array([e["funnel"]["x"] for e in effects if e["funnel"].get("x")], dtype=float)
    if len(xs) and target is not None:
        grid = np.linspace(max(xs.min() * 0.8, 1.0), xs.max() * 1.1, 200)
        for key, style in (("95", "--"), ("998", "-")):
            lo = [limits(kind, x, target, v)[f"lo{key}"] for x in grid]
            hi = [limits(kind, x, target, v)[f"hi{key}"] for x in grid]
            label = L["limit_95"] if key == "95" else L["limit_998"]
            ax.plot(grid, lo, style, color="#555555", linewidth=1, label=label)
            ax.plot(grid, hi, style, color="#555555", linewidth=1)
        ax.axhline(target, color="#999999", linewidth=0.8)
    colours = {"above": "#c0392b", "below": "#2471a3", None: "#333333"}
    for e in effects:
        f = e["funnel"]
        if f.get("x") is None or f.get("y") is None:
            continue
        ax.plot([f["x"]], [f["y"]], "o", markersize=4 if e["flag"] is None else 6, color=colours[e["flag"]], alpha=0.8)
        if e["flag"]:
            ax.annotate(str(e["caseworker"]), (f["x"], f["y"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    xlabel = L["x_duration"] if kind == "duration" else L["x_count"]
    ylabel = L[f"y_{kind}"]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or res.get("description", ""), fontsize=9)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "regie"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
