"""eHerkenning log-in for provider coaches (regie.accounts.eherkenning); one start and one callback per provider."""

from django.urls import path

from . import eherkenning

urlpatterns = [
    path("aanbieders/<str:code>/<str:provider_code>/eherkenning/", eherkenning.start, name="eherkenning_start"),
    path(
        "aanbieders/<str:code>/<str:provider_code>/eherkenning/terug/",
        eherkenning.callback,
        name="eherkenning_callback",
    ),
]
