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


@dataclass(frozen=True)
class CaseworkerUpheld:
    caseworker: str
    decided: int  # objections decided (not withdrawn) against this caseworker's decisions
    upheld: int  # of which gegrond or deels gegrond

    @property
    def share(self) -> float | None:
        return self.upheld / self.decided if self.decided else None


def upheld_per_caseworker(rows: Iterable[ObjectionRow]) -> list[CaseworkerUpheld]:
    """Per caseworker: objections decided on their decisions and how many were upheld; highest share first."""
    decided: Counter = Counter()
    upheld: Counter = Counter()
    for r in rows:
        if r.outcome is None or r.outcome == "ingetrokken" or not r.caseworker:
            continue
        decided[r.caseworker] += 1
        upheld[r.caseworker] += r.outcome in UPHELD
    out = [CaseworkerUpheld(c, n, upheld[c]) for c, n in decided.items()]
    return sorted(out, key=lambda x: (-(x.share or 0), -x.decided, x.caseworker))
