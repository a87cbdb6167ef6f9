"""``regie policy …``: validate, list, explain and diff policy files (no database needed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from regie.core.policy.engine import CaseFacts, recommend
from regie.core.policy.loader import PolicyError, PolicyUnavailable, load_dir, load_file, load_national, policy_dir
from regie.core.policy.schema import Policy

policy_app = typer.Typer(help="Policy as code: validate, list, explain and diff policy files.", no_args_is_help=True)


def _unavailable(exc: PolicyUnavailable) -> typer.Exit:
    typer.echo(f"{exc.message}\n  {exc.detail}" if exc.detail else exc.message, err=True)
    return typer.Exit(1)


def _set(directory: Path | None):
    try:
        return load_dir(directory)
    except PolicyError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from exc


DIR_HELP = "Policy directory (default: REGIE_POLICY_DIR, else the policies shipped with Regie)"


@policy_app.command("validate")
def validate(
    files: list[Path] | None = typer.Argument(
        None, exists=True, dir_okay=False, help="Policy files (default: every file of the directory)"
    ),
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """Validate policy files; every problem is printed as FILE:LINE: field: reason. Without files: the whole
    policy directory, which must hold at least one policy (exit 1 when it is missing or empty)."""
    if not files:
        ps = _set(directory)
        n = sum(len(v) for v in ps.by_id.values())
        typer.echo(f"{ps.root}: ok ({len(ps.by_id)} policies, {n} versions)")
        return
    bad = 0
    for f in files:
        try:
            if f.parent.name == "national":
                since, _ = load_national(f)
                typer.echo(f"{f}: ok (national layer from {since.isoformat()})")
                continue
            versions = load_file(f)
        except PolicyError as exc:
            bad += 1
            for p in exc.problems:
                typer.echo(str(p), err=True)
            continue
        except PolicyUnavailable as exc:
            bad += 1
            typer.echo(f"{exc.message}\n  {exc.detail}", err=True)
            continue
        if not versions:
            bad += 1
            typer.echo(
                f"{f}: no policy version (is there a national layer in {f.parent.parent / 'national'}?)", err=True
            )
            continue
        typer.echo(f"{f}: ok ({', '.join(v.version_id for v in versions)})")
    if bad:
        raise typer.Exit(1)


@policy_app.command("path")
def path() -> None:
    """Print the policy directory in use (REGIE_POLICY_DIR, else the one shipped with Regie)."""
    try:
        typer.echo(str(policy_dir()))
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from exc


@policy_app.command("list")
def list_(
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP), as_json: bool = typer.Option(False, "--json")
) -> None:
    """Every policy with its versions, municipality code, scheme and steering mode."""
    rows = []
    for pid, versions in sorted(_set(directory).by_id.items()):
        for v in versions:
            rows.append(
                {
                    "id": pid,
                    "version": v.version_id,
                    "municipality_code": v.municipality_code,
                    "name": v.name,
                    "valid_from": v.valid_from.isoformat(),
                    "scheme": v.scheme.id,
                    "steering": v.steering.mode,
                    "work_first": v.work_first.enabled,
                }
            )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['version']:<42} {r['municipality_code'] or '----'}  {r['scheme']:<20} {r['steering']:<11} "
            f"work_first={'yes' if r['work_first'] else 'no'}"
        )


def _facts(case: Path) -> CaseFacts:
    try:
        return CaseFacts.model_validate_json(case.read_text())
    except Exception as exc:  # pydantic ValidationError or JSON error: name the field
        typer.echo(f"{case}: {exc}", err=True)
        raise typer.Exit(2) from exc


@policy_app.command("explain")
def explain(
    municipality: str = typer.Option(..., help="CBS gemeentecode or policy id"),
    date: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="The date to decide on"),
    case: Path = typer.Option(..., exists=True, dir_okay=False, help="JSON file with CaseFacts"),
    as_json: bool = typer.Option(False, "--json"),
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """Recommendations for one case with the rule, source and inputs behind each."""
    on = date.date()
    try:
        policy = _set(directory).in_force(municipality, on)
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from exc
    rec = recommend(policy, _facts(case), on).as_dict()
    if as_json:
        typer.echo(json.dumps(rec, indent=2, default=str))
        return
    typer.echo(f"{policy.name} — {policy.version_id} — {on.isoformat()}")
    for section in (
        "classification",
        "work_first",
        "trajectory",
        "exemptions",
        "obligations",
        "search_period",
        "deadlines",
    ):
        item = rec[section]
        value = item.get("value", "cannot decide: " + ", ".join(item.get("cannot_decide", [])))
        typer.echo(f"  {section}: {value}")
        for e in item["explanation"]:
            typer.echo(f"      because {e['rule_id']} ({e['source']}) with {e['inputs']}")


PROBE_CASES = {
    "single, work within 3 months": CaseFacts(age=30, expected_months_to_work=3, n_children=0, has_partner=False),
    "single, work within 12 months": CaseFacts(age=40, expected_months_to_work=12, n_children=0, has_partner=False),
    "single, work in 2-3 years": CaseFacts(
        age=50,
        expected_months_to_work=30,
        n_children=0,
        has_partner=False,
        health_limitation=False,
        requested_trajectory=False,
    ),
    "age 50, far from work, no request": CaseFacts(
        age=50,
        expected_months_to_work=48,
        n_children=0,
        has_partner=False,
        health_limitation=False,
        requested_trajectory=False,
        medical_claim=False,
    ),
    "single parent, child of 3": CaseFacts(
        age=28,
        expected_months_to_work=12,
        n_children=1,
        youngest_child_age=3,
        has_partner=False,
        childcare_arranged=True,
    ),
    "health limitation": CaseFacts(
        age=45, expected_months_to_work=60, n_children=0, has_partner=False, health_limitation=True, medical_claim=False
    ),
}


def _summary(policy: Policy, on: dt.date) -> dict:
    out = {}
    for name, facts in PROBE_CASES.items():
        r = recommend(policy, facts, on)
        out[name] = {
            "level": r.classification.value and r.classification.value["level"],
            "route": r.classification.value and r.classification.value["route"],
            "work_first": r.work_first.value["applies"],
            "trajectory": r.trajectory.value["eligible"] if r.trajectory.decided else "cannot decide",
            "exemptions": sorted(g["ground"] for g in (r.exemptions.value or [])),
        }
    out["(policy)"] = {
        "steering": policy.steering.mode,
        "caseload_norm": policy.caseload_norm.value,
        "scheme": policy.scheme.id,
        "provider_payment": policy.provider_payment.model,
    }
    return out


@policy_app.command("diff")
def diff(
    municipality: str = typer.Option(..., help="CBS gemeentecode or policy id"),
    date_from: dt.datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"]),
    date_to: dt.datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"]),
    other: str | None = typer.Option(None, help="Compare with this municipality instead (use --date)"),
    date: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"]),
    as_json: bool = typer.Option(False, "--json"),
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """What a client would experience differently: between two dates, or between two municipalities."""
    ps = _set(directory)
    try:
        if other:
            on = (date or date_to or dt.datetime.now()).date()
            a, b = ps.in_force(municipality, on), ps.in_force(other, on)
            a_on = b_on = on
        else:
            if not (date_from and date_to):
                typer.echo("diff: give --from and --to, or --other with --date", err=True)
                raise typer.Exit(2)
            a_on, b_on = date_from.date(), date_to.date()
            a, b = ps.in_force(municipality, a_on), ps.in_force(municipality, b_on)
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from exc
    from regie.core.policy.reference import policy_changes

    sa, sb = _summary(a, a_on), _summary(b, b_on)
    changes = {
        case: {k: {"from": sa[case][k], "to": sb[case][k]} for k in sa[case] if sa[case][k] != sb[case][k]}
        for case in sa
    }
    changes = {k: v for k, v in changes.items() if v}
    law = policy_changes(a, a_on, b, b_on)
    result = {
        "a": a.version_id,
        "b": b.version_id,
        "differences": changes,
        "norms": law["norms"],
        "rules": law["rules"],
    }
    if as_json:
        typer.echo(json.dumps(result, indent=2, default=str))
        return
    typer.echo(f"{a.version_id} → {b.version_id}")
    if not changes:
        typer.echo("  no difference for the probe clients")
    for case, diffs in changes.items():
        typer.echo(f"  {case}:")
        for k, v in diffs.items():
            typer.echo(f"      {k}: {v['from']} → {v['to']}")
    norms = law["norms"]
    if norms["amounts"]:
        src = {
            k: (f"{v['valid_from']}: {v['source']}" if v else "no table") for k, v in norms.items() if k != "amounts"
        }
        typer.echo(f"  norm amounts (EUR/month incl. vakantietoeslag) — from {src['from']}; to {src['to']}")
        for v in norms["amounts"].values():
            typer.echo(f"      {v['label']}: {v['from']} → {v['to']}")
    if law["rules"]:
        typer.echo("  rules:")
        for k, v in law["rules"].items():
            typer.echo(f"      {k}: {v['from']} → {v['to']}")


@policy_app.command("norms")
def norms(
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
    write_doc: Path | None = typer.Option(
        None, "--write-doc", exists=True, dir_okay=False, help="Replace the generated section of this Markdown file"
    ),
) -> None:
    """Every national norm table as Markdown with its source or assumption (the "National amounts" section of
    docs/policy-reference.md is this output; ``--write-doc docs/policy-reference.md`` updates it in place)."""
    from regie.core.policy.loader import load_norm_tables
    from regie.core.policy.reference import BEGIN, END, norms_markdown

    try:
        tables = load_norm_tables(directory)
    except PolicyError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from exc
    md = norms_markdown(tables)
    if write_doc is None:
        typer.echo(md)
        return
    doc = write_doc.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        typer.echo(f"{write_doc}: no generated section ({BEGIN} ... {END})", err=True)
        raise typer.Exit(1)
    doc = doc[: doc.index(BEGIN)] + md + doc[doc.index(END) + len(END) :]
    write_doc.write_text(doc, encoding="utf-8")
    typer.echo(f"{write_doc}: national amounts updated ({len(tables)} tables)")


@policy_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a policy file (docs/policy-schema.json)."""
    typer.echo(json.dumps(Policy.model_json_schema(), indent=2, ensure_ascii=False))


@policy_app.command("register")
def register_entry(
    municipality: str = typer.Argument(..., help="Policy id or CBS municipality code"),
    fmt: str = typer.Option("json", "--format", help="json or md"),
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """Algoritmeregister entries (publication standard 1.0.9): one per policy version of the municipality, plus
    the equal-treatment monitor."""
    from regie.core.policy import register as R

    if fmt not in ("json", "md"):
        typer.echo("format: choose json or md", err=True)
        raise typer.Exit(2)
    ps = _set(directory)
    try:
        versions = ps.versions(municipality)
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from None
    entries = R.register(versions)
    if fmt == "json":
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        typer.echo(R.to_markdown(entries))


@policy_app.command("dpia")
def dpia(
    municipality: str = typer.Argument(..., help="Policy id or CBS municipality code"),
    directory: Path | None = typer.Option(None, "--dir", help=DIR_HELP),
) -> None:
    """A DPIA starting document (Markdown) from what Regie knows: data categories, roles, retention, processors,
    the risks it mitigates; assumptions marked."""
    from django.utils import translation

    from regie.accounts.tenancy import CAPABILITIES
    from regie.core.policy import register as R
    from regie.platform import labels

    ps = _set(directory)
    try:
        policy = ps.versions(municipality)[-1]
    except PolicyUnavailable as exc:
        raise _unavailable(exc) from None
    with translation.override("nl"):  # the DPIA starting document is Dutch (the core writes its text in Dutch)
        roles = {
            labels.role_label(role): frozenset(labels.capability_label(c) for c in caps)
            for role, caps in CAPABILITIES.items()
        }
    typer.echo(R.dpia_markdown(policy, roles))
