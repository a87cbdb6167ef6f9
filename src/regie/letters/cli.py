"""``regie letters``: the letter types, and a check of every municipality's own templates (for instance after an
upgrade changed the variables): a template that no longer passes is named with its Dutch message; exit 1."""

from __future__ import annotations

import typer
from rich.table import Table

from regie.platform.cli import django_setup, out

app = typer.Typer(help="Letters: letter types and the municipalities' templates.", no_args_is_help=True)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="letters")


@app.command("types")
def types() -> None:
    """The letter types: id, title, the events that get it, the clause (bezwaar / beroep) and the legal basis."""
    from regie.letters.registry import LETTER_TYPES

    table = Table(title="Brieven")
    for col in ("id", "titel", "stap", "rechtsmiddel", "grondslag"):
        table.add_column(col)
    for lt in LETTER_TYPES.values():
        table.add_row(lt.id, lt.title, ", ".join(lt.event_types), lt.remedy or "-", lt.legal_basis)
    out.print(table)


@app.command("check")
def check_templates() -> None:
    """Check the template in use of every municipality and letter (own versions and the defaults)."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.letters import selectors, services
    from regie.letters.registry import TEMPLATE_NAMES
    from regie.letters.templating import TemplateProblem, check

    failures = 0
    for muni in Municipality.objects.order_by("code"):
        for name in TEMPLATE_NAMES:
            body, row = selectors.current_template(muni.pk, name)
            try:
                check(body, services.sample_context(muni, name))
            except TemplateProblem as exc:
                failures += 1
                version = f"versie {row.version}" if row else "standaardtekst"
                out.print(f"[red]{muni.code} {name} ({version}): {exc.message}[/red]")
    if failures:
        raise typer.Exit(1)
    out.print("Alle brieven zijn in orde.")
