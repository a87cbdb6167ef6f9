from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views, views_mfa
from .throttle import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "inloggen/",
        oidc.LoginView.as_view(template_name="accounts/login.html", authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("inloggen/tweede-stap/", views_mfa.mfa_verify, name="mfa_verify"),
    path("inloggen/tweede-stap/instellen/", views_mfa.mfa_enrol, name="mfa_enrol"),
    path("inloggen/organisatie/", oidc.SsoRequestView.as_view(), name="oidc_authenticate"),
    path("inloggen/organisatie/terug/", oidc.SsoCallbackView.as_view(), name="oidc_callback"),
    path("beheer/tweede-stap/", views_mfa.mfa_policy, name="mfa_policy"),
    path("beheer/tweede-stap/<int:user_id>/wissen/", views_mfa.mfa_reset, name="mfa_reset"),
]
