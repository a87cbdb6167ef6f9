"""Command line of the vignette study: `regie equity vignettes list|report` (the analysis the web page shows)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

vignettes_app = typer.Typer(
    help="Vignette studies (seed 000:1006): list them, analyse one, export the report.", no_args_is_help=True
)


def _setup():
    from regie.platform.cli import django_setup

    django_setup()
    from regie.equity.models import VignetteStudy

    return VignetteStudy


@vignettes_app.command("list")
def list_studies(
    municipality: str | None = typer.Option(None, help="Only studies this municipality takes part in"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The studies with their period, participants and number of answers."""
    VignetteStudy = _setup()
    qs = VignetteStudy.objects.prefetch_related("participants").order_by("-created_at")
    if municipality:
        qs = qs.filter(participants__code=municipality).distinct()
    rows = [
        {
            "id": s.pk,
            "title": s.title,
            "starts_on": s.starts_on.isoformat(),
            "ends_on": s.ends_on.isoformat(),
            "participants": sorted(m.code for m in s.participants.all()),
            "vignettes": s.vignettes.count(),
            "answers": s.answers.count(),
        }
        for s in qs
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['id']:>4}  {r['title']}  {r['starts_on']}..{r['ends_on']}  {','.join(r['participants'])}  "
            f"{r['vignettes']} vignettes, {r['answers']} answers"
        )


@vignettes_app.command("report")
def report(
    study: int = typer.Argument(..., help="Study id (see `regie equity vignettes list`)"),
    out: Path | None = typer.Option(None, help="Write the report: .xlsx, .pdf or .csv (per-vignette table)"),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON"),
) -> None:
    """Agreement per vignette (Fleiss' kappa, Krippendorff's alpha), spread, and the between- and
    within-municipality variance; respondents appear only as pseudonymous codes."""
    VignetteStudy = _setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.core.equity import vignettes as VA
    from regie.equity.services import analyse_study
    from regie.platform import exports

    s = VignetteStudy.objects.filter(pk=study).first()
    if s is None:
        typer.echo(f"study: no vignette study with id {study}", err=True)
        raise typer.Exit(1)
    if out is not None and out.suffix not in (".xlsx", ".pdf", ".csv"):
        typer.echo("out: the file name must end in .xlsx, .pdf or .csv", err=True)
        raise typer.Exit(2)
    result = analyse_study(s)
    log(
        actor=cli_actor(),
        action="export" if out else "read",
        object_type="vignette_study",
        object_id=str(s.pk),
        origin=cli_origin(),
        municipality_id=s.municipality_id,
        detail=f"analysis {out.suffix if out else ''}".strip(),
    )
    if out is not None:
        data = {
            ".xlsx": lambda: exports.xlsx_bytes(VA.export_sheets(result, s.title)),
            ".pdf": lambda: VA.to_pdf(result, s.title),
            ".csv": lambda: exports.csv_bytes(VA.export_sheets(result, s.title)["per_vignette"]),
        }[out.suffix]()
        out.write_bytes(data)
        typer.echo(f"wrote {out}", err=True)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    elif out is None:
        typer.echo(
            f"{s.title}: {result['answers']} answers by {result['respondents']} respondents in "
            f"{result['municipalities']} municipalities on {result['vignettes']} vignettes"
        )
        for a in result["agreement"]:
            typer.echo(
                f"  agreement on {a['question']}{' (' + a['scheme'] + ')' if a.get('scheme') else ''}: "
                f"observed {a['observed']}, Fleiss' kappa {a['fleiss_kappa']}, "
                f"Krippendorff's alpha {a['krippendorff_alpha']}"
            )
        for v in result["variance"]:
            if v.get("warning"):
                typer.echo(f"  variance of {v['answer']}: {v['warning']} (n = {v['n']})")
            else:
                typer.echo(
                    f"  variance of {v['answer']}: between municipalities {v['var_municipality']:.3f}, "
                    f"between respondents {v['var_respondent']:.3f}, residual {v['var_residual']:.3f} "
                    f"(municipality share {v['icc_municipality']:.3f})"
                )
