from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "regie.employers"
    label = "employers"
    verbose_name = "Werkgeversdienstverlening"

    def ready(self) -> None:
        # employers2: the employer's loonkostensubsidie joins the benefit payment run (its preview and its release)
        from regie.benefit.services import run_computed, run_releasing
        from regie.casework.decisions import step_recorded
        from regie.casework.interchange.importer import imported
        from regie.casework.validation import REFERENCING_TYPES, reference_check

        from . import references, services

        run_computed.connect(services.on_run_computed, dispatch_uid="regie.employers.subsidy_compute")
        run_releasing.connect(services.on_run_releasing, dispatch_uid="regie.employers.subsidy_release")
        # employers2: an event's employer_id / vacancy_id is checked on every path (gate, append_event, import)
        reference_check.connect(references.problems, dispatch_uid="regie.employers.references")
        REFERENCING_TYPES.update(references.REFERENCING)
        # a placement fills its vacancy on every path the event takes (the gate, an approval, an import)
        step_recorded.connect(services.on_step_recorded, dispatch_uid="regie.employers.vacancy_filled")
        imported.connect(services.fill_after_import, dispatch_uid="regie.employers.vacancy_filled_import")
        # the matching caseload of each municipality is seconds of work at 50,000 clients: built in each web
        # worker's start-up warm-up, not on the first candidate list
        from regie.platform.server import register_startup_warmer

        from .selectors import warm_caseload_tables

        register_startup_warmer(warm_caseload_tables)
