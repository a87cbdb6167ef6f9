from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.index, name="index"),
    path("lijst/<int:list_id>/", views.list_detail, name="list"),
    path("lijst/<int:list_id>/goedkeuren/", views.approve, name="approve"),
    path("lijst/<int:list_id>/item/<int:item_id>/verwijderen/", views.remove_item, name="remove_item"),
    path("blokkade/", views.hold_new, name="hold_new"),
    path("blokkade/<int:hold_id>/opheffen/", views.hold_release, name="hold_release"),
]
