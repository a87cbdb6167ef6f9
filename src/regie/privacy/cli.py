"""The privacy commands: ``privacy inzage`` (the file of one person as PDF and JSON) and ``privacy grounds``."""

from __future__ import annotations

from pathlib import Path

import typer

from regie.platform.cli import console, django_setup

privacy_app = typer.Typer(help="AVG rights: inzage (art. 15), the register of legal grounds.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    privacy_app.command("inzage")(inzage)
    privacy_app.command("grounds")(grounds_cmd)
    app.add_typer(privacy_app, name="privacy")


def inzage(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    client_id: str = typer.Argument(..., help="The client's id (external id, as in the interchange format)"),
    out: Path = typer.Option(..., "--out", help="Directory for inzage-<client>.pdf and .json"),
    request_id: int | None = typer.Option(None, "--request", help="The recorded inzageverzoek (identity verified)"),
) -> None:
    """Write the complete file of one person (AVG art. 15) as PDF and JSON; both are audited."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.casework.models import Client

    from . import documents, selectors, services
    from .models import AccessRequest

    muni = Municipality.objects.filter(code=municipality).first()
    client = Client.objects.filter(municipality=muni, external_id=client_id).first() if muni else None
    if client is None:
        log(
            actor=cli_actor(),
            action="read",
            object_type="client",
            object_id=client_id,
            result="denied",
            origin=cli_origin(),
            municipality_id=muni.pk if muni else None,
            detail="privacy inzage: no such client",
        )
        console.print(f"[red]no client {client_id!r} in municipality {municipality!r}[/]")
        raise typer.Exit(1)
    req = None
    if request_id is not None:
        req = AccessRequest.objects.filter(pk=request_id, client=client).first()
        if req is None:
            console.print(f"[red]no inzageverzoek {request_id} for this client[/]")
            raise typer.Exit(1)
        try:
            services.require_verified(req)
        except services.PrivacyError as exc:
            console.print(f"[red]{exc.message}[/]")
            raise typer.Exit(1) from None
    out.mkdir(parents=True, exist_ok=True)
    pf = selectors.person_file(client)
    stem = f"inzage-{client.external_id}"
    written = []
    for fmt, body in (("pdf", documents.render_pdf(pf, request=req)), ("json", documents.render_json(pf, request=req))):
        path = out / f"{stem}.{fmt}"
        path.write_bytes(body)
        log(
            actor=cli_actor(),
            action="export",
            object_type="client",
            object_id=client.external_id,
            origin=cli_origin(),
            municipality_id=client.municipality_id,
            detail=f"inzage {fmt}" + (f" request {req.pk}" if req else " (command line)"),
        )
        written.append(path)
    events = sum(len(evs) for _, evs in pf.cases)
    console.print(
        f"[green]wrote {', '.join(str(p) for p in written)}[/] ({len(pf.cases)} cases, {events} events, "
        f"{len(pf.audit)} audit rows)"
    )


def grounds_cmd(
    out: Path | None = typer.Option(None, "--out", help="Markdown file (default: standard output)"),
) -> None:
    """The register of legal grounds per data category, as Markdown."""
    from .grounds import as_markdown

    text = as_markdown()
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"[green]wrote {out}[/]")
    else:
        typer.echo(text)
