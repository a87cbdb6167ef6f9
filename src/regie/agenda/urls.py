"""Agenda pages (namespace ``agenda``) and the start page (``agenda:start``)."""

from django.urls import path

from . import start, views

app_name = "agenda"

urlpatterns = [
    path("vandaag/", start.start_page, name="start"),
    path("vandaag/gezien/", start.mark_seen, name="start_seen"),
    path("agenda/", views.day, name="day"),
    path("agenda/week/", views.week, name="week"),
    path("agenda/agenda.ics", views.feed, name="feed"),
    path("agenda/abonnement/", views.subscription, name="subscription"),
    path("agenda/abonnement/<str:secret>/agenda.ics", views.subscription_feed, name="subscription_feed"),
    path("agenda/nieuw/<int:case_id>/", views.new, name="new"),
    path("agenda/afspraak/<int:appointment_id>/", views.detail, name="appointment"),
    path("agenda/afspraak/<int:appointment_id>/afspraak.ics", views.appointment_ics, name="ics"),
    path("agenda/afspraak/<int:appointment_id>/uitnodiging/", views.invite, name="invite"),
]
