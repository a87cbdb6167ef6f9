from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("dossier/<int:case_id>/", views.case_journal, name="case"),
    path("zoeken/", views.search, name="search"),
]
