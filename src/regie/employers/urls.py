"""The employer side's pages (``/werkgevers/...``) and a case's work page (``/werkgevers/dossier/<id>/``)."""

from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.employer, name="employer"),
    path("<int:pk>/lijst/", views.employer_list, name="employer_list"),
    path("<int:employer_pk>/vacatures/nieuw/", views.vacancy_edit, name="vacancy_new"),
    path("<int:employer_pk>/vacatures/<int:pk>/wijzigen/", views.vacancy_edit, name="vacancy_edit"),
    path("vacatures/<int:pk>/", views.vacancy, name="vacancy"),
    path("dossier/<int:case_id>/", views.case_work, name="case_work"),
    path("sociale-kaart/", views.social_map, name="social_map"),
    path("monitoring/", views.monitoring, name="monitoring"),
]
