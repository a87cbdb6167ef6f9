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
# The rules-steered demo municipality (policy leidschendam-voorburg: steering mode "rules", split casework)
RULES_CODE = "1916"
RULES_NAME = "Leidschendam-Voorburg (demo, synthetisch)"


def register(app: typer.Typer) -> None:
    app.command()(demo)


def demo(
    clients: int = typer.Option(3000, help="Clients in the demo municipality"),
    seed: int = typer.Option(2026, help="Random seed"),
) -> None:
    """Load the demo municipality once (synthetic caseload) and print the demo log-ins."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.casework.interchange import import_file
    from regie.platform.settings import VAR_DIR

    today = dt.date.today()
    munis = []
    # the performance-steered demo municipality, and beside it a small rules-steered one (its policy's steering mode
    # "rules": a deviation from the advice waits for a teammanager's approval, so four-eyes can be seen)
    for code, name, n in ((DEMO_CODE, DEMO_NAME, clients), (RULES_CODE, RULES_NAME, max(100, clients // 10))):
        muni = Municipality.objects.filter(code=code).first()
        if muni is None or not muni.clients.exists():
            from regie.core.synth import generate

            # the history ends today, so signals and due dates are recent (the file is made once per day)
            path = VAR_DIR / f"demo-{code}-{n}-{seed}-{today.isoformat()}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                with progress_bar(f"synthesising {name}", n) as advance, open(path, "wb") as fh:
                    generate(code, n, seed, fh, name=name, progress=advance, end=today)
                if code != DEMO_CODE:
                    _suffix_usernames(path, code)  # the generator's usernames repeat across municipalities
            from regie.casework.interchange.importer import import_work

            with progress_bar(f"loading {name}", import_work(path)) as advance:
                import_file(path, code, progress=advance, demo_password=DEMO_PASSWORD)
            muni = Municipality.objects.get(code=code)
            seed_demo_extras(muni, DEMO_PASSWORD)
        else:
            seed_demo_extras(muni, DEMO_PASSWORD, first_load=False)
        munis.append(muni)
    for muni in munis:
        _print_logins(muni)
    out.print("Open http://127.0.0.1:8000 and log in.")
    from regie.portal.demo import demo_citizen  # portal: Mijn Regie's demo citizen log-in

    if citizen := demo_citizen(munis[0]):
        out.print(
            f"Mijn Regie (client portal, demo log-in without DigiD): start with {citizen['how']}, open "
            f"http://127.0.0.1:8000{citizen['url']} and log in as {citizen['name']} (BSN {citizen['bsn']})."
        )


def _suffix_usernames(path, code: str) -> None:
    """Give the users of a second synthetic municipality usernames of their own (``km.visser.1916``): usernames are
    unique across municipalities and the generator draws them from one list of names. Events name users by id."""
    import orjson

    lines = []
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.startswith(b'{"record":"user"'):
                rec = orjson.loads(raw)
                rec["username"] = f"{rec['username']}.{code}"
                raw = orjson.dumps(rec) + b"\n"
            lines.append(raw)
    with open(path, "wb") as fh:
        fh.writelines(lines)


def _print_logins(muni) -> None:
    from regie.accounts.models import User

    table = Table(title=f"Demo log-ins for {muni.name} — password for all: {DEMO_PASSWORD}")
    table.add_column("role")
    table.add_column("username")
    seen = set()
    for u in User.objects.filter(municipality=muni, is_active=True).order_by("id"):
        if u.role not in seen:
            seen.add(u.role)
            table.add_row(u.role_label, u.username)
    out.print(table)


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
        # --- day2: documents (small PDFs through the upload service) and work tasks (overdue, cover) ---
        from regie.documents.demo import add_demo_documents
        from regie.worktasks.demo import add_demo_tasks

        add_demo_documents(muni)
        add_demo_tasks(muni)
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
    # --- employers: a werkgeversservicepunt, employers, vacancies, the sociale kaart, placements with aftercare ---
    from regie.employers.demo import seed_demo as seed_employers_demo

    seed_employers_demo(muni, password)


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
