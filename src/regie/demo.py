"""The demo municipality: a synthetic caseload loaded once, demo budgets, one log-in per role (``regie demo``).

It spans every app (casework import, analytic tables, monitoring budgets), so it sits at the top beside the CLI.
"""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from regie.platform.cli import django_setup, out, progress_bar

DEMO_CODE = "0518"
DEMO_NAME = "Den Haag (demo, synthetisch)"
DEMO_PASSWORD = "regie-demo-2026"


def register(app: typer.Typer) -> None:
    app.command()(demo)


def demo(
    clients: int = typer.Option(3000, help="Clients in the demo municipality"),
    seed: int = typer.Option(2026, help="Random seed"),
) -> None:
    """Load the demo municipality once (synthetic caseload) and print the demo log-ins."""
    django_setup()
    from regie.accounts.models import Municipality, User
    from regie.casework.interchange import import_file
    from regie.platform.settings import VAR_DIR

    muni = Municipality.objects.filter(code=DEMO_CODE).first()
    if muni is None or not muni.clients.exists():
        from regie.core.synth import generate

        path = VAR_DIR / f"demo-{DEMO_CODE}-{clients}-{seed}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            with progress_bar("synthesising demo clients", clients) as advance, open(path, "wb") as fh:
                generate(DEMO_CODE, clients, seed, fh, name=DEMO_NAME, progress=advance)
        with progress_bar("loading demo clients", 2 * clients) as advance:
            import_file(path, DEMO_CODE, progress=advance, demo_password=DEMO_PASSWORD)
        muni = Municipality.objects.get(code=DEMO_CODE)
        seed_demo_extras(muni, DEMO_PASSWORD)
    else:
        seed_demo_extras(muni, DEMO_PASSWORD, first_load=False)
    table = Table(title=f"Demo log-ins for {muni.name} — password for all: {DEMO_PASSWORD}")
    table.add_column("role")
    table.add_column("username")
    seen = set()
    for u in User.objects.filter(municipality=muni).order_by("id"):
        if u.role not in seen:
            seen.add(u.role)
            table.add_row(u.role_label, u.username)
    out.print(table)
    out.print("Open http://127.0.0.1:8000 and log in.")


def seed_demo_extras(muni, password: str, *, first_load: bool = True) -> None:
    """What the demo adds to the imported synthetic caseload; the sweep tests call it too. Each app's part lives in
    that app's ``demo`` module. The parts under ``first_load`` run once, the others check for themselves."""
    if first_load:
        _seed_demo_budgets(muni)
        from regie.clientrecord.demo import seed_demo as seed_provider_register  # client record

        seed_provider_register(muni)
        from regie.benefit.demo import seed_demo_accounts  # benefit: bank accounts for the payment run

        seed_demo_accounts(muni)
        from regie.agenda.demo import add_demo_appointments  # agenda: a week of appointments
        from regie.journal.demo import add_demo_notes  # agenda: journal notes

        add_demo_appointments(muni)
        add_demo_notes(muni)
    from regie.legal.demo import seed_demo as seed_legal_demo  # legal: a juridisch medewerker and one objection

    seed_legal_demo(muni, password)
    # --- letters: the demo municipality's letterhead (without one every letter is refused) ---
    from regie.letters.demo import seed_demo_letterhead

    seed_demo_letterhead(muni)
    # --- sweep: a vignette study with answers (equity); deviations waiting for approval (rules-steered only) ---
    from regie.casework.demo import seed_pending_decisions
    from regie.equity.demo import seed_demo_study

    seed_demo_study(muni)
    seed_pending_decisions(muni)


def _seed_demo_budgets(muni) -> None:
    """Give the synthetic demo municipality W-deel and I-deel budgets so the budget page has something to show.

    Assumption (synthetic demo only): each year's W-deel is 92% of the previous year's simulated trajectory spending
    and the I-deel 101% of the previous year's simulated benefit payments (the first year uses its own spending), so
    the W-deel tends to run out before the year ends, as Maastricht's did in October (seed 002:862).
    """
    from regie.accounts.models import User
    from regie.analytics.store import current
    from regie.core.kpi import budget as B
    from regie.monitoring.models import BudgetAllocation

    admin = User.objects.filter(municipality=muni, role="functioneel_beheerder").order_by("id").first()
    if admin is None:
        return
    frames = current(muni)
    dates = frames.events["effective_date"]
    if dates.len() == 0:
        return
    first, last = dates.min().year, dates.max().year
    spent = {
        y: (
            B.w_deel(frames, y, None, dt.date(y, 12, 31))["to_date"],
            B.i_deel(frames, y, None, dt.date(y, 12, 31))["to_date"],
        )
        for y in range(first, last + 1)
    }
    for year in range(first, last + 1):
        w_prev, i_prev = spent.get(year - 1) or spent[year]
        BudgetAllocation.objects.update_or_create(
            municipality=muni,
            year=year,
            defaults={
                "w_deel": round(0.92 * w_prev, 2),
                "i_deel": round(1.01 * i_prev, 2),
                "updated_by": admin,
                "source": "synthetisch demobudget (regie demo)",
                "assumption": True,
                "assumption_reason": "demo: 92% van de W-deeluitgaven en 101% van de uitkeringslasten "
                "van het jaar ervoor",
            },
        )
