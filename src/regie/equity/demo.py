"""Demo data of equal treatment: one vignette study with answers, so the study, answer and analysis pages of the
demo municipality have something to show (``regie demo``; the sweep tests use it too).

Synthetic: the profiles and answers are invented (assumption), not research data. The study design follows the
vignette method of seed 000:1006 (standard client profiles judged by several caseworkers).
"""

from __future__ import annotations

import datetime as dt

# (title, age, sex, household, children, youngest, education, language, health, debts, willen, kunnen, sketch)
DEMO_VIGNETTES = (
    (
        "Alleenstaande moeder, mbo-2",
        34,
        "V",
        "alleenstaande_ouder",
        2,
        4,
        "mbo2_4",
        "goed",
        "geen",
        True,
        "hoog",
        "midden",
        "Werkte tot vorig jaar in de zorg; wil graag terug, maar de opvang voor de jongste is niet rond.",
    ),
    (
        "Man van 58, lang in de logistiek",
        58,
        "M",
        "alleenstaande",
        0,
        None,
        "vmbo",
        "goed",
        "licht",
        False,
        "midden",
        "midden",
        "Twintig jaar orderpicker, daarna ontslagen; rugklachten, solliciteert weinig.",
    ),
    (
        "Statushouder, net in de gemeente",
        27,
        "M",
        "alleenstaande",
        0,
        None,
        "havo_vwo",
        "slecht",
        "geen",
        False,
        "hoog",
        "laag",
        "Studeerde in het land van herkomst; volgt een taalcursus en wil snel aan het werk.",
    ),
    (
        "Vrouw van 45 met schulden",
        45,
        "V",
        "gehuwden",
        1,
        12,
        "geen",
        "matig",
        "ernstig",
        True,
        "laag",
        "laag",
        "Heeft schulden bij meerdere schuldeisers en slaapt slecht; kwam na een scheiding in de bijstand.",
    ),
)


def seed_demo_study(municipality, caseworkers: int = 6) -> int:
    """Create the demo vignette study of ``municipality`` once and let up to ``caseworkers`` caseworkers answer it;
    returns the number of answers written (0 when the study exists or the municipality has no policy officer)."""
    from regie.accounts.models import User
    from regie.core.policy import PolicyUnavailable

    from .models import Vignette, VignetteStudy
    from .services import record_answer, scheme_options

    owner = User.objects.filter(municipality=municipality, role="beleidsmedewerker").order_by("id").first()
    if owner is None or VignetteStudy.objects.filter(municipality=municipality).exists():
        return 0
    today = dt.date.today()
    study = VignetteStudy.objects.create(
        municipality=municipality,
        title="Vier profielen: wie krijgt welk traject? (demo)",
        description="Hoe zouden klantmanagers deze vier cliënten indelen? Synthetische profielen voor de demo.",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        questions=["level", "route", "exemption", "months", "motivation"],
        created_by=owner,
    )
    study.participants.add(municipality)
    vignettes = []
    for i, (title, age, sex, hh, n, youngest, edu, lang, health, debts, willen, kunnen, sketch) in enumerate(
        DEMO_VIGNETTES, 1
    ):
        vignettes.append(
            Vignette.objects.create(
                study=study,
                position=i,
                title=title,
                age=age,
                sex=sex,
                household=hh,
                n_children=n,
                youngest_child_age=youngest,
                education=edu,
                language=lang,
                health=health,
                debts=debts,
                motivation_willen=willen,
                motivation_kunnen=kunnen,
                sketch=sketch,
            )
        )
    try:
        options = scheme_options(municipality, today)
    except PolicyUnavailable:
        return 0
    if not options.levels:
        return 0
    respondents = User.objects.filter(
        municipality=municipality, role__in=["integrale_klantmanager", "reintegratieconsulent"]
    ).order_by("id")[:caseworkers]
    written = 0
    for r, user in enumerate(respondents):
        for v, vignette in enumerate(vignettes):
            # caseworkers differ by one level now and then: the spread the analysis is there to show (assumption)
            level = options.levels[min(len(options.levels) - 1, max(0, v % len(options.levels) + (r % 3) - 1))]
            record_answer(
                study,
                vignette,
                user,
                municipality,
                options,
                {
                    "level": level[0],
                    "route": options.routes[(v + r) % len(options.routes)] if options.routes else "",
                    "exemption": vignette.health == "ernstig" and r % 2 == 0,
                    "months": 3 + 3 * v + r % 4,
                    "motivation": "Ingeschat op basis van het profiel.",
                },
            )
            written += 1
    return written
