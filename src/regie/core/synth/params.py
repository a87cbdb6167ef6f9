"""Calibration parameters of the synthetic municipality, each with its source or marked as an assumption.

docs/synthetic-data.md lists every target next to the value a generated file shows (``calibration_report``).
"""

from __future__ import annotations

# Age on entering a case, from the bijstand stock by age in 2008 below 65 (seed 000:276-288, Tabel 2.1, column
# 2008: <25 4.6, 25-35 14.7, 35-45 23.1, 45-55 24.1, 55-65 22.0; renormalised without 65+). The stock is older than
# the inflow (long durations accumulate), so inflow ages are shifted younger by ``INFLOW_AGE_SHIFT`` years to land
# on the stock figures (assumption, tuned with calibration_report).
STOCK_AGE_BANDS = [(18, 25, 4.6), (25, 35, 14.7), (35, 45, 23.1), (45, 55, 24.1), (55, 65, 22.0)]
INFLOW_AGE_SHIFT = 6

# Sex of the stock 2008 below 65: man 41.2, vrouw 58.8 (seed 000:297-305, Tabel 2.2).
SHARE_FEMALE = 0.588
# Single parents are mostly women (below), so the other households draw women at the rate that keeps the total at
# 0.588: (0.588 - 0.25 * 0.90) / 0.75.
SHARE_FEMALE_OTHER = 0.484

# Origin of the stock 2004: autochtoon 46.2, westers 11.1, niet-westers 42.7 (seed 000:326-333, Tabel 2.3).
ORIGIN = {"nederland": 0.462, "westers": 0.111, "niet_westers": 0.427}

# Household (assumption: CBS 2023 bijstand households, rounded: ~60% single, ~25% single parent, ~15% couple;
# single parents are ~90% women, cf. seed 000:309 "bijstandsmoeders").
HOUSEHOLD = {"alleenstaande": 0.60, "alleenstaande_ouder": 0.25, "gehuwden": 0.15}
SINGLE_PARENT_FEMALE = 0.90

# Education (assumption: low-educated majority, cf. seed 003 and CBS; no seed table).
EDUCATION = {
    "geen": 0.10,
    "basis": 0.15,
    "vmbo": 0.25,
    "mbo1": 0.10,
    "mbo2_4": 0.22,
    "havo_vwo": 0.08,
    "hbo": 0.07,
    "wo": 0.03,
}

# Duration types: monthly exit hazard per type and their shares of the inflow (assumption, tuned so that the stock
# shows ~18.5% under one year (seed 000:297-300, Tabel 2.2: <1 jaar 18.5 below 65) and yearly outflow of ~22-26%
# of the stock (domain brief section 8, ext CBS)). "granite": the long-term caseload of 5+ years (seed 000:316).
DURATION_TYPES = {
    #            share of inflow, monthly exit hazard, ladder levels, expected months to work (min, max)
    "kort": (0.37, 0.085, ("5", "6"), (1, 6)),
    "midden": (0.33, 0.030, ("3", "4", "5"), (6, 24)),
    "graniet": (0.30, 0.0075, ("1", "2", "3"), (24, 60)),
}
# Share of outflow that goes to work per type (assumption; overall ~40%, domain brief section 8).
WORK_SHARE = {"kort": 0.55, "midden": 0.40, "graniet": 0.18}
WORK_REASONS = {"werk_regulier": 0.78, "werk_gesubsidieerd": 0.14, "eigen_bedrijf": 0.08}
OTHER_REASONS = {
    "inkomen_partner": 0.17,
    "andere_uitkering": 0.20,
    "verhuizing": 0.16,
    "geen_recht": 0.20,
    "studie": 0.07,
    "detentie": 0.04,
    "overlijden": 0.04,
    "overig": 0.12,
}

# Re-entry after outflow within two years (assumption: ~30%, higher after non-work exits).
REENTRY = {"work": 0.22, "other": 0.35}
MAX_CASES_PER_CLIENT = 3
# First-time inflow after ``start`` is thinned by this factor because re-entries make up the rest of the inflow
# (keeps inflow ≈ outflow, a stable stock; assumption tuned with calibration_report).
FIRST_INFLOW_KEEP = 0.78

# Applications refused at the gate (assumption ~6%; Work First and the search period deter more, seed 000:384).
REFUSAL = 0.06

# Exemptions (target ~10% of the stock exempt, domain brief section 8 ext): single parents with a child under 5
# ask for the art. 9a exemption with this probability; medical exemptions for granite clients with health problems.
ASK_9A = 0.80
MEDICAL_EXEMPTION = 0.45
OTHER_EXEMPTION_PER_YEAR = 0.03

# Trajectories per year on benefit by ladder level (assumption; sluitende aanpak reached ~19%, seed 001:1682-1692).
TRAJECTORY_PER_YEAR = {"1": 0.10, "2": 0.18, "3": 0.30, "4": 0.35, "5": 0.30, "6": 0.15}
TRAJECTORY_KINDS = {
    "reintegratie": 0.35,
    "bemiddeling": 0.2,
    "scholing": 0.15,
    "participatie": 0.15,
    "zorg": 0.1,
    "work_first": 0.05,
}
TRAJECTORY_PRICE = (1500, 9000)  # euros (assumption; seed 002:793 gives ~€48,000 per success incl. failures)

# Sanctions and warnings per year on benefit (assumption; sanctions are often threatened rather than imposed,
# seed 002:2551, 004:111).
WARNING_PER_YEAR = 0.08
SANCTION_PER_YEAR = 0.04

# Caseworker discretion: standard deviation of caseworker random effects on the logit scale, multiplied by the
# ``caseworker_effect`` argument (0 = identical caseworkers). Assumption, for equity-analysis validation.
CASEWORKER_SD = {"sanction": 0.8, "exemption": 0.5, "trajectory": 0.5, "deviation": 0.6}
BASE_DEVIATION = 0.08  # share of classifications that deviate from the recommendation (assumption)

# Caseload: integral caseworkers 70-120 clients (seed 001:1213); teams of about 8 (assumption).
CASELOAD = 100
TEAM_SIZE = 8

CONTACTS_PER_YEAR = 2  # assumption
HISTORY_YEARS = 12  # inflow is simulated from this many years before ``start`` so the stock has real histories
