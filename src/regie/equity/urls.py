from django.urls import path

from . import between_views, objection_views, report_views, views

app_name = "equity"
urlpatterns = [
    path("", report_views.report, name="report"),
    path("vignetten/", views.studies, name="studies"),
    path("vignetten/nieuw/", views.study_new, name="study_new"),
    path("vignetten/<int:study_id>/", views.study, name="study"),
    path("vignetten/<int:study_id>/vignet/nieuw/", views.vignette_edit, name="vignette_new"),
    path("vignetten/<int:study_id>/vignet/<int:vignette_id>/", views.vignette_edit, name="vignette_edit"),
    path("vignetten/<int:study_id>/beantwoorden/", views.answer, name="answer"),
    path("vignetten/<int:study_id>/analyse/", views.analysis, name="analysis"),
    path("codering/", views.coding, name="coding"),
    path("tussen-gemeenten/", between_views.between, name="between"),
    # legal: objections upheld per caseworker
    path("bezwaren/", objection_views.objections, name="objections"),
]
