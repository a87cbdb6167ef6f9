"""The letter of a case event, at the URL (and name) the casework page has always used."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:case_id>/brief/<int:event_id>.pdf", views.letter, name="letter"),
    path("dossiers/<int:case_id>/brief/<int:event_id>/verstuurd/", views.letter_send, name="letter_send"),
]
