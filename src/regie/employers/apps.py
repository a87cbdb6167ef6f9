from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "regie.employers"
    label = "employers"
    verbose_name = "Werkgeversdienstverlening"

    def ready(self) -> None:
        # employers2: the employer's loonkostensubsidie joins the benefit payment run (its preview and its release)
        from regie.benefit.services import run_computed, run_releasing

        from . import services

        run_computed.connect(services.on_run_computed, dispatch_uid="regie.employers.subsidy_compute")
        run_releasing.connect(services.on_run_releasing, dispatch_uid="regie.employers.subsidy_release")
