"""The retention commands: ``retention classes``, ``retention show``, ``retention list``, ``retention hold`` /
``release`` and ``retention destroy`` (the one way destruction runs: maintenance mode, never a web request)."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup, out

retention_app = typer.Typer(
    help="Retention (Archiefwet, Selectielijst 2020): classes, destruction lists, holds.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    retention_app.command("classes")(classes_cmd)
    retention_app.command("show")(show)
    retention_app.command("list")(list_cmd)
    retention_app.command("hold")(hold)
    retention_app.command("release")(release)
    retention_app.command("destroy")(destroy)
    app.add_typer(retention_app, name="retention")


def _municipality(code: str):
    from regie.accounts.models import Municipality

    muni = Municipality.objects.filter(code=code).first()
    if muni is None:
        console.print(f"[red]no municipality {code!r}[/]")
        raise typer.Exit(1)
    return muni


def _case(muni, external_id: str):
    from regie.casework.models import Case

    case = Case.objects.filter(municipality=muni, external_id=external_id).first()
    if case is None:
        console.print(f"[red]no case {external_id!r} in municipality {muni.code}[/]")
        raise typer.Exit(1)
    return case


def classes_cmd() -> None:
    """The retention classes: Selectielijst category, period, source; assumed periods are marked."""
    from .classes import CLASSES

    for c in CLASSES.values():
        flag = " (assumption)" if c.assumption else ""
        out.print(
            f"{c.id}: {c.label} — {c.period_years} years after the end of the case{flag}\n"
            f"  category: {c.category}\n  source: {c.source}\n  {c.note}"
        )


def show(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    case_id: str = typer.Argument(..., help="The case's id (external id)"),
) -> None:
    """The retention of one case: class, end, destruction date, holds."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log

    from . import services

    muni = _municipality(municipality)
    case = _case(muni, case_id)
    (cr,) = services.overview(muni.pk, [case])
    log(
        actor=cli_actor(),
        action="read",
        object_type="case",
        object_id=case.external_id,
        origin=cli_origin(),
        municipality_id=muni.pk,
        detail="retention show",
    )
    r = cr.retention
    out.print(
        f"{case.external_id}: {cr.retention_class.label} ({r.class_id}), {r.period_years} years"
        f"{' (assumption)' if cr.retention_class.assumption else ''}; ended {r.ended_on or '-'}; "
        f"destroy from {r.destroy_on or '-'}; holds: {', '.join(h.reason for h in cr.holds) or 'none'}\n"
        f"  {r.reason}"
    )


def list_cmd(
    month: str = typer.Option(..., "--month", help="YYYY-MM: cases due in or before this month"),
    municipality: str = typer.Option(..., "--municipality", "-m", help="CBS gemeentecode"),
) -> None:
    """Build the month's destruction list for the archivaris to approve (a concept list of the month is replaced)."""
    django_setup()
    from regie.audit.services import cli_actor

    from . import services

    muni = _municipality(municipality)
    try:
        dl = services.build_list(muni, month, actor=cli_actor())
    except ValueError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    except services.RetentionError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    items = list(dl.items.all())
    for i in items:
        out.print(f"{i.case_external_id}\t{i.retention_class}\tended {i.ended_on}\tdestroy from {i.destroy_on}")
    console.print(
        f"[green]destruction list {dl.pk} for {month}: {len(items)} cases[/], for approval by the "
        "archivaris (page Vernietiging)"
    )


def hold(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    case_id: str = typer.Argument(..., help="The case's id (external id)"),
    reason: str = typer.Option(..., "--reason", help="bezwaar, beroep, rechtszaak, handhaving or overig"),
    note: str = typer.Option("", "--note", help="A reference, never personal data"),
) -> None:
    """Keep a case from destruction (an objection, appeal, court case, recovery)."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin

    from . import services

    muni = _municipality(municipality)
    try:
        h = services.place_hold(_case(muni, case_id), reason, note, actor=cli_actor(), origin=cli_origin())
    except services.RetentionError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    console.print(f"[green]hold {h.pk} on {case_id}[/]")


def release(hold_id: int = typer.Argument(..., help="The hold's number")) -> None:
    """Release a hold."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin

    from . import services
    from .models import RetentionHold

    h = RetentionHold.objects.filter(pk=hold_id).first()
    if h is None:
        console.print(f"[red]no hold {hold_id}[/]")
        raise typer.Exit(1)
    services.release_hold(h, actor=cli_actor(), origin=cli_origin())
    console.print(f"[green]hold {hold_id} released[/]")


def destroy(
    list_id: int = typer.Option(..., "--list", help="An approved destruction list"),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation"),
    expect: int | None = typer.Option(None, "--expect", help="Refuse unless exactly this many cases are due"),
) -> None:
    """Destroy the cases of an approved list (maintenance mode; a destruction record and an audit entry remain)."""
    django_setup()
    from regie.audit.services import cli_actor

    from . import services
    from .models import DestructionList

    dl = DestructionList.objects.filter(pk=list_id).first()
    if dl is None:
        console.print(f"[red]no destruction list {list_id}[/]")
        raise typer.Exit(1)
    n = dl.items.filter(state="proposed").count()
    if expect is not None and expect != n:
        console.print(f"[red]list {list_id} has {n} cases to destroy, not {expect}[/]")
        raise typer.Exit(1)
    if not yes and not typer.confirm(f"Destroy {n} cases of list {list_id} for good?"):
        raise typer.Exit(1)
    try:
        record = services.destroy(dl, actor=cli_actor())
    except services.RetentionError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from None
    console.print(
        f"[green]destroyed {len(record.cases)} cases and {record.clients_removed} clients[/] "
        f"(destruction record {record.pk}; rows: {record.rows})"
    )
