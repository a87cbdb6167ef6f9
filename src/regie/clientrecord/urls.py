"""Client record pages, under the client's own address (``/clienten/<id>/gegevens/...``)."""

from django.urls import path

from . import providers, views, views_brp, views_config

urlpatterns = [
    path("aanbieders/", providers.register, name="provider_register"),
    path("beheer/brp/", views_config.brp_config, name="brp_config"),
    path("clienten/nieuw/brp/", views_brp.prefill, name="brp_prefill"),
    path("clienten/<int:client_id>/brp/", views_brp.check, name="brp_check"),
    path("clienten/<int:client_id>/brp/adres-overnemen/", views_brp.adopt_address, name="brp_adopt_address"),
    path("clienten/<int:client_id>/brp/adres-zoeken/", views_brp.address_lookup, name="brp_address_lookup"),
    path("clienten/<int:client_id>/gegevens/<str:kind>/", views.edit, name="record_edit"),
    path(
        "clienten/<int:client_id>/gegevens/contactpersoon/<str:contact_id>/",
        views.edit,
        {"kind": "contactpersoon"},
        name="record_edit_person",
    ),
    path("clienten/<int:client_id>/gegevens/<str:kind>/beeindigen/", views.end, name="record_end"),
    path(
        "clienten/<int:client_id>/gegevens/contactpersoon/<str:contact_id>/beeindigen/",
        views.end,
        {"kind": "contactpersoon"},
        name="record_end_person",
    ),
]
