"""Demo data of the client record's app: the demo municipality's providers get register data (contract, modules,
capacity, contact) so the register page and the referral form show what a real register looks like."""

from __future__ import annotations

import datetime as dt

# Synthetic demo values (assumption: invented; modules follow the trajectory kinds of regie.core.events).
DEMO_MODULES = (
    [{"code": "sollicitatie", "name": "Sollicitatietraining"}, {"code": "werkfit", "name": "Werkfit"}],
    [{"code": "taal", "name": "Taaltraject"}, {"code": "nt2", "name": "NT2 intensief"}],
    [{"code": "diagnose", "name": "Diagnose en advies"}, {"code": "zorg", "name": "Zorg en activering"}],
)


def seed_demo(municipality) -> int:
    """Fill the register fields of the municipality's providers that have none; returns the number filled."""
    from regie.accounts.models import Provider

    filled = 0
    start = dt.date(dt.date.today().year, 1, 1)
    for i, provider in enumerate(Provider.objects.filter(municipality=municipality, modules=[]).order_by("code")):
        provider.contract_reference = f"DEMO-{start.year}-{i + 1:03d}"
        provider.contract_start = start
        provider.contract_end = dt.date(start.year + 1, 12, 31)
        provider.modules = DEMO_MODULES[i % len(DEMO_MODULES)]
        provider.capacity = 40 + 20 * (i % 3)
        provider.contact_name = "Contactpersoon (demo)"
        provider.contact_email = f"{provider.code.lower()}@aanbieder.example"
        provider.save()
        filled += 1
    return filled
