from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("zaak/<int:case_id>/stap/<str:event_type>/", views.step, name="step"),
    path("zaak/<int:case_id>/<str:objection_id>/", views.objection, name="objection"),
]
