"""The demo municipality's bank accounts (synthetic): every demo client gets a valid, made-up Dutch IBAN so the
payment run has something to pay. Releasing a run still needs the municipality's own account (REGIE_PAYMENT_DEBTORS):
the demo shows the fail-closed message until it is set."""

from __future__ import annotations

from schwifty import IBAN


def seed_demo_accounts(muni) -> int:
    from regie.accounts.models import User
    from regie.casework.models import Client

    from .models import BankAccount

    admin = User.objects.filter(municipality=muni).order_by("id").first()
    if admin is None or BankAccount.objects.filter(municipality=muni).exists():
        return 0
    rows = [
        BankAccount(
            municipality=muni,
            client=c,
            iban=str(IBAN.generate("NL", bank_code="INGB", account_code=f"{9_000_000 + c.pk:010d}").compact),
            holder=f"{c.given_name[:1]}. {c.family_name}"[:70],
            recorded_by=admin,
        )
        for c in Client.objects.filter(municipality=muni).only("pk", "given_name", "family_name")
    ]
    BankAccount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
