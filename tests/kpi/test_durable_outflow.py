"""Durable outflow to work: judged with everything the log knows, and a return in any team counts as a return."""

import datetime as dt

from regie.core import frames as F
from regie.core.kpi import indicators as I

D = dt.date
T0 = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def _frames():
    clients = [F.client_row(c, {"birth_date": "1980-01-01", "sex": "V"}) for c in ("c1", "c2", "c3")]
    cases = [
        {"case_id": "k1", "client_id": "c1", "opened_on": D(2024, 1, 1), "team": "T1"},
        {"case_id": "k2", "client_id": "c2", "opened_on": D(2024, 1, 1), "team": "T1"},
        {"case_id": "k2b", "client_id": "c2", "opened_on": D(2026, 2, 1), "team": "T2"},
        {"case_id": "k3", "client_id": "c3", "opened_on": D(2024, 1, 1), "team": "T2"},
    ]
    rows = []

    def ev(i, case, client, etype, day, **payload):
        rows.append(F.event_row(f"e{i}", case, client, etype, day, T0, None, "systeem", payload, None))

    ev(1, "k1", "c1", "toekenning", D(2024, 1, 1))
    ev(2, "k1", "c1", "uitstroom", D(2025, 11, 1), reason="werk_regulier")  # stays off benefit
    ev(3, "k2", "c2", "toekenning", D(2024, 1, 1))
    ev(4, "k2", "c2", "uitstroom", D(2025, 10, 1), reason="werk_regulier")  # back in another team 4 months later
    ev(5, "k2b", "c2", "toekenning", D(2026, 2, 1))
    ev(6, "k3", "c3", "toekenning", D(2024, 1, 1))
    ev(7, "k3", "c3", "contact", D(2026, 12, 1))  # the log knows until 2026-12-01
    return F.build("0000", clients, cases, rows, [])


def test_durable_outflow_uses_what_the_log_knows_after_the_period():
    f = _frames()
    flows = I.stock_and_flows(f, D(2025, 1, 1), D(2026, 1, 1))
    assert flows["outflow_to_work"] == 2
    assert flows["durable_6m"] == 0.5 and flows["durable_12m"] == 0.5


def test_a_return_in_another_team_is_a_return():
    flows = I.stock_and_flows(_frames(), D(2025, 1, 1), D(2026, 1, 1), team="T1")
    assert flows["outflow_to_work"] == 2 and flows["durable_6m"] == 0.5


def test_outflows_whose_horizon_is_not_yet_known_are_not_judged():
    f = _frames()
    f.events = f.events.filter(f.events["event_id"] != "e7")  # now the log ends 2026-02-01
    flows = I.stock_and_flows(f, D(2025, 1, 1), D(2026, 1, 1))
    assert flows["durable_12m"] is None  # neither outflow has 12 months of known future
    assert flows["durable_6m"] is None
