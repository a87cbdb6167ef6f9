from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("<str:code>/", views.start, name="start"),
    path("<str:code>/inloggen/", views.login, name="login"),
    path("<str:code>/inloggen/terug/", views.callback, name="callback"),
    path("<str:code>/uitloggen/", views.logout, name="logout"),
    path("<str:code>/overzicht/", views.overview, name="overview"),
    path("<str:code>/voor/<int:client_id>/", views.act_for, name="act_for"),
    path("<str:code>/plan/ondertekenen/", views.sign_plan, name="sign_plan"),
]
urlpatterns += [
    path("<str:code>/inkomsten/", views.income, name="income"),
    path("<str:code>/wijziging/", views.change, name="change"),
    path("<str:code>/bericht/", views.message, name="message"),
    path("<str:code>/document/", views.document, name="document"),
]
urlpatterns += [
    path("<str:code>/bezwaar/", views.objection, name="objection"),
    path("<str:code>/brieven/<int:event_id>.pdf", views.letter, name="letter"),
]
urlpatterns += [path("<str:code>/demo/", views.demo_login, name="demo_login")]
urlpatterns += [path("<str:code>/afspraken/<int:pk>/<str:action>/", views.appointment, name="appointment")]
urlpatterns += [path("<str:code>/inzage/", views.access_request, name="access_request")]
