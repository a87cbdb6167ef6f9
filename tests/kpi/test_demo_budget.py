"""The demo municipality gets budgets derived from its own simulated spending, marked as an assumption."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_demo_budgets_follow_last_years_spending(world):
    from regie.analytics.store import frames_for
    from regie.core.kpi import budget as B
    from regie.demo import _seed_demo_budgets
    from regie.monitoring.models import BudgetAllocation

    _seed_demo_budgets(world.a)
    rows = {b.year: b for b in BudgetAllocation.objects.filter(municipality=world.a)}
    assert set(rows) == {2025}  # the fixture's events all fall in 2025
    paid = B.i_deel(frames_for(world.a), 2025, None, dt.date(2025, 12, 31))["to_date"]
    assert paid > 0
    assert float(rows[2025].i_deel) == pytest.approx(1.01 * paid, abs=0.01)
    assert rows[2025].assumption and "demo" in rows[2025].assumption_reason
    assert not BudgetAllocation.objects.filter(municipality=world.b).exists()
