from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from regie.web import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="worklist", permanent=False)),
    path("inloggen/", auth_views.LoginView.as_view(template_name="regie/login.html"), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("clienten/", views.worklist, name="worklist"),
    path("clienten/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clienten/<int:client_id>/bsn/", views.reveal_bsn, name="reveal_bsn"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("api/", include("regie.api.urls")),
    path("monitoring/", include("regie.monitoring.urls")),
    path("gelijke-behandeling/", include("regie.equity.urls")),
]
