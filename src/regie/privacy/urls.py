from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("inzage/nieuw/", views.access_new, name="access_new"),
    path("inzage/<int:request_id>/", views.access_detail, name="access"),
    path("inzage/<int:request_id>/<str:action>/", views.access_action, name="access_action"),
    path("inzage/<int:request_id>/inzage.<str:fmt>", views.access_download, name="access_download"),
    path("correctie/nieuw/", views.rectification_new, name="rectification_new"),
    path("correctie/<int:request_id>/", views.rectification_detail, name="rectification"),
    path("correctie/<int:request_id>/<str:action>/", views.rectification_action, name="rectification_action"),
    path("grondslagen/", views.register, name="register"),
]
