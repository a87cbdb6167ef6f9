"""The client record's commands: ``regie clientrecord reindex`` (search keys) and ``regie clientrecord brp``
(the municipality's BRP connection)."""

from __future__ import annotations

import typer

from regie.accounts.cli import municipality_or_exit
from regie.platform.cli import console, django_setup

clientrecord_app = typer.Typer(help="Client record: search keys and the BRP connection.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    clientrecord_app.command("reindex")(reindex)
    clientrecord_app.command("brp")(brp_config)
    app.add_typer(clientrecord_app, name="clientrecord")


def reindex(municipality: str = typer.Option(..., help="CBS gemeentecode (4 digits)")) -> None:
    """Recompute the clients' search keys (names folded, tussenvoegsel split off; postcode from the record)."""
    django_setup()
    from regie.casework.search import reindex as run

    muni = municipality_or_exit(municipality)
    console.print(f"search keys changed for {run(muni.id)} clients of {muni.code}")


def brp_config(
    municipality: str = typer.Option(..., help="CBS gemeentecode (4 digits)"),
    url: str = typer.Option(None, help="Root of the BRP API, without /personen"),
    api_key_env: str = typer.Option(None, help="Environment variable that holds the API key"),
    api_key_header: str = typer.Option(None, help="Header of the API key (default X-API-KEY)"),
    cert: str = typer.Option(None, help="PEM file of the client certificate (mutual TLS)"),
    key: str = typer.Option(None, help="PEM file of the certificate's private key"),
    ca: str = typer.Option(None, help="CA bundle for the server's certificate"),
    timeout: int = typer.Option(None, min=1, max=60, help="Seconds before a call is given up"),
    enable: bool = typer.Option(None, "--enable/--disable", help="Switch the connection on or off"),
) -> None:
    """Show or change the municipality's BRP connection (no secret is stored: the key stays in the environment)."""
    django_setup()
    from django.core.exceptions import ValidationError

    from regie.audit import services as audit
    from regie.clientrecord.models import BrpConnection

    muni = municipality_or_exit(municipality)
    conn = BrpConnection.objects.filter(municipality=muni).first()
    changes = {
        "base_url": url,
        "api_key_env": api_key_env,
        "api_key_header": api_key_header,
        "client_cert_file": cert,
        "client_key_file": key,
        "ca_file": ca,
        "timeout_seconds": timeout,
        "enabled": enable,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if conn is None and not changes.get("base_url"):
        if changes:
            typer.echo("url: required for a new BRP connection", err=True)
            raise typer.Exit(1)
        console.print(f"{muni.code}: no BRP connection")
        return
    if changes:
        conn = conn or BrpConnection(municipality=muni)
        for k, v in changes.items():
            setattr(conn, k, v)
        try:
            conn.full_clean(exclude=["municipality", "updated_by"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                typer.echo(f"{field}: {' '.join(messages)}", err=True)
            raise typer.Exit(1) from None
        conn.save()
        audit.log(
            actor=audit.cli_actor(),
            action="update",
            object_type="brp_connection",
            object_id=muni.code,
            origin=audit.cli_origin(),
            municipality_id=muni.id,
            detail="fields " + ",".join(sorted(changes)),
        )
    console.print(
        f"{muni.code}: {conn.base_url} · {'enabled' if conn.enabled else 'disabled'} · key from "
        f"{conn.api_key_env or '-'} · certificate {conn.client_cert_file or '-'} · timeout {conn.timeout_seconds}s"
    )
