"""One month's benefit for one client, line by line with the article behind each line (like a payslip).

:func:`entitlement` takes a :class:`MonthInput` (the household, the days on benefit, the sanctions in force, the
income reported for the month, what was paid) and a :class:`~.norms.NormTable`, and returns an
:class:`Entitlement`: the lines, the norm, the benefit due, the holiday allowance reserved, the amount to pay and,
when more was paid than was due, the overpayment. Amounts are integer cents (``money``); the batch path
(``batch.ledger_batch``) computes the same figures for many clients at once with numpy and agrees to the cent.

The order of the calculation (each step rounded half up to cents):

1. the norm for the household and age band (Pw art. 20 lid 1 under 21, art. 21 from 21, art. 22 from the pension
   age); with cost-sharers from 21 the kostendelersnorm (Pw art. 22a);
2. pro rata for a month not wholly on benefit: norm x days on benefit / days in the month (the right starts on the
   day of the aanvraag, Pw art. 44 lid 1; per calendar day: assumption, common practice);
3. the afstemming (maatregel): percentage x the norm of step 2 (Pw art. 18 lid 2 and the afstemmingsverordening,
   which set the measure as a percentage of the bijstandsnorm); the percentages in force add up, at most 100;
4. income is deducted (Pw art. 31, 32), income from work less the inkomstenvrijlating (Pw art. 31 lid 2 sub n:
   25 %, at most the layer's maximum, for at most six consecutive months, from 27); the benefit due is never below 0;
5. the holiday allowance share (5 %) of the benefit due is reserved (Pw art. 19 lid 3) and paid out once a year
   (norms.HOLIDAY_PAY_MONTH).

Not computed (left out, not guessed): municipal reductions such as the woonkostenverlaging (Pw art. 27) and the
toeslagen/verlagingen of Pw art. 28-30 -- the policy files give no sourced rule for them; the norm for a client with
a partner not entitled to bijstand (Pw art. 24).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .money import euro, ratio_cents
from .norms import HOLIDAY_SOURCE, NormTable, NormUnavailable

NORM_LABELS = {
    "alleenstaande": "alleenstaande",
    "alleenstaande_ouder": "alleenstaande ouder",
    "gehuwden": "gehuwden / samenwonenden",
}
BAND_ARTICLES = {"youth": "Pw art. 20 lid 1", "adult": "Pw art. 21", "pension": "Pw art. 22"}
BAND_LABELS = {"youth": "18 tot 21 jaar", "adult": "21 jaar tot de pensioenleeftijd", "pension": "pensioenleeftijd"}
SANCTION_ARTICLE = "Pw art. 18 lid 2 en de afstemmingsverordening"
INCOME_ARTICLE = "Pw art. 31 en 32"
VRIJLATING_ARTICLE = "Pw art. 31 lid 2 sub n"
PRO_RATA_ARTICLE = "Pw art. 44 lid 1 (per kalenderdag)"
COST_SHARER_ARTICLE = "Pw art. 22a"


@dataclass(frozen=True)
class MonthInput:
    """Everything one month's calculation reads (amounts in cents, percentages in basis points: 100 = 1 %)."""

    norm_type: str  # alleenstaande | alleenstaande_ouder | gehuwden
    age: int  # the client's age on the first day of the month (assumption: the age band follows that day)
    partner_age: int | None = None
    has_children: bool = False
    cost_sharers: int = 0  # other adults counted as cost-sharers (Pw art. 19a, 22a), client and partner excluded
    days: int = 30  # days on benefit in the month
    mdays: int = 30  # days in the month
    sanction_bp: int = 0  # afstemming in force this month, in basis points of the norm (10000 = 100 %)
    income_work: int = 0  # net income from work reported for the month
    income_other: int = 0  # other net income (benefits, alimony, ...)
    vrijlating_month: bool = False  # the month lies in the client's vrijlating period (Pw art. 31 lid 2 sub n)
    holiday_payout: int = 0  # reserved holiday allowance paid out this month
    paid: int | None = None  # paid for this month already (None: not yet paid)


@dataclass(frozen=True)
class Line:
    label: str
    cents: int
    article: str

    @property
    def amount(self) -> Decimal:
        return euro(self.cents)


@dataclass
class Entitlement:
    lines: list[Line] = field(default_factory=list)
    norm: int = 0  # the month's norm after kostendelersnorm and pro rata
    sanction: int = 0
    income_counted: int = 0  # income deducted (after the vrijlating)
    vrijlating: int = 0
    due: int = 0  # benefit due before the holiday reservation
    holiday_reserved: int = 0
    to_pay: int = 0
    overpayment: int = 0  # paid - to_pay when more was paid
    underpayment: int = 0  # to_pay - paid when less was paid
    table: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return euro(self.to_pay)

    def as_json(self) -> dict:
        return {
            "lines": [{"label": ln.label, "amount": str(ln.amount), "article": ln.article} for ln in self.lines],
            "norm": str(euro(self.norm)),
            "sanction": str(euro(self.sanction)),
            "income_counted": str(euro(self.income_counted)),
            "vrijlating": str(euro(self.vrijlating)),
            "due": str(euro(self.due)),
            "holiday_reserved": str(euro(self.holiday_reserved)),
            "to_pay": str(euro(self.to_pay)),
            "overpayment": str(euro(self.overpayment)),
            "table": self.table,
        }


def band(m: MonthInput, table: NormTable) -> str:
    """youth (Pw art. 20: the client, or for a couple either partner, under 21), pension (art. 22), or adult."""
    if m.age < 21 or (m.norm_type == "gehuwden" and m.partner_age is not None and m.partner_age < 21):
        return "youth"
    if m.age >= table.pension_age:
        return "pension"
    return "adult"


def youth_key(m: MonthInput) -> str:
    if m.norm_type != "gehuwden":
        return m.norm_type
    both = m.age < 21 and (m.partner_age is None or m.partner_age < 21)
    return ("gehuwden_beiden_jong" if both else "gehuwden_een_jong") + ("_kinderen" if m.has_children else "")


def _need(amounts: dict[str, int], key: str, what: str, table: NormTable) -> int:
    if key not in amounts:
        raise NormUnavailable(
            "Het normbedrag ontbreekt voor deze datum in het landelijk beleid; de uitkering kan niet worden berekend.",
            f"national norms {table.label} give no {what} amount for {key!r}",
        )
    return amounts[key]


def base_norm(m: MonthInput, table: NormTable) -> tuple[str, int]:
    b = band(m, table)
    if b == "youth":
        return b, _need(table.youth, youth_key(m), "youth (Pw art. 20)", table)
    if b == "pension":
        return b, _need(table.pension, m.norm_type, "pension-age (Pw art. 22)", table)
    return b, _need(table.adult, m.norm_type, "Pw art. 21", table)


def cost_sharer_norm(m: MonthInput, table: NormTable, b: str) -> tuple[int, int] | None:
    """(norm, A) under Pw art. 22a, or None when it does not apply (no cost-sharers, or the youth norms)."""
    if m.cost_sharers <= 0 or b == "youth":
        return None
    if not table.cost_sharers:
        raise NormUnavailable(
            "De kostendelersnorm ontbreekt in het landelijk beleid voor deze datum; de uitkering kan niet worden "
            "berekend.",
            f"national norms {table.label} have no kostendelersnorm",
        )
    persons = 2 if m.norm_type == "gehuwden" else 1
    a = persons + m.cost_sharers
    couple = table.pension["gehuwden"] if b == "pension" and "gehuwden" in table.pension else table.couple_norm
    base, per_person, den = table.cost_sharer_terms
    # the norm per person, rounded, times the persons entitled (Pw art. 22a lid 1)
    return persons * ratio_cents(couple, base + per_person * a, den * a), a


def _money(cents: int) -> str:
    return f"€ {euro(cents):.2f}".replace(".", ",")


def entitlement(m: MonthInput, table: NormTable) -> Entitlement:
    """One month's calculation (see the module docstring for the order and the articles)."""
    out = Entitlement(table=table.label)
    b, base = base_norm(m, table)
    label = f"Bijstandsnorm {NORM_LABELS.get(m.norm_type, m.norm_type)}, {BAND_LABELS[b]}"
    out.lines.append(Line(label, base, f"{BAND_ARTICLES[b]} (normen {table.label})"))
    norm = base
    kdn = cost_sharer_norm(m, table, b)
    if kdn is not None:
        norm, a = kdn
        out.lines.append(Line(f"Kostendelersnorm ({a} personen in de woning)", norm - base, COST_SHARER_ARTICLE))
    if m.days < m.mdays:
        part = ratio_cents(norm, max(m.days, 0), m.mdays)
        out.lines.append(Line(f"Deel van de maand ({m.days} van {m.mdays} dagen)", part - norm, PRO_RATA_ARTICLE))
        norm = part
    out.norm = norm
    bp = min(max(m.sanction_bp, 0), 10000)
    if bp:
        out.sanction = ratio_cents(norm, bp, 10000)
        out.lines.append(Line(f"Verlaging (maatregel {bp / 100:g} %)", -out.sanction, SANCTION_ARTICLE))
        out.reasons.append("maatregel")
    if m.income_work:
        out.lines.append(Line("Inkomsten uit arbeid", -m.income_work, INCOME_ARTICLE))
        if m.vrijlating_month and m.age >= table.vrijlating.min_age:
            if table.vrijlating.max_cents is None:
                raise NormUnavailable(
                    "Het maximum van de inkomstenvrijlating ontbreekt in het landelijk beleid voor deze datum.",
                    f"national norms {table.label} have no vrijlating_max",
                )
            v = min(ratio_cents(m.income_work, table.vrijlating.percentage, 100), table.vrijlating.max_cents)
            out.vrijlating = v
            out.lines.append(
                Line(
                    f"Inkomstenvrijlating {table.vrijlating.percentage} % (ten hoogste "
                    f"{_money(table.vrijlating.max_cents)})",
                    v,
                    VRIJLATING_ARTICLE,
                )
            )
        out.reasons.append("inkomsten")
    if m.income_other:
        out.lines.append(Line("Overige inkomsten", -m.income_other, INCOME_ARTICLE))
        out.reasons.append("inkomsten")
    out.income_counted = m.income_work - out.vrijlating + m.income_other
    out.due = max(0, norm - out.sanction - out.income_counted)
    if norm - out.sanction - out.income_counted < 0:
        out.lines.append(
            Line("Geen bijstand: de inkomsten zijn hoger dan de norm", -(norm - out.sanction - out.income_counted), "")
        )
    out.holiday_reserved = ratio_cents(out.due, *table.holiday_share)
    if out.holiday_reserved:
        out.lines.append(
            Line(f"Reservering vakantietoeslag ({table.holiday_pct} %)", -out.holiday_reserved, HOLIDAY_SOURCE)
        )
    if m.holiday_payout:
        out.lines.append(Line("Uitbetaling gereserveerde vakantietoeslag", m.holiday_payout, HOLIDAY_SOURCE))
        out.reasons.append("vakantietoeslag")
    out.to_pay = out.due - out.holiday_reserved + m.holiday_payout
    if m.paid is not None:
        out.overpayment = max(0, m.paid - out.to_pay)
        out.underpayment = max(0, out.to_pay - m.paid)
        if out.overpayment:
            out.reasons.append("teveel betaald")
    return out


def sanction_amounts(m: MonthInput, table: NormTable, percentage: float, months: int) -> tuple[int, int]:
    """(per month, total) of a measure: percentage x the client's norm (incl. the kostendelersnorm), for the
    months imposed (Pw art. 18 lid 2; the afstemmingsverordening gives percentage and months)."""
    b, base = base_norm(m, table)
    kdn = cost_sharer_norm(m, table, b)
    norm = kdn[0] if kdn else base
    per_month = ratio_cents(norm, round(percentage * 100), 10000)
    return per_month, per_month * max(months, 0)


# Fines for breaching the duty to inform (Pw art. 18a): a percentage of the benadelingsbedrag by the degree of
# blame, per the Boetebesluit socialezekerheidswetten art. 2 (ext; percentages as remembered -- assumption: check
# the current text). The recidive increase (Pw art. 18a lid 5) and the fine where no benefit was lost (art. 18a
# lid 3) are not computed.
FINE_PERCENTAGES = {
    "opzet": 100,
    "grove_schuld": 75,
    "geen_opzet_of_grove_schuld": 50,
    "verminderde_verwijtbaarheid": 25,
}
FINE_SOURCE = "Pw art. 18a; Boetebesluit socialezekerheidswetten art. 2 (percentages: assumption, check)"


def fine_amount(damage_cents: int, blame: str) -> int:
    """The fine: the blame's percentage of the benefit damage (benadelingsbedrag), rounded half up."""
    return ratio_cents(max(damage_cents, 0), FINE_PERCENTAGES[blame], 100)
