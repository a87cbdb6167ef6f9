from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "regie.lab"
    label = "labweb"  # the app label names the database tables (labweb_labrun) and migrations: kept from before
    verbose_name = "Beleidslab"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from regie.core.lab import report

        report.NUMBER_FORMATTER = localised_number


def localised_number(value: float, decimals: int, lang: str) -> str:
    """A lab report's figure through Django's localisation in the report's language (grouped, its decimal mark)."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    with translation.override(lang):
        return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
