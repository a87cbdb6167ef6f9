"""The letters editor (``letters:``) for the functioneel beheerder."""

from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:municipality_id>/", views.index, name="index"),
    path("<int:municipality_id>/briefhoofd/", views.letterhead, name="letterhead"),
    path("<int:municipality_id>/<str:name>/", views.edit, name="edit"),
    path("<int:municipality_id>/<str:name>/voorbeeld.<str:fmt>", views.preview, name="preview"),
    path("<int:municipality_id>/<str:name>/versie/<int:version>/", views.version, name="version"),
]
