"""The demo municipality's letterhead (``regie demo``): without one, every letter is refused (fail closed)."""

from __future__ import annotations

from .selectors import current_letterhead
from .services import save_letterhead


def seed_demo_letterhead(municipality) -> None:
    """A fictitious letterhead for the demo municipality, once (assumption: invented addresses, not a real one)."""
    if current_letterhead(municipality.pk) is not None:
        return
    name = municipality.name
    save_letterhead(
        municipality,
        {
            "sender": f"Gemeente {name}, Werk en Inkomen",
            "address": "Postbus 1000\n1000 AA DEMOSTAD",
            "contact": "Vragen? Bel 14 0000 (werkdagen 8.30-17.00 uur) of mail werkeninkomen@demo.example.",
            "objection_address": f"College van burgemeester en wethouders van {name}\nPostbus 1000\n1000 AA DEMOSTAD",
            "objection_online": "www.demo.example/bezwaar",
            "signature": f"Het college van burgemeester en wethouders van {name},\nnamens dezen,\n"
            "de manager Werk en Inkomen",
        },
        None,
        expected_version=0,
    )
