from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .throttle import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                   authentication_form=ThrottledAuthenticationForm), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
]
