"""The vectorised monthly ledger agrees with the single-case computation to the cent (property test)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from regie.core.benefit import MonthInput, entitlement
from regie.core.benefit.batch import columns_from_inputs, ledger_batch
from regie.core.benefit.norms import table_from_policy
from regie.core.policy import policy_for

ON = dt.date(2025, 3, 1)
TABLE = table_from_policy(policy_for("den-haag", ON), ON)


@st.composite
def month_input(draw):
    norm_type = draw(st.sampled_from(["alleenstaande", "alleenstaande_ouder", "gehuwden"]))
    mdays = draw(st.sampled_from([28, 29, 30, 31]))
    return MonthInput(
        norm_type=norm_type,
        age=draw(st.integers(18, 80)),
        partner_age=draw(st.integers(18, 80)) if norm_type == "gehuwden" else None,
        has_children=draw(st.booleans()),
        cost_sharers=draw(st.integers(0, 4)),
        days=draw(st.integers(1, mdays)),
        mdays=mdays,
        sanction_bp=draw(st.sampled_from([0, 0, 500, 1000, 2000, 3333, 10000, 12000])),
        income_work=draw(st.integers(0, 300000)),
        income_other=draw(st.sampled_from([0, 0, 12345, 99999, 250000])),
        vrijlating_month=draw(st.booleans()),
        holiday_payout=draw(st.sampled_from([0, 0, 81234])),
        paid=draw(st.one_of(st.none(), st.integers(0, 250000))),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(month_input(), min_size=1, max_size=40))
def test_batch_equals_single(inputs):
    out = ledger_batch(columns_from_inputs(inputs), TABLE)
    for i, m in enumerate(inputs):
        r = entitlement(m, TABLE)
        got = {k: int(v[i]) for k, v in out.items()}
        want = {
            "norm": r.norm,
            "sanction": r.sanction,
            "vrijlating": r.vrijlating,
            "income_counted": r.income_counted,
            "due": r.due,
            "holiday_reserved": r.holiday_reserved,
            "to_pay": r.to_pay,
            "overpayment": r.overpayment,
        }
        assert got == want, m
