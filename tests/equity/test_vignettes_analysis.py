"""The vignette analysis (regie.core.equity.vignettes) on constructed answers with known agreement and variance."""

from __future__ import annotations

import numpy as np
import pytest

from regie.core.equity import vignettes as VA

# Fleiss (1971) as reproduced in most textbooks: 10 subjects, 14 raters, 5 categories -> kappa 0.210
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_textbook_example():
    units = [[cat for cat, n in enumerate(row) for _ in range(n)] for row in FLEISS_TABLE]
    out = VA.fleiss_kappa(units)
    assert out["observed"] == pytest.approx(0.378, abs=5e-4)
    assert out["expected"] == pytest.approx(0.213, abs=5e-4)
    assert out["kappa"] == pytest.approx(0.210, abs=5e-4)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, missing values
K = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_alpha_published_example():
    units = [list(col) for col in zip(*K, strict=True)]
    assert VA.krippendorff_alpha(units, "nominal")["alpha"] == pytest.approx(0.743, abs=5e-4)
    assert VA.krippendorff_alpha(units, "interval")["alpha"] == pytest.approx(0.849, abs=5e-4)


def _constructed():
    """y = base_v + a_m + b_i + e_iv with e summing to 0 per caseworker and per vignette (exact ANOVA)."""
    base = {"V1": 2, "V2": 6, "V3": 12}
    a = {"A": 3, "B": -3}
    b = {"r1": ("A", 1), "r2": ("A", -1), "r3": ("B", 2), "r4": ("B", -2)}
    e = {"r1": [1, -1, 0], "r2": [-1, 1, 0], "r3": [0, 0, 0], "r4": [0, 0, 0]}
    answers = []
    for r, (m, bi) in b.items():
        for k, (v, bv) in enumerate(base.items()):
            answers.append(
                {
                    "vignette": v,
                    "respondent": r,
                    "municipality": m,
                    "scheme": "ladder",
                    "level": "4" if v != "V3" or r == "r1" else "2",
                    "level_rank": None,
                    "route": "reintegratie",
                    "exemption": v == "V3",
                    "months": bv + a[m] + bi + e[r][k],
                }
            )
    return answers


def test_variance_components_match_hand_computed_anova():
    res = VA.analyse(_constructed())
    months = next(v for v in res["variance"] if v["answer"] == "months")
    # MS_M = 108 (df 1), MS_R = 15 (df 2), MS_E = 4/6 (df 12 - 4 - 2); V = 3 answers per caseworker, J = 2
    assert months["var_residual"] == pytest.approx(4 / 6)
    assert months["var_respondent"] == pytest.approx((15 - 4 / 6) / 3)
    assert months["var_municipality"] == pytest.approx((108 - 15) / 6)
    total = 15.5 + (15 - 4 / 6) / 3 + 4 / 6
    assert months["icc_municipality"] == pytest.approx(15.5 / total)
    assert "only 2 municipalities" in months["warning"]


def test_per_vignette_agreement_and_spread():
    res = VA.analyse(_constructed())
    v1, v3 = res["per_vignette"][0], res["per_vignette"][2]
    assert v1["level_mode"] == "4" and v1["level_mode_share"] == 1.0 and v1["level_agreement"] == 1.0
    assert v3["level_mode"] == "2" and v3["level_mode_share"] == 0.75
    assert v3["level_agreement"] == pytest.approx(0.5)  # 3 of 4 agree: (9 + 1 - 4) / 12
    assert v1["exemption_yes_share"] == 0.0 and v3["exemption_yes_share"] == 1.0
    # V1 months: r1 2+3+1+1=7, r2 2+3-1-1=3, r3 2-3+2=1, r4 2-3-2=-3
    assert v1["months_mean"] == pytest.approx(2.0) and v1["months_min"] == -3 and v1["months_max"] == 7
    level = next(a for a in res["agreement"] if a["question"] == "level")
    # units V1 [4,4,4,4], V2 [4,4,4,4], V3 [4,2,2,2]: P̄ = (1 + 1 + 0.5) / 3; p(4) = 9/12, p(2) = 3/12
    p_e = (9 / 12) ** 2 + (3 / 12) ** 2
    assert level["fleiss_kappa"] == pytest.approx((2.5 / 3 - p_e) / (1 - p_e))
    route = next(a for a in res["agreement"] if a["question"] == "route")
    assert route["observed"] == 1.0 and route["fleiss_kappa"] is None  # one category only: kappa undefined


def test_variance_components_recover_simulated_effects():
    """30 municipalities x 8 caseworkers x 10 vignettes; true s_m^2 = 4, s_r^2 = 1, s_e^2 = 2."""
    rng = np.random.default_rng(6)
    answers = []
    for m in range(30):
        am = rng.normal(0, 2)
        for j in range(8):
            br = rng.normal(0, 1)
            for v in range(10):
                answers.append(
                    {
                        "vignette": f"V{v}",
                        "respondent": f"m{m}r{j}",
                        "municipality": f"M{m}",
                        "months": 10 + 3 * v + am + br + rng.normal(0, np.sqrt(2)),
                    }
                )
    vc = VA.variance_components([(a["vignette"], a["respondent"], a["municipality"], a["months"]) for a in answers])
    assert vc["var_residual"] == pytest.approx(2.0, rel=0.1)
    assert vc["var_respondent"] == pytest.approx(1.0, rel=0.35)
    assert vc["var_municipality"] == pytest.approx(4.0, rel=0.5)
    assert vc["warning"] == ""


def test_no_caseworker_effect_gives_small_caseworker_share():
    rng = np.random.default_rng(7)
    rows = [(f"V{v}", f"r{j}", "M", 5 + v + rng.normal(0, 1)) for j in range(20) for v in range(8)]
    vc = VA.variance_components(rows)
    assert vc["var_respondent"] < 0.15 and vc["var_municipality"] is None


def test_plots_and_exports():
    res = VA.analyse(_constructed())
    for svg in (VA.agreement_svg(res), VA.spread_svg(res), VA.variance_svg(res)):
        assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert VA.spread_svg(res).count("<circle") == 12 + 2  # one dot per answer plus the legend
    sheets = VA.export_sheets(res)
    assert list(sheets) == ["summary", *VA.TABLES]
    assert len(sheets["per_vignette"]) == 3 and list(sheets["per_vignette"][0])[:3] == [
        "vignette",
        "answers",
        "level_mode",
    ]
    assert VA.to_pdf(res).startswith(b"%PDF")
