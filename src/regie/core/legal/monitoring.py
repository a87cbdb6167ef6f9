"""Monitoring of objections (plain Python): per decision type and outcome, the share decided within the term
(Awb art. 7:10), and objections upheld per caseworker -- a caseworker whose decisions are often overturned on
objection is a discretion signal for the equity monitor. Input rows come from the lifecycle derivation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

UPHELD = frozenset({"gegrond", "deels_gegrond"})  # the contested decision is (partly) overturned


@dataclass(frozen=True)
class ObjectionRow:
    municipality_id: int
    decision_type: str
    outcome: str | None  # None while open
    decided_within_term: bool | None  # None while open or withdrawn
    caseworker: str | None  # who recorded the contested decision


def by_type_and_outcome(rows: Iterable[ObjectionRow]) -> dict[str, dict[str, int]]:
    """decision type -> outcome ("open" while undecided) -> count."""
    out: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        out[r.decision_type][r.outcome or "open"] += 1
    return {k: dict(v) for k, v in sorted(out.items())}


@dataclass(frozen=True)
class WithinTerm:
    decided: int
    within: int

    @property
    def share(self) -> float | None:
        return self.within / self.decided if self.decided else None


def within_term(rows: Iterable[ObjectionRow]) -> WithinTerm:
    """Decided objections (withdrawn ones excluded) and how many were decided within the term."""
    decided = [r for r in rows if r.decided_within_term is not None]
    return WithinTerm(len(decided), sum(1 for r in decided if r.decided_within_term))


# A caseworker is flagged only with at least this many decided objections (assumption: fewer say nothing; the
# equity monitor's caseworker effects use a comparable minimum).
MIN_DECIDED = 5


@dataclass(frozen=True)
class CaseworkerUpheld:
    caseworker: str
    decided: int  # objections decided (not withdrawn) against this caseworker's decisions
    upheld: int  # of which gegrond or deels gegrond
    interval: tuple[float, float] | None = None  # 95 % Wilson interval of the share
    others_share: float | None = None  # the share upheld on every other caseworker's decisions
    flagged: bool = False  # the interval lies wholly above the others' share (and decided >= MIN_DECIDED)

    @property
    def share(self) -> float | None:
        return self.upheld / self.decided if self.decided else None


def wilson(upheld: int, decided: int) -> tuple[float, float]:
    """95 % Wilson score interval of upheld / decided (statsmodels' proportion_confint, method "wilson"): unlike
    the normal approximation it stays inside [0, 1] and behaves for small counts and shares near 0 or 1."""
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(upheld, decided, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def upheld_per_caseworker(rows: Iterable[ObjectionRow]) -> list[CaseworkerUpheld]:
    """Per caseworker: objections decided on their decisions, how many were upheld, the share's 95 % interval and
    the share on everyone else's decisions; flagged when the interval lies wholly above the others' share -- a
    discretion signal for the equity monitor, not a judgement (a caseworker with the hardest cases may be
    overturned more often). Highest share first."""
    decided: Counter = Counter()
    upheld: Counter = Counter()
    for r in rows:
        if r.outcome is None or r.outcome == "ingetrokken" or not r.caseworker:
            continue
        decided[r.caseworker] += 1
        upheld[r.caseworker] += r.outcome in UPHELD
    total_decided, total_upheld = sum(decided.values()), sum(upheld.values())
    out = []
    for c, n in decided.items():
        rest_n, rest_up = total_decided - n, total_upheld - upheld[c]
        others = rest_up / rest_n if rest_n else None
        interval = wilson(upheld[c], n)
        flagged = n >= MIN_DECIDED and others is not None and interval[0] > others
        out.append(CaseworkerUpheld(c, n, upheld[c], interval, others, flagged))
    return sorted(out, key=lambda x: (-(x.share or 0), -x.decided, x.caseworker))
