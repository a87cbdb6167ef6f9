from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views, views_employers, views_legal, views_tokens, views_workday

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("cases", views.CaseViewSet, basename="case")
router.register("pending-decisions", views.PendingDecisionViewSet, basename="pending-decision")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/token/", views_tokens.TokenObtainView.as_view(), name="api-token"),
    # legal: a case's objections, appeals and open terms; its legal steps through the decision gate
    path("v1/cases/<int:pk>/legal/", views_legal.CaseLegalView.as_view(), name="api-case-legal"),
    path("v1/cases/<int:pk>/legal/steps/", views_legal.LegalStepView.as_view(), name="api-case-legal-steps"),
    # workday: documents, tasks, appointments and journal notes (views_workday)
    path("v1/cases/<int:pk>/documents/", views_workday.CaseDocumentsView.as_view(), name="api-case-documents"),
    path("v1/documents/<int:pk>/", views_workday.DocumentView.as_view(), name="api-document"),
    path("v1/documents/<int:pk>/file/", views_workday.DocumentFileView.as_view(), name="api-document-file"),
    path("v1/tasks/", views_workday.TasksView.as_view(), name="api-tasks"),
    path("v1/tasks/<int:pk>/", views_workday.TaskView.as_view(), name="api-task"),
    path("v1/tasks/<int:pk>/assign/", views_workday.TaskAssignView.as_view(), name="api-task-assign"),
    path("v1/tasks/<int:pk>/complete/", views_workday.TaskCompleteView.as_view(), name="api-task-complete"),
    path("v1/appointments/", views_workday.AppointmentsView.as_view(), name="api-appointments"),
    path("v1/appointments/<int:pk>/", views_workday.AppointmentView.as_view(), name="api-appointment"),
    path(
        "v1/appointments/<int:pk>/outcome/",
        views_workday.AppointmentOutcomeView.as_view(),
        name="api-appointment-outcome",
    ),
    path("v1/cases/<int:pk>/appointments/", views_workday.CaseAppointmentsView.as_view(), name="api-case-appointments"),
    path("v1/cases/<int:pk>/notes/", views_workday.CaseNotesView.as_view(), name="api-case-notes"),
    # employers: vacancies in, candidates out with consent (a regional matching platform)
    path("v1/vacancies/", views_employers.VacancyListView.as_view(), name="api-vacancies"),
    path("v1/vacancies/<int:pk>/candidates/", views_employers.VacancyCandidatesView.as_view(), name="api-candidates"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # pages: API-sleutels (own tokens; the functioneel beheerder's municipality and its applications)
    path("sleutels/", views_tokens.token_page, name="api_tokens"),
    path("sleutels/<int:token_id>/intrekken/", views_tokens.token_revoke, name="api_token_revoke"),
    path("sleutels/koppelingen/", views_tokens.application_create, name="api_application_create"),
    path("sleutels/koppelingen/<int:app_id>/sleutel/", views_tokens.application_token, name="api_application_token"),
    path(
        "sleutels/koppelingen/<int:app_id>/stoppen/",
        views_tokens.application_deactivate,
        name="api_application_deactivate",
    ),
]
