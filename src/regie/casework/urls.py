"""Casework pages. URL names are global (``worklist``, ``client_detail``, …); the provider portal is ``provider:``."""

from django.urls import include, path

from .views import approvals, clients, policy_signals, provider, steps, worklist

provider_patterns = [
    path("", provider.clients, name="clients"),
    path("<int:case_id>/", provider.referral, name="referral"),
]

urlpatterns = [
    path("clienten/", worklist.worklist, name="worklist"),
    path("clienten/<int:client_id>/", clients.client_detail, name="client_detail"),
    path("clienten/<int:client_id>/bsn/", clients.reveal_bsn, name="reveal_bsn"),
    path("clienten/nieuw/", clients.new_client, name="client_new"),
    path("dossiers/<int:case_id>/stap/<str:event_type>/", steps.step, name="case_step"),
    path("dossiers/<int:case_id>/stap/<str:event_type>/advies/", steps.advice, name="case_step_advice"),
    path("dossiers/<int:case_id>/signaal/", policy_signals.new_policy_signal, name="policy_signal_new"),
    path("dossiers/<int:case_id>/signaal-afvinken/", steps.acknowledge_signal, name="signal_ack"),
    path("akkoord/", approvals.approvals, name="approvals"),
    path("akkoord/<int:pending_id>/", approvals.review, name="approval_review"),
    path("signalen-naar-beleid/", policy_signals.policy_signals, name="policy_signals"),
    path("aanbieder/", include((provider_patterns, "provider"))),
]
