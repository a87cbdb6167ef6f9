from django.contrib.auth import views as auth_views
from django.urls import include, path

from regie.accounts.throttle import ThrottledAuthenticationForm
from regie.web import provider_views, route_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(template_name="regie/login.html",
                                                   authentication_form=ThrottledAuthenticationForm), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("clienten/", views.worklist, name="worklist"),
    path("clienten/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clienten/<int:client_id>/bsn/", views.reveal_bsn, name="reveal_bsn"),
    path("clienten/nieuw/", route_views.new_client, name="client_new"),
    path("dossiers/<int:case_id>/stap/<str:event_type>/", route_views.step, name="case_step"),
    path("dossiers/<int:case_id>/signaal/", route_views.new_policy_signal, name="policy_signal_new"),
    path("dossiers/<int:case_id>/brief/<int:event_id>.pdf", route_views.letter, name="letter"),
    path("dossiers/<int:case_id>/signaal-afvinken/", route_views.acknowledge_signal, name="signal_ack"),
    path("akkoord/", route_views.approvals, name="approvals"),
    path("akkoord/<int:pending_id>/", route_views.review, name="approval_review"),
    path("signalen-naar-beleid/", route_views.policy_signals, name="policy_signals"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("aanbieder/", provider_views.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("regie.api.urls")),
    path("monitoring/", include("regie.monitoring.urls")),
    path("gelijke-behandeling/", include("regie.equity.urls")),
    path("beleidslab/", include("regie.labweb.urls")),
]
