from django.apps import AppConfig


def _report_events(events):
    """The equity report's cut of the events (regie.core.equity.data.report_events), imported when first used: the
    report's statistics are not loaded at start-up."""
    from regie.core.equity.data import report_events

    return report_events(events)


class EquityConfig(AppConfig):
    name = "regie.equity"
    label = "equity"
    verbose_name = "Gelijke behandeling"

    def ready(self):
        from regie.analytics.store import COPY_CUTS

        # the job that writes the analytic store's disk copy writes the report's cut beside it (the same key as
        # current_cut's: the cut's query plan), so a report after a new copy reads 5 MB instead of scanning 23 MB
        COPY_CUTS.append(_report_events)
