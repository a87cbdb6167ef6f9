"""The caseworker's machtiging pages (mounted in the staff URL space, not under /mijn/)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("clienten/<int:client_id>/machtigingen/nieuw/", staff_views.machtiging_new, name="machtiging_new"),
    path(
        "clienten/<int:client_id>/machtigingen/<int:pk>/beeindigen/",
        staff_views.machtiging_end,
        name="machtiging_end",
    ),
]
