"""The two budgets of the WWB (seed 000:250; domain brief section 1).

- I-deel: the fixed national budget for benefits. The municipality keeps a surplus and bears a deficit.
- W-deel: the budget for re-integration. Unspent money goes back to the state. When it runs out, no new
  trajectory can start until the next budget year (Maastricht: the 2004 W-deel was spent by early October,
  seed 002:862).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Budget:
    i_deel_per_year: float
    w_deel_per_year: float
    year: int = 0
    w_left: float = 0.0
    i_spent: list = field(default_factory=list)  # per budget year
    w_spent: list = field(default_factory=list)
    w_depleted_month: list = field(default_factory=list)  # month of the year (1-12) it ran out, or None

    def __post_init__(self):
        self._new_year()

    def _new_year(self):
        self.w_left = self.w_deel_per_year
        self.i_spent.append(0.0)
        self.w_spent.append(0.0)
        self.w_depleted_month.append(None)

    def start_month(self, t: int) -> None:
        if t > 0 and t % 12 == 0:
            self.year += 1
            self._new_year()

    def affordable(self, prices, t: int):
        """How many of these trajectory prices (in order) still fit in this year's W-deel; marks depletion."""
        import numpy as np

        if len(prices) == 0:
            return 0
        c = np.cumsum(prices)
        k = int(np.searchsorted(c, self.w_left, side="right"))
        if k < len(prices) and self.w_depleted_month[self.year] is None:
            self.w_depleted_month[self.year] = t % 12 + 1
        return k

    def spend_w(self, amount: float) -> None:
        self.w_left -= amount
        self.w_spent[self.year] += amount

    def spend_i(self, amount: float) -> None:
        self.i_spent[self.year] += amount

    def summary(self) -> dict:
        full = [i for i in range(len(self.i_spent))]
        return {
            "i_deel_per_year": self.i_deel_per_year,
            "w_deel_per_year": self.w_deel_per_year,
            "i_deel_balance": [round(self.i_deel_per_year - s, 0) for s in self.i_spent],
            "w_deel_spent": [round(s, 0) for s in self.w_spent],
            "w_deel_depleted_month": [self.w_depleted_month[i] for i in full],
        }
