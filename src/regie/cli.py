"""The ``regie`` command line: everything the web app can do in bulk.

Each app keeps its commands beside it (``<app>/cli.py``, each with a ``register(app)``); this module mounts them
explicitly. A command module that fails to import is a crash, not a missing command. ``DATABASE_URL`` selects the
database, as for the web app and the tests.
"""

from __future__ import annotations

import sys

import typer

from regie import demo, ops
from regie.accounts import cli as accounts_cli
from regie.agenda import cli as agenda_cli
from regie.api import cli as api_cli
from regie.audit import cli as audit_cli
from regie.casework import cli as casework_cli
from regie.clientrecord import cli as clientrecord_cli  # client record (h/record)
from regie.employers import cli as employers_cli  # employers
from regie.equity import cli as equity_cli
from regie.journal import cli as journal_cli
from regie.lab import cli as lab_cli
from regie.letters import cli as letters_cli
from regie.monitoring import cli as monitoring_cli
from regie.notifications import cli as notifications_cli
from regie.platform.cli import django_setup  # noqa: F401  (the entry point used by scripts and tests)
from regie.policy.cli import policy_app
from regie.portal import cli as portal_cli  # portal
from regie.privacy import cli as privacy_cli
from regie.retention import cli as retention_cli

app = typer.Typer(help="Regie: casework, policy as code and monitoring for Work & Income.", no_args_is_help=True)

for _module in (
    ops,
    casework_cli,
    demo,
    accounts_cli,
    audit_cli,
    monitoring_cli,
    equity_cli,
    lab_cli,
    privacy_cli,
    retention_cli,
    clientrecord_cli,
):
    _module.register(app)
app.add_typer(policy_app, name="policy")
api_cli.register(app)  # regie token create|list|revoke
notifications_cli.register(app)  # regie notifications terms (agenda)
agenda_cli.register(app)  # regie agenda rebuild
journal_cli.register(app)  # regie journal rebuild
letters_cli.register(app)  # letters: regie letters types|check
employers_cli.register(app)  # employers: regie employers candidates|stats
portal_cli.register(app)  # portal: regie portal register-objections


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
