"""``regie employers``: the demand-side figures of a municipality and a vacancy's ranked candidates (pseudonymous:
case numbers, never names), for operators and policy officers; each run that reads case data is audited."""

from __future__ import annotations

import json

import typer

from regie.platform.cli import console, django_setup

employers_app = typer.Typer(help="Employers, vacancies, matching and placements.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    employers_app.command("candidates")(candidates)
    employers_app.command("stats")(stats)
    employers_app.command("subsidy")(subsidy)  # employers2
    app.add_typer(employers_app, name="employers")


def _municipality(code: str):
    from regie.accounts.models import Municipality

    muni = Municipality.objects.filter(code=code).first()
    if muni is None:
        console.print(f"[red]no municipality {code!r}[/]")
        raise typer.Exit(1)
    return muni


def candidates(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    vacancy_id: int = typer.Argument(..., help="The vacancy's number"),
    limit: int = typer.Option(20, help="How many candidates"),
) -> None:
    """The municipality's candidates for a vacancy, ranked with their reasons (JSON lines, case numbers only)."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.casework.models import Case
    from regie.core.matching import candidates_for, reason_text
    from regie.core.policy import PolicyUnavailable

    from .models import Vacancy
    from .selectors import caseload_table, core_vacancy

    muni = _municipality(municipality)
    vacancy = Vacancy.objects.filter(pk=vacancy_id, employer__region__municipalities=muni).first()
    if vacancy is None:
        console.print(f"[red]no vacancy {vacancy_id} in a region of {muni.code}[/]")
        raise typer.Exit(1)
    try:
        result = candidates_for(caseload_table(muni), core_vacancy(vacancy), limit=limit)
    except PolicyUnavailable as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(2) from None
    ids = dict(Case.objects.filter(pk__in=[int(m.ref) for m in result.matches]).values_list("pk", "external_id"))
    log(
        actor=cli_actor(),
        action="read",
        object_type="match_list",
        object_id=vacancy.pk,
        origin=cli_origin(),
        municipality_id=muni.pk,
        detail=f"cli candidates: {len(result.matches)} cases",
    )
    for m in result.matches:
        row = {
            "rank": m.rank,
            "case": ids.get(int(m.ref)),
            "hard_failed": m.hard_failed,
            "score": m.score,
            "distance_km": m.distance_km,
            "reasons": [reason_text(r) for r in m.reasons],
        }
        typer.echo(json.dumps(row, ensure_ascii=False))
    console.print(f"{result.total} considered, {result.eligible} meet every requirement")


def stats(municipality: str = typer.Argument(..., help="CBS gemeentecode")) -> None:
    """Placements by kind, durability at 6 and 12 months, vacancies filled, subsidy per durable placement."""
    django_setup()
    from regie.accounts.models import User

    from .selectors import monitoring

    muni = _municipality(municipality)
    user = User(municipality=muni, role="beleidsmedewerker")  # an unsaved reader: the municipality's aggregates
    user.is_active = True
    m = monitoring(user)
    typer.echo(
        json.dumps(
            {
                "placements": m["placements"],
                "by_kind": dict(m["by_kind"]),
                "durability": m["durability"],
                "vacancies": m["vacancies"],
                "vacancies_filled": m["vacancies_filled"],
                "median_days_to_placement": m["median_days_to_placement"],
                "subsidy_total": None if m["subsidy_total"] is None else str(m["subsidy_total"]),
                "subsidy_paid": None if m["subsidy_paid"] is None else str(m["subsidy_paid"]),
                "subsidy_per_durable": None if m["subsidy_per_durable"] is None else str(m["subsidy_per_durable"]),
            },
            indent=1,
        )
    )


def subsidy(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    until: str = typer.Option("", help="Up to this month (YYYY-MM; default: this month)"),
    employer_id: int | None = typer.Option(None, "--employer", help="Only this employer's placements"),
) -> None:
    """employers2: the loonkostensubsidie per placement and month, due and paid (Pw art. 10d), from the one
    derivation the payment run uses (JSON lines: case numbers, never names); audited."""
    import datetime as dt

    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.casework.models import Case
    from regie.core.benefit.ledger import parse_month
    from regie.core.benefit.money import euro
    from regie.core.placements import add_months
    from regie.core.policy import PolicyUnavailable

    from .selectors import subsidy_rows, subsidy_summary

    muni = _municipality(municipality)
    try:
        first = parse_month(until) if until else dt.date.today().replace(day=1)
    except ValueError:
        console.print("[red]--until: a month YYYY-MM[/]")
        raise typer.Exit(1) from None
    try:
        rows = subsidy_rows({muni.pk}, add_months(first, 1) - dt.timedelta(days=1), employer_id=employer_id)
    except PolicyUnavailable as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(2) from None
    ids = dict(Case.objects.filter(pk__in={c for c, _m in rows}).values_list("pk", "external_id"))
    log(
        actor=cli_actor(),
        action="read",
        object_type="subsidy_ledger",
        object_id=str(employer_id or ""),
        origin=cli_origin(),
        municipality_id=muni.pk,
        detail=f"cli subsidy: {len(rows)} months",
    )
    for cid, m in rows:
        row = {
            "case": ids.get(cid),
            "placement": m.placement_id,
            "employer_id": m.employer_id,
            "month": m.month,
            "days": f"{m.days}/{m.days_in_month}",
            "due": str(euro(m.due_cents)),
            "paid": str(euro(m.paid_cents)),
            "recover": str(euro(m.recover_cents)),
        }
        typer.echo(json.dumps(row, ensure_ascii=False))
    total = subsidy_summary(rows)
    console.print(
        f"{total['placements']} placements: due {euro(total['due_cents'])}, paid {euro(total['paid_cents'])}, "
        f"open {euro(total['open_cents'])}, to recover {euro(total['recover_cents'])} EUR"
    )
