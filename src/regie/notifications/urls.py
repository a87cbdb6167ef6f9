from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("gelezen/", views.mark_read, name="read"),
    path("voorkeur/", views.preference, name="preference"),
]
