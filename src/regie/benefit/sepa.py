"""The SEPA credit-transfer file (pain.001.001.03) of a released payment run, built with ``sepaxml`` (which
validates its output against the XSD it ships), IBANs checked with ``schwifty``.

The debtor (the municipality's own account) is a setting, ``REGIE_PAYMENT_DEBTORS``: municipality code ->
{"name", "iban", "bic"} (environment variable of the same name, JSON). A municipality without one cannot release
a run: :class:`PaymentSetupMissing`, a Dutch message (fail closed).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

SCHEMA = "pain.001.001.03"


class PaymentSetupMissing(LookupError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IBAN (Dutch), or None."""
    try:
        IBAN(value)
    except SchwiftyException:
        return _("IBAN is ongeldig: controleer het rekeningnummer (landcode, controlegetal, lengte).")
    return None


def normal_iban(value: str) -> str:
    return str(IBAN(value).compact)


def debtor(municipality) -> dict:
    """The municipality's own account for payments; PaymentSetupMissing when it is missing or invalid."""
    conf = (getattr(settings, "REGIE_PAYMENT_DEBTORS", None) or {}).get(municipality.code)
    if not conf or not conf.get("iban") or not conf.get("name"):
        raise PaymentSetupMissing(
            _(
                "Voor %(name)s is geen betaalrekening van de gemeente ingesteld (REGIE_PAYMENT_DEBTORS): de betaalrun "
                "kan niet worden vrijgegeven. Vraag de functioneel beheerder de IBAN en BIC in te stellen."
            )
            % {"name": municipality.name}
        )
    try:
        iban = IBAN(conf["iban"])
        bic = BIC(conf["bic"]) if conf.get("bic") else iban.bic
    except SchwiftyException:
        raise PaymentSetupMissing(
            _("De ingestelde betaalrekening van %(name)s (REGIE_PAYMENT_DEBTORS) is geen geldige IBAN/BIC.")
            % {"name": municipality.name}
        ) from None
    if bic is None:
        raise PaymentSetupMissing(
            _("Bij de betaalrekening van %(name)s ontbreekt de BIC (REGIE_PAYMENT_DEBTORS).")
            % {"name": municipality.name}
        )
    return {"name": conf["name"][:70], "IBAN": str(iban.compact), "BIC": str(bic.compact)}


def credit_transfer(
    municipality, lines, execution_date: dt.date, run_id: int, month: str, extra: list[dict] | None = None
) -> tuple[str, str]:
    """(XML, message id) for ``lines`` (PaymentLine rows) and ``extra`` payments (sepaxml dicts from the run's other
    payees, employers2: the employer's loonkostensubsidie; their execution date is the run's). Raises
    PaymentSetupMissing, or sepaxml's validation error when the file does not match the pain.001 schema."""
    from sepaxml import SepaTransfer

    config = {**debtor(municipality), "batch": True, "currency": "EUR"}
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for line in lines:
        payment = {
            "name": line.holder[:70],
            "IBAN": line.iban,
            "amount": int(line.amount_cents),
            "execution_date": execution_date,
            "description": f"Uitkering {month} dossier {line.case.external_id}"[:140],
            "endtoend_id": f"REGIE-{run_id}-{line.pk}"[:35],
        }
        bic = IBAN(line.iban).bic
        if bic is not None:
            payment["BIC"] = str(bic.compact)
        transfer.add_payment(payment)
    for payment in extra or ():  # employers2
        transfer.add_payment({**payment, "execution_date": execution_date})
    xml = transfer.export(validate=True, pretty_print=True)
    return xml.decode(), transfer.msg_id
